import TransformerMath

/// An attention (or any) matrix drawn as coloured cells: rows are queries, columns are keys.
public struct HeatmapFigure: Figure {
    /// When cell values are written inside the cells.
    public enum Annotation: String, Sendable, CaseIterable {
        /// When the numbers fit legibly in the cells.
        case auto
        /// Always, shrinking the font as far as it stays readable.
        case always
        /// Never.
        case never
    }

    /// Which cells are masked out (drawn hatched, not as data).
    public enum Mask: Sendable, Hashable {
        /// No cell is masked.
        case none
        /// Keys after the query are masked: column index > row index (in sequence positions).
        case causal
        /// An explicit row-major list, `true` where masked.
        case cells([Bool])
    }

    /// How a matrix larger than the pixels that show it is reduced.
    public enum Pooling: String, Sendable, CaseIterable {
        /// Each pixel shows the largest weight of its block, so sharp attention never vanishes.
        case max
        /// Each pixel shows the mean of its block.
        case mean
    }

    /// Where `matrix` came from when it already holds pooled values of a matrix too large to keep
    /// (attention over a long context, pooled while it was computed).
    public struct PooledSource: Sendable, Hashable {
        /// Rows of the full matrix.
        public var rows: Int
        /// Columns of the full matrix.
        public var columns: Int
        /// Full-matrix cells per value of `matrix`, along each axis.
        public var factor: Int

        /// Describes a matrix of `rows × columns` pooled by `factor` along each axis.
        public init(rows: Int, columns: Int, factor: Int) {
            self.rows = rows
            self.columns = columns
            self.factor = factor
        }
    }

    /// The values, rows = queries, columns = keys.
    public var matrix: Matrix
    /// Set when `matrix` is already pooled (with `pooling`) from a larger matrix; positions on the
    /// axes and in the caption then refer to the full matrix.
    public var pooledSource: PooledSource?
    /// Labels of the rows (queries); `nil` for indices.
    public var rowTokens: [String]?
    /// Labels of the columns (keys); `nil` for indices.
    public var columnTokens: [String]?
    /// How tokenizer markers in the tokens are shown.
    public var tokenDisplay: TokenDisplay = .readable
    /// Sequence position of the first row (for windows into a longer sequence).
    public var firstRow = 0
    /// Sequence position of the first column.
    public var firstColumn = 0
    /// The colormap.
    public var colormap: Colormap = .viridis
    /// Value drawn with the low end of the colormap; `nil` to fit the data.
    public var lower: Double?
    /// Value drawn with the high end of the colormap; `nil` to fit the data.
    public var upper: Double?
    /// When set (and `upper` is not), the top of the colour scale is this quantile (0…1) of the
    /// unmasked values and the caption says so: for long-context attention, where one weight of 1
    /// in the first row would otherwise leave every other pixel dark.
    public var upperQuantile: Double?
    /// When to write values in cells.
    public var annotation: Annotation = .auto
    /// Masked cells.
    public var mask: Mask = .none
    /// Text written in masked cells when values are annotated (the steps figure writes "−∞").
    public var maskedCellText: String?
    /// How large matrices are pooled.
    public var pooling: Pooling = .max
    /// Title above the figure.
    public var title: String = "Attention weights"
    /// What the reader is looking at (layer, head, shape…), written under the figure.
    public var caption: String?
    /// Label of the colour bar.
    public var colorbarLabel: String = "attention weight"
    /// Title of the row axis.
    public var rowAxisTitle: String = "query"
    /// Title of the column axis.
    public var columnAxisTitle: String = "key"

    /// Creates a heatmap of `matrix` with default styling.
    public init(matrix: Matrix) {
        self.matrix = matrix
    }

    /// Full-matrix cells per image pixel, along each axis, that a `rows × columns` matrix needs at
    /// `pixelsPerPoint` (1: one cell per pixel or more). Pooling while computing with this factor
    /// gives exactly the pixels this figure would draw.
    public static func poolingFactor(rows: Int, columns: Int, pixelsPerPoint: Double) -> Int {
        Grid(rows: rows, columns: columns, pixelsPerPoint: pixelsPerPoint).factor
    }

    /// Whether the cell at row `r`, column `c` (matrix indices) is masked.
    public func isMasked(row r: Int, column c: Int) -> Bool {
        switch mask {
        case .none: return false
        case .causal: return c + firstColumn > r + firstRow
        case .cells(let cells): return cells[r * matrix.columns + c]
        }
    }

    /// Whether `matrix` looks causally masked: square, more than one row, every entry above the
    /// diagonal exactly 0 and some entry on or below it not 0 (as a saved causal attention tensor is).
    public static func looksCausal(_ matrix: Matrix) -> Bool {
        guard matrix.rows == matrix.columns, matrix.rows > 1 else { return false }
        var anyNonZero = false
        for r in 0..<matrix.rows {
            for c in 0..<matrix.columns {
                let v = matrix[r, c]
                if c > r, v != 0 { return false }
                if c <= r, v != 0 { anyNonZero = true }
            }
        }
        return anyNonZero
    }
}
