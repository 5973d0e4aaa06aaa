import Foundation

/// Every stage of scaled dot-product attention, kept so figures can show the steps.
public struct AttentionSteps: Sendable, Equatable {
    /// Q·Kᵀ, `[n, m]`.
    public let scores: Matrix
    /// scores / √d_k.
    public let scaled: Matrix
    /// Row-wise softmax of `scaled` over unmasked keys; masked entries exactly 0.
    public let weights: Matrix
    /// weights·V, `[n, d_v]`, when V was given.
    public let output: Matrix?
    /// The mask applied.
    public let mask: AttentionMask
    /// The key dimension d_k.
    public var keyDimension: Int { queryKeyDimension }
    private let queryKeyDimension: Int

    /// The most query × key cells kept: 4,096 × 4,096. Every step is a full `n × m` matrix of
    /// doubles (three of them, 384 MiB at the limit); longer patterns are drawn by
    /// `BlockedAttention`/`PooledAttention`, which never hold the matrix.
    public static let maximumCells = 4096 * 4096

    /// Computes attention of queries `q` `[n, d_k]` over keys `k` `[m, d_k]`, with values `v` `[m, d_v]`.
    public init(q: Matrix, k: Matrix, v: Matrix? = nil, mask: AttentionMask = .none) throws(AttentionError) {
        guard q.columns == k.columns else { throw .dimensions("Q has d_k = \(q.columns) but K has d_k = \(k.columns)") }
        guard q.columns > 0, q.rows > 0, k.rows > 0 else { throw .dimensions("Q and K need at least one row and one column") }
        try Self.checkSize(queries: q.rows, keys: k.rows, heads: 1)
        if let v, v.rows != k.rows { throw .dimensions("V has \(v.rows) rows but K has \(k.rows); each key needs one value") }
        if let visible = mask.visibleKeys, visible.count != k.rows {
            throw .dimensions("the key mask has \(visible.count) entries but there are \(k.rows) keys")
        }
        queryKeyDimension = q.columns
        self.mask = mask
        scores = MatrixKernels.multiplyTransposed(q, k)
        let factor = 1 / Double(q.columns).squareRoot()
        scaled = Matrix(rows: scores.rows, columns: scores.columns, values: scores.values.map { $0 * factor })
        weights = try Self.softmax(scaled, mask: mask)
        let weights = self.weights
        output = v.map { MatrixKernels.multiply(weights, $0) }
    }

    /// Refuses, before anything is computed, `heads` patterns of `queries × keys` cells that
    /// together exceed ``maximumCells``.
    public static func checkSize(queries: Int, keys: Int, heads: Int) throws(AttentionError) {
        let (perHead, overflow) = queries.multipliedReportingOverflow(by: keys)
        let (cells, overflowAll) = perHead.multipliedReportingOverflow(by: heads)
        guard overflow || overflowAll || cells > maximumCells else { return }
        let pattern = "\(queries) queries × \(keys) keys" + (heads > 1 ? " × \(heads) heads" : "")
        throw .tooLarge(
            "\(pattern) is more than the \(maximumCells) weights (4096 × 4096) kept step by step; "
                + "the --q/--k figure without --dump or --steps is computed in row blocks and has no such limit")
    }

    /// Row-wise softmax over unmasked entries, stabilised by subtracting each row's maximum.
    /// A row with every key masked has no distribution: that is an error, not NaN.
    public static func softmax(_ x: Matrix, mask: AttentionMask = .none) throws(AttentionError) -> Matrix {
        var out = Matrix(rows: x.rows, columns: x.columns)
        for i in 0..<x.rows {
            var maximum = -Double.infinity
            for j in 0..<x.columns where !mask.masks(query: i, key: j) { maximum = max(maximum, x[i, j]) }
            guard maximum > -Double.infinity else { throw .fullyMasked(row: i) }
            var sum = 0.0
            for j in 0..<x.columns where !mask.masks(query: i, key: j) {
                let e = exp(x[i, j] - maximum)
                out[i, j] = e
                sum += e
            }
            for j in 0..<x.columns { out[i, j] /= sum }
        }
        return out
    }
}

/// Why attention cannot be computed.
public enum AttentionError: Error, Equatable, CustomStringConvertible {
    /// The matrices do not fit together.
    case dimensions(String)
    /// Every key of a query row is masked, so softmax has nothing to normalise.
    case fullyMasked(row: Int)
    /// The number of heads does not fit the model width.
    case heads(String)
    /// The pattern has more cells than are kept in memory.
    case tooLarge(String)

    public var description: String {
        switch self {
        case .dimensions(let reason), .heads(let reason), .tooLarge(let reason): return reason
        case .fullyMasked(let row):
            return "query \(row) has every key masked, so its softmax has nothing to normalise; unmask at least one key per query"
        }
    }
}
