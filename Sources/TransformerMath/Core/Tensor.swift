/// An n-dimensional array of `Double` in C (row-major) order, as read from a file.
public struct Tensor: Sendable, Equatable {
    /// Extent of each axis, outermost first.
    public let shape: [Int]
    /// All values, last axis varying fastest.
    public var values: [Double]

    /// Creates a tensor; `values.count` must equal the product of `shape`.
    public init(shape: [Int], values: [Double]) {
        precondition(values.count == shape.reduce(1, *), "tensor values do not match its shape")
        self.shape = shape
        self.values = values
    }

    /// Creates a 2-D tensor from a matrix.
    public init(_ matrix: Matrix) {
        self.init(shape: [matrix.rows, matrix.columns], values: matrix.values)
    }

    /// Number of axes.
    public var rank: Int { shape.count }

    /// The shape written the way NumPy prints it: `(6, 12, 16, 16)`, `(5,)`.
    public var shapeDescription: String { Self.describe(shape) }

    /// Formats a shape the way NumPy prints it.
    public static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// The trailing 2-D matrix selected by fixing the leading axes to `leading` (C order).
    /// `leading.count` must be `rank - 2` and each index within its axis.
    public func matrix(at leading: [Int]) -> Matrix {
        precondition(leading.count == rank - 2, "wrong number of leading indices")
        var offset = 0
        for (axis, index) in leading.enumerated() {
            precondition(index >= 0 && index < shape[axis], "index out of range")
            offset = offset * shape[axis] + index
        }
        let rows = shape[rank - 2], columns = shape[rank - 1]
        // A 2-D tensor already is the matrix: share its storage instead of copying it.
        if leading.isEmpty { return Matrix(rows: rows, columns: columns, values: values) }
        let start = offset * rows * columns
        return Matrix(rows: rows, columns: columns, values: Array(values[start..<(start + rows * columns)]))
    }

    /// The multi-index of flat position `flat` (C order), for error messages.
    public func index(ofFlat flat: Int) -> [Int] {
        var rest = flat
        var index = Array(repeating: 0, count: rank)
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            index[axis] = rest % max(shape[axis], 1)
            rest /= max(shape[axis], 1)
        }
        return index
    }
}
