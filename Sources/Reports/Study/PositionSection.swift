import Figures
import Foundation
import TransformerMath

/// "Positional encodings": why attention needs positions (shown by computation), the sinusoidal
/// table, its similarity structure, and learned tables.
enum PositionSection {
    static let dModel = 64

    static func make() throws -> ReportSection {
        let order = ["the", "cat", "sat"], shuffled = ["sat", "the", "cat"]
        let (withoutPositions, withPositions) = try orderDifference(order, shuffled)
        let pe = try PositionalEncoding.sinusoidal(positions: 100, dModel: dModel)
        let waves = try EncodingPlots.waves(pe, dimensions: [2, 3, 16, 17])
        var heat = EncodingPlots.heatmap(try PositionalEncoding.sinusoidal(positions: 64, dModel: dModel))
        heat.title = "The sinusoidal table"
        let similarity = try EncodingPlots.similarity(dModel: dModel, maxOffset: 99, base: 10_000, seed: 7)
        let fastest = try PositionalEncoding.wavelength(dimension: 0, dModel: dModel)
        let slowest = try PositionalEncoding.wavelength(dimension: dModel - 2, dModel: dModel)

        return ReportSection(id: "positional-encodings", title: "Positional encodings", blocks: [
            .paragraph([
                .text("Attention compares every query with every key, and nothing in that comparison says where a token stands. Shuffle the input and each token receives exactly the same output as before, only in another row. Computed on the toy model below: the output of "),
                .code("cat"), .text(" in "), .code(order.joined(separator: " ")), .text(" and in "), .code(shuffled.joined(separator: " ")),
                .text(" differs by at most \(scientific(withoutPositions)) without positions (rounding error) and by \(NumberFormat.fixed(withPositions, decimals: 3)) once sinusoidal positions are added to the embeddings. Without positions, “dog bites man” and “man bites dog” would mean the same to the model."),
            ]),
            .heading("Sinusoidal encodings"),
            .paragraph([
                .text("The original Transformer adds a fixed vector to each token embedding. Dimension pair i is a sine and a cosine of the position at its own frequency:"),
            ]),
            .formula(Formulas.sinusoidal),
            .paragraph([
                .text("The wavelengths grow geometrically from 2π ≈ \(NumberFormat.short(fastest)) positions for the first pair to about \(NumberFormat.plain(slowest.rounded())) positions for the last (with base 10000 and d_model = \(dModel)). Low dimensions tell neighbouring positions apart; high dimensions change so slowly that they place a token within the whole sequence. No parameters are learned, and the vector can be computed for any position."),
            ]),
            .figure(ReportFigure(
                name: "pe-waves", figure: waves,
                caption: "Two sin/cos pairs of the encoding across 100 positions: a fast pair (dimensions 2, 3) and a slow one (16, 17); the cosine is the sine a quarter turn ahead.",
                alt: "Line plot of four curves between −1 and 1 over positions 0 to 99: two fast oscillations with wavelength about 8 and two slow ones with wavelength about 63.")),
            .figure(ReportFigure(
                name: "pe-heatmap", figure: heat,
                caption: "The whole table for 64 positions: stripes on the left are fast dimensions, the nearly constant columns on the right are slow ones.",
                alt: "Red and blue heatmap of 64 positions by 64 dimensions with fine alternating stripes on the left fading into smooth columns on the right.")),
            .paragraph([
                .text("Because sin(a + b) and cos(a + b) are fixed combinations of sin a and cos a, the encoding of position p + k is a rotation of the encoding of p that depends only on k. Its dot product with itself at offset k is Σᵢ cos(k·ωᵢ), the same for every p: nearby positions look alike and similarity falls off with distance."),
            ]),
            .figure(ReportFigure(
                name: "pe-similarity", figure: similarity,
                caption: "PE(p)·PE(p + k) against the offset k. The sinusoidal curve is the same for every p; a learned table of the same size, before training, has no such structure.",
                alt: "Line plot: the sinusoidal similarity starts at 32 and falls with small ripples towards about 12; the learned table's similarity starts at about 32 and drops at once to noise around 0.")),
            .heading("Learned absolute encodings"),
            .paragraph([
                .text("BERT and GPT-2 instead learn one vector per position, like a word embedding indexed by position. The table can fit whatever the training data needs, but it has a fixed number of rows (512 in BERT, 1024 in GPT-2): a position past the last row has no vector at all. Sinusoidal encodings do not run out of rows, although a model still behaves best on lengths like those it was trained on."),
            ]),
        ])
    }

    /// Largest difference in the output row of the shared token between two orders of the same
    /// tokens, without and with sinusoidal positions (one head, d_model 16, seed 7).
    static func orderDifference(_ a: [String], _ b: [String]) throws -> (without: Double, with: Double) {
        let first = try ToyAttention(tokens: a, modelDimension: 16, seed: 7)
        let second = try ToyAttention(tokens: b, modelDimension: 16, seed: 7)
        let ia = a.firstIndex(of: "cat") ?? 0, ib = b.firstIndex(of: "cat") ?? 0
        func plain(_ toy: ToyAttention) throws -> Matrix {
            try MultiHeadAttention(x: toy.embeddings, wq: toy.attention.wq, wk: toy.attention.wk, wv: toy.attention.wv, wo: toy.attention.wo, heads: 1).output
        }
        let without = zip(try plain(first).row(ia), try plain(second).row(ib)).map { abs($0 - $1) }.max() ?? 0
        let with = zip(first.attention.output.row(ia), second.attention.output.row(ib)).map { abs($0 - $1) }.max() ?? 0
        return (without, with)
    }

    /// `3 × 10⁻¹⁶` for tiny rounding errors, `0` when exact.
    static func scientific(_ value: Double) -> String {
        guard value != 0 else { return "0" }
        let exponent = Int(floor(log10(value)))
        let mantissa = Int((value / pow(10, Double(exponent))).rounded())
        let superscripts: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
        return "\(mantissa) × 10" + String(String(exponent).compactMap { superscripts[$0] })
    }
}
