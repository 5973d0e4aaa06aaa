import Figures
import Foundation
import TransformerMath

/// "The quadratic cost of attention": score-matrix size, memory and FLOPs against the sequence
/// length, where the quadratic term takes over, and how a Perceiver-style latent bottleneck changes it.
enum CostSection {
    /// Sequence lengths of the tables: 512 to 32768, doubling.
    static let lengths = (9...15).map { 1 << $0 }
    /// Width and heads of a BERT-base-sized layer.
    static let modelDimension = 768
    static let heads = 12
    /// Latents of the bottleneck.
    static let latents = 256
    /// Bytes of one float32.
    static let bytesPerFloat = MemoryLayout<Float>.size
    /// One mebibyte (MiB).
    static let mebibyte = 1 << 20

    /// Score-matrix entries of one head: n².
    static func scoreEntries(length n: Int) -> Int { n * n }
    /// Megabytes (MiB) of one head's float32 score matrix.
    static func scoreMebibytes(length n: Int) -> Double { Double(scoreEntries(length: n) * bytesPerFloat) / Double(mebibyte) }
    /// FLOPs of QKᵀ over all heads: n² dot products of length d_head per head, a multiply and an add
    /// per term, so 2·n²·d in all. The weighted sum of the values costs the same again.
    static func scoreFlops(length n: Int, modelDimension d: Int) -> Double { 2 * Double(n) * Double(n) * Double(d) }
    /// FLOPs of the four d × d projections (Q, K, V, O): 2·n·d² each.
    static func projectionFlops(length n: Int, modelDimension d: Int) -> Double { 4 * 2 * Double(n) * Double(d) * Double(d) }
    /// FLOPs of the feed-forward block d → 4d → d: 2·n·d·4d twice.
    static func feedForwardFlops(length n: Int, modelDimension d: Int) -> Double { 2 * 2 * Double(n) * Double(d) * Double(4 * d) }

    /// The smallest n at which `quadratic(n)` reaches `linear(n)` (found by search, not by algebra).
    static func crossover(_ quadratic: (Int) -> Double, _ linear: (Int) -> Double) -> Int {
        var n = 1
        while quadratic(n) < linear(n) { n += 1 }
        return n
    }

    static func make() throws -> ReportSection {
        let d = modelDimension, m = latents
        let group = MultiHeadSection.group
        func gflop(_ flops: Double) -> String {
            // One decimal, with the whole part grouped in thousands.
            let parts = NumberFormat.fixed(flops / 1e9, decimals: 1).split(separator: ".")
            return group(Int(parts[0]) ?? 0) + "." + (parts.count > 1 ? parts[1] : "0")
        }
        func mib(_ v: Double) -> String { v >= 10 ? group(Int(v.rounded())) : NumberFormat.short(v) }
        let attentionFlops = { (n: Int) in 2 * scoreFlops(length: n, modelDimension: d) }
        let projectionsOvertaken = crossover(attentionFlops) { projectionFlops(length: $0, modelDimension: d) }
        let everythingOvertaken = crossover(attentionFlops) { projectionFlops(length: $0, modelDimension: d) + feedForwardFlops(length: $0, modelDimension: d) }
        guard let longest = lengths.last, let shortest = lengths.first else { throw ReportError.figure(name: "cost-scaling", reason: "no lengths") }
        let growth = scoreEntries(length: longest) / scoreEntries(length: shortest)

        let costRows = lengths.map { n -> [String] in
            [group(n), group(scoreEntries(length: n)), mib(scoreMebibytes(length: n)), mib(Double(heads) * scoreMebibytes(length: n)),
             gflop(scoreFlops(length: n, modelDimension: d)), gflop(projectionFlops(length: n, modelDimension: d))]
        }
        let latentRows = lengths.map { n -> [String] in
            let cross = m * n
            return [group(n), group(scoreEntries(length: n)), group(cross), NumberFormat.plain(Double(scoreEntries(length: n)) / Double(cross)),
                    mib(Double(cross * bytesPerFloat) / Double(mebibyte))]
        }

        // Every power of two from 2⁸ to 2¹⁶ on log–log axes: straight lines of slope 2, 1 and 0.
        let xs = (8...16).map { Double(1 << $0) }
        var plot = LinePlotFigure(
            series: [
                LinePlotFigure.Series(name: "self-attention: n²", x: xs, y: xs.map { $0 * $0 }, markers: true),
                LinePlotFigure.Series(name: "latent cross-attention: m·n", x: xs, y: xs.map { Double(m) * $0 }, markers: true),
                LinePlotFigure.Series(name: "latent self-attention: m²", x: xs, y: xs.map { _ in Double(m * m) }, markers: true),
            ],
            title: "Score-matrix entries per head", xLabel: "sequence length n (tokens)", yLabel: "entries")
        plot.xScale = .log
        plot.yScale = .log
        // A little room beyond the first and last length, so their markers are not cut in half.
        plot.xRange = 0.8 * (xs.first ?? 1)...1.25 * (xs.last ?? 10)
        plot.caption = "m = \(m) latents. On log–log axes n² is a line of slope 2, m·n of slope 1, and the latents' own m² does not depend on n at all."

        return ReportSection(id: "the-quadratic-cost-of-attention", title: "The quadratic cost of attention", blocks: [
            .paragraph([
                .text("Self-attention compares every token with every other, so a sequence of n tokens gives every head an n × n matrix of scores. Doubling the length quadruples the matrix: from \(group(shortest)) to \(group(longest)) tokens it grows \(group(growth))-fold. That is why a model's context length cannot simply be raised."),
            ]),
            .formula(Math.costs),
            .paragraph([
                .text("Here d is the model width (all heads together; with h heads of "), .math(Math.dHead),
                .text(" the per-head costs add up to d). Computing the scores takes "), .math(Math.flops),
                .text(" floating-point operations: n² dot products of length d, each term a multiplication and an addition. Multiplying the weights by the values costs the same again. The table uses the sizes of a BERT-base layer, d = \(d) and h = \(heads), and 4 bytes per float32 score."),
            ]),
            .table(ReportTable(
                header: ["n", "scores per head (n²)", "MiB per head", "MiB for \(heads) heads", "GFLOP for QKᵀ (2n²d)", "GFLOP for the projections (8nd²)"],
                rows: costRows, numericColumns: [0, 1, 2, 3, 4, 5],
                caption: "One attention layer with d = \(d), h = \(heads), one sequence, float32 scores. 1 MiB = \(group(mebibyte)) bytes; 1 GFLOP = 10⁹ operations.")),
            .paragraph([
                .text("At short lengths the quadratic part is not the bottleneck: the four projections cost "), .math(Math.projectionFlops),
                .text(", linear in n. Counting both the scores and the weighted sum of the values ("), .math(Math.attentionFlops),
                .text("), the quadratic part catches up with the projections at n = \(group(projectionsOvertaken)) tokens, and with the projections and the feed-forward block together at n = \(group(everythingOvertaken)). Beyond that, every doubling of the context roughly quadruples the cost of a layer. Memory grows the same way: at \(group(longest)) tokens the scores of one layer's \(heads) heads would take \(mib(Double(heads) * scoreMebibytes(length: longest))) MiB (\(NumberFormat.plain(Double(heads) * scoreMebibytes(length: longest) / 1024)) GiB) if they were stored."),
            ]),
            .heading("A latent bottleneck"),
            .paragraph([
                .text("The Perceiver (Jaegle et al., 2021) avoids the n × n matrix altogether. It keeps a small, learned array of m "), .strong("latents"),
                .text(". In a cross-attention layer the latents are the queries and the n inputs are the keys and values, so the score matrix is m × n: linear in n. All further processing is self-attention among the latents, m × m per layer, which does not depend on n at all. With L latent layers the cost is"),
            ]),
            .formula(Math.perceiver),
            .paragraph([
                .text("With m = \(m), the latent self-attention has \(group(m * m)) scores per head whatever the input length, and the cross-attention has n/m times fewer scores than full self-attention:"),
            ]),
            .table(ReportTable(
                header: ["n", "self-attention n²", "cross-attention m·n", "ratio n/m", "cross-attention MiB per head"],
                rows: latentRows, numericColumns: [0, 1, 2, 3, 4],
                caption: "Score entries per head for full self-attention against a cross-attention from m = \(m) latents, float32.")),
            .figure(ReportFigure(
                name: "cost-scaling", figure: plot,
                caption: "Score-matrix entries against sequence length on logarithmic axes: full self-attention grows with the square of n, cross-attention from \(m) latents in proportion to n, and the latents' self-attention stays constant.",
                alt: "Log–log line plot from 256 to 65,536 tokens: a steep straight line for n squared, a shallower parallel-shifted line for m times n that meets it at n = \(m), and a flat line at \(group(m * m)).")),
            .paragraph([
                .text("The price is a bottleneck: everything the model knows about the input must pass through m vectors, so the latents cannot keep a separate representation of every token. Other answers to the quadratic cost keep one vector per token but let each token attend to only some others (local windows and a few global tokens, as in Longformer), or approximate the score matrix by one of low rank (Linformer). FlashAttention is different again: it computes exact attention in tiles and never stores the n × n matrix, so memory grows linearly with n, but the number of operations is still quadratic."),
            ]),
        ])
    }

    /// The section's formulas, written in TeX.
    private enum Math {
        static let dHead = Formula(tex: "d_{\\text{head}} = d/h")
        static let costs = Formula(tex: "QK^\\top \\in \\mathbb{R}^{n \\times n}: \\quad \\text{memory} \\propto n^2, \\quad \\text{time} \\propto n^2 d")
        static let flops = Formula(tex: "2n^2 d")
        static let attentionFlops = Formula(tex: "4n^2 d")
        static let projectionFlops = Formula(tex: "4 \\cdot 2nd^2 = 8nd^2")
        static let perceiver = Formula(tex: "O(n m + L m^2) \\quad \\text{instead of} \\quad O(L n^2)")
    }
}
