import TransformerMath

/// A row-major matrix of `Scalar`: the kernels' inputs and outputs.
public struct DenseMatrix<Scalar: AttentionScalar>: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// `rows × columns` values, row by row.
    public var values: [Scalar]

    /// Creates a matrix from row-major values; `values.count` must be `rows × columns`.
    public init(rows: Int, columns: Int, values: [Scalar]) throws(AttentionError) {
        guard rows >= 0, columns >= 0, values.count == rows * columns else {
            throw AttentionError.dimensions("\(values.count) values do not make a \(rows) × \(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The values of a double-precision `Matrix`, converted to `Scalar`.
    public init(_ matrix: Matrix) {
        rows = matrix.rows
        columns = matrix.columns
        values = matrix.values.map { Scalar($0) }
    }

    /// The value at row `r`, column `c`.
    public subscript(r: Int, c: Int) -> Scalar {
        values[r * columns + c]
    }
}
