/// A dense matrix of `Double`, row-major.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// `rows * columns` values, row by row.
    public var values: [Double]

    /// Creates a matrix from row-major values; `values.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "matrix values do not match its shape")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix of zeros.
    public init(rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns, values: Array(repeating: 0, count: rows * columns))
    }

    /// Creates a matrix from nested rows; every row must have the same length.
    public init(_ nested: [[Double]]) {
        let columns = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == columns }, "ragged rows")
        self.init(rows: nested.count, columns: columns, values: nested.flatMap { $0 })
    }

    /// The value at row `r`, column `c`.
    public subscript(r: Int, c: Int) -> Double {
        get { values[r * columns + c] }
        set { values[r * columns + c] = newValue }
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> [Double] {
        Array(values[(r * columns)..<((r + 1) * columns)])
    }

    /// The rows as nested arrays (for JSON output).
    public var nested: [[Double]] {
        (0..<rows).map(row)
    }

    /// The sub-matrix of rows `rowRange` and columns `columnRange`.
    public func slice(rows rowRange: Range<Int>, columns columnRange: Range<Int>) -> Matrix {
        var out: [Double] = []
        out.reserveCapacity(rowRange.count * columnRange.count)
        for r in rowRange {
            out.append(contentsOf: values[(r * columns + columnRange.lowerBound)..<(r * columns + columnRange.upperBound)])
        }
        return Matrix(rows: rowRange.count, columns: columnRange.count, values: out)
    }

    /// The transpose.
    public var transposed: Matrix {
        var out = Matrix(rows: columns, columns: rows)
        for r in 0..<rows {
            for c in 0..<columns { out.values[c * rows + r] = values[r * columns + c] }
        }
        return out
    }

    /// Matrix product `self · other`.
    public func multiplied(by other: Matrix) -> Matrix {
        precondition(columns == other.rows, "inner dimensions differ")
        var out = Matrix(rows: rows, columns: other.columns)
        for i in 0..<rows {
            for k in 0..<columns {
                let a = values[i * columns + k]
                if a == 0 { continue }
                let base = k * other.columns
                for j in 0..<other.columns { out.values[i * other.columns + j] += a * other.values[base + j] }
            }
        }
        return out
    }
}
