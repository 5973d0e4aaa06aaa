import Figures
import Foundation
import TransformerMath

/// "What recurrent networks struggle with": one step at a time, a long path between distant
/// tokens with a gradient that is a product over it, and one fixed-size state for the whole past.
enum RecurrentSection {
    static let steps = 100
    static let tableOffsets = [10, 50, 99]
    static let seed: UInt64 = 3
    /// The sentence length and model width of the cost comparison.
    static let length = 100
    static let width = 512

    /// The three scalar recurrences of the figure.
    static let shrinking = ScalarRecurrence(recurrentWeight: 0.9, inputWeight: 1, activation: .identity)
    static let growing = ScalarRecurrence(recurrentWeight: 1.1, inputWeight: 1, activation: .identity)
    static let saturating = ScalarRecurrence(recurrentWeight: 1.1, inputWeight: 1, activation: .tanh)

    /// Seeded inputs x₁ … x_T from N(0, 1).
    static func inputs() -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<steps).map { _ in generator.nextNormal() }
    }

    static func make() throws -> ReportSection {
        let x = inputs()
        let series = [
            ("linear, w = 0.9", shrinking.backwardGradients(x)),
            ("linear, w = 1.1", growing.backwardGradients(x)),
            ("tanh, w = 1.1", saturating.backwardGradients(x)),
        ]
        let offsets = (0..<steps).map(Double.init)
        var plot = LinePlotFigure(
            series: series.map { LinePlotFigure.Series(name: $0.0, x: offsets, y: $0.1) },
            title: "How far back a change still reaches", xLabel: "steps back k", yLabel: "|∂h_T / ∂h_(T−k)|")
        plot.yScale = .log
        plot.xRange = 0...Double(steps - 1)
        plot.caption = "One-number recurrences h_t = f(w·h_(t−1) + x_t) run over the same \(steps) inputs x ~ N(0, 1) (seed \(seed))."
        let tanhFactors = saturating.preActivations(x).map { saturating.recurrentWeight * saturating.activation.derivative($0) }
        let meanFactor = tanhFactors.reduce(0, +) / Double(tanhFactors.count)
        let attentionCost = length * length * width, recurrentCost = length * width * width
        let group = MultiHeadSection.group

        return ReportSection(id: "what-recurrent-networks-struggle-with", title: "What recurrent networks struggle with", blocks: [
            .paragraph([
                .text("Before Transformers, sequences went through recurrent networks (RNNs and their gated forms, LSTM and GRU). An RNN reads one token at a time and carries everything it has seen in a state vector:"),
            ]),
            .formula(try TeX.formula("h_t = \\tanh(W_h\\, h_{t-1} + W_x\\, x_t + b)")),
            .paragraph([.text("That one equation is the source of three problems.")]),
            .list([
                [.strong("It is sequential."), .text(" "), .math(try TeX.formula("h_t")), .text(" needs "), .math(try TeX.formula("h_{t-1}")), .text(", so the steps of one sequence cannot run in parallel; a sentence of \(length) tokens takes \(length) steps one after another. Self-attention computes all positions at once with matrix products, which is what GPUs do best.")],
                [.strong("Distant tokens are far apart."), .text(" Information from the first token reaches the last only through every state in between, \(length - 1) steps for \(length) tokens. In self-attention every token looks at every other directly: the path has length 1.")],
                [.strong("The whole past must fit in one state vector."), .text(" A fixed-size vector summarises the prefix however long it is, and each step overwrites part of it. Attention keeps every token's vector and chooses what to read at each step.")],
            ]),
            .heading("Gradients through time"),
            .paragraph([
                .text("Training unrolls the recurrence, and the gradient from the last state back to a state k steps earlier is a product of k factors, one per step, as in a deep network whose depth is the sequence length:"),
            ]),
            .formula(try TeX.formula("\\frac{\\partial h_T}{\\partial h_{T-k}} = \\prod_{t=T-k+1}^{T} w\\, f'(a_t)")),
            .paragraph([
                .text("With a single number of state the factors are easy to see. A linear recurrence with w = 0.9 keeps "),
                .math(try TeX.formula("0.9^{50} \\approx " + PowerOfTen.tex(pow(0.9, 50)))),
                .text(" of a change 50 steps back; with w = 1.1 it amplifies it "),
                .math(try TeX.formula("1.1^{50} \\approx " + PowerOfTen.tex(pow(1.1, 50)))),
                .text(" times. With tanh the factor is "), .math(try TeX.formula("1.1 \\cdot (1 - h_t^2)")),
                .text(", \(PowerOfTen.readable(meanFactor)) on average on these inputs, so even a weight above 1 vanishes once the state moves away from 0. Gated cells (LSTM, GRU) add a path whose factor can stay near 1, which helps, but the steps stay sequential."),
            ]),
            .figure(ReportFigure(
                name: "rnn-gradients", figure: plot,
                caption: "The gradient of the last state with respect to earlier states, on a logarithmic axis: it vanishes for w = 0.9 and for tanh, and explodes for the linear recurrence with w = 1.1.",
                alt: "Log-scale line plot over 0 to \(steps - 1) steps back: a straight line rising to \(PowerOfTen.readable(series[1].1[steps - 1], digits: 2)) for w = 1.1, a straight line falling to \(PowerOfTen.readable(series[0].1[steps - 1], digits: 2)) for w = 0.9, and a jagged tanh line falling far faster, to \(PowerOfTen.readable(series[2].1[steps - 1], digits: 2)).")),
            .table(ReportTable(
                header: ["steps back k"] + series.map(\.0),
                rows: tableOffsets.map { k in [String(k)] + series.map { PowerOfTen.readable($0.1[k]) } },
                numericColumns: Set(0...series.count), caption: "|∂h_T / ∂h_(T−k)| of the figure at a few offsets.")),
            .heading("What attention changes"),
            .paragraph([
                .text("A self-attention layer costs about n²·d operations for n tokens of width d; a recurrent layer about n·d². For a sentence of n = \(length) and d = \(width) that is "),
                .math(Arithmetic.formula("\(length) × \(length) × \(width) = \(group(attentionCost))")),
                .text(" against "), .math(Arithmetic.formula("\(length) × \(width) × \(width) = \(group(recurrentCost))")),
                .text(": attention is cheaper while n < d, and all of it runs in parallel. Its cost grows with n², which the section on the quadratic cost below returns to."),
            ]),
        ])
    }
}
