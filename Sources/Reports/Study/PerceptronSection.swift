import Figures
import TransformerMath

/// "Perceptrons, XOR and nonlinearity": why one perceptron cannot compute XOR (proof and a training
/// run), why stacked linear layers collapse into one, and how a ReLU between them solves XOR.
enum PerceptronSection {
    /// The four inputs of a two-input Boolean function, in truth-table order.
    static let inputs: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
    static let xor = [0, 1, 1, 0]
    static let or = [0, 1, 1, 1]
    static let epochs = 100
    /// The axes of the decision-region figure.
    static let domain = -0.5...1.5

    /// The best a single line can do: x₁ + x₂ − 0.5 > 0, which is OR.
    static let bestLine = Perceptron(weights: [1, 1], bias: -0.5)

    /// The two-layer network of the section with activation `f`: h = f(W₁x + b₁), y = h₁ − 2h₂.
    /// With ReLU it computes XOR exactly; with the identity it is one linear map.
    static func network(_ f: Activation) -> TwoLayerNetwork {
        TwoLayerNetwork(hiddenWeights: Matrix([[1, 1], [1, 1]]), hiddenBiases: [0, -1], outputWeights: [1, -2], outputBias: 0, activation: f)
    }

    /// A network's class: its output thresholded at ½.
    static func classify(_ net: TwoLayerNetwork, _ x: [Double]) -> Int { net.output(x) > 0.5 ? 1 : 0 }

    static func correct(_ net: TwoLayerNetwork) -> Int {
        zip(inputs, xor).filter { classify(net, $0.0) == $0.1 }.count
    }

    static func make() throws -> ReportSection {
        let xorRun = Perceptron.train(inputs: inputs, targets: xor, epochs: epochs)
        let orRun = Perceptron.train(inputs: inputs, targets: or, epochs: epochs)
        guard let orEpochs = orRun.convergedAt, xorRun.convergedAt == nil, let cycle = xorRun.cycle else {
            throw ReportError.figure(name: "perceptron-xor", reason: "the perceptron runs did not behave as the text says")
        }
        let bestSeen = xorRun.correct.max() ?? 0
        let linear = network(.identity), relu = network(.relu)
        let collapsed = linear.collapsed
        let bestCorrect = bestLine.correct(inputs: inputs, targets: xor)
        let wrongOfBest = zip(inputs, xor).filter { bestLine.classify($0.0) != $0.1 }.map { tuple($0.0) }
        let wrongOfLinear = zip(inputs, xor).filter { classify(linear, $0.0) != $0.1 }.map { tuple($0.0) }

        return ReportSection(id: "perceptrons-xor-and-nonlinearity", title: "Perceptrons, XOR and nonlinearity", blocks: [
            .paragraph([
                .text("A perceptron weighs its inputs, adds a bias and fires when the sum is positive. With two inputs:"),
            ]),
            .formula(try TeX.formula("y = \\begin{cases} 1 & \\text{if } w_1 x_1 + w_2 x_2 + b > 0 \\\\ 0 & \\text{otherwise} \\end{cases}")),
            .paragraph([
                .text("The inputs where the sum is exactly zero form a straight line, the "), .strong("decision boundary"),
                .text(": one side is class 1, the other class 0. So a perceptron can learn a function only if a straight line separates its two classes. AND and OR are like that. XOR, which is 1 when exactly one input is 1, is not."),
            ]),
            .table(ReportTable(
                header: ["x₁", "x₂", "x₁ OR x₂", "x₁ XOR x₂"],
                rows: inputs.indices.map { i in [plain(inputs[i][0]), plain(inputs[i][1]), "\(or[i])", "\(xor[i])"] },
                numericColumns: [0, 1, 2, 3], caption: "OR and XOR of two bits.")),
            .heading("Why no line separates XOR"),
            .paragraph([
                .text("Suppose some weights did compute XOR. The four rows of the table demand "),
                .math(try TeX.formula("b \\le 0")), .text(", "), .math(try TeX.formula("w_2 + b > 0")), .text(", "),
                .math(try TeX.formula("w_1 + b > 0")), .text(" and "), .math(try TeX.formula("w_1 + w_2 + b \\le 0")),
                .text(". Adding the middle two gives "), .math(try TeX.formula("w_1 + w_2 + 2b > 0")), .text(", so "),
                .math(try TeX.formula("w_1 + w_2 + b > -b \\ge 0")),
                .text(", which contradicts the last row. No choice of weights works, however long one trains."),
            ]),
            .paragraph([
                .text("Training shows the same thing. Rosenblatt's rule starts from zero weights and, after each wrong answer, moves the weights towards the input ("),
                .math(try TeX.formula("w \\leftarrow w + (t - y)\\,x")),
                .text(", "), .math(try TeX.formula("b \\leftarrow b + (t - y)")),
                .text("). On OR it makes no mistake in epoch \(orEpochs) and stops. On XOR it never does: after \(xorRun.epochs.count) epochs the end-of-epoch weights repeat "),
                .text(cycle.length == 1 ? "every epoch" : "every \(cycle.length) epochs"),
                .text(" from epoch \(cycle.start) on, and the best of them classifies \(bestSeen) of the 4 inputs correctly. The best any line can do is 3 of 4: the line "),
                .math(try TeX.formula("x_1 + x_2 = 0.5")),
                .text(" gets \(bestCorrect) right and only \(list(wrongOfBest)) wrong."),
            ]),
            .heading("Stacked linear layers stay linear"),
            .paragraph([
                .text("More layers alone do not help. Two linear layers, "), .math(try TeX.formula("h = W_1 x + b_1")), .text(" and "),
                .math(try TeX.formula("y = w_2^\\top h + b_2")), .text(", multiply out into one:"),
            ]),
            .formula(try TeX.formula("y = w_2^\\top (W_1 x + b_1) + b_2 = (w_2^\\top W_1)\\, x + (w_2^\\top b_1 + b_2)")),
            .paragraph([
                .text("A product of matrices is a matrix, so any stack of linear layers is a single linear layer with the same boundary: a straight line. Take the weights used below, "),
                .math(try TeX.formula("W_1 = \\begin{pmatrix} 1 & 1 \\\\ 1 & 1 \\end{pmatrix}")), .text(", "),
                .math(try TeX.formula("b_1 = (0, -1)")), .text(", "), .math(try TeX.formula("w_2 = (1, -2)")), .text(", "),
                .math(try TeX.formula("b_2 = 0")), .text(". Without an activation the network is "),
                .math(try TeX.formula(linearFormula(collapsed.weights, collapsed.bias))),
                .text(", one line; with the threshold ½ it gets \(correct(linear)) of 4 and misclassifies \(list(wrongOfLinear))."),
            ]),
            .heading("A ReLU between the layers solves XOR"),
            .paragraph([
                .text("Put "), .math(try TeX.formula("\\operatorname{ReLU}(z) = \\max(0, z)")),
                .text(" after the first layer and the same weights compute XOR exactly. Both hidden units see "),
                .math(try TeX.formula("x_1 + x_2")), .text("; the second only switches on once the sum passes 1, and its weight −2 then cancels the first:"),
            ]),
            .table(ReportTable(
                header: ["x₁", "x₂", "W₁x + b₁", "h = ReLU(W₁x + b₁)", "y = h₁ − 2h₂", "XOR"],
                rows: inputs.indices.map { i in
                    let x = inputs[i]
                    return [plain(x[0]), plain(x[1]), tuple(relu.hiddenPreActivations(x)), tuple(relu.hidden(x)), plain(relu.output(x)), "\(xor[i])"]
                },
                numericColumns: [0, 1, 4, 5], caption: "The ReLU network on the four inputs, computed.")),
            .figure(ReportFigure(
                name: "xor-decision-regions", figure: decisionRegions(),
                caption: "Which class each classifier predicts across the plane, with the four XOR inputs. One line gets 3 of 4 at best; two linear layers are still one line; with a ReLU the class-1 region is the band between two lines.",
                alt: "Three square plots of the plane from −0.5 to 1.5. Left: one line x₁ + x₂ = 0.5 separates the corner (0, 0) from the rest, and (1, 1) is ringed as wrong. Middle: one line x₁ + x₂ = 1.5 with (0, 0) ringed as wrong. Right: a diagonal band between x₁ + x₂ = 0.5 and 1.5 holds (0, 1) and (1, 0); no point is ringed.")),
            .paragraph([
                .text("Each hidden unit contributes one line, and the nonlinearity lets the output combine the two half-planes instead of adding them into a third line. With enough hidden units, such a network can approximate any continuous function on a bounded region (the universal approximation theorem), and the same reason explains the feed-forward block of every Transformer layer: without its activation, the block would be one matrix."),
            ]),
        ])
    }

    /// The three panels: the best single line, two linear layers, and the ReLU network.
    static func decisionRegions() -> DecisionRegionFigure {
        let samples = zip(inputs, xor).map { DecisionRegionFigure.Sample(x: $0.0[0], y: $0.0[1], target: $0.1) }
        let resolution = 240
        let linear = network(.identity), relu = network(.relu)
        let collapsed = linear.collapsed
        func line(_ w: [Double], _ b: Double) -> DecisionRegionFigure.Line {
            DecisionRegionFigure.Line(a: w[0], b: w[1], c: b)
        }
        let panels = [
            DecisionRegionFigure.Panel(
                title: "One perceptron", note: "\(bestLine.correct(inputs: inputs, targets: xor)) of 4 correct at best",
                domain: domain, resolution: resolution, samples: samples, boundaries: [line(bestLine.weights, bestLine.bias)]
            ) { bestLine.classify([$0, $1]) },
            // The boundary of a linear network thresholded at ½ is where its linear map equals ½.
            DecisionRegionFigure.Panel(
                title: "Two linear layers", note: "\(correct(linear)) of 4 correct: still one line",
                domain: domain, resolution: resolution, samples: samples, boundaries: [line(collapsed.weights, collapsed.bias - 0.5)]
            ) { classify(linear, [$0, $1]) },
            // y = s for 0 ≤ s ≤ 1 and 2 − s for s ≥ 1, with s = x₁ + x₂: y = ½ at s = ½ and s = 3/2.
            DecisionRegionFigure.Panel(
                title: "Two layers with ReLU", note: "\(correct(relu)) of 4 correct",
                domain: domain, resolution: resolution, samples: samples,
                boundaries: [DecisionRegionFigure.Line(a: 1, b: 1, c: -0.5), DecisionRegionFigure.Line(a: 1, b: 1, c: -1.5)]
            ) { classify(relu, [$0, $1]) },
        ]
        var figure = DecisionRegionFigure(
            samples: samples, panels: panels, domain: domain, title: "XOR: one line is not enough",
            caption: "Shading is the predicted class at each point of the plane; circles are inputs whose XOR is 1, squares inputs whose XOR is 0.")
        figure.classNames = ["XOR = 0", "XOR = 1"]
        // Three panels in the page column stay legible at this size.
        figure.panelSide = 150
        return figure
    }

    static func plain(_ v: Double) -> String { NumberFormat.short(v) }
    /// A vector or a point as `(0, −1)`.
    static func tuple(_ v: [Double]) -> String { "(" + v.map(plain).joined(separator: ", ") + ")" }
    static func list(_ items: [String]) -> String {
        items.count <= 1 ? (items.first ?? "nothing") : items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
    }

    /// `y = a x_1 + b x_2 + c` in TeX, with signs folded and unit coefficients written bare.
    static func linearFormula(_ w: [Double], _ b: Double) -> String {
        var tex = "y ="
        for (i, coefficient) in w.enumerated() where coefficient != 0 {
            let magnitude = abs(coefficient) == 1 ? "" : plain(abs(coefficient))
            let first = tex == "y ="
            let sign = coefficient < 0 ? (first ? " -" : " - ") : (first ? " " : " + ")
            tex += "\(sign)\(magnitude)x_\(i + 1)"
        }
        if b != 0 { tex += (b < 0 ? " - " : " + ") + plain(abs(b)) }
        return tex
    }
}
