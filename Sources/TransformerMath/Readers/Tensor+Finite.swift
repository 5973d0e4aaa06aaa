extension Tensor {
    /// The first value (in C order) that is NaN or infinite, with its multi-index, or nil when
    /// every value is finite.
    public func firstNonFinite() -> (index: [Int], value: Double)? {
        guard let flat = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        return (index(ofFlat: flat), values[flat])
    }
}
