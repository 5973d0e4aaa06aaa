/// Multi-head attention as in CONTRACT.md: X·W projections, contiguous head split
/// (head i uses columns `i·d_head ..< (i+1)·d_head`), concatenation, output projection.
public struct MultiHeadAttention: Sendable, Equatable {
    /// The input `[n, d_model]`.
    public let x: Matrix
    /// Projections, each `[d_model, d_model]`, applied as X·W.
    public let wq: Matrix, wk: Matrix, wv: Matrix
    /// The output projection; `nil` means the identity.
    public let wo: Matrix?
    /// Number of heads h.
    public let heads: Int
    /// Q = X·W_Q, K = X·W_K, V = X·W_V, each `[n, d_model]`.
    public let q: Matrix, k: Matrix, v: Matrix
    /// Every stage of each head's attention (with that head's output).
    public let headSteps: [AttentionSteps]
    /// concat(head outputs), `[n, d_model]`.
    public let concatenated: Matrix
    /// concat(head outputs)·W_O, `[n, d_model]`.
    public let output: Matrix

    /// The model width d_model.
    public var modelDimension: Int { x.columns }
    /// The width of each head, d_model / h.
    public var headDimension: Int { x.columns / heads }

    /// Computes multi-head self-attention of `x`; shapes are checked and errors say which matrix is wrong.
    public init(
        x: Matrix, wq: Matrix, wk: Matrix, wv: Matrix, wo: Matrix? = nil, heads: Int, mask: AttentionMask = .none
    ) throws(AttentionError) {
        let d = x.columns
        guard x.rows > 0, d > 0 else { throw .dimensions("X needs at least one row and one column") }
        guard heads >= 1 else { throw .heads("the number of heads must be at least 1, not \(heads)") }
        guard d % heads == 0 else {
            throw .heads("d_model = \(d) is not divisible by \(heads) heads; d_head = d_model / h must be a whole number")
        }
        try AttentionSteps.checkSize(queries: x.rows, keys: x.rows, heads: heads)
        for (name, w) in [("W_Q", wq), ("W_K", wk), ("W_V", wv)] + (wo.map { [("W_O", $0)] } ?? []) {
            guard w.rows == d, w.columns == d else {
                throw .dimensions("\(name) is \(w.rows) × \(w.columns) but must be d_model × d_model = \(d) × \(d) (applied as X·W)")
            }
        }
        self.x = x
        self.wq = wq
        self.wk = wk
        self.wv = wv
        self.wo = wo
        self.heads = heads
        q = MatrixKernels.multiply(x, wq)
        k = MatrixKernels.multiply(x, wk)
        v = MatrixKernels.multiply(x, wv)
        let dHead = d / heads
        var steps: [AttentionSteps] = []
        var concatenated = Matrix(rows: x.rows, columns: d)
        for h in 0..<heads {
            let columns = (h * dHead)..<((h + 1) * dHead)
            let head = try AttentionSteps(
                q: q.slice(rows: 0..<q.rows, columns: columns), k: k.slice(rows: 0..<k.rows, columns: columns),
                v: v.slice(rows: 0..<v.rows, columns: columns), mask: mask)
            if let out = head.output {
                for r in 0..<x.rows {
                    for c in 0..<dHead { concatenated[r, h * dHead + c] = out[r, c] }
                }
            }
            steps.append(head)
        }
        headSteps = steps
        self.concatenated = concatenated
        output = wo.map { MatrixKernels.multiply(concatenated, $0) } ?? concatenated
    }

    /// Parameter counts of one attention layer of width `modelDimension`: weights and biases of
    /// the Q, K, V and O projections (a layer in a real model has all four, each with a bias).
    public static func parameterCounts(modelDimension d: Int) -> ParameterCounts {
        ParameterCounts(queryKeyValueWeights: 3 * d * d, outputWeights: d * d, queryKeyValueBiases: 3 * d, outputBiases: d)
    }
}

/// How many learned numbers an attention layer holds.
public struct ParameterCounts: Sendable, Equatable {
    /// W_Q, W_K and W_V together: 3·d_model².
    public let queryKeyValueWeights: Int
    /// W_O: d_model².
    public let outputWeights: Int
    /// b_Q, b_K and b_V: 3·d_model.
    public let queryKeyValueBiases: Int
    /// b_O: d_model.
    public let outputBiases: Int

    /// Everything: 4·d_model² + 4·d_model.
    public var total: Int { queryKeyValueWeights + outputWeights + queryKeyValueBiases + outputBiases }
}
