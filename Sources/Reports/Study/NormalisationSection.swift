import Figures
import Foundation
import TransformerMath

/// "Normalisation layers": batch norm, layer norm and RMSNorm worked on one small seeded batch,
/// why Transformers normalise per token, and where the normalisation sits (post-norm, pre-norm).
enum NormalisationSection {
    static let rowNames = ["token 1", "token 2", "token 3", "token 4"]
    static let featureNames = ["f1", "f2", "f3", "f4", "f5", "f6"]
    /// Each feature's centre and spread in the seeded batch, so the features live on different scales.
    static let centres: [Double] = [0, 2, -1, 4, 0, 1]
    static let spreads: [Double] = [1, 0.5, 2, 1, 3, 1.5]
    static let seed: UInt64 = 21
    /// The ε added to the variance (or mean square) before the square root, as in PyTorch.
    static let epsilon = 1e-5
    /// Width of a BERT-base hidden state, for the parameter counts.
    static let modelDimension = 768

    /// Four tokens × six features drawn from a seeded generator and rounded to one decimal, so a
    /// reader can redo the sums.
    static let batch: Matrix = {
        var generator = SeededGenerator(seed: seed)
        var x = Matrix(rows: rowNames.count, columns: featureNames.count)
        for r in 0..<x.rows {
            for c in 0..<x.columns {
                x[r, c] = ((centres[c] + spreads[c] * generator.nextNormal()) * 10).rounded() / 10
            }
        }
        return x
    }()

    static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
    /// Population variance (divided by n), as the normalisation layers use.
    static func variance(_ v: [Double]) -> Double {
        let m = mean(v)
        return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)
    }
    static func rootMeanSquare(_ v: [Double]) -> Double { (v.reduce(0) { $0 + $1 * $1 } / Double(v.count)).squareRoot() }
    static func column(_ x: Matrix, _ c: Int) -> [Double] { (0..<x.rows).map { x[$0, c] } }

    /// Batch norm in training mode with γ = 1, β = 0: each feature (column) over the batch.
    static func batchNorm(_ x: Matrix) -> Matrix {
        var out = x
        for c in 0..<x.columns {
            let values = column(x, c)
            let m = mean(values), s = (variance(values) + epsilon).squareRoot()
            for r in 0..<x.rows { out[r, c] = (x[r, c] - m) / s }
        }
        return out
    }

    /// Layer norm with γ = 1, β = 0: each token (row) over its features.
    static func layerNorm(_ x: Matrix) -> Matrix {
        var out = x
        for r in 0..<x.rows {
            let values = x.row(r)
            let m = mean(values), s = (variance(values) + epsilon).squareRoot()
            for c in 0..<x.columns { out[r, c] = (x[r, c] - m) / s }
        }
        return out
    }

    /// RMSNorm with γ = 1: each token (row) divided by its root mean square; no centring.
    static func rmsNorm(_ x: Matrix) -> Matrix {
        var out = x
        for r in 0..<x.rows {
            let values = x.row(r)
            let s = (values.reduce(0) { $0 + $1 * $1 } / Double(values.count) + epsilon).squareRoot()
            for c in 0..<x.columns { out[r, c] = x[r, c] / s }
        }
        return out
    }

    static func make() throws -> ReportSection {
        let x = batch
        let bn = batchNorm(x), ln = layerNorm(x), rms = rmsNorm(x)
        let d = x.columns, n = x.rows
        func f(_ v: Double, _ decimals: Int = 2) -> String { NumberFormat.fixed(v, decimals: decimals) }

        let first = x.row(0)
        let mu = mean(first), sigma2 = variance(first), r = rootMeanSquare(first)
        let featureOne = column(x, 0)
        let columnMean = mean(featureOne), columnVariance = variance(featureOne)

        // What each method makes exactly 0 and 1, measured on the outputs.
        let lnWorst = (0..<n).map { max(abs(mean(ln.row($0))), abs(variance(ln.row($0)) - 1)) }.max() ?? 0
        let bnWorst = (0..<d).map { max(abs(mean(column(bn, $0))), abs(variance(column(bn, $0)) - 1)) }.max() ?? 0
        let rmsWorst = (0..<n).map { abs(rootMeanSquare(rms.row($0)) - 1) }.max() ?? 0
        let rmsMeans = (0..<n).map { mean(rms.row($0)) }
        let bnRowMeans = (0..<n).map { mean(bn.row($0)) }

        let inputRows = (0..<n).map { row -> [String] in
            let values = x.row(row)
            return [rowNames[row]] + values.map { f($0, 1) } + [f(mean(values)), f(variance(values)), f(rootMeanSquare(values))]
        } + [
            ["mean over the batch"] + (0..<d).map { f(mean(column(x, $0))) } + ["", "", ""],
            ["variance over the batch"] + (0..<d).map { f(variance(column(x, $0))) } + ["", "", ""],
        ]
        let outputRows = [("batch norm", bn), ("layer norm", ln), ("RMSNorm", rms)].map { name, out -> [String] in
            let values = out.row(0)
            return [name] + values.map { f($0) } + [f(mean(values)), f(variance(values)), f(rootMeanSquare(values))]
        }
        let ln768 = 2 * modelDimension, rms768 = modelDimension

        return ReportSection(id: "normalisation-layers", title: "Normalisation layers", blocks: [
            .paragraph([
                .text("Deep networks train more easily when the numbers flowing through them stay on a steady scale. A "),
                .strong("normalisation layer"),
                .text(" rescales its input to a fixed mean and spread, then lets the model choose the final scale with learned parameters. The three layers below differ in which numbers they compute the statistics over, and that choice is why Transformers use the last two."),
            ]),
            .list([
                [.strong("Batch norm"), .text(" normalises each feature over the examples of a batch: one mean and one variance per column.")],
                [.strong("Layer norm"), .text(" normalises each example (for a Transformer, each token) over its own features: one mean and one variance per row.")],
                [.strong("RMSNorm"), .text(" divides each row by its root mean square and does not subtract a mean at all.")],
            ]),
            .formula(Math.layerNorm),
            .formula(Math.rmsNorm),
            .paragraph([
                .text("Here μ and σ² are the mean and variance of the numbers being normalised (divided by their count, not by one less), ε = \(PowerOfTen.text(epsilon)) guards against dividing by zero, and γ (gain) and β (bias) are learned, one per feature. Layer norm therefore has 2d parameters, \(MultiHeadSection.group(ln768)) for d = \(modelDimension); RMSNorm has no β and so only d, \(MultiHeadSection.group(rms768)). Batch norm has the same γ and β as layer norm."),
            ]),
            .heading("One batch, three normalisations"),
            .paragraph([
                .text("Take a batch of \(n) tokens with \(d) features each, drawn from a seeded generator with the features on deliberately different scales and rounded to one decimal:"),
            ]),
            .table(ReportTable(
                header: [""] + featureNames + ["mean over features", "variance over features", "RMS"],
                rows: inputRows, numericColumns: Set(1...(d + 3)),
                caption: "The input batch. Rows are tokens, columns features; layer norm and RMSNorm use the statistics on the right, batch norm the ones at the bottom.")),
            .paragraph([
                .strong("Layer norm"), .text(" of token 1 works along its row. The mean is "),
                .math(Math.mean(first, result: mu)),
                .text(", the variance of the row is σ² = \(f(sigma2, 3)), so the first feature becomes "),
                .math(Math.normalised(first[0], centre: mu, variance: sigma2 + epsilon, result: ln[0, 0])),
                .text(". The same mean and variance serve all \(d) features of the token, and no other token is involved."),
            ]),
            .paragraph([
                .strong("RMSNorm"), .text(" of token 1 skips the mean: its root mean square is "),
                .math(Math.rootMeanSquare(first, result: r)),
                .text(", and the first feature becomes "),
                .math(Arithmetic.formula(f(first[0], 1) + " / " + f(r, 3) + " = " + f(rms[0, 0], 3))),
                .text(". The row ends up with a root mean square of 1 but keeps its sign pattern and need not have mean 0."),
            ]),
            .paragraph([
                .strong("Batch norm"), .text(" works down the columns. Feature f1 has the values "), .text(featureOne.map { f($0, 1) }.joined(separator: ", ")),
                .text(" across the batch, with mean \(f(columnMean, 3)) and variance \(f(columnVariance, 3)), so token 1's f1 becomes "),
                .math(Math.normalised(first[0], centre: columnMean, variance: columnVariance + epsilon, result: bn[0, 0])),
                .text(". That number depends on the three other tokens: put token 1 in another batch and it changes."),
            ]),
            .table(ReportTable(
                header: ["token 1 after"] + featureNames + ["mean", "variance", "RMS"],
                rows: outputRows, numericColumns: Set(1...(d + 3)),
                caption: "Token 1 after each normalisation (γ = 1, β = 0, ε = \(PowerOfTen.text(epsilon))), with the mean, variance and root mean square of the resulting row.")),
            .paragraph([
                .text("Measured over the whole batch: every row of the layer-norm output has mean 0 and variance 1, and every column of the batch-norm output has mean 0 and variance 1 (in both cases to within \(PowerOfTen.text(max(lnWorst, bnWorst), digits: 1)), the effect of ε). The rows of the batch-norm output do not: their means are "),
                .text(bnRowMeans.map { f($0) }.joined(separator: ", ")),
                .text(". Every RMSNorm row has a root mean square of 1 (to within \(PowerOfTen.text(rmsWorst, digits: 1))), while its means are "),
                .text(rmsMeans.map { f($0) }.joined(separator: ", ")), .text("."),
            ]),
            .heading("Why Transformers use layer norm or RMSNorm"),
            .list([
                [.text("The statistics of a token come from that token alone, so its output does not depend on which other sentences share the batch, on the batch size, or on padding tokens that would otherwise pollute a batch's averages.")],
                [.text("Training and inference compute the same thing. Batch norm has to replace the batch statistics at inference by running averages collected during training; layer norm works unchanged on a single sentence, and even on the single new token of each step of generation.")],
                [.text("Sequences vary in length, and features of different positions do not share a natural distribution to average over; the features of one token do.")],
            ]),
            .paragraph([
                .text("RMSNorm (Zhang and Sennrich, 2019) drops the centring and the bias. It saves a little computation and works as well in practice, which is why models such as T5 and LLaMA use it."),
            ]),
            .heading("Post-norm and pre-norm"),
            .paragraph([
                .text("The original Transformer normalised after adding the residual, "), .math(Math.postNorm),
                .text(" (post-norm), and BERT kept that arrangement. GPT-2 moved the normalisation to the input of each sublayer, "), .math(Math.preNorm),
                .text(" (pre-norm), with one more layer norm after the last block, and most later models followed. In pre-norm the residual path from the input to the output is never rescaled, so gradients reach the early layers undiminished and deep stacks train stably. Post-norm models usually need a learning-rate warm-up to train at all, although some studies find that they end up slightly better when they do."),
            ]),
        ])
    }

    /// The section's formulas, written in TeX.
    private enum Math {
        /// A number as shown, and as TeX (ASCII minus).
        static func shown(_ v: Double, _ decimals: Int) -> String { NumberFormat.fixed(v, decimals: decimals) }
        static func tex(_ v: Double, _ decimals: Int) -> String { shown(v, decimals).replacingOccurrences(of: "−", with: "-") }
        /// A number that follows an operator: bracketed when negative.
        static func operand(_ v: Double, _ decimals: Int) -> String {
            v < 0 && shown(v, decimals).hasPrefix("−") ? "(" + tex(v, decimals) + ")" : tex(v, decimals)
        }

        /// `μ = (0.3 − 1.2 + …) / 6 = 0.417`, with the signs folded into the operators.
        static func mean(_ values: [Double], result: Double) -> Formula {
            var tex = ""
            for (k, v) in values.enumerated() {
                tex += k == 0 ? Self.tex(v, 1) : (v < 0 ? " - " : " + ") + Self.tex(abs(v), 1)
            }
            let count = String(values.count)
            return Formula(tex: "\\mu = \\frac{\(tex)}{\(count)} = \(Self.tex(result, 3))")
        }

        /// `(x − c) / √v = y`.
        static func normalised(_ x: Double, centre: Double, variance: Double, result: Double) -> Formula {
            return Formula(tex: "\\frac{\(tex(x, 1)) - \(operand(centre, 3))}{\\sqrt{\(tex(variance, 3))}} = \(tex(result, 3))")
        }

        /// `√((a² + b² + …) / d) = r`, negative entries bracketed before squaring.
        static func rootMeanSquare(_ values: [Double], result: Double) -> Formula {
            let tex = values.map { operand($0, 1) + "^2" }
            let count = String(values.count)
            return Formula(tex: "\\sqrt{\\frac{\(tex.joined(separator: " + "))}{\(count)}} = \(Self.tex(result, 3))")
        }
        static let layerNorm = Formula(tex: "\\operatorname{LayerNorm}(x) = \\gamma \\odot \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\varepsilon}} + \\beta")
        static let rmsNorm = Formula(tex: "\\operatorname{RMSNorm}(x) = \\gamma \\odot \\frac{x}{\\sqrt{\\frac{1}{d}\\sum_{i=1}^{d} x_i^2 + \\varepsilon}}")
        static let postNorm = Formula(tex: "x_{l+1} = \\operatorname{LN}(x_l + F(x_l))")
        static let preNorm = Formula(tex: "x_{l+1} = x_l + F(\\operatorname{LN}(x_l))")
    }
}
