import Foundation
import TransformerMath

/// RoPE as clocks: for a few dimension pairs, the pair's unit vector (angle 0 at position 0) drawn
/// as one arrow per position, each turned by `pos · θ_i`. Fast pairs (small i) sweep round the
/// circle, slow pairs barely move. Each panel is titled with its pair, θ_i and wavelength 2π/θ_i.
public struct RoPEClockFigure: Figure {
    /// Default number of positions (arrows per clock).
    public static let defaultPositions = 8
    /// Most positions a clock draws.
    public static let maxPositions = 256
    /// Most pairs (panels) drawn.
    public static let maxPairs = 8

    /// The rotation: width, base and convention.
    public var embedding: RotaryEmbedding
    /// The pair indices drawn, one panel each, in order (each in `0 ..< d/2`).
    public var pairs: [Int]
    /// Arrows for positions `0 ..< positions`.
    public var positions: Int
    /// Title above the panels.
    public var title = "RoPE rotation clocks: pair i turns by pos · θᵢ"
    /// Extra words put in front of the generated caption.
    public var caption: String?

    /// Creates clocks for `pairs` (default: ``spreadPairs(pairCount:count:)``) and `positions` arrows each.
    public init(embedding: RotaryEmbedding, pairs: [Int]? = nil, positions: Int = defaultPositions) {
        self.embedding = embedding
        self.pairs = pairs ?? Self.spreadPairs(pairCount: embedding.dimension / 2)
        self.positions = positions
    }

    /// `count` pair indices spread evenly from the fastest (0) to the slowest (`pairCount − 1`).
    public static func spreadPairs(pairCount: Int, count: Int = 4) -> [Int] {
        guard pairCount > 0, count > 0 else { return [] }
        let shown = min(count, pairCount)
        guard shown > 1 else { return [0] }
        var out: [Int] = []
        for k in 0..<shown {
            let index = Int((Double(k) * Double(pairCount - 1) / Double(shown - 1)).rounded())
            if out.last != index { out.append(index) }
        }
        return out
    }

    /// The angle of pair `i`'s arrow at `position`, in radians: `position · θ_i` (not reduced).
    public func angle(pair i: Int, position: Int) -> Double {
        Double(position) * embedding.theta[i]
    }

    /// Checks the pairs and positions; the figure draws nothing it cannot label.
    public func validate() throws(InputError) {
        let pairCount = embedding.dimension / 2
        guard !pairs.isEmpty else { throw .option(name: "--pairs", reason: "no pairs to draw; name at least one pair index") }
        guard pairs.count <= Self.maxPairs else {
            throw .option(name: "--pairs", reason: "\(pairs.count) pairs is more than the \(Self.maxPairs) clocks a figure holds")
        }
        if let bad = pairs.first(where: { $0 < 0 || $0 >= pairCount }) {
            throw .option(name: "--pairs", reason: "\(bad) is out of range; d = \(embedding.dimension) has \(pairCount) pairs (0–\(pairCount - 1))")
        }
        guard positions >= 1, positions <= Self.maxPositions else {
            throw .option(name: "--positions", reason: "must be from 1 to \(Self.maxPositions), got \(positions)")
        }
    }

    /// Sizes in points.
    enum Metrics {
        static let radius = 62.0
        /// Gap between the circle and the angle labels.
        static let labelGap = 5.0
        static let panelGap = 22.0
        static let rowGap = 18.0
        static let perRow = 4
        static let arrowWidth = 1.6
        static let headLength = 8.0
        static let headWidth = 6.0
        static let subtitleFont = Font(size: 9)
    }

    /// One clock's words, measured before anything is drawn.
    private struct PanelText {
        let heading: String
        let subtitle: String
        let footer: String
        let labels: [String]
    }

    private func panelText(pair i: Int) -> PanelText {
        let theta = embedding.theta[i]
        let heading = "pair \(i) \(RoPEFigures.coordinates(ofPair: i, embedding: embedding))"
        let subtitle = "θ = \(RoPEFigures.number(theta)) rad/pos · λ = 2π/θ = \(RoPEFigures.number(2 * Double.pi / theta)) positions"
        let last = positions - 1
        let total = angle(pair: i, position: last)
        var footer: String
        if last == 0 {
            footer = "one position: no turn yet"
        } else {
            footer = "after \(last) position\(last == 1 ? "" : "s"): \(RoPEFigures.degrees(total))"
            let turns = total / (2 * Double.pi)
            if turns >= 1 { footer += " = \(RoPEFigures.number(turns)) turns" }
        }
        let labels = (0..<positions).map { p in "\(p): \(RoPEFigures.degrees(angle(pair: i, position: p)))" }
        return PanelText(heading: heading, subtitle: subtitle, footer: footer, labels: labels)
    }

    /// Lays the figure out as a scene.
    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        try validate()
        let texts = pairs.map(panelText(pair:))
        let labelFont = RoPEFigures.labelFont
        let lineHeight = measurer.measure("Ag", font: labelFont).height
        var widestLabel = 0.0, widestWords = 0.0
        for text in texts {
            for label in text.labels { widestLabel = max(widestLabel, measurer.measure(label, font: labelFont).width) }
            widestWords = max(
                widestWords, measurer.measure(text.heading, font: RoPEFigures.panelTitleFont).width,
                measurer.measure(text.subtitle, font: Metrics.subtitleFont).width,
                measurer.measure(text.footer, font: Metrics.subtitleFont).width)
        }
        let r = Metrics.radius
        let sideRoom = Metrics.labelGap + widestLabel, verticalRoom = Metrics.labelGap + lineHeight
        let panelWidth = max(2 * (r + sideRoom), widestWords)
        let headingHeight = measurer.measure("Ag", font: RoPEFigures.panelTitleFont).height
        let subtitleHeight = measurer.measure("Ag", font: Metrics.subtitleFont).height
        let headerHeight = headingHeight + 2 + subtitleHeight + 4
        let panelHeight = headerHeight + 2 * (r + verticalRoom) + 4 + subtitleHeight
        let columns = min(Metrics.perRow, texts.count)
        let rows = (texts.count + columns - 1) / columns
        let contentWidth = Double(columns) * panelWidth + Double(columns - 1) * Metrics.panelGap

        return FigurePage.stacked(title: title, caption: fullCaption(), measurer: measurer) { builder, origin in
            for (k, text) in texts.enumerated() {
                let x = origin.x + Double(k % columns) * (panelWidth + Metrics.panelGap)
                let y = origin.y + Double(k / columns) * (panelHeight + Metrics.rowGap)
                addPanel(
                    pair: pairs[k], colorIndex: k, text: text, to: &builder,
                    frame: Rect(x: x, y: y, width: panelWidth, height: panelHeight), headerHeight: headerHeight,
                    verticalRoom: verticalRoom)
            }
            return Size(width: contentWidth, height: Double(rows) * panelHeight + Double(rows - 1) * Metrics.rowGap)
        }
    }

    /// Where the arrows of pair `i` end, for positions `0 ..< positions`, in a circle of `radius` around `center`.
    func tips(pair i: Int, center: Point, radius: Double) -> [Point] {
        (0..<positions).map { p in
            let a = angle(pair: i, position: p)
            return Point(center.x + radius * cos(a), center.y - radius * sin(a))
        }
    }

    private func addPanel(
        pair i: Int, colorIndex: Int, text: PanelText, to builder: inout SceneBuilder, frame: Rect, headerHeight: Double,
        verticalRoom: Double
    ) {
        let r = Metrics.radius
        let center = Point(frame.midX, frame.y + headerHeight + verticalRoom + r)
        builder.text(text.heading, at: Point(frame.midX, frame.y), font: RoPEFigures.panelTitleFont, horizontal: .center, vertical: .top)
        let headingHeight = builder.measure(text.heading, font: RoPEFigures.panelTitleFont).height
        builder.text(
            text.subtitle, at: Point(frame.midX, frame.y + headingHeight + 2), font: Metrics.subtitleFont, color: .mutedInk,
            horizontal: .center, vertical: .top)

        // The unit circle and its axes, light: they frame the arrows, they are not data.
        builder.shape(RoPEFigures.circle(center: center, radius: r), stroke: Stroke(color: RoPEFigures.guideInk, width: 0.8))
        var axes = Path()
        axes.move(to: Point(center.x - r, center.y))
        axes.line(to: Point(center.x + r, center.y))
        axes.move(to: Point(center.x, center.y - r))
        axes.line(to: Point(center.x, center.y + r))
        builder.shape(axes, stroke: Stroke(color: RoPEFigures.guideInk, width: 0.5, dash: [2, 2]))

        // Arrows from light (position 0) to full colour (the last position); later ones on top.
        let color = RoPEFigures.pairColor(colorIndex)
        let tips = tips(pair: i, center: center, radius: r)
        for (p, tip) in tips.enumerated() {
            let shade = RoPEFigures.tint(color, Self.shade(position: p, count: positions))
            let direction = angle(pair: i, position: p)
            let (head, shaftEnd) = RoPEFigures.arrowHead(
                tip: tip, direction: direction, length: Metrics.headLength, width: Metrics.headWidth)
            builder.shape(.segment(from: center, to: shaftEnd), stroke: Stroke(color: shade, width: Metrics.arrowWidth))
            builder.shape(head, fill: shade)
        }
        builder.shape(RoPEFigures.circle(center: center, radius: 2), fill: .ink)

        // Angle labels just outside the circle, facing away from it; a label that would touch one
        // already placed is left out. The last position goes first (for a slow pair it is the one
        // that shows the pair moved at all), then position 0, then the rest in order.
        var placed: [Rect] = []
        let order = (positions > 1 ? [positions - 1] : []) + [0] + (positions > 2 ? Array(1..<(positions - 1)) : [])
        for p in order {
            let a = angle(pair: i, position: p)
            let (c, s) = (cos(a), sin(a))
            let anchor = Point(center.x + (r + Metrics.labelGap) * c, center.y - (r + Metrics.labelGap) * s)
            let horizontal: HorizontalAlignment = c > 0.38 ? .leading : (c < -0.38 ? .trailing : .center)
            let vertical: VerticalAlignment = s > 0.38 ? .bottom : (s < -0.38 ? .top : .middle)
            let probe = TextItem(
                text.labels[p], at: anchor, font: RoPEFigures.labelFont, horizontal: horizontal, vertical: vertical,
                extent: builder.measure(text.labels[p], font: RoPEFigures.labelFont))
            let box = probe.bounds
            let padded = Rect(x: box.x - 1.5, y: box.y - 0.5, width: box.width + 3, height: box.height + 1)
            guard !placed.contains(where: { $0.intersects(padded) }) else { continue }
            placed.append(padded)
            builder.text(
                text.labels[p], at: anchor, font: RoPEFigures.labelFont, color: Self.labelInk(color),
                horizontal: horizontal, vertical: vertical)
        }

        builder.text(
            text.footer, at: Point(frame.midX, center.y + r + verticalRoom + 4), font: Metrics.subtitleFont,
            color: .ink, horizontal: .center, vertical: .top)
    }

    /// How much of the pair colour position `p` of `count` gets: 0.3 at position 0, 1 at the last.
    static func shade(position p: Int, count: Int) -> Double {
        count <= 1 ? 1 : 0.3 + 0.7 * Double(p) / Double(count - 1)
    }

    /// Labels in a darkened pair colour: tied to their clock, dark enough to read on white.
    private static func labelInk(_ color: Color) -> Color {
        Color(red: color.red * 0.75, green: color.green * 0.75, blue: color.blue * 0.75)
    }

    private func fullCaption() -> String {
        var parts: [String] = []
        if let caption, !caption.isEmpty { parts.append(caption) }
        parts.append("RoPE with \(RoPEFigures.conventionSentence(embedding))")
        let last = positions - 1
        if last == 0 {
            parts.append("each clock shows a pair's unit vector at position 0, where no pair has turned yet (angle 0)")
        } else {
            parts.append(
                "each clock shows a pair's unit vector at angle 0 for position 0, turned by pos · θ_i for positions 0–\(last), "
                    + "from light (position 0) to full colour (position \(last))")
        }
        parts.append("labels read position: total angle pos · θ_i in degrees; labels that would overlap are left out")
        parts.append("small i turns fast (short wavelength λ), large i barely moves")
        return parts.joined(separator: " · ") + "."
    }
}
