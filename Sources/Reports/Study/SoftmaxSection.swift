import Figures
import Foundation
import TransformerMath

/// "The softmax function": the scores [2, 1, 0] worked by hand, why subtracting the maximum
/// changes nothing but the risk of overflow, and what a temperature does.
enum SoftmaxSection {
    /// The worked scores.
    static let scores: [Double] = [2, 1, 0]
    /// Temperatures of the table.
    static let temperatures: [Double] = [0.25, 0.5, 1, 2, 4, 10]
    /// Scores too large for a naive exponential, differing by the same steps as `scores`.
    static let hugeScores: [Double] = [1000, 999, 998]

    /// Softmax computed the long way: exponentials, their sum, the quotients.
    static func naive(_ z: [Double]) -> (exponentials: [Double], sum: Double, probabilities: [Double]) {
        let e = z.map { exp($0) }
        let sum = e.reduce(0, +)
        return (e, sum, e.map { $0 / sum })
    }

    /// Softmax with the maximum subtracted first, as TransformerMath computes attention weights.
    static func stable(_ z: [Double]) throws -> [Double] {
        try AttentionSteps.softmax(Matrix([z])).row(0)
    }

    /// Softmax of z / T.
    static func tempered(_ z: [Double], temperature t: Double) throws -> [Double] {
        try stable(z.map { $0 / t })
    }

    /// Entropy in bits: 0 for a one-hot distribution, log₂ n for a uniform one.
    static func entropy(_ p: [Double]) -> Double {
        -p.filter { $0 > 0 }.reduce(0) { $0 + $1 * log2($1) }
    }

    static func make() throws -> ReportSection {
        let worked = naive(scores)
        let top = scores.max() ?? 0
        let shifted = naive(scores.map { $0 - top })
        let library = try stable(scores)
        let largestDifference = zip(worked.probabilities, library).map { abs($0 - $1) }.max() ?? 0
        let plainShare = scores.map { $0 / scores.reduce(0, +) }
        let huge = naive(hugeScores)
        let hugeStable = try stable(hugeScores)
        let doubleLimit = log(Double.greatestFiniteMagnitude), floatLimit = log(Double(Float.greatestFiniteMagnitude))
        let temperedRows = try temperatures.map { try tempered(scores, temperature: $0) }
        let uniformEntropy = log2(Double(scores.count))

        func e(_ v: Double) -> String { NumberFormat.fixed(v, decimals: 3) }
        func p(_ v: Double) -> String { NumberFormat.fixed(v, decimals: 3) }
        func z(_ v: Double) -> String { v == v.rounded() ? NumberFormat.fixed(v, decimals: 0) : NumberFormat.short(v) }
        let sumText = worked.exponentials.map(e).joined(separator: " + ") + " = " + e(worked.sum)

        // Probabilities against temperature on a log axis: a smooth sweep from one-hot to uniform.
        let sweep = (0...40).map { pow(10, -1 + Double($0) / 20) }
        let curves = try sweep.map { try tempered(scores, temperature: $0) }
        var plot = LinePlotFigure(
            series: scores.indices.map { i in
                LinePlotFigure.Series(name: "score \(z(scores[i]))", x: sweep, y: curves.map { $0[i] })
            } + [LinePlotFigure.Series(
                name: "uniform, 1/\(scores.count)", x: [sweep[0], sweep[sweep.count - 1]], y: [1 / Double(scores.count), 1 / Double(scores.count)],
                color: Color(hex: 0x9A9A9A), dash: [4, 3])],
            title: "softmax([\(scores.map(z).joined(separator: ", "))] / T)", xLabel: "temperature T", yLabel: "probability")
        plot.xScale = .log
        plot.xRange = sweep[0]...sweep[sweep.count - 1]
        plot.yRange = 0...1
        plot.caption = "Each line is the probability of one score as the temperature goes from \(NumberFormat.plain(sweep[0])) to \(NumberFormat.plain(sweep[sweep.count - 1])); at T = 1 it is the plain softmax."

        return ReportSection(id: "the-softmax-function", title: "The softmax function", blocks: [
            .paragraph([
                .text("Attention needs, for every query, a set of weights over the keys that are positive and add up to 1. The "),
                .strong("softmax"), .text(" turns any list of real scores into such weights: it exponentiates each score, which makes it positive, and divides by the total, which makes the list sum to 1."),
            ]),
            .formula(Math.softmax),
            .heading("Worked example: the scores \(scores.map(z).joined(separator: ", "))"),
            .paragraph([
                .text("First the exponentials: "), .math(Math.exponentials(scores, worked.exponentials)),
                .text(". Their sum is "), .math(Arithmetic.formula(sumText)),
                .text(". Each probability is one exponential divided by that sum:"),
            ]),
            .formula(Math.quotients(worked.exponentials, worked.sum, worked.probabilities)),
            .paragraph([
                .text("The probabilities add up to \(NumberFormat.plain(worked.probabilities.reduce(0, +).rounded())) and keep the order of the scores. The exponential exaggerates differences: one unit more score multiplies the weight by e ≈ \(e(exp(1))). Compare dividing the scores by their sum, which gives "),
                .text(plainShare.map(p).joined(separator: ", ")),
                .text(": the score 0 would get no weight at all and a negative score a negative weight, neither of which can happen with the softmax."),
            ]),
            .heading("Subtracting the maximum"),
            .paragraph([
                .text("Adding the same constant c to every score multiplies every exponential by "), .math(Math.expC),
                .text(", and the factor cancels between numerator and denominator. Implementations use this to subtract the largest score first, so the largest exponential is exactly 1 and none can overflow. With the maximum \(z(top)) subtracted, the scores become "),
                .text(scores.map { z($0 - top) }.joined(separator: ", ")),
                .text(", the exponentials "), .text(shifted.exponentials.map(e).joined(separator: ", ")),
                .text(" with sum \(e(shifted.sum)), and the probabilities are "),
                .text(largestDifference == 0 ? "exactly the same as before." : "the same as before, up to a rounding error of at most \(PowerOfTen.text(largestDifference, digits: 1)) in the last digits."),
            ]),
            .table(ReportTable(
                header: ["score z", "e^z", "probability", "z − max", "e^(z − max)", "probability, shifted"],
                rows: scores.indices.map { i in
                    [z(scores[i]), e(worked.exponentials[i]), p(worked.probabilities[i]),
                     z(scores[i] - top), e(shifted.exponentials[i]), p(shifted.probabilities[i])]
                } + [["sum", e(worked.sum), p(worked.probabilities.reduce(0, +)), "", e(shifted.sum), p(shifted.probabilities.reduce(0, +))]],
                numericColumns: [0, 1, 2, 3, 4, 5],
                caption: "softmax(\(scores.map(z).joined(separator: ", "))) computed directly and with the maximum subtracted: different exponentials, the same probabilities.")),
            .paragraph([
                .text("This matters in practice. A double-precision exponential overflows to infinity above \(NumberFormat.fixed(doubleLimit, decimals: 2)), a single-precision (float32) one above \(NumberFormat.fixed(floatLimit, decimals: 2)). Computed directly, the scores "),
                .text(hugeScores.map(z).joined(separator: ", ")),
                .text(" give the exponentials \(huge.exponentials.map { $0.isInfinite ? "∞" : e($0) }.joined(separator: ", ")) and the probabilities \(huge.probabilities.map { $0.isNaN ? "NaN" : p($0) }.joined(separator: ", ")) (infinity divided by infinity is undefined). With the maximum subtracted they give "),
                .text(hugeStable.map(p).joined(separator: ", ")),
                .text(", the same as for "), .text(scores.map(z).joined(separator: ", ")), .text(", since the two lists differ only by a constant."),
            ]),
            .heading("Temperature"),
            .paragraph([
                .text("Adding a constant changes nothing, but multiplying the scores does. Dividing them by a "),
                .strong("temperature"), .text(" T before the softmax sharpens the distribution when T < 1 and flattens it when T > 1. As T approaches 0 the softmax approaches a one-hot choice of the largest score (an argmax); as T grows it approaches the uniform distribution, here 1/\(scores.count) each. Language models sample their next token at a temperature for this reason, and attention's division by "),
                .math(Math.sqrtDk), .text(" is a temperature of "), .math(Math.sqrtDk), .text("."),
            ]),
            .table(ReportTable(
                header: ["T"] + scores.map { "p(score \(z($0)))" } + ["entropy (bits)"],
                rows: temperatures.indices.map { k in
                    [NumberFormat.plain(temperatures[k])] + temperedRows[k].map(p) + [NumberFormat.fixed(entropy(temperedRows[k]), decimals: 3)]
                },
                numericColumns: Set(0...(scores.count + 1)),
                caption: "softmax(z / T) for z = \(scores.map(z).joined(separator: ", ")). Entropy measures the spread: 0 bits for a one-hot distribution, log₂ \(scores.count) = \(NumberFormat.fixed(uniformEntropy, decimals: 3)) bits for a uniform one.")),
            .figure(ReportFigure(
                name: "softmax-temperature", figure: plot,
                caption: "The three probabilities of softmax(z / T) against the temperature on a logarithmic axis: at low T the largest score takes everything, at high T all three approach 1/\(scores.count).",
                alt: "Line plot against temperature from 0.1 to 10: the line for score 2 falls from 1 towards one third, the line for score 0 rises from 0 towards one third, and the line for score 1 rises from 0 to just below one third, next to a dashed line at one third.")),
        ])
    }

    /// The section's formulas, written in TeX.
    private enum Math {
        static let sqrtDk = Formula(tex: "\\sqrt{d_k}")
        static let expC = Formula(tex: "e^{c}")
        static let softmax = Formula(tex: "\\operatorname{softmax}(z)_i = \\frac{e^{z_i}}{\\sum_{j=1}^{n} e^{z_j}}")

        /// `e^2 = 7.389, e^1 = 2.718, e^0 = 1.000`.
        static func exponentials(_ z: [Double], _ e: [Double]) -> Formula {
            let texts = zip(z, e).map { "e^{\(tex(NumberFormat.plain($0)))} = \(NumberFormat.fixed($1, decimals: 3))" }
            return Formula(tex: texts.joined(separator: ",\\quad "))
        }

        /// `p = (7.389/11.107, …) = (0.665, …)`, one fraction per score.
        static func quotients(_ e: [Double], _ sum: Double, _ p: [Double]) -> Formula {
            let three = { (v: Double) in NumberFormat.fixed(v, decimals: 3) }
            let tex = "p = \\left(" + e.map { "\\frac{\(three($0))}{\(three(sum))}" }.joined(separator: ", ") + "\\right) = ("
                + p.map(three).joined(separator: ", ") + ")"
            return Formula(tex: tex)
        }

        /// A number for TeX: a real minus sign becomes `-`.
        static func tex(_ text: String) -> String { text.replacingOccurrences(of: "−", with: "-") }
    }
}
