/// A half-open range of sequence positions, `START:END`, for cropping long attention matrices.
public struct IndexWindow: Sendable, Equatable {
    /// First position shown.
    public let start: Int
    /// One past the last position shown.
    public let end: Int

    /// Parses `START:END` (either side may be empty: `:64`, `100:`); `end` is resolved later.
    public init(parsing text: String) throws(InputError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .option(name: "--window", reason: "'\(text)' is not START:END (for example 0:64)")
        }
        let start = parts[0].isEmpty ? 0 : Int(parts[0])
        let end = parts[1].isEmpty ? Int.max : Int(parts[1])
        guard let start, let end else {
            throw .option(name: "--window", reason: "'\(text)' is not START:END with whole numbers (for example 0:64)")
        }
        guard start >= 0, end > start else {
            throw .option(name: "--window", reason: "'\(text)' is empty or negative; START must be at least 0 and below END")
        }
        self.start = start
        self.end = end
    }

    /// The window on an axis of `count` positions; an open end runs to the last position.
    /// A window reaching past the axis is an error, not silently shortened.
    public func range(within count: Int, axis: String) throws(InputError) -> Range<Int> {
        let last = end == Int.max ? count : end
        guard start < count else {
            throw .option(name: "--window", reason: "starts at \(start) but there are only \(count) \(axis) (positions 0–\(count - 1))")
        }
        guard last <= count else {
            throw .option(name: "--window", reason: "\(start):\(last) reaches past the \(count) \(axis) (positions 0–\(count - 1))")
        }
        return start..<last
    }
}
