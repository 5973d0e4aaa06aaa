import Figures
import Foundation
import TransformerMath

/// "Residual connections and the feed-forward block": the identity path and what it does to
/// gradients, the position-wise feed-forward network with its activation, and where the parameters
/// of a BERT-base layer sit.
enum BlockSection {
    /// BERT-base sizes.
    static let modelDimension = 768
    static let feedForwardDimension = 3072
    static let layers = 12
    /// bert-base-uncased: WordPiece vocabulary, learned positions, segment (token type) embeddings.
    static let vocabulary = 30_522
    static let maxPositions = 512
    static let segments = 2

    /// Depths of the gradient table, and the spread of the toy per-layer derivatives.
    static let depths = [1, 2, 4, 8, 12, 24]
    static let derivativeSpread = 0.1
    static let seed: UInt64 = 5

    /// Parameters of the feed-forward block d → d_ff → d: two weight matrices and two biases.
    struct FeedForwardCounts: Sendable, Equatable {
        let expandWeights: Int, expandBiases: Int, contractWeights: Int, contractBiases: Int
        var total: Int { expandWeights + expandBiases + contractWeights + contractBiases }
    }

    static func feedForwardCounts(modelDimension d: Int, hiddenDimension f: Int) -> FeedForwardCounts {
        FeedForwardCounts(expandWeights: d * f, expandBiases: f, contractWeights: f * d, contractBiases: d)
    }

    /// One encoder layer of BERT: self-attention, feed-forward, and two layer norms (γ and β each).
    struct LayerCounts: Sendable, Equatable {
        let attention: Int, feedForward: Int, layerNorms: Int
        var total: Int { attention + feedForward + layerNorms }
    }

    static func layerCounts(modelDimension d: Int, hiddenDimension f: Int) -> LayerCounts {
        LayerCounts(
            attention: MultiHeadAttention.parameterCounts(modelDimension: d).total,
            feedForward: feedForwardCounts(modelDimension: d, hiddenDimension: f).total,
            layerNorms: 2 * 2 * d)
    }

    /// Embeddings of BERT-base: tokens, positions and segments, plus their layer norm.
    static func embeddingCount(modelDimension d: Int) -> Int {
        (vocabulary + maxPositions + segments) * d + 2 * d
    }

    /// The pooler: one d × d layer with a bias on the [CLS] token.
    static func poolerCount(modelDimension d: Int) -> Int { d * d + d }

    /// Every parameter of BERT-base: 12 encoder layers, the embeddings and the pooler.
    static func bertBaseParameters() -> Int {
        let d = modelDimension
        return layers * layerCounts(modelDimension: d, hiddenDimension: feedForwardDimension).total
            + embeddingCount(modelDimension: d) + poolerCount(modelDimension: d)
    }

    /// The toy per-layer derivatives aₗ, seeded draws from N(0, spread²).
    static func derivatives(count: Int) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextNormal() * derivativeSpread }
    }

    /// |a₁ · … · a_L| without residuals and (1 + a₁) · … · (1 + a_L) with them, for each depth.
    static func gradientFactors() -> [(depth: Int, plain: Double, residual: Double)] {
        let a = derivatives(count: depths.max() ?? 0)
        return depths.map { depth in
            (depth, abs(a.prefix(depth).reduce(1, *)), a.prefix(depth).reduce(1) { $0 * (1 + $1) })
        }
    }

    static func relu(_ x: Double) -> Double { max(0, x) }
    /// GELU as defined, x·Φ(x) with Φ the standard normal distribution function.
    static func gelu(_ x: Double) -> Double { 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }
    /// The tanh approximation used in the original BERT and GPT-2 code.
    static func geluTanh(_ x: Double) -> Double {
        0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
    }

    static func make() throws -> ReportSection {
        let d = modelDimension, ff = feedForwardDimension
        let group = MultiHeadSection.group
        let ffn = feedForwardCounts(modelDimension: d, hiddenDimension: ff)
        let attention = MultiHeadAttention.parameterCounts(modelDimension: d)
        let layer = layerCounts(modelDimension: d, hiddenDimension: ff)
        let encoder = layers * layer.total
        let embeddings = embeddingCount(modelDimension: d), pooler = poolerCount(modelDimension: d)
        let bert = bertBaseParameters()
        func share(_ part: Int, of whole: Int) -> String {
            let percent = 100 * Double(part) / Double(whole)
            // Shares under 1% keep two decimals, so the layer norms do not show as 0.0%.
            return NumberFormat.fixed(percent, decimals: percent < 1 ? 2 : 1) + "%"
        }
        let factors = gradientFactors()
        guard let deepest = factors.last else { throw ReportError.figure(name: "block-activations", reason: "no depths") }

        let xs = (0...120).map { -4 + Double($0) / 15 }
        var activations = LinePlotFigure(
            series: [
                LinePlotFigure.Series(name: "ReLU(x) = max(0, x)", x: xs, y: xs.map(relu)),
                LinePlotFigure.Series(name: "GELU(x) = x·Φ(x)", x: xs, y: xs.map(gelu)),
            ],
            title: "Activation functions of the feed-forward block", xLabel: "x", yLabel: "activation")
        activations.xRange = -4...4
        activations.yRange = -1...4
        activations.caption = "ReLU cuts negative inputs to exactly 0; GELU weights x by the probability Φ(x) that a standard normal variable lies below it, so it is smooth and slightly negative for small negative x."
        // The minimum of GELU on a fine grid over [−2, 0], finer than the plot's.
        let fine = (0...20_000).map { -2 + Double($0) / 10_000 }
        let geluMinimumAt = fine.min { gelu($0) < gelu($1) } ?? 0
        let geluMinimum = gelu(geluMinimumAt)
        let approximationError = xs.map { abs(gelu($0) - geluTanh($0)) }.max() ?? 0

        return ReportSection(id: "residual-connections-and-the-feed-forward-block", title: "Residual connections and the feed-forward block", blocks: [
            .paragraph([
                .text("A Transformer layer has two sublayers: self-attention, which mixes information between tokens, and a feed-forward network, which transforms each token on its own. Neither replaces its input. Each computes a correction that is "),
                .emphasis("added"), .text(" to it, a "), .strong("residual connection"), .text(":"),
            ]),
            .formula(Math.residual),
            .heading("Why the identity path helps"),
            .paragraph([
                .text("Backpropagation multiplies the derivatives of the layers on the way down. Through a plain stack of L layers the gradient picks up one factor per layer, and factors smaller than 1 shrink it geometrically: the vanishing-gradient problem. The derivative of a residual layer is"),
            ]),
            .formula(Math.residualDerivative),
            .paragraph([
                .text("The identity I is a path on which the gradient passes through every layer unchanged, whatever the sublayers do. A scalar caricature shows the difference. Let each sublayer scale the gradient by a small number "),
                .math(Math.aL), .text(" (here seeded draws with standard deviation \(NumberFormat.plain(derivativeSpread)), as for a sublayer whose output starts small). Without residuals the gradient after L layers is scaled by "),
                .math(Math.plainProduct), .text("; with them, by "), .math(Math.residualProduct), .text(". After \(deepest.depth) layers that is "),
                .text(PowerOfTen.text(deepest.plain)), .text(" against "), .text(NumberFormat.fixed(deepest.residual, decimals: 3)),
                .text(": the product of small factors vanishes, while the product of factors close to 1 stays of order 1."),
            ]),
            .table(ReportTable(
                header: ["layers L", "without residuals: |a₁ ⋯ a_L|", "with residuals: (1 + a₁) ⋯ (1 + a_L)"],
                rows: factors.map { [String($0.depth), PowerOfTen.text($0.plain), NumberFormat.fixed($0.residual, decimals: 3)] },
                numericColumns: [0, 1, 2],
                caption: "How much of the gradient reaches the bottom of L layers, with toy per-layer derivatives aₗ drawn from N(0, \(NumberFormat.plain(derivativeSpread))²), seed \(seed).")),
            .paragraph([
                .text("Residuals also make depth cheap to add: a residual layer whose sublayer outputs 0 passes its input on unchanged (apart from any normalisation), so a deep model can start out behaving like a shallow one and learn how to use its extra layers."),
            ]),
            .heading("The feed-forward block"),
            .paragraph([
                .text("The feed-forward network is two linear layers with a non-linearity between them, applied to every token separately with the same weights (it is called position-wise for that reason). The first layer expands the "),
                .math(Math.dModel), .text(" = \(d) features of a token to "), .math(Math.dFF), .text(" = \(ff), \(NumberFormat.plain(Double(ff) / Double(d))) times as many; the second brings them back to \(d), so the result can be added to the residual stream."),
            ]),
            .formula(Math.feedForward),
            .paragraph([
                .text("Without the activation the two layers would collapse into a single linear map, since a product of matrices is again a matrix. The original Transformer used ReLU; BERT and GPT-2 use GELU, a smooth version that lets small negative inputs through with a small negative output (its minimum is \(NumberFormat.fixed(geluMinimum, decimals: 3)), near x = \(NumberFormat.fixed(geluMinimumAt, decimals: 2))). The tanh formula that BERT's and GPT-2's code use in place of Φ differs from the exact GELU by at most \(NumberFormat.fixed(approximationError, decimals: 4)) on this range."),
            ]),
            .figure(ReportFigure(
                name: "block-activations", figure: activations,
                caption: "ReLU and GELU between −4 and 4. For large |x| they agree; near 0 GELU bends smoothly instead of turning a corner.",
                alt: "Line plot of two activation functions from −4 to 4: ReLU is flat at 0 and then a straight line of slope 1; GELU follows it closely except near 0, where it dips slightly below 0 before rising smoothly.")),
            .heading("Counting the parameters"),
            .paragraph([
                .text("For BERT-base, "), .math(Math.dModel), .text(" = \(d) and "), .math(Math.dFF), .text(" = \(ff). The first layer has a \(d) × \(ff) weight matrix and \(ff) biases, the second a \(ff) × \(d) matrix and \(d) biases:"),
            ]),
            .formula(Arithmetic.formula("\(d) × \(ff) + \(ff) + \(ff) × \(d) + \(d) = \(group(ffn.total))")),
            .table(ReportTable(
                header: ["part", "shape", "parameters"],
                rows: [
                    ["W₁ (expand)", "\(d) × \(ff)", group(ffn.expandWeights)],
                    ["b₁", "\(ff)", group(ffn.expandBiases)],
                    ["W₂ (contract)", "\(ff) × \(d)", group(ffn.contractWeights)],
                    ["b₂", "\(d)", group(ffn.contractBiases)],
                    ["feed-forward block", "", group(ffn.total)],
                ],
                numericColumns: [2],
                caption: "Parameters of one feed-forward block with d_model = \(d), d_ff = \(ff).")),
            .paragraph([
                .text("The attention sublayer of the same layer has four \(d) × \(d) projections ("), .math(Math.projections),
                .text(") with a bias each: \(group(attention.queryKeyValueWeights + attention.outputWeights)) weights and \(group(attention.queryKeyValueBiases + attention.outputBiases)) biases, \(group(attention.total)) in all. The feed-forward block is about twice as large, because its two matrices hold 2 · \(NumberFormat.plain(Double(ff) / Double(d))) = \(NumberFormat.plain(2 * Double(ff) / Double(d))) times "),
                .math(Math.dModelSquared), .text(" numbers against the attention's \((attention.queryKeyValueWeights + attention.outputWeights) / (d * d))."),
            ]),
            .table(ReportTable(
                header: ["part of one BERT-base layer", "parameters", "share"],
                rows: [
                    ["self-attention (Q, K, V, O with biases)", group(layer.attention), share(layer.attention, of: layer.total)],
                    ["feed-forward block", group(layer.feedForward), share(layer.feedForward, of: layer.total)],
                    ["two layer norms (γ, β)", group(layer.layerNorms), share(layer.layerNorms, of: layer.total)],
                    ["whole layer", group(layer.total), share(layer.total, of: layer.total)],
                ],
                numericColumns: [1, 2],
                caption: "Where the parameters of one encoder layer sit (d_model = \(d), d_ff = \(ff)).")),
            .paragraph([
                .text("\(layers) such layers hold \(layers) × \(group(layer.total)) = \(group(encoder)) parameters. Adding the embeddings (\(group(vocabulary)) WordPiece tokens, \(maxPositions) positions and \(segments) segments, each a \(d)-dimensional vector, plus their layer norm: \(group(embeddings))) and the \(group(pooler)) of the pooler on the [CLS] token gives \(group(bert)), about \(NumberFormat.fixed(Double(bert) / 1e6, decimals: 1)) million, the size usually quoted for BERT-base. About \(share(embeddings, of: bert)) of the model is the embedding table; of the rest, \(share(layers * layer.feedForward, of: bert - embeddings)) sits in the feed-forward blocks."),
            ]),
        ])
    }

    /// The section's formulas, written in TeX.
    private enum Math {
        static let dModel = Formula(tex: "d_{\\text{model}}")
        static let dFF = Formula(tex: "d_{\\text{ff}}")
        static let dModelSquared = Formula(tex: "d_{\\text{model}}^2")
        static let aL = Formula(tex: "a_l")
        static let projections = Formula(tex: "W_Q, W_K, W_V, W_O")
        static let residual = Formula(tex: "y = x + \\operatorname{Sublayer}(x)")
        static let residualDerivative = Formula(tex: "\\frac{\\partial y}{\\partial x} = I + \\frac{\\partial\\,\\operatorname{Sublayer}(x)}{\\partial x}")
        static let plainProduct = Formula(tex: "\\prod_{l=1}^{L} a_l")
        static let residualProduct = Formula(tex: "\\prod_{l=1}^{L} (1 + a_l)")
        static let feedForward = Formula(tex: "\\operatorname{FFN}(x) = \\phi(x W_1 + b_1)\\, W_2 + b_2, \\qquad \\phi = \\operatorname{ReLU} \\text{ or } \\operatorname{GELU}")
    }
}
