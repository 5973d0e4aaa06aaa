import Foundation
import TransformerMath

/// RoPE's relative-position property: the score `(R_m q)·(R_n k)` of a fixed query and key over
/// query positions m (rows) and key positions n (columns) — one colour along every diagonal —
/// beside the same score without any position, `q·k` in every cell. One colour scale for both.
public struct RoPERelativeFigure: Figure {
    /// Default number of positions N.
    public static let defaultPositions = 32
    /// Most positions N drawn (an N × N matrix per panel).
    public static let maxPositions = 256
    /// Seed of the random q and k when none is given.
    public static let defaultSeed: UInt64 = 7

    /// The rotation: width, base and convention.
    public var embedding: RotaryEmbedding
    /// The query vector (d values).
    public var query: [Double]
    /// The key vector (d values).
    public var key: [Double]
    /// Positions `0 ..< positions` on both axes.
    public var positions: Int
    /// Where q and k come from, for the caption (`q, k ~ N(0, 1) with seed 7`).
    public var source: String
    /// Title above the panels.
    public var title = "RoPE scores depend only on the offset m − n"
    /// Extra words put in front of the generated caption.
    public var caption: String?
    /// The longest side of each panel's cells, in points.
    public var panelSide = 300.0

    /// Creates the figure for a given query and key (each d values).
    public init(embedding: RotaryEmbedding, query: [Double], key: [Double], positions: Int = defaultPositions, source: String) {
        self.embedding = embedding
        self.query = query
        self.key = key
        self.positions = positions
        self.source = source
    }

    /// The figure for q and k drawn from N(0, 1) with ``SeededGenerator`` seeded with `seed`:
    /// the d values of q first, then the d values of k.
    public static func seeded(embedding: RotaryEmbedding, positions: Int = defaultPositions, seed: UInt64 = defaultSeed) -> RoPERelativeFigure {
        let (q, k) = seededVectors(dimension: embedding.dimension, seed: seed)
        return RoPERelativeFigure(embedding: embedding, query: q, key: k, positions: positions, source: "q, k ~ N(0, 1) with seed \(seed)")
    }

    /// q then k, d values each, from N(0, 1) seeded with `seed`.
    public static func seededVectors(dimension: Int, seed: UInt64) -> (query: [Double], key: [Double]) {
        var generator = SeededGenerator(seed: seed)
        let q = (0..<dimension).map { _ in generator.nextNormal() }
        let k = (0..<dimension).map { _ in generator.nextNormal() }
        return (q, k)
    }

    /// The two matrices drawn: `(R_m q)·(R_n k)` and `q·k` for every m, n in `0 ..< positions`.
    public func scores() throws(InputError) -> (withRoPE: Matrix, withoutPosition: Matrix) {
        guard positions >= 1, positions <= Self.maxPositions else {
            throw .option(name: "--positions", reason: "must be from 1 to \(Self.maxPositions), got \(positions)")
        }
        let rotated = try embedding.scores(query: query, key: key, positions: 0..<positions)
        let plain = zip(query, key).reduce(0.0) { $0 + $1.0 * $1.1 }
        return (rotated, Matrix(rows: positions, columns: positions, values: [Double](repeating: plain, count: positions * positions)))
    }

    /// Lays the figure out as a scene.
    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        typealias Metrics = HeatmapFigure.Metrics
        let (rotated, plain) = try scores()
        let scale = ColorScale.fitted(to: rotated.values + plain.values, colormap: .rdbu)
        func content(_ matrix: Matrix) -> HeatmapFigure {
            var figure = HeatmapFigure(matrix: matrix)
            figure.colormap = .rdbu
            // Values are written below with decimals shared by both panels.
            figure.annotation = .never
            figure.pooling = .mean
            figure.rowAxisTitle = "query position m"
            figure.columnAxisTitle = "key position n"
            return figure
        }
        let panels = [
            HeatmapPanel(
                content: content(rotated), scale: scale, pixelsPerPoint: pixelsPerPoint, measurer: measurer,
                maxPlotSide: panelSide, maxCell: panelSide, showLabels: true, showAxisTitles: true, title: "with RoPE: depends only on m − n"),
            HeatmapPanel(
                content: content(plain), scale: scale, pixelsPerPoint: pixelsPerPoint, measurer: measurer,
                maxPlotSide: panelSide, maxCell: panelSide, showLabels: true, showAxisTitles: true, title: "without position: the same for every m, n"),
        ]
        let gap = 28.0
        let qk = plain.values.first ?? 0
        return FigurePage.stacked(title: title, caption: fullCaption(plainScore: qk, pooled: panels[0].grid.factor), measurer: measurer) { builder, origin in
            var x = origin.x, bottom = origin.y, right = origin.x
            var plot = Rect(x: 0, y: 0, width: 0, height: 0)
            // Values in the cells (small N only), with decimals and font shared by both panels so the
            // diagonal on the left reads exactly as the cells on the right.
            let decimals = NumberFormat.sharedDecimals(for: rotated.values + [qk])
            let texts = [rotated, plain].map { $0.values.map { NumberFormat.fixed($0, decimals: decimals) } }
            let font = Self.valueFont(for: texts.flatMap { $0 }, grid: panels[0].grid, measurer: measurer)
            for (k, (panel, matrix)) in zip(panels, [rotated, plain]).enumerated() {
                let drawn = panel.add(to: &builder, at: Point(x, origin.y))
                if let font {
                    Self.addValues(matrix, texts: texts[k], font: font, in: drawn.plot, grid: panel.grid, scale: scale, to: &builder)
                }
                plot = drawn.plot
                x = drawn.bounds.maxX + gap
                bottom = max(bottom, drawn.bounds.maxY)
                right = max(right, drawn.bounds.maxX)
            }
            let barHeight = max(plot.height, 100)
            let bar = ColorbarLayout(scale: scale, label: "q·k score", height: barHeight)
            right = max(right, bar.add(to: &builder, at: Point(plot.maxX + Metrics.colorbarGap, plot.y)))
            bottom = max(bottom, plot.y + barHeight)
            return Size(width: right - origin.x, height: bottom - origin.y)
        }
    }

    /// The font for values written in the cells of both panels — one size, chosen so the widest
    /// value of either panel fits — or nil when the cells are too small for legible numbers.
    private static func valueFont(for texts: [String], grid: HeatmapFigure.Grid, measurer: any TextMeasurer) -> Font? {
        guard grid.factor == 1 else { return nil }
        // Diagonals repeat values: measuring each distinct text once per size is enough.
        let distinct = Set(texts).sorted()
        var size = min(10, min(grid.rowPitch, grid.columnPitch) * 0.45)
        while size >= 6.5 {
            let font = Font(size: size)
            let widest = distinct.map { measurer.measure($0, font: font).width }.max() ?? 0
            if widest <= grid.columnPitch - 3, measurer.measure("0", font: font).height <= grid.rowPitch - 1 { return font }
            size -= 0.5
        }
        return nil
    }

    /// Writes each value in its cell, black or white by the cell's colour.
    private static func addValues(
        _ matrix: Matrix, texts: [String], font: Font, in plot: Rect, grid: HeatmapFigure.Grid, scale: ColorScale,
        to builder: inout SceneBuilder
    ) {
        for r in 0..<matrix.rows {
            for c in 0..<matrix.columns {
                builder.text(
                    texts[r * matrix.columns + c],
                    at: Point(plot.x + (Double(c) + 0.5) * grid.columnPitch, plot.y + (Double(r) + 0.5) * grid.rowPitch),
                    font: font, color: scale.color(of: matrix[r, c]).contrastingText, horizontal: .center, vertical: .middle)
            }
        }
    }

    private func fullCaption(plainScore: Double, pooled factor: Int) -> String {
        var parts: [String] = []
        if let caption, !caption.isEmpty { parts.append(caption) }
        parts.append("RoPE with \(RoPEFigures.conventionSentence(embedding))")
        let range = positions == 1 ? "position 0 only" : "positions 0–\(positions - 1)"
        parts.append("\(source), \(range) on both axes (N = \(positions))")
        parts.append(
            "left: (R_m q)·(R_n k), one colour along every diagonal because it depends only on m − n; "
                + "on the main diagonal it equals q·k = \(NumberFormat.short(plainScore))")
        parts.append("right: q·k with no position information, \(NumberFormat.short(plainScore)) in every cell")
        parts.append("one colour scale for both, red–blue centred on 0")
        if factor > 1 { parts.append("each pixel shows the mean of a \(factor) × \(factor) block of cells") }
        return parts.joined(separator: " · ") + "."
    }
}
