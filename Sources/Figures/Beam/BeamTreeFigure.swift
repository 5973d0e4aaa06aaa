import Foundation
import TransformerMath

/// The tree of a beam search, drawn statically and exactly: every step a column, each node its
/// token and the probability P of its whole prefix, each edge the token's probability p given the
/// prefix. Beam hypotheses are filled (blue while live, green once they end with eos), pruned
/// candidates are grey and dashed, the greedy decoding is traced in orange, and the final
/// hypotheses are ranked in a table beside the tree with the winner starred.
///
/// A tree too big to read is thinned by the rule of `BeamTreeView`; the caption says what was left out.
public struct BeamTreeFigure: Figure {
    /// The tallest the tree may be, in points, before less of it is drawn.
    public static let defaultMaxTreeHeight = 760.0
    /// Widest content, by default, before the ranking table goes below the tree instead of beside it.
    public static let defaultMaxSideBySideWidth = 1100.0

    /// The search to draw.
    public var result: BeamSearchResult
    /// The table's name for the caption: a file name, or `the demo table`.
    public var modelName: String
    /// Title above the figure.
    public var title: String
    /// Extra words put in front of the generated caption.
    public var caption: String?
    /// The tallest the tree may be before it is thinned (the least detailed level is drawn however tall).
    public var maxTreeHeight: Double
    /// The widest the tree and the table may be side by side; wider, the table goes below the tree.
    public var maxSideBySideWidth = defaultMaxSideBySideWidth

    /// Creates the figure of `result`, a search over the table called `modelName`.
    public init(result: BeamSearchResult, modelName: String, maxTreeHeight: Double = defaultMaxTreeHeight) {
        self.result = result
        self.modelName = modelName
        self.maxTreeHeight = maxTreeHeight
        title = "Beam search tree (k = \(result.search.beamWidth)) with the greedy path"
    }

    /// The tree as drawn: the most detailed view whose tree is at most `maxTreeHeight` tall.
    public func view(measurer: any TextMeasurer) -> BeamTreeView {
        BeamTreeView.fitting(result) { BeamTreePanel(view: $0, measurer: measurer).size.height <= maxTreeHeight }
    }

    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        try arrange(measurer: measurer).scene
    }

    /// The scene and where each node box went (for layout checks).
    public func arrange(measurer: any TextMeasurer) throws -> (scene: Scene, nodes: [PlacedBeamNode]) {
        let view = view(measurer: measurer)
        let panel = BeamTreePanel(view: view, measurer: measurer)
        let table = BeamRankingTable(result: result, measurer: measurer)
        let gap = 32.0
        let sideBySide = panel.size.width + gap + table.size.width <= maxSideBySideWidth
        var placed: [PlacedBeamNode] = []
        let scene = FigurePage.stacked(title: title, caption: fullCaption(view), measurer: measurer) { builder, origin in
            placed = panel.draw(into: &builder, at: origin)
            var width = panel.size.width, bottom = origin.y + panel.size.height
            if sideBySide {
                table.draw(into: &builder, at: Point(origin.x + panel.size.width + gap, origin.y))
                width += gap + table.size.width
                bottom = max(bottom, origin.y + table.size.height)
            } else {
                table.draw(into: &builder, at: Point(origin.x, bottom + 12))
                width = max(width, table.size.width)
                bottom += 12 + table.size.height
            }
            let legendBottom = BeamLegend.draw(
                BeamLegend.entries(for: view), into: &builder, at: Point(origin.x, bottom + 14), width: max(width, 420))
            return Size(width: max(width, 420), height: legendBottom - origin.y)
        }
        return (scene, placed)
    }

    /// The caption: settings, how to read the tree, the two sentences, and what was left out.
    func fullCaption(_ view: BeamTreeView) -> String {
        var parts: [String] = []
        if let caption, !caption.isEmpty { parts.append(caption) }
        parts.append("Beam search over \(modelName): \(BeamStyle.settings(result.search))")
        parts.append(
            "each step extends every live hypothesis by every token, ranks all candidates by log P and keeps the k − (hypotheses finished so far) best")
        parts.append("a node shows its token and the probability P of its whole prefix; an edge shows p(token | prefix)")
        let greedy = result.greedy
        var comparison = "greedy decoding (orange) gives “\(BeamStyle.sentence(greedy.tokens))”, P = \(BeamStyle.probability(exp(greedy.logProbability)))"
        if let best = result.hypotheses.first {
            comparison += "; beam search's best is “\(BeamStyle.sentence(best.tokens))”, P = \(BeamStyle.probability(exp(best.logProbability)))"
        }
        parts.append(comparison)
        parts.append(Self.elision(view))
        return parts.filter { !$0.isEmpty }.joined(separator: " · ") + "."
    }

    /// What the chosen level of detail leaves out, in words (empty when everything is drawn).
    static func elision(_ view: BeamTreeView) -> String {
        let pruned = view.result.count(.pruned)
        var parts: [String] = []
        switch view.detail {
        case .pruned(let n):
            let hasMarks = view.items.contains { $0.kind.isMark }
            if hasMarks {
                parts.append(n == 0
                    ? "pruned candidates are counted (+N pruned), not drawn, to keep the tree legible"
                    : "under each hypothesis its \(n) most probable pruned candidate\(n == 1 ? " is" : "s are") drawn and the rest counted (+N more)")
            }
        case .beamOnly:
            parts.append("to keep the tree legible only hypotheses that entered the beam are drawn; \(view.uncountedPruned) of \(pruned) pruned candidates are left out")
        case .finalPaths:
            parts.append(
                "to keep the tree legible only the paths to the final hypotheses and the greedy path are drawn; "
                    + "\(view.hiddenBeamNodes) other beam hypotheses and \(view.uncountedPruned) pruned candidates are left out")
        }
        return parts.joined(separator: "; ")
    }
}

/// The key to the node styles, wrapped to the figure's width.
enum BeamLegend {
    enum Swatch {
        case root, kept, finished, pruned, greedyPath, greedyOnly, mark
    }

    /// The entries the view needs: the node kinds always, greedy-only and "+N" only when drawn.
    static func entries(for view: BeamTreeView) -> [(Swatch, String)] {
        var entries: [(Swatch, String)] = [
            (.root, "start (\(TokenLabels.makeVisible(view.result.bos)))"),
            (.kept, "in the beam"),
            (.finished, "ended with \(TokenLabels.makeVisible(view.result.eos))"),
            (.pruned, "pruned"),
            (.greedyPath, "greedy path"),
        ]
        if view.items.contains(where: { $0.kind.isGreedyOnly }) {
            entries.append((.greedyOnly, "greedy only (left the beam)"))
        }
        entries.append((.mark, "final rank, ★ the best score"))
        return entries
    }

    /// Draws the entries from `origin`, wrapping at `width`; returns the y below the last line.
    static func draw(_ entries: [(Swatch, String)], into builder: inout SceneBuilder, at origin: Point, width: Double) -> Double {
        let lineHeight = builder.measure("Ag", font: BeamStyle.legendFont).height
        let swatchSize = Size(width: 18, height: 11)
        var x = origin.x, y = origin.y
        for (swatch, label) in entries {
            let labelWidth = builder.measure(label, font: BeamStyle.legendFont).width
            let entryWidth = swatchSize.width + 5 + labelWidth
            if x > origin.x, x + entryWidth > origin.x + width {
                x = origin.x
                y += lineHeight + 5
            }
            let box = Rect(x: x, y: y + (lineHeight - swatchSize.height) / 2, width: swatchSize.width, height: swatchSize.height)
            switch swatch {
            case .root: builder.shape(.rect(box), fill: BeamStyle.rootFill, stroke: Stroke(color: .mutedInk, width: 0.9))
            case .kept: builder.shape(.rect(box), fill: BeamStyle.beam.tinted(0.16), stroke: Stroke(color: BeamStyle.beam, width: 1.2))
            case .finished: builder.shape(.rect(box), fill: BeamStyle.finished.tinted(0.2), stroke: Stroke(color: BeamStyle.finished, width: 1.2))
            case .pruned: builder.shape(.rect(box), fill: .white, stroke: Stroke(color: BeamStyle.prunedLine, width: 0.9, dash: [3, 2]))
            case .greedyPath:
                builder.shape(.segment(from: Point(box.x, box.midY), to: Point(box.maxX, box.midY)), stroke: Stroke(color: BeamStyle.greedy.withAlpha(0.45), width: 5))
                builder.shape(.segment(from: Point(box.x, box.midY), to: Point(box.maxX, box.midY)), stroke: Stroke(color: BeamStyle.edgeInk, width: 1.1))
            case .greedyOnly: builder.shape(.rect(box), fill: .white, stroke: Stroke(color: BeamStyle.greedy, width: 1.1, dash: [4, 2]))
            case .mark:
                builder.text("#1", at: Point(box.midX, box.midY), font: BeamStyle.badgeFont, horizontal: .center, vertical: .middle)
            }
            builder.text(label, at: Point(box.maxX + 5, y), font: BeamStyle.legendFont, vertical: .top)
            x += entryWidth + 16
        }
        return y + lineHeight
    }
}
