import Figures
import Foundation
import TransformerMath

/// "Vanishing gradients": backpropagation multiplies one derivative per layer, and sigmoid's
/// derivative is at most ¼, so the product shrinks geometrically; ReLU's is 1 on active units.
enum GradientSection {
    static let maxDepth = 30
    static let tableDepths = [5, 10, 20, 30]
    static let seed: UInt64 = 11

    /// Pre-activations z₁ … z_L, seeded draws from N(0, 1): one unit per layer on a typical path.
    static func preActivations() -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<maxDepth).map { _ in generator.nextNormal() }
    }

    /// |f′(z₁) · … · f′(z_L)| for L = 1 … maxDepth.
    static func products(_ f: Activation, at z: [Double]) -> [Double] {
        var product = 1.0
        return z.map { product *= f.derivative($0); return abs(product) }
    }

    /// (¼)^L, sigmoid's best case at every layer.
    static func sigmoidBest(_ depth: Int) -> Double { pow(Activation.sigmoid.derivative(0), Double(depth)) }

    static func make() throws -> ReportSection {
        let z = preActivations()
        let sigmoid = products(.sigmoid, at: z), tanh = products(.tanh, at: z)
        // ReLU on the units that are active (z > 0) along the path: the derivative is exactly 1.
        let relu = products(.relu, at: z.map(abs))
        let depths = (1...maxDepth).map(Double.init)
        var plot = LinePlotFigure(
            series: [
                LinePlotFigure.Series(name: "sigmoid, best case (¼ per layer)", x: depths, y: depths.map { sigmoidBest(Int($0)) }),
                LinePlotFigure.Series(name: "sigmoid, z ~ N(0, 1)", x: depths, y: sigmoid, markers: true),
                LinePlotFigure.Series(name: "tanh, z ~ N(0, 1)", x: depths, y: tanh, markers: true),
                LinePlotFigure.Series(name: "ReLU, active units", x: depths, y: relu),
            ],
            title: "Product of activation derivatives through L layers", xLabel: "depth L (layers)", yLabel: "|f′(z₁) · … · f′(z_L)|")
        plot.yScale = .log
        plot.xRange = 1...Double(maxDepth)
        // Up to 10, so that the ReLU line at 1 is not drawn on the frame.
        let smallest = min(sigmoid.min() ?? 1, tanh.min() ?? 1, sigmoidBest(maxDepth))
        plot.yRange = pow(10, floor(log10(smallest)))...10
        plot.caption = "The derivative factors a gradient collects on its way back to the first layer, weights left out. The random curves use the same \(maxDepth) draws z ~ N(0, 1) (seed \(seed)) for every activation."
        let best10 = sigmoidBest(10)
        guard let lastSigmoid = sigmoid.last, let lastTanh = tanh.last else {
            throw ReportError.figure(name: "vanishing-gradients", reason: "no depths")
        }

        return ReportSection(id: "vanishing-gradients", title: "Vanishing gradients", blocks: [
            .paragraph([
                .text("Backpropagation computes the gradient of the loss for an early layer by the chain rule: it multiplies one factor per layer on the way back. For a chain of single units "),
                .math(try TeX.formula("a_l = f(z_l)")), .text(", "), .math(try TeX.formula("z_l = w_l\\, a_{l-1}")), .text(":"),
            ]),
            .formula(try TeX.formula("\\frac{\\partial a_L}{\\partial a_0} = \\prod_{l=1}^{L} w_l\\, f'(z_l)")),
            .paragraph([
                .text("If the factors are mostly below 1 the product shrinks geometrically with depth and the first layers barely learn; if they are mostly above 1 it grows and training blows up. The activation decides a large part of each factor. The sigmoid "),
                .math(try TeX.formula("\\sigma(z) = 1 / (1 + e^{-z})")), .text(" has derivative "),
                .math(try TeX.formula("\\sigma'(z) = \\sigma(z)\\,(1 - \\sigma(z))")),
                .text(", which is largest at z = 0, where it is ¼, and close to 0 once |z| is a few units (the sigmoid saturates). Even in that best case, ten layers give "),
                .math(try TeX.formula("0.25^{10} \\approx " + PowerOfTen.tex(best10))),
                .text(". ReLU, "), .math(try TeX.formula("\\max(0, z)")),
                .text(", has derivative exactly 1 for every positive input, so an active path passes the gradient back unchanged however deep it is; this is the main reason deep networks moved from sigmoid and tanh to ReLU and its relatives such as GELU."),
            ]),
            .figure(ReportFigure(
                name: "vanishing-gradients", figure: plot,
                caption: "On a logarithmic axis a geometric decay is a straight line. After \(maxDepth) layers the sigmoid product is down to \(PowerOfTen.readable(lastSigmoid, digits: 2)) and the tanh product to \(PowerOfTen.readable(lastTanh, digits: 2)); along active units the ReLU product stays 1.",
                alt: "Log-scale line plot against depth 1 to \(maxDepth): the sigmoid curves fall steeply and almost straight, tanh falls more slowly, and ReLU stays flat at 1.")),
            .table(ReportTable(
                header: ["depth L", "sigmoid, best case", "sigmoid, z ~ N(0, 1)", "tanh, z ~ N(0, 1)", "ReLU, active units"],
                rows: tableDepths.map { depth in
                    [String(depth), PowerOfTen.readable(sigmoidBest(depth), digits: 3), PowerOfTen.readable(sigmoid[depth - 1], digits: 3),
                     PowerOfTen.readable(tanh[depth - 1], digits: 3), NumberFormat.short(relu[depth - 1])]
                },
                numericColumns: [0, 1, 2, 3, 4], caption: "The products of the figure at a few depths.")),
            .paragraph([
                .text("ReLU has its own failure: its derivative is 0 for negative inputs, so a unit whose input stays negative passes no gradient at all (a “dead” unit). Careful initialisation, which keeps the factors "),
                .math(try TeX.formula("w_l\\, f'(z_l)")),
                .text(" near 1 on average, normalisation layers and residual connections (below) are the other defences; Transformers use all three."),
            ]),
        ])
    }
}
