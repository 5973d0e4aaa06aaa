import Foundation
import TransformerMath

/// What the beam-search figures share: colours of the node kinds, fonts and number formats, so
/// the tree, the ranking table and the comparison read the same way.
enum BeamStyle {
    /// Hypotheses in the beam (kept, still live).
    static let beam = Palette.color(0)
    /// Hypotheses that ended with eos.
    static let finished = Palette.color(2)
    /// The greedy decoding.
    static let greedy = Palette.color(1)
    /// Text of pruned candidates: lighter than ink, still readable on white (contrast > 3:1).
    static let prunedInk = Color(hex: 0x7A7A7A)
    /// Outlines and edges of pruned candidates.
    static let prunedLine = Color(hex: 0xBDBDBD)
    /// Edges into beam hypotheses.
    static let edgeInk = Color(hex: 0x6E6E6E)
    /// The root's fill.
    static let rootFill = Color(hex: 0xF0F0F0)

    static let tokenFont = Font(size: 10, weight: .bold)
    static let numberFont = Font(size: 8.5)
    static let edgeFont = Font(size: 8)
    static let markFont = Font(size: 8.5)
    static let headerFont = Font(size: 9, weight: .bold)
    static let subheaderFont = Font(size: 8)
    static let badgeFont = Font(size: 9, weight: .bold)
    static let panelTitleFont = Font(size: 11, weight: .bold)
    static let tableFont = Font(size: 9)
    static let tableHeaderFont = Font(size: 9, weight: .bold)
    static let legendFont = Font(size: 9)
    static let sentenceFont = Font(size: 10)

    /// A probability as every beam figure writes it (`0.1225`, `3.2e−7`).
    static func probability(_ p: Double) -> String {
        NumberFormat.probability(p)
    }

    /// A log-probability or score with 3 decimals and a real minus sign (`−1.415`).
    static func logProbability(_ value: Double) -> String {
        NumberFormat.fixed(value, decimals: 3)
    }

    /// Tokens as a sentence, each made visible (a space token shows as ␣).
    static func sentence(_ tokens: [String]) -> String {
        tokens.map(TokenLabels.makeVisible).joined(separator: " ")
    }

    /// `P = 0.7 × 0.35 × 0.5 × 1 = 0.1225`: a sentence's probability as the product of its tokens'.
    static func product(_ factors: [Double], logProbability: Double) -> String {
        let total = probability(exp(logProbability))
        guard factors.count > 1 else { return "P = \(total)" }
        let shown = factors.count > 10
            ? factors.prefix(4).map(probability) + ["…"] + factors.suffix(2).map(probability)
            : factors.map(probability)
        return "P = " + shown.joined(separator: " × ") + " = " + total
    }

    /// `text` without trailing zeros after a decimal point.
    static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var out = text
        while out.hasSuffix("0") { out.removeLast() }
        if out.hasSuffix(".") { out.removeLast() }
        return out
    }

    /// The search settings in words: `beam width k = 3, at most L = 10 tokens, length penalty a = 0`.
    static func settings(_ search: BeamSearch) -> String {
        "beam width k = \(search.beamWidth), at most L = \(search.maxLength) tokens, length penalty a = \(NumberFormat.plain(search.lengthPenalty))"
    }
}
