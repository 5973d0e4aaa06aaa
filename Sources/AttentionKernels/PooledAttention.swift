import TransformerMath

/// The attention weights of a context too long to hold, reduced to one value per `factor × factor`
/// block of (query, key) cells while they are computed: row blocks → softmax → pooled values.
/// For n = 32,768 the full matrix would be 8 GB in Double; this holds ~1,100² values.
public struct PooledAttention: Sendable, Equatable {
    /// How a block of weights becomes one value.
    public enum Pooling: String, Sendable, CaseIterable {
        /// The largest weight in the block, so a sharp attention spike never disappears.
        case max
        /// The mean of the block's unmasked weights.
        case mean
    }

    /// Queries (rows) of the full pattern.
    public let rows: Int
    /// Keys (columns) of the full pattern.
    public let columns: Int
    /// Cells per pooled value along each axis.
    public let factor: Int
    /// How the blocks were reduced.
    public let pooling: Pooling
    /// `ceil(rows / factor) × ceil(columns / factor)` pooled weights, row-major; 0 where a block is fully masked.
    public let values: Matrix
    /// Per pooled value, whether every cell of its block is masked.
    public let fullyMasked: [Bool]

    /// Computes the pooled weights of softmax(Q·Kᵀ/√d_k, masked) for Q `[n, d_k]` and K `[m, d_k]`,
    /// in Double, on `workers` threads (default: one per core).
    public init(
        q: DenseMatrix<Double>, k: DenseMatrix<Double>, mask: AttentionMask = .none, factor: Int,
        pooling: Pooling = .max, workers: Int? = nil
    ) throws(AttentionError) {
        try BlockedAttention.checkShapes(q: q, k: k, mask: mask)
        guard factor >= 1 else { throw AttentionError.dimensions("the pooling factor must be at least 1, not \(factor)") }
        let n = q.rows, m = k.rows
        let pooledRows = (n + factor - 1) / factor, pooledColumns = (m + factor - 1) / factor
        var pooled = [Double](repeating: 0, count: pooledRows * pooledColumns)
        var counts = [Int](repeating: 0, count: pooledRows * pooledColumns)
        // Visible keys before each key, so a block's unmasked count is a difference.
        let visibleBefore = mask.visibleKeys.map { visible in
            var running = [Int](repeating: 0, count: m + 1)
            for c in 0..<m { running[c + 1] = running[c] + (visible[c] ? 1 : 0) }
            return running
        }
        let blockRows = BlockedAttention.blockRows(keys: m)
        let failure = FirstFailure()
        pooled.withUnsafeMutableBufferPointer { pooledBuffer in
            counts.withUnsafeMutableBufferPointer { countBuffer in
                guard let valueBase = pooledBuffer.baseAddress, let countBase = countBuffer.baseAddress else { return }
                let values = SharedPointer(base: valueBase)
                let cellCounts = SharedPointer(base: countBase)
                // One task per pooled row: its cells belong to no other task.
                BlockedAttention.forEachWorker(workers, tasks: pooledRows) { nextTask in
                    let scratch = Scratch<Double>(blockRows: blockRows, keys: m)
                    while let pooledRow = nextTask() {
                        let out = values.base + pooledRow * pooledColumns
                        let count = cellCounts.base + pooledRow * pooledColumns
                        var start = pooledRow * factor
                        let end = min(n, start + factor)
                        while start < end {
                            let rows = start..<min(end, start + blockRows)
                            start = rows.upperBound
                            let keyEnd: Int
                            do throws(AttentionError) {
                                keyEnd = try BlockedAttention.weights(q: q, k: k, rows: rows, mask: mask, into: scratch)
                            } catch {
                                failure.record(error)
                                return
                            }
                            for (offset, row) in rows.enumerated() {
                                Self.pool(
                                    line: scratch.scores + offset * keyEnd, seen: mask.isCausal ? min(keyEnd, row + 1) : keyEnd,
                                    inverseSum: 1 / scratch.sums[offset], factor: factor, pooling: pooling,
                                    visibleBefore: visibleBefore, into: out, counts: count)
                            }
                        }
                    }
                }
            }
        }
        if let error = failure.error { throw error }
        for i in pooled.indices where counts[i] > 0 && pooling == .mean { pooled[i] /= Double(counts[i]) }
        self.rows = n
        self.columns = m
        self.factor = factor
        self.pooling = pooling
        self.values = Matrix(rows: pooledRows, columns: pooledColumns, values: pooled)
        self.fullyMasked = counts.map { $0 == 0 }
    }

    /// Folds one row of unnormalised weights (`seen` keys; later keys are masked) into the pooled
    /// row: the running maximum, or the running sum for the mean, and the unmasked cell count.
    private static func pool(
        line: UnsafePointer<Double>, seen: Int, inverseSum: Double, factor: Int, pooling: Pooling,
        visibleBefore: [Int]?, into out: UnsafeMutablePointer<Double>, counts: UnsafeMutablePointer<Int>
    ) {
        var column = 0
        var c0 = 0
        while c0 < seen {
            let c1 = min(seen, c0 + factor)
            let unmasked = visibleBefore.map { $0[c1] - $0[c0] } ?? (c1 - c0)
            if unmasked > 0 {
                // Masked keys hold exactly 0, which never exceeds an unmasked weight and adds nothing.
                switch pooling {
                case .max:
                    out[column] = Swift.max(out[column], VectorMath.maximum(line + c0, count: c1 - c0) * inverseSum)
                case .mean:
                    out[column] += VectorMath.sum(line + c0, count: c1 - c0) * inverseSum
                }
                counts[column] += unmasked
            }
            column += 1
            c0 = c1
        }
    }
}
