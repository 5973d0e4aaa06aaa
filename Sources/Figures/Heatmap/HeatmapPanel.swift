/// One block of cells with its labels: the heatmap figure is one panel with a colour bar, a head
/// grid is many small ones sharing a scale, the steps figure a row of them.
struct HeatmapPanel {
    /// What the panel shows: matrix, tokens, mask, pooling, annotation and axis titles.
    let content: HeatmapFigure
    let scale: ColorScale
    let grid: HeatmapFigure.Grid
    /// Tick labels, or nil when the panel is too small for them.
    let rowAxis: AxisLabels?
    let columnAxis: AxisLabels?
    let showAxisTitles: Bool
    let title: String?
    let pixelsPerPoint: Double
    /// Extents around the cells, measured before anything is drawn.
    let left: Double, top: Double, bottom: Double, right: Double

    static let panelTitleFont = Font(size: 10, weight: .bold)

    init(
        content: HeatmapFigure, scale: ColorScale, pixelsPerPoint: Double, measurer: any TextMeasurer,
        maxPlotSide: Double = HeatmapFigure.Metrics.maxPlotSide, maxCell: Double = HeatmapFigure.Metrics.maxCell,
        showLabels: Bool, showAxisTitles: Bool, title: String?, showRowLabels: Bool = true, showColumnLabels: Bool = true
    ) {
        typealias Metrics = HeatmapFigure.Metrics
        self.content = content
        self.scale = scale
        self.showAxisTitles = showAxisTitles
        self.title = title
        self.pixelsPerPoint = pixelsPerPoint
        let matrix = content.matrix
        grid = HeatmapFigure.Grid(
            rows: matrix.rows, columns: matrix.columns, pixelsPerPoint: pixelsPerPoint, maxPlotSide: maxPlotSide, maxCell: maxCell)
        if showLabels, let source = content.pooledSource {
            rowAxis = showRowLabels
                ? AxisLabels(positions: source.rows, factor: source.factor, first: content.firstRow, pitch: grid.rowPitch, measurer: measurer)
                : nil
            columnAxis = showColumnLabels
                ? AxisLabels(positions: source.columns, factor: source.factor, first: content.firstColumn, pitch: grid.columnPitch, measurer: measurer)
                : nil
        } else if showLabels {
            let rows = content.labels(content.rowTokens, count: matrix.rows, first: content.firstRow)
            let columns = content.labels(content.columnTokens, count: matrix.columns, first: content.firstColumn)
            rowAxis = showRowLabels ? AxisLabels(labels: rows, pitch: grid.rowPitch, measurer: measurer) : nil
            columnAxis = showColumnLabels ? AxisLabels(labels: columns, pitch: grid.columnPitch, measurer: measurer) : nil
        } else {
            rowAxis = nil
            columnAxis = nil
        }
        let axisTitleHeight = measurer.measure(content.rowAxisTitle, font: Metrics.axisTitleFont).height
        left = (showAxisTitles ? axisTitleHeight + 6 : 0) + (rowAxis.map { $0.maxWidth + Metrics.labelGap } ?? 0)
        top = title.map { measurer.measure($0, font: Self.panelTitleFont).height + 4 } ?? 0
        var below = 0.0
        var overhang = 0.0
        if let columnAxis {
            let lineHeight = measurer.measure("Ag", font: columnAxis.font).height
            below += Metrics.labelGap + (columnAxis.fitsHorizontally ? lineHeight : columnAxis.maxWidth)
            // Centred labels may reach half a label past the last column.
            if columnAxis.fitsHorizontally { overhang = max(0, columnAxis.maxWidth / 2 - grid.columnPitch / 2) }
        }
        if showAxisTitles { below += 6 + measurer.measure(content.columnAxisTitle, font: Metrics.axisTitleFont).height }
        bottom = below
        let titleWidth = title.map { measurer.measure($0, font: Self.panelTitleFont).width } ?? 0
        right = max(overhang, titleWidth - grid.plotSize.width)
    }

    /// The whole panel's size.
    var size: Size {
        Size(width: left + grid.plotSize.width + right, height: top + grid.plotSize.height + bottom)
    }

    /// Draws the panel with its top-left corner at `origin`; returns where the cells went and
    /// the box of everything drawn.
    func add(to builder: inout SceneBuilder, at origin: Point) -> (plot: Rect, bounds: Rect) {
        typealias Metrics = HeatmapFigure.Metrics
        let plot = Rect(x: origin.x + left, y: origin.y + top, width: grid.plotSize.width, height: grid.plotSize.height)
        if let title {
            builder.text(title, at: Point(plot.x, origin.y), font: Self.panelTitleFont, vertical: .top)
        }
        builder.image(content.cellImage(grid: grid, scale: scale), in: plot)
        let hatch = content.hatchStyle(grid: grid, pixelsPerPoint: pixelsPerPoint)
        if hatch != .none {
            builder.shape(content.hatchPath(in: plot, grid: grid, style: hatch), stroke: Stroke(color: .maskHatch, width: 0.6))
        }
        content.addAnnotations(to: &builder, plot: plot, grid: grid, scale: scale)
        // The frame sits just outside the cells, so the first and last rows and columns (a sink
        // token's one-pixel column, say) are not hidden under it.
        let frame = Rect(x: plot.x - 0.3, y: plot.y - 0.3, width: plot.width + 0.6, height: plot.height + 0.6)
        builder.shape(.rect(frame), stroke: Stroke(color: Color(hex: 0x8A8A8A), width: 0.6))

        if let rowAxis {
            for (center, label) in rowAxis.shown {
                builder.text(
                    label, at: Point(plot.x - Metrics.labelGap, plot.y + center * grid.rowPitch),
                    font: rowAxis.font, horizontal: .trailing, vertical: .middle)
            }
        }
        if showAxisTitles {
            let height = builder.measure(content.rowAxisTitle, font: Metrics.axisTitleFont).height
            builder.text(
                content.axisTitle(content.rowAxisTitle, step: rowAxis?.step ?? 1),
                at: Point(origin.x + height / 2, plot.midY), font: Metrics.axisTitleFont,
                color: .mutedInk, horizontal: .center, vertical: .middle, rotation: 90)
        }
        var bottomEdge = plot.maxY
        if let columnAxis {
            for (center, label) in columnAxis.shown {
                let x = plot.x + center * grid.columnPitch
                let item = columnAxis.fitsHorizontally
                    ? builder.text(
                        label, at: Point(x, plot.maxY + Metrics.labelGap), font: columnAxis.font,
                        horizontal: .center, vertical: .top)
                    : builder.text(
                        label, at: Point(x, plot.maxY + Metrics.labelGap), font: columnAxis.font,
                        horizontal: .trailing, vertical: .middle, rotation: 90)
                bottomEdge = max(bottomEdge, item.bounds.maxY)
            }
        }
        var rightEdge = plot.maxX + right
        if showAxisTitles {
            let item = builder.text(
                content.axisTitle(content.columnAxisTitle, step: columnAxis?.step ?? 1), at: Point(plot.midX, bottomEdge + 6),
                font: Metrics.axisTitleFont, color: .mutedInk, horizontal: .center, vertical: .top)
            bottomEdge = item.bounds.maxY
            rightEdge = max(rightEdge, item.bounds.maxX)
        }
        return (plot, Rect(x: origin.x, y: origin.y, width: rightEdge - origin.x, height: bottomEdge - origin.y))
    }
}
