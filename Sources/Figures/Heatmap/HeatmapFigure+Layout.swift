import Foundation
import TransformerMath

extension HeatmapFigure {
    /// Sizes in points that shape every heatmap.
    enum Metrics {
        static let margin = 16.0
        /// The longest side of the cell area.
        static let maxPlotSide = 560.0
        /// Cells never grow beyond this, so a 3 × 3 matrix is not a poster.
        static let maxCell = 44.0
        static let labelGap = 4.0
        static let maxLabelWidth = 110.0
        static let minLabelFont = 7.0
        static let maxLabelFont = 10.0
        static let colorbarGap = 18.0
        static let colorbarWidth = 14.0
        static let hatchSpacing = 4.0
        static let titleFont = Font(size: 13, weight: .bold)
        static let axisTitleFont = Font(size: 10)
        static let tickFont = Font(size: 9)
        static let captionFont = Font(size: 9)
    }

    /// How the matrix maps onto pixels: cell pitch, pooling factor and the image that holds the cells.
    struct Grid {
        let rows: Int
        let columns: Int
        /// Matrix cells per image pixel along each axis (1: no pooling).
        let factor: Int
        let imageRows: Int
        let imageColumns: Int
        /// Points per image pixel.
        let pixelPitch: Double

        init(rows: Int, columns: Int, pixelsPerPoint: Double, maxPlotSide: Double = Metrics.maxPlotSide, maxCell: Double = Metrics.maxCell) {
            self.rows = rows
            self.columns = columns
            let longest = Double(max(rows, columns))
            let budget = maxPlotSide * pixelsPerPoint
            let devicePixelsPerCell = (budget / longest).rounded(.down)
            if devicePixelsPerCell >= 1 {
                factor = 1
                // Whole device pixels per cell keep every cell edge crisp.
                let capped = min(devicePixelsPerCell, (maxCell * pixelsPerPoint).rounded(.down))
                pixelPitch = max(1, capped) / pixelsPerPoint
            } else {
                factor = Int((longest / budget).rounded(.up))
                pixelPitch = 1 / pixelsPerPoint
            }
            imageRows = (rows + factor - 1) / factor
            imageColumns = (columns + factor - 1) / factor
        }

        var plotSize: Size {
            Size(width: Double(imageColumns) * pixelPitch, height: Double(imageRows) * pixelPitch)
        }
        /// Points per matrix row / column (fractional when pooled).
        var rowPitch: Double { plotSize.height / Double(rows) }
        var columnPitch: Double { plotSize.width / Double(columns) }
    }

    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        let n = matrix.rows, m = matrix.columns
        guard n > 0, m > 0 else { throw FigureError.empty("the matrix has no cells") }
        let scale = colorScale()
        var builder = SceneBuilder(measurer: measurer)
        let panel = HeatmapPanel(
            content: self, scale: scale, pixelsPerPoint: pixelsPerPoint, measurer: measurer,
            showLabels: true, showAxisTitles: true, title: nil)
        let grid = panel.grid
        let titleExtent = measurer.measure(title, font: Metrics.titleFont)
        let plotY = Metrics.margin + (title.isEmpty ? 0 : titleExtent.height + 10)
        let drawn = panel.add(to: &builder, at: Point(Metrics.margin, plotY))
        let plot = drawn.plot
        var bottom = drawn.bounds.maxY

        // Colour bar to the right.
        let colorbar = ColorbarLayout(scale: scale, label: colorbarLabel, height: max(plot.height, 100))
        let barRight = colorbar.add(to: &builder, at: Point(plot.maxX + Metrics.colorbarGap, plot.y))
        var right = max(barRight, drawn.bounds.maxX)
        if hasMaskedCells {
            let legendY = plot.y + max(plot.height, 100) + 12
            right = max(right, addMaskLegend(to: &builder, at: Point(plot.maxX + Metrics.colorbarGap, legendY)))
            bottom = max(bottom, legendY + 12)
        }

        // Title centred over the cells, kept on the page.
        if !title.isEmpty {
            let x = max(Metrics.margin, plot.midX - titleExtent.width / 2)
            builder.text(title, at: Point(x, Metrics.margin), font: Metrics.titleFont, vertical: .top)
            right = max(right, x + titleExtent.width)
        }

        // Caption under everything, wrapped to the page width.
        let pageWidth = max(right + Metrics.margin, 320)
        let y = builder.caption(
            fullCaption(grid: grid, scale: scale, pixelsPerPoint: pixelsPerPoint, rowStep: panel.rowAxis?.step ?? 1, columnStep: panel.columnAxis?.step ?? 1),
            at: Point(Metrics.margin, bottom + 10), width: pageWidth - 2 * Metrics.margin, font: Metrics.captionFont)
        return Scene(size: Size(width: pageWidth.rounded(.up), height: (y + Metrics.margin).rounded(.up)), items: builder.items)
    }

    /// The colour scale: fitted to the unmasked values unless limits are given.
    func colorScale() -> ColorScale {
        if case .none = mask {
            return .fitted(to: matrix.values, colormap: colormap, lower: lower, upper: upper ?? quantileUpper(of: matrix.values))
        }
        let unmasked = (0..<matrix.rows).lazy.flatMap { r in
            (0..<matrix.columns).lazy.filter { c in !isMasked(row: r, column: c) }.map { c in matrix[r, c] }
        }
        return .fitted(to: unmasked, colormap: colormap, lower: lower, upper: upper ?? quantileUpper(of: unmasked))
    }

    /// The `upperQuantile` of `values` (nearest rank), or nil when no quantile is asked for.
    func quantileUpper(of values: some Sequence<Double>) -> Double? {
        guard upper == nil, let upperQuantile else { return nil }
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let rank = Int((Double(sorted.count - 1) * min(max(upperQuantile, 0), 1)).rounded())
        return sorted[rank]
    }

    var hasMaskedCells: Bool {
        switch mask {
        case .none: return false
        case .causal: return matrix.columns + firstColumn - 1 > firstRow
        case .cells(let cells): return cells.contains(true)
        }
    }

    func labels(_ tokens: [String]?, count: Int, first: Int) -> [String] {
        guard let tokens else { return TokenLabels.indices(count: count, firstIndex: first) }
        return TokenLabels.labels(for: tokens, firstIndex: first, display: tokenDisplay)
    }

    func axisTitle(_ title: String, step: Int) -> String {
        step == 1 ? title : "\(title) (every \(Ordinal.text(step)) labelled)"
    }

    /// The caller's caption followed by what the figure itself did to the data.
    func fullCaption(grid: Grid, scale: ColorScale, pixelsPerPoint: Double, rowStep: Int, columnStep: Int) -> String {
        var parts: [String] = []
        if let caption, !caption.isEmpty { parts.append(caption) }
        if tokenDisplay == .readable, TokenLabels.hasMarkers((rowTokens ?? []) + (columnTokens ?? [])) {
            parts.append("tokenizer markers (Ġ ▁ ## </w>) shown as plain text")
        }
        let source = pooledSource ?? PooledSource(rows: matrix.rows, columns: matrix.columns, factor: 1)
        parts.append("rows: \(rowAxisTitle) (\(source.rows)), columns: \(columnAxisTitle) (\(source.columns))")
        let factor = source.factor * grid.factor
        if factor > 1 {
            let how = pooling == .max ? "maximum" : "mean"
            let when = pooledSource == nil ? "" : ", pooled while computing (the full matrix was never held)"
            parts.append("each pixel shows the \(how) of a \(factor) × \(factor) block of cells\(when)")
        }
        if upper == nil, let upperQuantile {
            let top = scale.upper
            parts.append("colours clipped at \(NumberFormat.short(top)), the \(NumberFormat.short(upperQuantile * 100))th percentile of the values; larger ones are drawn as \(NumberFormat.short(top))")
        }
        if hasMaskedCells {
            let which = mask == .causal ? "causal mask: keys after the query" : "masked cells"
            let look = hatchStyle(grid: grid, pixelsPerPoint: pixelsPerPoint) == .none ? "grey" : "hatched"
            parts.append("\(look): \(which), weight 0 by construction")
        }
        return parts.joined(separator: " · ") + "."
    }

    /// The cells as an image, one pixel per cell or per pooled block, in one pass over the matrix.
    func cellImage(grid: Grid, scale: ColorScale) -> RasterImage {
        let f = grid.factor, n = matrix.rows, m = matrix.columns
        var pixels = [UInt8](repeating: 255, count: grid.imageRows * grid.imageColumns * 4)
        let (mr, mg, mb, _) = Color.masked.rgba8
        let checksMask: Bool
        if case .none = mask { checksMask = false } else { checksMask = true }
        let span = scale.upper - scale.lower
        matrix.values.withUnsafeBufferPointer { values in
            for pr in 0..<grid.imageRows {
                let r0 = pr * f, r1 = min(n, r0 + f)
                for pc in 0..<grid.imageColumns {
                    let c0 = pc * f, c1 = min(m, c0 + f)
                    var best = -Double.infinity, sum = 0.0, count = 0
                    for r in r0..<r1 {
                        let base = r * m
                        for c in c0..<c1 {
                            if checksMask, isMasked(row: r, column: c) { continue }
                            let v = values[base + c]
                            best = Swift.max(best, v)
                            sum += v
                            count += 1
                        }
                    }
                    let i = (pr * grid.imageColumns + pc) * 4
                    if count == 0 {
                        (pixels[i], pixels[i + 1], pixels[i + 2]) = (mr, mg, mb)
                        continue
                    }
                    let value = pooling == .max ? best : sum / Double(count)
                    let rgb = scale.colormap.packed(at: (value - scale.lower) / span)
                    pixels[i] = UInt8(truncatingIfNeeded: rgb >> 16)
                    pixels[i + 1] = UInt8(truncatingIfNeeded: rgb >> 8)
                    pixels[i + 2] = UInt8(truncatingIfNeeded: rgb)
                }
            }
        }
        return RasterImage(width: grid.imageColumns, height: grid.imageRows, pixels: pixels)
    }

    /// How masked cells are hatched at this cell size.
    enum HatchStyle {
        /// Cells too small to hatch one by one: flat grey.
        case none
        /// Every run of masked cells in every row.
        case runs
        /// Small cells of a square causal mask: one hatched triangle above the diagonal.
        case triangle
    }

    func hatchStyle(grid: Grid, pixelsPerPoint: Double) -> HatchStyle {
        guard hasMaskedCells else { return .none }
        // Cells under 6 device pixels are too small for hatching of their own.
        if grid.factor == 1, grid.rowPitch * pixelsPerPoint >= 6, grid.columnPitch * pixelsPerPoint >= 6 { return .runs }
        if mask == .causal, matrix.rows == matrix.columns, firstRow == firstColumn { return .triangle }
        return .none
    }

    /// Diagonal hatching over the masked cells: every run of them, clipped to the runs analytically,
    /// or for a fine causal grid the triangle above the diagonal.
    func hatchPath(in plot: Rect, grid: Grid, style: HatchStyle) -> Path {
        var path = Path()
        switch style {
        case .none: return path
        case .triangle:
            Self.addHatch(aboveDiagonalOf: plot, inset: grid.pixelPitch, spacing: Metrics.hatchSpacing, to: &path)
            return path
        case .runs: break
        }
        for r in 0..<matrix.rows {
            var c = 0
            while c < matrix.columns {
                guard isMasked(row: r, column: c) else { c += 1; continue }
                let start = c
                while c < matrix.columns, isMasked(row: r, column: c) { c += 1 }
                let run = Rect(
                    x: plot.x + Double(start) * grid.columnPitch, y: plot.y + Double(r) * grid.rowPitch,
                    width: Double(c - start) * grid.columnPitch, height: grid.rowPitch)
                Self.addHatch(in: run, spacing: Metrics.hatchSpacing, to: &path)
            }
        }
        return path
    }

    /// Lines x + y = k·spacing crossing `rect`; a shared phase makes neighbouring runs line up.
    static func addHatch(in rect: Rect, spacing: Double, to path: inout Path) {
        let first = ((rect.x + rect.y) / spacing).rounded(.up)
        let last = ((rect.maxX + rect.maxY) / spacing).rounded(.down)
        guard first <= last else { return }
        for k in Int(first)...Int(last) {
            let c = Double(k) * spacing
            let xa = max(rect.x, c - rect.maxY), xb = min(rect.maxX, c - rect.y)
            guard xb - xa > 0.01 else { continue }
            path.move(to: Point(xa, c - xa))
            path.line(to: Point(xb, c - xb))
        }
    }

    /// Lines x + y = k·spacing crossing the triangle of `rect` above its diagonal, which starts
    /// `inset` to the right of the top-left corner and ends `inset` above the bottom-right one.
    static func addHatch(aboveDiagonalOf rect: Rect, inset: Double, spacing: Double, to path: inout Path) {
        let x0 = rect.x + inset, y0 = rect.y, x1 = rect.maxX, y1 = rect.maxY - inset
        guard x1 > x0, y1 > y0 else { return }
        let first = ((x0 + y0) / spacing).rounded(.up), last = ((x1 + y1) / spacing).rounded(.down)
        guard first <= last else { return }
        for k in Int(first)...Int(last) {
            let c = Double(k) * spacing
            // From the diagonal x − y = x0 − y0 to the top edge, or to the right edge past the corner.
            let onDiagonal = Point((c + x0 - y0) / 2, (c - x0 + y0) / 2)
            let end = c - y0 <= x1 ? Point(c - y0, y0) : Point(x1, c - x1)
            guard abs(end.x - onDiagonal.x) > 0.01 else { continue }
            path.move(to: onDiagonal)
            path.line(to: end)
        }
    }

    /// Writes values in the cells when they fit (or always, when asked).
    func addAnnotations(to builder: inout SceneBuilder, plot: Rect, grid: Grid, scale: ColorScale) {
        guard annotation != .never, grid.factor == 1 else { return }
        let pitch = min(grid.rowPitch, grid.columnPitch)
        // Largest font up to 10 pt whose widest value fits the cell with a little air.
        var size = min(10, pitch * 0.45)
        let minimum = annotation == .always ? 4.0 : 6.5
        // Cells too small for any legible number: skip formatting every value of a large matrix.
        guard size >= minimum else { return }
        let decimals = NumberFormat.sharedDecimals(for: matrix.values)
        func format(_ v: Double) -> String { NumberFormat.fixed(v, decimals: decimals) }
        var widest = ""
        for v in matrix.values where format(v).count > widest.count { widest = format(v) }
        while size >= minimum {
            let extent = builder.measure(widest, font: Font(size: size))
            if extent.width <= grid.columnPitch - 3, extent.height <= grid.rowPitch - 1 { break }
            size -= 0.5
        }
        guard size >= minimum else { return }
        let font = Font(size: size)
        for r in 0..<matrix.rows {
            for c in 0..<matrix.columns where isMasked(row: r, column: c) {
                guard let maskedCellText else { break }
                builder.text(
                    maskedCellText, at: Point(plot.x + (Double(c) + 0.5) * grid.columnPitch, plot.y + (Double(r) + 0.5) * grid.rowPitch),
                    font: font, color: .mutedInk, horizontal: .center, vertical: .middle)
            }
            for c in 0..<matrix.columns where !isMasked(row: r, column: c) {
                let v = matrix[r, c]
                builder.text(
                    format(v), at: Point(plot.x + (Double(c) + 0.5) * grid.columnPitch, plot.y + (Double(r) + 0.5) * grid.rowPitch),
                    font: font, color: scale.color(of: v).contrastingText, horizontal: .center, vertical: .middle)
            }
        }
    }

    /// A hatched swatch labelled "masked"; returns the right edge.
    private func addMaskLegend(to builder: inout SceneBuilder, at origin: Point) -> Double {
        let swatch = Rect(x: origin.x, y: origin.y, width: Metrics.colorbarWidth, height: 10)
        builder.shape(.rect(swatch), fill: .masked)
        var hatch = Path()
        Self.addHatch(in: swatch, spacing: Metrics.hatchSpacing, to: &hatch)
        builder.shape(hatch, stroke: Stroke(color: .maskHatch, width: 0.6))
        builder.shape(.rect(swatch), stroke: Stroke(color: Color(hex: 0x8A8A8A), width: 0.5))
        let text = builder.text(
            "masked", at: Point(swatch.maxX + 5, swatch.midY), font: Metrics.tickFont, color: .mutedInk, vertical: .middle)
        return text.bounds.maxX
    }
}
