import TransformerMath

/// Small multiples of attention heads sharing one colour scale: all heads of one layer, or the
/// layer × head overview of a whole model. Each panel is titled `L{layer} H{head}`.
public struct HeadGridFigure: Figure {
    /// One head's matrix and where it sits in the model.
    public struct Panel: Sendable {
        /// The head's attention, rows = queries, columns = keys.
        public var matrix: Matrix
        /// The layer index, if the input has layers.
        public var layer: Int?
        /// The head index.
        public var head: Int

        /// Creates a panel.
        public init(matrix: Matrix, layer: Int?, head: Int) {
            self.matrix = matrix
            self.layer = layer
            self.head = head
        }

        /// `L3 H1`, or `H1` without layers.
        public var title: String {
            (layer.map { "L\($0) " } ?? "") + "H\(head)"
        }
    }

    /// Panels in rows (a layer per row in the overview); every matrix has the same shape.
    public var rows: [[Panel]]
    /// Tokens of the queries and keys, if known.
    public var rowTokens: [String]?
    public var columnTokens: [String]?
    /// How tokenizer markers are shown.
    public var tokenDisplay: TokenDisplay = .readable
    /// The shared colormap.
    public var colormap: Colormap = .viridis
    /// Shared colour limits; `nil` to fit all panels.
    public var lower: Double?
    public var upper: Double?
    /// How panels larger than their pixels are pooled.
    public var pooling: HeatmapFigure.Pooling = .max
    /// Values in cells: off by default, since small multiples are for comparing patterns.
    public var annotation: HeatmapFigure.Annotation = .never
    /// Masks: `auto` marks a panel causal when its upper triangle is exactly 0.
    public var mask: HeatmapFigure.MaskChoice = .auto
    /// Title above the grid.
    public var title: String
    /// What the reader is looking at.
    public var caption: String?
    /// Label of the colour bar.
    public var colorbarLabel = "attention weight"

    /// Widest the grid of cells may be, in points.
    static let maxGridWidth = 1000.0
    static let panelGap = 10.0
    /// Labels are kept only when a row of cells is at least this tall (no thinning inside panels).
    static let minLabelPitch = 7.7

    /// Creates a grid of `rows` of panels.
    public init(rows: [[Panel]], title: String) {
        self.rows = rows
        self.title = title
    }

    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        typealias Metrics = HeatmapFigure.Metrics
        let panels = rows.flatMap { $0 }
        guard let first = panels.first, first.matrix.rows > 0, first.matrix.columns > 0 else {
            throw FigureError.empty("there are no heads to draw")
        }
        guard panels.allSatisfy({ $0.matrix.rows == first.matrix.rows && $0.matrix.columns == first.matrix.columns }) else {
            throw FigureError.empty("every head must have the same shape")
        }
        let columnsCount = rows.map(\.count).max() ?? 1
        let n = first.matrix.rows, m = first.matrix.columns
        let scale = sharedScale(panels)

        // The side of each panel: share the width, between 40 and 220 points.
        let side = min(220, max(40, (Self.maxGridWidth - Double(columnsCount - 1) * Self.panelGap) / Double(columnsCount)))
        let probe = HeatmapFigure.Grid(rows: n, columns: m, pixelsPerPoint: pixelsPerPoint, maxPlotSide: side, maxCell: Metrics.maxCell)
        let labelled = min(probe.rowPitch, probe.columnPitch) >= Self.minLabelPitch

        func content(_ panel: Panel) -> HeatmapFigure {
            var figure = HeatmapFigure(matrix: panel.matrix)
            figure.rowTokens = rowTokens
            figure.columnTokens = columnTokens
            figure.tokenDisplay = tokenDisplay
            figure.colormap = colormap
            figure.pooling = pooling
            figure.annotation = annotation
            switch mask {
            case .auto: figure.mask = HeatmapFigure.looksCausal(panel.matrix) ? .causal : .none
            case .none: figure.mask = .none
            case .causal: figure.mask = .causal
            }
            return figure
        }
        func panelLayout(_ panel: Panel, row: Int, column: Int) -> HeatmapPanel {
            HeatmapPanel(
                content: content(panel), scale: scale, pixelsPerPoint: pixelsPerPoint, measurer: measurer,
                maxPlotSide: side, showLabels: labelled, showAxisTitles: false, title: panel.title,
                showRowLabels: column == 0, showColumnLabels: row == rows.count - 1)
        }
        let layouts = rows.enumerated().map { r, panels in panels.enumerated().map { c, p in panelLayout(p, row: r, column: c) } }
        let plot = probe.plotSize
        let leftBand = layouts.compactMap { $0.first?.left }.max() ?? 0
        let topBand = layouts.flatMap { $0 }.map(\.top).max() ?? 0
        let bottomBand = layouts.last?.map(\.bottom).max() ?? 0
        let axisTitleHeight = measurer.measure("query", font: Metrics.axisTitleFont).height

        var builder = SceneBuilder(measurer: measurer)
        let titleExtent = measurer.measure(title, font: Metrics.titleFont)
        let gridLeft = Metrics.margin + (labelled ? axisTitleHeight + 6 : 0) + leftBand
        let gridTop = Metrics.margin + titleExtent.height + 10
        let pitchX = plot.width + Self.panelGap, pitchY = topBand + plot.height + Self.panelGap
        var right = 0.0, bottom = 0.0
        for (r, row) in layouts.enumerated() {
            for (c, panel) in row.enumerated() {
                let plotOrigin = Point(gridLeft + Double(c) * pitchX, gridTop + Double(r) * pitchY + topBand)
                let drawn = panel.add(to: &builder, at: Point(plotOrigin.x - panel.left, plotOrigin.y - panel.top))
                right = max(right, drawn.bounds.maxX)
                bottom = max(bottom, drawn.bounds.maxY)
            }
        }
        let gridBottom = gridTop + Double(rows.count) * pitchY - Self.panelGap
        if labelled {
            builder.text(
                "query", at: Point(Metrics.margin + axisTitleHeight / 2, (gridTop + gridBottom) / 2), font: Metrics.axisTitleFont,
                color: .mutedInk, horizontal: .center, vertical: .middle, rotation: 90)
            let item = builder.text(
                "key", at: Point(gridLeft + (Double(columnsCount) * pitchX - Self.panelGap) / 2, gridBottom + bottomBand + 6),
                font: Metrics.axisTitleFont, color: .mutedInk, horizontal: .center, vertical: .top)
            bottom = max(bottom, item.bounds.maxY)
        }
        let barHeight = min(max(gridBottom - gridTop, 100), 320)
        let colorbar = ColorbarLayout(scale: scale, label: colorbarLabel, height: barHeight)
        right = max(right, colorbar.add(to: &builder, at: Point(right + Metrics.colorbarGap, gridTop + topBand)))
        bottom = max(bottom, gridTop + topBand + barHeight)
        builder.text(title, at: Point(Metrics.margin, Metrics.margin), font: Metrics.titleFont, vertical: .top)
        right = max(right, Metrics.margin + titleExtent.width)

        let pageWidth = max(right + Metrics.margin, 320)
        let y = builder.caption(
            fullCaption(labelled: labelled, pooled: probe.factor, panels: panels.count),
            at: Point(Metrics.margin, bottom + 10), width: pageWidth - 2 * Metrics.margin, font: Metrics.captionFont)
        return Scene(size: Size(width: pageWidth.rounded(.up), height: (y + Metrics.margin).rounded(.up)), items: builder.items)
    }

    /// One scale for every panel, so colours compare across heads.
    func sharedScale(_ panels: [Panel]) -> ColorScale {
        .fitted(to: panels.lazy.flatMap(\.matrix.values), colormap: colormap, lower: lower, upper: upper)
    }

    private func fullCaption(labelled: Bool, pooled factor: Int, panels: Int) -> String {
        var parts: [String] = []
        if let caption, !caption.isEmpty { parts.append(caption) }
        let first = rows.first?.first?.matrix
        parts.append("\(panels) head\(panels == 1 ? "" : "s"), each \(first?.rows ?? 0) queries (rows) × \(first?.columns ?? 0) keys (columns), one colour scale")
        if !labelled { parts.append("token labels left out at this size; draw one head with transfigure heatmap to read them") }
        if factor > 1 { parts.append("each pixel shows the \(pooling == .max ? "maximum" : "mean") of a \(factor) × \(factor) block") }
        if rows.flatMap({ $0 }).contains(where: { HeatmapFigure.looksCausal($0.matrix) }), mask != .none {
            parts.append("hatched: causal mask")
        }
        return parts.joined(separator: " · ") + "."
    }
}
