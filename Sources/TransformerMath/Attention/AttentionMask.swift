/// Which keys each query may not attend to: a causal rule, padding keys, or both.
public struct AttentionMask: Sendable, Equatable {
    /// Whether keys after the query are masked (key index > query index).
    public var isCausal: Bool
    /// Per key, whether it is a real token (`true`) or padding (`false`), as in Hugging Face's
    /// `attention_mask`; `nil` when every key is real.
    public var visibleKeys: [Bool]?

    /// Creates a mask.
    public init(isCausal: Bool = false, visibleKeys: [Bool]? = nil) {
        self.isCausal = isCausal
        self.visibleKeys = visibleKeys
    }

    /// Every query sees every key.
    public static let none = AttentionMask()
    /// Query i sees keys 0…i only.
    public static let causal = AttentionMask(isCausal: true)

    /// Only the first `validKeys` of `totalKeys` keys are real; the rest is padding.
    public static func padding(validKeys: Int, of totalKeys: Int) -> AttentionMask {
        AttentionMask(visibleKeys: (0..<totalKeys).map { $0 < validKeys })
    }

    /// Whether query `i` may not see key `j`.
    @inline(__always)
    public func masks(query i: Int, key j: Int) -> Bool {
        if isCausal, j > i { return true }
        if let visibleKeys, !visibleKeys[j] { return true }
        return false
    }

    /// Whether any entry of an `n × m` score matrix is masked.
    public func masksAny(queries n: Int, keys m: Int) -> Bool {
        (isCausal && m > 1) || (visibleKeys?.contains(false) ?? false)
    }

    /// "none", "causal", "padding" or "causal + padding", for captions and dumps.
    public var name: String {
        let padded = visibleKeys?.contains(false) ?? false
        switch (isCausal, padded) {
        case (false, false): return "none"
        case (true, false): return "causal"
        case (false, true): return "padding"
        case (true, true): return "causal + padding"
        }
    }
}
