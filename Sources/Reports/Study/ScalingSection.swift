import Figures
import Foundation
import TransformerMath

/// "Why divide by √d_k": the variance of q·k measured on seeded random vectors, and what unscaled
/// scores do to the softmax and to the gradient that flows back through it.
enum ScalingSection {
    /// The key dimensions of the tables.
    static let dimensions = [4, 16, 64, 256, 1024]
    /// The key dimensions of the saturation plot: every power of two up to 1024.
    static let plotDimensions = (0...10).map { 1 << $0 }
    /// Independent (q, k) pairs drawn for each variance.
    static let pairs = 2000
    /// Rows of scores, and keys in each row, for the saturation measurement.
    static let rows = 200, keysPerRow = 16
    /// Base seed; each dimension and each measurement mixes in its own offset.
    static let seed: UInt64 = 1234

    /// Sample mean and sample variance (divided by N − 1) of q·k over `pairs` independent pairs of
    /// vectors with N(0, 1) entries.
    struct DotProductSample: Sendable {
        let dimension: Int
        let mean: Double
        let variance: Double
        /// The variance of q·k / √d_k, which is the variance divided by d_k.
        var scaledVariance: Double { variance / Double(dimension) }
    }

    /// Averages over `rows` rows of `keysPerRow` scores q·kⱼ (one query per row), softmaxed as they
    /// are and after dividing by √d_k.
    struct Saturation: Sendable {
        let dimension: Int
        /// Mean of each row's largest softmax weight.
        let largestUnscaled: Double, largestScaled: Double
        /// Share of rows whose largest weight exceeds 0.9.
        let nearlyOneHotUnscaled: Double, nearlyOneHotScaled: Double
        /// Mean Frobenius norm of the softmax Jacobian diag(p) − ppᵀ.
        let gradientUnscaled: Double, gradientScaled: Double
        /// Mean gap between the largest and the second-largest unscaled score.
        let topGap: Double
    }

    /// Above this largest weight a row counts as nearly one-hot.
    static let oneHotThreshold = 0.9

    /// The generator for one measurement: `salt` keeps the variance and saturation draws apart.
    static func generator(dimension: Int, salt: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed &+ salt &* 1_000_003 &+ UInt64(dimension))
    }

    static func dotProductSample(dimension d: Int) -> DotProductSample {
        var generator = generator(dimension: d, salt: 1)
        var products: [Double] = []
        products.reserveCapacity(pairs)
        for _ in 0..<pairs {
            var dot = 0.0
            for _ in 0..<d {
                let q = generator.nextNormal()
                dot += q * generator.nextNormal()
            }
            products.append(dot)
        }
        let mean = products.reduce(0, +) / Double(pairs)
        let variance = products.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(pairs - 1)
        return DotProductSample(dimension: d, mean: mean, variance: variance)
    }

    /// Softmax of one row, stabilised by subtracting the maximum.
    static func softmax(_ z: [Double]) -> [Double] {
        let top = z.max() ?? 0
        let e = z.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    /// ‖diag(p) − ppᵀ‖_F: how strongly the softmax passes a change of its inputs on to its outputs.
    static func jacobianNorm(_ p: [Double]) -> Double {
        var sum = 0.0
        for i in p.indices {
            for j in p.indices {
                let entry = p[i] * ((i == j ? 1 : 0) - p[j])
                sum += entry * entry
            }
        }
        return sum.squareRoot()
    }

    static func saturation(dimension d: Int) -> Saturation {
        var generator = generator(dimension: d, salt: 2)
        var largest = (0.0, 0.0), oneHot = (0.0, 0.0), gradient = (0.0, 0.0), gap = 0.0
        let factor = 1 / Double(d).squareRoot()
        for _ in 0..<rows {
            let q = (0..<d).map { _ in generator.nextNormal() }
            let scores = (0..<keysPerRow).map { _ in q.reduce(0) { $0 + $1 * generator.nextNormal() } }
            let plain = softmax(scores), scaled = softmax(scores.map { $0 * factor })
            let topPlain = plain.max() ?? 0, topScaled = scaled.max() ?? 0
            largest.0 += topPlain
            largest.1 += topScaled
            oneHot.0 += topPlain > oneHotThreshold ? 1 : 0
            oneHot.1 += topScaled > oneHotThreshold ? 1 : 0
            gradient.0 += jacobianNorm(plain)
            gradient.1 += jacobianNorm(scaled)
            let sorted = scores.sorted(by: >)
            gap += sorted[0] - sorted[1]
        }
        let n = Double(rows)
        return Saturation(
            dimension: d, largestUnscaled: largest.0 / n, largestScaled: largest.1 / n,
            nearlyOneHotUnscaled: oneHot.0 / n, nearlyOneHotScaled: oneHot.1 / n,
            gradientUnscaled: gradient.0 / n, gradientScaled: gradient.1 / n, topGap: gap / n)
    }

    /// Computed once per process: the report is built several times in tests.
    static let samples: [DotProductSample] = dimensions.map(dotProductSample)
    static let saturations: [Saturation] = plotDimensions.map(saturation)

    static func make() throws -> ReportSection {
        let table = saturations.filter { dimensions.contains($0.dimension) }
        guard let small = samples.first, let large = samples.last, let wide = table.last, let narrow = table.first else {
            throw ReportError.figure(name: "scaling-saturation", reason: "no dimensions to measure")
        }
        let uniform = 1 / Double(keysPerRow)
        let uniformGradient = jacobianNorm([Double](repeating: uniform, count: keysPerRow))

        // A little room beyond the first and last dimension, so their markers are not cut in half.
        let xRange = 0.8 * Double(plotDimensions.first ?? 1)...1.25 * Double(plotDimensions.last ?? 1024)
        var plot = LinePlotFigure(
            series: [
                LinePlotFigure.Series(name: "softmax(QKᵀ), unscaled", x: plotDimensions.map(Double.init), y: saturations.map(\.largestUnscaled), markers: true),
                LinePlotFigure.Series(name: "softmax(QKᵀ/√d_k)", x: plotDimensions.map(Double.init), y: saturations.map(\.largestScaled), markers: true),
                LinePlotFigure.Series(
                    name: "uniform, 1/\(keysPerRow)", x: [xRange.lowerBound, xRange.upperBound], y: [uniform, uniform],
                    color: Color(hex: 0x9A9A9A), dash: [4, 3]),
            ],
            title: "Largest softmax weight in a row of \(keysPerRow) scores", xLabel: "key dimension d_k", yLabel: "mean largest weight")
        plot.xScale = .log
        plot.xRange = xRange
        plot.yRange = 0...1
        plot.caption = "Mean over \(rows) seeded rows; each row is one query q and \(keysPerRow) keys kⱼ with N(0, 1) entries, scores q·kⱼ."

        return ReportSection(id: "why-divide-by-d_k", title: "Why divide by √d_k", blocks: [
            .paragraph([
                .text("Scaled dot-product attention divides every score by "), .math(Math.sqrtDk),
                .text(" before the softmax. The reason is statistical. Suppose the entries of a query q and a key k are independent, with mean 0 and variance 1, as they roughly are in a freshly initialised model. Each product "),
                .math(Math.product), .text(" then has mean 0 and variance 1, and the dot product adds up "), .math(Math.dk), .text(" of them:"),
            ]),
            .formula(Math.variance),
            .paragraph([
                .text("So the typical size of a score, its standard deviation, grows like "), .math(Math.sqrtDk),
                .text(". Dividing by "), .math(Math.sqrtDk), .text(" divides the variance by "), .math(Math.dk), .text(" and brings it back to 1 whatever the dimension:"),
            ]),
            .formula(Math.scaledVariance),
            .paragraph([
                .text("The table checks this on random numbers rather than trusting the algebra. For each "), .math(Math.dk),
                .text(", \(MultiHeadSection.group(pairs)) pairs of vectors were drawn from a seeded generator and the sample variance of their dot products measured. At "),
                .math(Math.dk), .text(" = \(small.dimension) it comes out at \(NumberFormat.fixed(small.variance, decimals: 2)); at \(large.dimension) it is \(NumberFormat.fixed(large.variance, decimals: 0)), a standard deviation of about \(NumberFormat.fixed(large.variance.squareRoot(), decimals: 1)). After scaling, every row is close to 1; the small differences are sampling noise, of a few per cent with \(MultiHeadSection.group(pairs)) pairs."),
            ]),
            .table(ReportTable(
                header: ["d_k", "theory: Var(q·k) = d_k", "measured Var(q·k)", "measured mean", "measured Var(q·k/√d_k)"],
                rows: samples.map { s in
                    [String(s.dimension), String(s.dimension), NumberFormat.fixed(s.variance, decimals: 2),
                     NumberFormat.fixed(s.mean, decimals: 2), NumberFormat.fixed(s.scaledVariance, decimals: 3)]
                },
                numericColumns: [0, 1, 2, 3, 4],
                caption: "Sample variance of q·k over \(MultiHeadSection.group(pairs)) seeded pairs per row (entries N(0, 1), divided by N − 1), before and after dividing by √d_k.")),
            .heading("What large scores do to the softmax"),
            .paragraph([
                .text("The softmax exponentiates its inputs, so what matters is how far apart the scores are, not their values. Scores with a standard deviation of \(NumberFormat.plain(Double(large.dimension).squareRoot())) (at "),
                .math(Math.dk), .text(" = \(large.dimension)) are far apart: in the rows measured below, the largest score beats the runner-up by \(NumberFormat.fixed(wide.topGap, decimals: 1)) on average. The softmax weights of two scores z₁ and z₂ are in the ratio "), .math(Math.exponentGap),
                .text(", so such a gap gives the top score about \(PowerOfTen.text(exp(wide.topGap))) times the weight of the runner-up: practically all of it. To see it, each row below holds the scores of one random query against \(keysPerRow) random keys, softmaxed as they are and after dividing by "),
                .math(Math.sqrtDk), .text("."),
            ]),
            .figure(ReportFigure(
                name: "scaling-saturation", figure: plot,
                caption: "Without scaling, the largest weight climbs towards 1 as d_k grows: the attention becomes a hard choice of one key. With scaling it stays at the same level for every d_k, well above the uniform 1/\(keysPerRow) and well below 1.",
                alt: "Line plot against d_k on a logarithmic axis from 1 to 1024: the unscaled curve rises from about \(NumberFormat.fixed(saturations.first?.largestUnscaled ?? 0, decimals: 1)) to nearly 1; the scaled curve stays flat near \(NumberFormat.fixed(wide.largestScaled, decimals: 1)); a dashed grey line marks the uniform weight \(NumberFormat.fixed(uniform, decimals: 4)).")),
            .table(ReportTable(
                header: ["d_k", "largest weight, unscaled", "largest weight, scaled", "rows nearly one-hot, unscaled", "rows nearly one-hot, scaled", "gradient size, unscaled", "gradient size, scaled"],
                rows: table.map { s in
                    [String(s.dimension), NumberFormat.fixed(s.largestUnscaled, decimals: 3), NumberFormat.fixed(s.largestScaled, decimals: 3),
                     percent(s.nearlyOneHotUnscaled), percent(s.nearlyOneHotScaled),
                     NumberFormat.fixed(s.gradientUnscaled, decimals: 3), NumberFormat.fixed(s.gradientScaled, decimals: 3)]
                },
                numericColumns: [0, 1, 2, 3, 4, 5, 6],
                caption: "Means over \(rows) seeded rows of \(keysPerRow) scores. A row is nearly one-hot when its largest weight exceeds \(NumberFormat.plain(oneHotThreshold)). Gradient size is the Frobenius norm of the softmax Jacobian ∂p/∂z.")),
            .heading("Why a nearly one-hot softmax stops learning"),
            .paragraph([
                .text("A model learns by following gradients, and every gradient that reaches the queries and keys passes through the softmax. Its derivative is"),
            ]),
            .formula(Math.jacobian),
            .paragraph([
                .text("When one weight is close to 1 and the rest close to 0, every entry of this matrix is close to 0: "),
                .math(Math.oneHotCase), .text(" on the winning key, and "), .math(Math.loserCase),
                .text(" on the others. Changing any score then barely changes the output, so the gradient that would teach the model to prefer another key all but vanishes. For comparison, the Jacobian of a uniform row of \(keysPerRow) weights has norm \(NumberFormat.fixed(uniformGradient, decimals: 3)) and that of an exactly one-hot row 0; the measured rows have a mean norm of \(NumberFormat.fixed(narrow.gradientUnscaled, decimals: 3)) unscaled at "),
                .math(Math.dk), .text(" = \(narrow.dimension), but only \(NumberFormat.fixed(wide.gradientUnscaled, decimals: 3)) at \(wide.dimension), where \(percent(wide.nearlyOneHotUnscaled)) of the rows are nearly one-hot. Scaled, the norm stays near \(NumberFormat.fixed(wide.gradientScaled, decimals: 3)) at every dimension."),
            ]),
            .paragraph([
                .text("Dividing by "), .math(Math.sqrtDk),
                .text(" is therefore not about overflow (a stable softmax subtracts the maximum anyway) but about keeping the softmax in the range where it is still soft: the model starts training with spread-out attention and sharpens it only where the data call for it. It is the same as running the softmax at a temperature of "),
                .math(Math.sqrtDk), .text("."),
            ]),
        ])
    }

    /// `0.375` as `37.5%`.
    static func percent(_ share: Double) -> String {
        NumberFormat.fixed(share * 100, decimals: 1) + "%"
    }

    /// The section's formulas, written in TeX.
    private enum Math {
        static let dk = Formula(tex: "d_k")
        static let sqrtDk = Formula(tex: "\\sqrt{d_k}")
        static let product = Formula(tex: "q_i k_i")
        static let variance = Formula(tex: "\\operatorname{Var}(q \\cdot k) = \\sum_{i=1}^{d_k} \\operatorname{Var}(q_i k_i) = \\sum_{i=1}^{d_k} \\mathbb{E}[q_i^2]\\,\\mathbb{E}[k_i^2] = d_k")
        static let scaledVariance = Formula(tex: "\\operatorname{Var}\\left(\\frac{q \\cdot k}{\\sqrt{d_k}}\\right) = \\frac{d_k}{d_k} = 1")
        static let exponentGap = Formula(tex: "e^{z_1 - z_2}")
        static let jacobian = Formula(tex: "\\frac{\\partial p_i}{\\partial z_j} = p_i\\,(\\delta_{ij} - p_j)")
        static let oneHotCase = Formula(tex: "p_i(1 - p_i) \\approx 0")
        static let loserCase = Formula(tex: "p_i \\approx 0")
    }
}
