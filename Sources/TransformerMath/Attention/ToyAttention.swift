import Foundation

/// Attention over a sentence without a model: seeded token embeddings plus sinusoidal positions,
/// seeded projections, then multi-head attention, so a student can see every step.
///
/// The numbers are portable: each token's embedding comes from a `SeededGenerator` seeded with
/// `seed` mixed with the FNV-1a hash of the token's UTF-8 bytes, so "cat" has the same embedding in
/// every sentence; the projections W_Q, W_K, W_V, W_O are drawn in that order from a generator
/// seeded with `seed`, entries N(0, 1/d_model).
public struct ToyAttention: Sendable {
    /// The tokens.
    public let tokens: [String]
    /// Token embeddings `[n, d_model]`, entries N(0, 1).
    public let embeddings: Matrix
    /// Sinusoidal positional encodings `[n, d_model]`, base 10000.
    public let positions: Matrix
    /// The attention computed on embeddings + positions.
    public let attention: MultiHeadAttention
    /// The seed used.
    public let seed: UInt64

    /// Largest model width accepted, so a typo cannot ask for gigabytes.
    public static let maxModelDimension = 4096
    /// Most tokens accepted.
    public static let maxTokens = 4096

    /// Builds the toy model and computes its attention.
    public init(tokens: [String], modelDimension d: Int, heads: Int = 1, seed: UInt64 = 7, mask: AttentionMask = .none) throws {
        guard !tokens.isEmpty else { throw InputError.tokens(source: "--tokens", reason: "no tokens given") }
        guard tokens.count <= Self.maxTokens else {
            throw InputError.tokens(source: "--tokens", reason: "\(tokens.count) tokens is more than the \(Self.maxTokens) the toy model takes")
        }
        guard d >= 2, d % 2 == 0, d <= Self.maxModelDimension else {
            throw InputError.option(name: "--d-model", reason: "\(d) must be an even number from 2 to \(Self.maxModelDimension) (sinusoidal positions pair dimensions)")
        }
        self.tokens = tokens
        self.seed = seed
        var embeddings = Matrix(rows: tokens.count, columns: d)
        for (r, token) in tokens.enumerated() {
            var generator = SeededGenerator(seed: seed ^ Self.fnv1a(token))
            for c in 0..<d { embeddings[r, c] = generator.nextNormal() }
        }
        let positions = try PositionalEncoding.sinusoidal(positions: tokens.count, dModel: d).table
        var generator = SeededGenerator(seed: seed)
        let scale = 1 / Double(d).squareRoot()
        func projection() -> Matrix {
            Matrix(rows: d, columns: d, values: (0..<(d * d)).map { _ in generator.nextNormal() * scale })
        }
        let wq = projection(), wk = projection(), wv = projection(), wo = projection()
        var x = embeddings
        for i in x.values.indices { x.values[i] += positions.values[i] }
        self.embeddings = embeddings
        self.positions = positions
        attention = try MultiHeadAttention(x: x, wq: wq, wk: wk, wv: wv, wo: wo, heads: heads, mask: mask)
    }

    /// 64-bit FNV-1a of the token's UTF-8 bytes.
    static func fnv1a(_ token: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in token.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
