import Foundation
import TransformerMath

/// A drawn node of a beam-search tree: what it is and where its box is on the page.
public struct PlacedBeamNode: Sendable, Hashable {
    /// The item of the view it draws.
    public let item: Int
    /// What it is: a search node, a greedy-only token or a "+N" mark.
    public let kind: BeamTreeView.Kind
    /// Its box (for a mark, the box of its text).
    public let rect: Rect
}

/// The tree of a `BeamTreeView` laid out left to right, one column per step: a tidy layered tree
/// where every subtree owns a horizontal band and each parent is centred on its children, so no
/// two nodes of a column overlap, no two edges cross, and every leaf's band is free to its right
/// (rank marks go there).
///
/// Edges run from a parent's right side to a child's left side as an S-curve that ends in a short
/// straight stretch; the child's probability p(token | prefix) is written above that stretch.
struct BeamTreePanel {
    let view: BeamTreeView
    /// Left edge of each column, from the panel's origin.
    private(set) var columnX: [Double] = []
    /// Width of the node boxes of each column.
    private(set) var boxWidth: [Double] = []
    /// Vertical centre of each item, from the panel's origin.
    private(set) var centerY: [Double] = []
    /// The text of each item's box: the token (fitted) and the prefix probability line.
    private var lines: [(token: String, number: String)] = []
    /// The rank mark right of a leaf, if any.
    private var badges: [Int: String] = [:]
    private let nodeHeight: Double
    private let markHeight: Double
    /// The width of each mark's text (0 for other items).
    private var markWidth: [Double] = []
    private let headerHeight: Double
    /// The panel's size.
    private(set) var size = Size(width: 0, height: 0)

    enum Metrics {
        static let padX = 6.0
        static let padY = 3.0
        static let rowGap = 9.0
        /// Space around a "+N" mark's line.
        static let markGap = 5.0
        static let minBoxWidth = 38.0
        static let maxTokenWidth = 110.0
        /// Horizontal run of the S-curve between columns.
        static let curveRun = 22.0
        /// Space between an edge label and the child's box.
        static let labelGap = 3.0
        static let badgeGap = 6.0
        static let greedyRing = 2.5
    }

    /// Creates the layout; `showsRanks` false leaves out the final ranks (a greedy search has one hypothesis).
    init(view: BeamTreeView, measurer: any TextMeasurer, showsRanks: Bool = true) {
        self.view = view
        let items = view.items
        let tokenHeight = measurer.measure("Ag", font: BeamStyle.tokenFont).height
        let numberHeight = measurer.measure("0", font: BeamStyle.numberFont).height
        nodeHeight = (Metrics.padY * 2 + tokenHeight + numberHeight + 1).rounded(.up)
        markHeight = measurer.measure("+0", font: BeamStyle.markFont).height
        let headerLine = measurer.measure("step", font: BeamStyle.headerFont).height
        let subheaderLine = measurer.measure("kept", font: BeamStyle.subheaderFont).height
        headerHeight = headerLine + subheaderLine + 8

        let steps = (items.map(\.step).max() ?? 0) + 1
        var contentWidth = [Double](repeating: Metrics.minBoxWidth, count: steps)
        var advance = [Double](repeating: 0, count: steps)
        var labelWidth = [Double](repeating: 0, count: steps)
        for item in items {
            if let numbers = view.numbers(of: item) {
                let token = TokenLabels.truncated(
                    TokenLabels.makeVisible(numbers.token), maxWidth: Metrics.maxTokenWidth, font: BeamStyle.tokenFont, measurer: measurer)
                let number = "P " + BeamStyle.probability(exp(numbers.logProbability))
                lines.append((token, number))
                let width = max(
                    measurer.measure(token, font: BeamStyle.tokenFont).width, measurer.measure(number, font: BeamStyle.numberFont).width)
                contentWidth[item.step] = max(contentWidth[item.step], width + 2 * Metrics.padX)
                if item.parent != nil {
                    labelWidth[item.step] = max(labelWidth[item.step], measurer.measure(BeamStyle.probability(numbers.probability), font: BeamStyle.edgeFont).width)
                }
            } else {
                lines.append(("", ""))
                // A mark is a leaf, so its band is free to its right: it may run past its column.
                markWidth.append(measurer.measure(markText(item.kind), font: BeamStyle.markFont).width)
                continue
            }
            markWidth.append(0)
        }
        for step in 0..<steps {
            let header = Self.header(step: step, view: view)
            advance[step] = max(
                advance[step], contentWidth[step], measurer.measure(header.0, font: BeamStyle.headerFont).width,
                measurer.measure(header.1, font: BeamStyle.subheaderFont).width)
        }
        boxWidth = contentWidth.map { $0.rounded(.up) }
        var x = 0.0
        for step in 0..<steps {
            if step > 0 { x += Metrics.curveRun + labelWidth[step] + Metrics.labelGap + 4 }
            columnX.append(x.rounded(.up))
            x = columnX[step] + advance[step]
        }

        // Each subtree takes a horizontal band: at least its own box, else its children's bands
        // stacked in depth-first order and centred in it. A parent sits midway between its first
        // and last child, so bands of different subtrees never overlap.
        var band = items.map { $0.kind.isMark ? markHeight + Metrics.markGap : nodeHeight + Metrics.rowGap }
        for index in items.indices.reversed() where !items[index].children.isEmpty {
            band[index] = max(band[index], items[index].children.reduce(0) { $0 + band[$1] })
        }
        centerY = [Double](repeating: 0, count: items.count)
        var top = [Double](repeating: headerHeight, count: items.count)
        for index in items.indices {
            let children = items[index].children
            var y = top[index] + (band[index] - children.reduce(0) { $0 + band[$1] }) / 2
            for child in children {
                top[child] = y
                y += band[child]
            }
            if children.isEmpty { centerY[index] = top[index] + band[index] / 2 }
        }
        for index in items.indices.reversed() {
            let children = items[index].children
            if let first = children.first, let last = children.last {
                centerY[index] = (centerY[first] + centerY[last]) / 2
            }
        }
        let treeHeight = band.first ?? 0

        var right = x
        for (index, item) in items.enumerated() where item.kind.isMark {
            right = max(right, columnX[item.step] + markWidth[index])
        }
        let greedyEnd = view.greedyEnd
        for (index, item) in items.enumerated() where item.children.isEmpty {
            var parts: [String] = []
            if showsRanks, case .node(let id) = item.kind, let rank = view.finalRank(ofNode: id) {
                parts.append(rank == 1 ? "#1 ★" : "#\(rank)")
            }
            if index == greedyEnd { parts.append("greedy") }
            guard !parts.isEmpty else { continue }
            let text = parts.joined(separator: " · ")
            badges[index] = text
            let end = columnX[item.step] + boxWidth[item.step] + Metrics.badgeGap + measurer.measure(text, font: BeamStyle.badgeFont).width
            right = max(right, end)
        }
        size = Size(width: right.rounded(.up), height: (headerHeight + treeHeight).rounded(.up))
    }

    /// The column heading: `start`, or `step 2` over `kept 3 of 5` (`greedy only` past the search).
    static func header(step: Int, view: BeamTreeView) -> (String, String) {
        if step == 0 { return ("start", "bos") }
        let atStep = view.result.nodes.filter { $0.step == step }
        if atStep.isEmpty { return ("step \(step)", "greedy only") }
        let kept = atStep.count { $0.status != .pruned }
        return ("step \(step)", "kept \(kept) of \(atStep.count)")
    }

    /// The words of a "+N" mark: `+3 more, p ≤ 0.05` under drawn pruned candidates, `+3 pruned,
    /// p ≤ 0.05` when pruned candidates are only counted.
    func markText(_ kind: BeamTreeView.Kind) -> String {
        guard case .more(let count, let highest) = kind else { return "" }
        let word = view.detail == .pruned(0) ? "pruned" : "more"
        return "+\(count) \(word), p ≤ \(BeamStyle.probability(highest))"
    }

    /// The box of item `index`, from the panel's origin (for a mark, its line's height at the node's left).
    func box(_ index: Int) -> Rect {
        let item = view.items[index]
        if item.kind.isMark {
            return Rect(x: columnX[item.step], y: centerY[index] - markHeight / 2, width: markWidth[index], height: markHeight)
        }
        return Rect(x: columnX[item.step], y: centerY[index] - nodeHeight / 2, width: boxWidth[item.step], height: nodeHeight)
    }

    /// Draws the panel with its top-left at `origin`; returns where each node went.
    func draw(into builder: inout SceneBuilder, at origin: Point) -> [PlacedBeamNode] {
        let items = view.items
        func shifted(_ r: Rect) -> Rect { Rect(x: r.x + origin.x, y: r.y + origin.y, width: r.width, height: r.height) }
        func status(_ item: BeamTreeView.Item) -> SearchNode.Status? {
            if case .node(let id) = item.kind { return view.result.nodes[id].status }
            return nil
        }

        // Column headings.
        for step in columnX.indices {
            let (title, detail) = Self.header(step: step, view: view)
            let top = builder.text(title, at: Point(origin.x + columnX[step], origin.y), font: BeamStyle.headerFont, color: .mutedInk, vertical: .top)
            builder.text(detail, at: Point(origin.x + columnX[step], top.bounds.maxY + 1), font: BeamStyle.subheaderFont, color: .mutedInk, vertical: .top)
        }

        // Edges: the greedy path's highlight first, then every edge, then their labels.
        func edge(to index: Int) -> (path: Path, labelAnchor: Point)? {
            guard let parent = items[index].parent else { return nil }
            let from = shifted(box(parent)), to = shifted(box(index))
            let start = Point(from.maxX, from.midY)
            let end = Point(to.x, to.midY)
            let labelWidth = columnX[items[index].step] - columnX[items[parent].step] - boxWidth[items[parent].step]
                - Metrics.curveRun - Metrics.labelGap - 4
            let bend = Point(end.x - max(labelWidth, 0) - Metrics.labelGap - 2, end.y)
            var path = Path()
            path.move(to: start)
            let midX = (start.x + bend.x) / 2
            path.curve(to: bend, control1: Point(midX, start.y), control2: Point(midX, bend.y))
            path.line(to: end)
            return (path, Point(end.x - Metrics.labelGap, end.y - 3.5))
        }
        for index in items.indices where items[index].onGreedyPath {
            if let (path, _) = edge(to: index), let parent = items[index].parent, items[parent].onGreedyPath {
                builder.shape(path, stroke: Stroke(color: BeamStyle.greedy.withAlpha(0.45), width: 5))
            }
        }
        for index in items.indices {
            guard let (path, anchor) = edge(to: index) else { continue }
            let item = items[index]
            switch item.kind {
            case .more:
                builder.shape(path, stroke: Stroke(color: BeamStyle.prunedLine, width: 0.8, dash: [1.5, 2]))
            case .greedyOnly:
                builder.shape(path, stroke: Stroke(color: BeamStyle.greedy, width: 1.1, dash: [4, 2]))
            case .node:
                let pruned = status(item) == .pruned
                builder.shape(path, stroke: pruned ? Stroke(color: BeamStyle.prunedLine, width: 0.8) : Stroke(color: BeamStyle.edgeInk, width: 1.1))
            }
            if let numbers = view.numbers(of: item) {
                let color: Color
                switch item.kind {
                case .greedyOnly: color = BeamStyle.greedy
                default: color = status(item) == .pruned ? BeamStyle.prunedInk : .mutedInk
                }
                builder.text(
                    BeamStyle.probability(numbers.probability), at: anchor, font: BeamStyle.edgeFont, color: color,
                    horizontal: .trailing, vertical: .bottom)
            }
        }

        // Nodes.
        var placed: [PlacedBeamNode] = []
        for (index, item) in items.enumerated() {
            let rect = shifted(box(index))
            if case .more = item.kind {
                let text = builder.text(
                    markText(item.kind), at: Point(rect.x, rect.midY), font: BeamStyle.markFont, color: BeamStyle.prunedInk,
                    vertical: .middle)
                placed.append(PlacedBeamNode(item: index, kind: item.kind, rect: text.bounds))
                continue
            }
            if item.onGreedyPath, index != 0, !item.kind.isGreedyOnly {
                let r = Metrics.greedyRing
                builder.shape(
                    .rect(Rect(x: rect.x - r, y: rect.y - r, width: rect.width + 2 * r, height: rect.height + 2 * r)),
                    stroke: Stroke(color: BeamStyle.greedy, width: 1.6))
            }
            let fill: Color, stroke: Stroke, ink: Color
            switch (item.kind, status(item)) {
            case (.greedyOnly, _):
                (fill, stroke, ink) = (.white, Stroke(color: BeamStyle.greedy, width: 1.1, dash: [4, 2]), .ink)
            case (_, .root?):
                (fill, stroke, ink) = (BeamStyle.rootFill, Stroke(color: .mutedInk, width: 0.9), .ink)
            case (_, .kept?):
                (fill, stroke, ink) = (BeamStyle.beam.tinted(0.16), Stroke(color: BeamStyle.beam, width: 1.2), .ink)
            case (_, .finished?):
                (fill, stroke, ink) = (BeamStyle.finished.tinted(0.2), Stroke(color: BeamStyle.finished, width: 1.2), .ink)
            default:
                (fill, stroke, ink) = (.white, Stroke(color: BeamStyle.prunedLine, width: 0.9, dash: [3, 2]), BeamStyle.prunedInk)
            }
            builder.shape(.rect(rect), fill: fill, stroke: stroke)
            let token = builder.text(
                lines[index].token, at: Point(rect.midX, rect.y + Metrics.padY), font: BeamStyle.tokenFont, color: ink,
                horizontal: .center, vertical: .top)
            builder.text(
                lines[index].number, at: Point(rect.midX, token.bounds.maxY + 1), font: BeamStyle.numberFont,
                color: ink == .ink ? .mutedInk : ink, horizontal: .center, vertical: .top)
            placed.append(PlacedBeamNode(item: index, kind: item.kind, rect: rect))
            if let badge = badges[index] {
                let color: Color = badge.hasPrefix("#1") ? .ink : (badge == "greedy" ? BeamStyle.greedy : .mutedInk)
                builder.text(badge, at: Point(rect.maxX + Metrics.badgeGap, rect.midY), font: BeamStyle.badgeFont, color: color, vertical: .middle)
            }
        }
        return placed
    }
}
