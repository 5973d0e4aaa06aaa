import Foundation
import TransformerMath

/// Which coordinates RoPE rotates together: the d coordinates as a row of boxes with an arc
/// joining the two of each pair, for `half` above `interleaved`, each pair in the same colour in
/// both rows, and each pair's θ_i written once (it is the same in both conventions).
public struct RoPEPairingFigure: Figure {
    /// Default width d.
    public static let defaultDimension = 8
    /// Widest d drawn coordinate by coordinate; wider vectors show a few pairs with the rest elided.
    public static let maxDrawnDimension = 16

    /// Vector width d (even, ≥ 2).
    public var dimension: Int
    /// The base of the frequencies θ_i = base^(−2i/d).
    public var base: Double
    /// The convention the reader chose, if any: its row is drawn first and marked.
    public var highlighted: RotaryEmbedding.Convention?
    /// Title above the rows.
    public var title: String
    /// Extra words put in front of the generated caption.
    public var caption: String?

    /// Creates the diagram for width `dimension` (even, ≥ 2) and `base` > 0.
    public init(dimension: Int = defaultDimension, base: Double = RotaryEmbedding.defaultBase, highlighted: RotaryEmbedding.Convention? = nil) {
        self.dimension = dimension
        self.base = base
        self.highlighted = highlighted
        title = "RoPE pairing: which coordinates turn together (d = \(dimension))"
    }

    /// The pair indices drawn: all of them up to d = 16, else the three fastest and the slowest.
    public var shownPairs: [Int] {
        let count = dimension / 2
        if dimension <= Self.maxDrawnDimension { return Array(0..<count) }
        return [0, 1, 2, count - 1]
    }

    /// The coordinate pairs of `convention` for the shown pairs, in the order of ``shownPairs``.
    public func pairs(_ convention: RotaryEmbedding.Convention) -> [(first: Int, second: Int)] {
        shownPairs.map { convention.indices(ofPair: $0, dimension: dimension) }
    }

    /// One slot of a row of boxes: a coordinate, or an ellipsis standing for coordinates left out.
    enum Slot: Equatable {
        case coordinate(Int)
        case gap
    }

    /// The boxes of one row: every coordinate some shown pair uses, in order, with a gap where
    /// coordinates are skipped.
    func slots(_ convention: RotaryEmbedding.Convention) -> [Slot] {
        let used = Set(pairs(convention).flatMap { [$0.first, $0.second] }).sorted()
        var out: [Slot] = []
        var previous: Int?
        for j in used {
            if let previous, j > previous + 1 { out.append(.gap) }
            out.append(.coordinate(j))
            previous = j
        }
        if let last = used.last, last < dimension - 1 { out.append(.gap) }
        return out
    }

    /// Sizes in points.
    enum Metrics {
        static let boxWidth = 38.0
        static let boxHeight = 24.0
        static let pitch = 44.0
        static let boxFont = Font(size: 10)
        static let arcLabelFont = Font(size: 8.5)
        static let headingFont = Font(size: 10, weight: .bold)
        static let modelsFont = Font(size: 9)
        static let rowGap = 22.0
        static let swatch = 10.0
    }

    /// Lays the figure out as a scene.
    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        let embedding = try RotaryEmbedding(dimension: dimension, base: base)
        let order: [RotaryEmbedding.Convention] = highlighted == .interleaved ? [.interleaved, .half] : [.half, .interleaved]
        let rowWidths = order.map { Double(slots($0).count) * Metrics.pitch - (Metrics.pitch - Metrics.boxWidth) }
        var headingWidth = 0.0
        for convention in order {
            headingWidth = max(
                headingWidth, measurer.measure(heading(convention), font: Metrics.headingFont).width,
                measurer.measure("used by " + RoPEFigures.models(convention), font: Metrics.modelsFont).width)
        }
        let contentWidth = max(rowWidths.max() ?? 0, headingWidth, 420)

        return FigurePage.stacked(title: title, caption: fullCaption(), measurer: measurer, minContentWidth: contentWidth) { builder, origin in
            var y = origin.y
            for convention in order {
                y = addRow(convention, to: &builder, at: Point(origin.x, y)) + Metrics.rowGap
            }
            y = addLegend(theta: embedding.theta, to: &builder, at: Point(origin.x, y), width: contentWidth)
            return Size(width: contentWidth, height: y - origin.y)
        }
    }

    private func heading(_ convention: RotaryEmbedding.Convention) -> String {
        let mark = convention == highlighted ? "  (the convention chosen)" : ""
        return "\(convention.rawValue): \(RoPEFigures.rule(convention))\(mark)"
    }

    /// Draws one convention: heading, models, arcs and boxes. Returns the y below the boxes.
    private func addRow(_ convention: RotaryEmbedding.Convention, to builder: inout SceneBuilder, at origin: Point) -> Double {
        let headingItem = builder.text(heading(convention), at: origin, font: Metrics.headingFont, vertical: .top)
        let modelsItem = builder.text(
            "used by " + RoPEFigures.models(convention), at: Point(origin.x, headingItem.bounds.maxY + 1),
            font: Metrics.modelsFont, color: .mutedInk, vertical: .top)
        let row = slots(convention)
        func slotIndex(_ j: Int) -> Int { row.firstIndex(of: .coordinate(j)) ?? 0 }
        func centerX(_ slot: Int) -> Double { origin.x + Double(slot) * Metrics.pitch + Metrics.boxWidth / 2 }

        // Arc heights grow with the span so short arcs stay low and long ones clear them; the
        // pair number sits just above each apex.
        let coordinatePairs = pairs(convention)
        let labelHeight = builder.measure("0", font: Metrics.arcLabelFont).height
        func arcHeight(_ span: Int) -> Double { min(64, 12 + 9 * Double(span)) }
        let tallest = coordinatePairs.map { arcHeight(slotIndex($0.second) - slotIndex($0.first)) }.max() ?? 0
        let boxTop = modelsItem.bounds.maxY + 6 + labelHeight + 2 + tallest

        for (k, pair) in coordinatePairs.enumerated() {
            let color = RoPEFigures.pairColor(k)
            let (a, b) = (slotIndex(pair.first), slotIndex(pair.second))
            let (xa, xb) = (centerX(a), centerX(b))
            let height = arcHeight(b - a)
            var arc = Path()
            arc.move(to: Point(xa, boxTop))
            // A cubic with both control points 4/3·h above the ends peaks at exactly h.
            arc.curve(
                to: Point(xb, boxTop), control1: Point(xa, boxTop - height * 4 / 3), control2: Point(xb, boxTop - height * 4 / 3))
            builder.shape(arc, stroke: Stroke(color: color, width: 1.6))
            builder.text(
                "\(shownPairs[k])", at: Point((xa + xb) / 2, boxTop - height - 2), font: Metrics.arcLabelFont,
                color: color, horizontal: .center, vertical: .bottom)
        }

        var pairOfCoordinate: [Int: Int] = [:]
        for (k, pair) in coordinatePairs.enumerated() {
            pairOfCoordinate[pair.first] = k
            pairOfCoordinate[pair.second] = k
        }
        for (slot, entry) in row.enumerated() {
            let box = Rect(x: origin.x + Double(slot) * Metrics.pitch, y: boxTop, width: Metrics.boxWidth, height: Metrics.boxHeight)
            switch entry {
            case .coordinate(let j):
                let color = RoPEFigures.pairColor(pairOfCoordinate[j] ?? 0)
                builder.shape(.rect(box), fill: RoPEFigures.tint(color, 0.22), stroke: Stroke(color: color, width: 1))
                builder.text("x\(j)", at: Point(box.midX, box.midY), font: Metrics.boxFont, horizontal: .center, vertical: .middle)
            case .gap:
                builder.text("…", at: Point(box.midX, box.midY), font: Metrics.boxFont, color: .mutedInk, horizontal: .center, vertical: .middle)
            }
        }
        return boxTop + Metrics.boxHeight
    }

    /// The θ of each shown pair, once for both rows, wrapped to `width`. Returns the y below it.
    private func addLegend(theta: [Double], to builder: inout SceneBuilder, at origin: Point, width: Double) -> Double {
        let intro = builder.text(
            "Pair i turns by pos · θ_i in both conventions, θ_i = \(NumberFormat.plain(base))^(−2i/\(dimension)):",
            at: origin, font: RoPEFigures.labelFont, vertical: .top)
        var x = origin.x, y = intro.bounds.maxY + 5
        let lineHeight = builder.measure("Ag", font: RoPEFigures.labelFont).height
        for (k, i) in shownPairs.enumerated() {
            let label = "pair \(i): θ = \(RoPEFigures.number(theta[i])) rad/pos"
            let entryWidth = Metrics.swatch + 4 + builder.measure(label, font: RoPEFigures.labelFont).width
            if x > origin.x, x + entryWidth > origin.x + width {
                x = origin.x
                y += lineHeight + 4
            }
            let swatch = Rect(x: x, y: y + (lineHeight - Metrics.swatch) / 2, width: Metrics.swatch, height: Metrics.swatch)
            builder.shape(.rect(swatch), fill: RoPEFigures.pairColor(k))
            builder.text(label, at: Point(swatch.maxX + 4, y), font: RoPEFigures.labelFont, vertical: .top)
            x += entryWidth + 16
        }
        return y + lineHeight
    }

    private func fullCaption() -> String {
        var parts: [String] = []
        if let caption, !caption.isEmpty { parts.append(caption) }
        parts.append("RoPE, base \(NumberFormat.plain(base)), d = \(dimension)")
        parts.append("arcs join the two coordinates that are rotated together, numbered by pair i; a pair has the same colour and the same θ_i in both rows")
        if dimension > Self.maxDrawnDimension {
            let count = dimension / 2
            parts.append("pairs 0, 1, 2 and \(count - 1) of \(count) are shown; … stands for coordinates left out")
        }
        parts.append("weights trained with one pairing give wrong results under the other unless the q and k projections are permuted to match")
        return parts.joined(separator: " · ") + "."
    }
}
