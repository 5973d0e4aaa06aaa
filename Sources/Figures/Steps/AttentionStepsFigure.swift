import TransformerMath

/// Scaled dot-product attention as a sequence of panels: raw scores, scaled scores, masked scores,
/// softmax weights and (when V is given) the output, each titled with its formula and drawn with
/// its own colour bar: diverging for scores, sequential for weights.
public struct AttentionStepsFigure: Figure {
    /// The computed stages.
    public var steps: AttentionSteps
    /// Tokens of the queries and keys (indices when nil).
    public var queryTokens: [String]?
    public var keyTokens: [String]?
    /// How tokenizer markers are shown.
    public var tokenDisplay: TokenDisplay = .readable
    /// Title above the panels.
    public var title = "Scaled dot-product attention, step by step"
    /// What the reader is looking at.
    public var caption: String?

    /// Creates the figure for computed steps.
    public init(steps: AttentionSteps) {
        self.steps = steps
    }

    /// The longest side of each panel's cells, in points (smaller for reports that fit a text column).
    public var panelSide = 300.0
    static let gap = 28.0

    /// One panel: its title, what it shows and how.
    struct Stage {
        let title: String
        let content: HeatmapFigure
        let scale: ColorScale
        let colorbarLabel: String
    }

    func stages() -> [Stage] {
        let dk = steps.keyDimension
        let masked = steps.mask.masksAny(queries: steps.scores.rows, keys: steps.scores.columns)
        func panel(_ matrix: Matrix, colormap: Colormap, mask: Bool, columns: [String]?, columnTitle: String = "key") -> HeatmapFigure {
            var figure = HeatmapFigure(matrix: matrix)
            figure.rowTokens = queryTokens
            figure.columnTokens = columns
            figure.tokenDisplay = tokenDisplay
            figure.colormap = colormap
            figure.columnAxisTitle = columnTitle
            if mask {
                let m = matrix.columns
                figure.mask = .cells((0..<(matrix.rows * m)).map { steps.mask.masks(query: $0 / m, key: $0 % m) })
                figure.maskedCellText = "−∞"
            }
            return figure
        }
        let scores = panel(steps.scores, colormap: .rdbu, mask: false, columns: keyTokens)
        let scaled = panel(steps.scaled, colormap: .rdbu, mask: false, columns: keyTokens)
        var weights = panel(steps.weights, colormap: .viridis, mask: masked, columns: keyTokens)
        weights.maskedCellText = nil
        var list = [
            Stage(title: "1  Scores  Q·Kᵀ", content: scores, scale: scores.colorScale(), colorbarLabel: "score"),
            Stage(title: "2  Scaled  Q·Kᵀ / √\(dk)", content: scaled, scale: scaled.colorScale(), colorbarLabel: "scaled score"),
        ]
        if masked {
            let maskedScores = panel(steps.scaled, colormap: .rdbu, mask: true, columns: keyTokens)
            list.append(Stage(
                title: "3  Masked  (\(steps.mask.name)) → −∞", content: maskedScores, scale: scaled.colorScale(), colorbarLabel: "scaled score"))
        }
        list.append(Stage(
            title: "\(list.count + 1)  Weights  softmax per row", content: weights,
            scale: ColorScale.fitted(to: [0, 1], colormap: .viridis), colorbarLabel: "attention weight"))
        if let output = steps.output {
            let values = panel(output, colormap: .rdbu, mask: false, columns: nil, columnTitle: "value dimension")
            list.append(Stage(title: "\(list.count + 1)  Output  weights·V", content: values, scale: values.colorScale(), colorbarLabel: "output"))
        }
        return list
    }

    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        typealias Metrics = HeatmapFigure.Metrics
        guard steps.scores.rows > 0, steps.scores.columns > 0 else { throw FigureError.empty("the attention has no cells") }
        var builder = SceneBuilder(measurer: measurer)
        let titleExtent = measurer.measure(title, font: Metrics.titleFont)
        builder.text(title, at: Point(Metrics.margin, Metrics.margin), font: Metrics.titleFont, vertical: .top)
        let list = stages()
        // Two panels to a row keeps every panel large enough for its tokens and values.
        var y = Metrics.margin + titleExtent.height + 12
        var right = Metrics.margin + titleExtent.width
        var index = 0
        while index < list.count {
            let row = list[index..<min(index + 2, list.count)]
            var x = Metrics.margin
            var rowBottom = y
            for stage in row {
                let panel = HeatmapPanel(
                    content: stage.content, scale: stage.scale, pixelsPerPoint: pixelsPerPoint, measurer: measurer,
                    maxPlotSide: panelSide, showLabels: true, showAxisTitles: true, title: stage.title)
                let drawn = panel.add(to: &builder, at: Point(x, y))
                let bar = ColorbarLayout(scale: stage.scale, label: stage.colorbarLabel, height: max(drawn.plot.height, 80))
                let barRight = bar.add(to: &builder, at: Point(drawn.plot.maxX + 12, drawn.plot.y))
                x = max(drawn.bounds.maxX, barRight) + Self.gap
                rowBottom = max(rowBottom, drawn.bounds.maxY, drawn.plot.y + max(drawn.plot.height, 80))
                right = max(right, barRight, drawn.bounds.maxX)
            }
            y = rowBottom + 18
            index += 2
        }
        let pageWidth = max(right + Metrics.margin, 320)
        var parts: [String] = []
        if let caption, !caption.isEmpty { parts.append(caption) }
        parts.append("\(steps.scores.rows) queries (rows) × \(steps.scores.columns) keys, d_k = \(steps.keyDimension)")
        parts.append("red–blue panels are centred on 0; weights run from 0 to 1 and each row sums to 1")
        if steps.mask.masksAny(queries: steps.scores.rows, keys: steps.scores.columns) {
            parts.append("hatched cells are masked: set to −∞ before the softmax, so their weight is exactly 0")
        }
        y = builder.caption(
            parts.joined(separator: " · ") + ".", at: Point(Metrics.margin, y), width: pageWidth - 2 * Metrics.margin,
            font: Metrics.captionFont)
        return Scene(size: Size(width: pageWidth.rounded(.up), height: (y + Metrics.margin).rounded(.up)), items: builder.items)
    }
}
