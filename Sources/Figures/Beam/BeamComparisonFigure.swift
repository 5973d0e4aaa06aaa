import Foundation
import TransformerMath

/// Greedy decoding beside beam search on the same table: the greedy search (a beam of width 1,
/// which decodes exactly as greedy does) and the beam search as trees, and under them both
/// complete sentences with their probabilities written out as products of the tokens' p.
public struct BeamComparisonFigure: Figure {
    /// The tallest each tree may be, in points, before less of it is drawn.
    public static let defaultMaxTreeHeight = 560.0

    /// The greedy decoding as a search of width 1.
    public let greedy: BeamSearchResult
    /// The beam search.
    public let beam: BeamSearchResult
    /// The table's name for the caption.
    public var modelName: String
    /// Title above the figure.
    public var title: String
    /// Extra words put in front of the generated caption.
    public var caption: String?
    /// The tallest each tree may be before it is thinned.
    public var maxTreeHeight = defaultMaxTreeHeight
    /// The widest the two trees may be side by side; wider, beam search goes below greedy decoding.
    public var maxSideBySideWidth = BeamTreeFigure.defaultMaxSideBySideWidth

    /// Runs `search` and its width-1 twin on `model`.
    public init(model: LanguageModelTable, search: BeamSearch, modelName: String) throws {
        beam = try search.run(model)
        greedy = try BeamSearch(beamWidth: 1, maxLength: search.maxLength, lengthPenalty: search.lengthPenalty).run(model)
        self.modelName = modelName
        title = "Greedy decoding versus beam search (k = \(search.beamWidth))"
    }

    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        func fits(_ view: BeamTreeView) -> Bool { BeamTreePanel(view: view, measurer: measurer, showsRanks: false).size.height <= maxTreeHeight }
        let greedyView = BeamTreeView.fitting(greedy, fits)
        let beamView = BeamTreeView.fitting(beam, fits)
        let left = BeamTreePanel(view: greedyView, measurer: measurer, showsRanks: false)
        let right = BeamTreePanel(view: beamView, measurer: measurer)
        let headings = [
            "Greedy decoding: the most probable token, one at a time",
            "Beam search: the \(beam.search.beamWidth) most probable prefixes at each step",
        ]
        let headingHeight = measurer.measure("Ag", font: BeamStyle.panelTitleFont).height + 8
        let panelWidths = zip([left, right], headings).map { panel, heading in
            max(panel.size.width, measurer.measure(heading, font: BeamStyle.panelTitleFont).width)
        }
        let gap = 40.0
        let sideBySide = panelWidths[0] + gap + panelWidths[1] <= maxSideBySideWidth
        let sentences = comparisonLines()

        return FigurePage.stacked(title: title, caption: fullCaption(beamView), measurer: measurer) { builder, origin in
            var y = origin.y
            var width: Double
            builder.text(headings[0], at: origin, font: BeamStyle.panelTitleFont, vertical: .top)
            _ = left.draw(into: &builder, at: Point(origin.x, y + headingHeight))
            if sideBySide {
                let x = origin.x + panelWidths[0] + gap
                builder.text(headings[1], at: Point(x, y), font: BeamStyle.panelTitleFont, vertical: .top)
                _ = right.draw(into: &builder, at: Point(x, y + headingHeight))
                // A light rule between the panels.
                builder.shape(
                    .segment(from: Point(x - gap / 2, y), to: Point(x - gap / 2, y + headingHeight + max(left.size.height, right.size.height))),
                    stroke: Stroke(color: BeamStyle.prunedLine, width: 0.6))
                width = panelWidths[0] + gap + panelWidths[1]
                y += headingHeight + max(left.size.height, right.size.height)
            } else {
                y += headingHeight + left.size.height + 16
                builder.text(headings[1], at: Point(origin.x, y), font: BeamStyle.panelTitleFont, vertical: .top)
                _ = right.draw(into: &builder, at: Point(origin.x, y + headingHeight))
                width = max(panelWidths[0], panelWidths[1])
                y += headingHeight + right.size.height
            }

            // The two sentences and their probabilities, each with its colour key.
            y += 16
            let lineHeight = builder.measure("Ag", font: BeamStyle.sentenceFont).height
            for (index, line) in sentences.enumerated() {
                guard index < 2 else {
                    // The verdict is prose: wrapped, never cut.
                    y = builder.caption(line, at: Point(origin.x + 22, y), width: max(width, 420) - 22, font: BeamStyle.legendFont) + 4
                    continue
                }
                let swatch = Rect(x: origin.x, y: y + lineHeight / 2 - 1.5, width: 16, height: 3)
                builder.shape(.rect(swatch), fill: index == 0 ? BeamStyle.greedy : BeamStyle.finished)
                let fitted = TokenLabels.truncated(line, maxWidth: max(width, 420) - 22, font: BeamStyle.sentenceFont, measurer: measurer)
                let item = builder.text(fitted, at: Point(origin.x + 22, y), font: BeamStyle.sentenceFont, vertical: .top)
                width = max(width, item.bounds.maxX - origin.x)
                y = item.bounds.maxY + 4
            }
            let legendBottom = BeamLegend.draw(BeamLegend.entries(for: beamView), into: &builder, at: Point(origin.x, y + 10), width: max(width, 420))
            return Size(width: max(width, 420), height: legendBottom - origin.y)
        }
    }

    /// The greedy sentence, the beam's best, and how they compare.
    func comparisonLines() -> [String] {
        let g = greedy.greedy
        var lines = ["Greedy: “\(BeamStyle.sentence(g.tokens))”   \(BeamStyle.product(g.probabilities, logProbability: g.logProbability))"]
        guard let best = beam.hypotheses.first else { return lines }
        let factors = beam.tokenProbabilities(toNode: best.node)
        lines.append(
            "Beam search, best score: “\(BeamStyle.sentence(best.tokens))”   \(BeamStyle.product(factors, logProbability: best.logProbability))")
        if best.tokens == g.tokens {
            lines.append("On this table both find the same sentence.")
            return lines
        }
        let ratio = exp(best.logProbability - g.logProbability)
        let split = zip(g.tokens, best.tokens).prefix { $0 == $1 }.count
        var verdict: String
        if ratio > 1 {
            verdict = "Beam search's sentence is \(BeamStyle.trimmed(NumberFormat.fixed(ratio, decimals: 2)))× as probable."
        } else if ratio < 1 {
            verdict = "Greedy's sentence is \(BeamStyle.trimmed(NumberFormat.fixed(1 / ratio, decimals: 2)))× as probable; the length penalty ranks beam search's higher."
        } else {
            verdict = "Both sentences are equally probable."
        }
        if split < g.tokens.count, split < best.tokens.count {
            let gp = g.probabilities[split], bp = factors[split]
            verdict += " They part at step \(split + 1): greedy takes “\(TokenLabels.makeVisible(g.tokens[split]))” (p = \(BeamStyle.probability(gp))), "
                + "beam search also keeps “\(TokenLabels.makeVisible(best.tokens[split]))” (p = \(BeamStyle.probability(bp))) and follows it to the better sentence."
            if ratio <= 1 { verdict = verdict.replacingOccurrences(of: " and follows it to the better sentence", with: "") }
        }
        lines.append(verdict)
        return lines
    }

    func fullCaption(_ view: BeamTreeView) -> String {
        var parts: [String] = []
        if let caption, !caption.isEmpty { parts.append(caption) }
        parts.append("Both decoders over \(modelName): \(BeamStyle.settings(beam.search))")
        parts.append("greedy decoding is a beam of width 1")
        parts.append("a node shows its token and the probability P of its whole prefix; an edge shows p(token | prefix)")
        parts.append(BeamTreeFigure.elision(view))
        return parts.filter { !$0.isEmpty }.joined(separator: " · ") + "."
    }
}
