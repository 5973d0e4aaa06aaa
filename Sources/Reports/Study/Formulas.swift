/// Formulas used by the study report, each in TeX (Markdown) and MathML (HTML).
enum Formulas {
    static let dk = Formula(tex: "d_k", math: .sub(.identifier("d"), .identifier("k")))
    static let sqrtDk = Formula(tex: "\\sqrt{d_k}", math: .sqrt(dk.math))
    static let sqrtFour = Formula(tex: "\\sqrt{4} = 2", math: .row([.sqrt(.number("4")), .op("="), .number("2")]))
    static let dModel = Formula(tex: "d_{\\text{model}}", math: .sub(.identifier("d"), .text("model")))
    static let dHead = Formula(
        tex: "d_{\\text{head}} = d_{\\text{model}} / h",
        math: .row([.sub(.identifier("d"), .text("head")), .op("="), .sub(.identifier("d"), .text("model")), .op("/"), .identifier("h")]))
    static let wO = Formula(tex: "W_O", math: .sub(.identifier("W"), .identifier("O")))
    static let wQ = Formula(tex: "W_Q", math: .sub(.identifier("W"), .identifier("Q")))
    static let multiHead = Formula(
        tex: "\\operatorname{MultiHead}(X) = \\operatorname{Concat}(\\text{head}_1, \\dots, \\text{head}_h)\\, W_O",
        math: .row([
            .identifier("MultiHead"), .op("("), .identifier("X"), .op(")"), .op("="),
            .identifier("Concat"), .op("("), .sub(.text("head"), .number("1")), .op(","), .op("…"), .op(","), .sub(.text("head"), .identifier("h")), .op(")"),
            .sub(.identifier("W"), .identifier("O")),
        ]))
    static let head = Formula(
        tex: "\\text{head}_i = \\operatorname{Attention}(X W_Q^{(i)}, X W_K^{(i)}, X W_V^{(i)})",
        math: .row([
            .sub(.text("head"), .identifier("i")), .op("="), .identifier("Attention"), .op("("),
            .identifier("X"), .subSup(.identifier("W"), .identifier("Q"), .row([.op("("), .identifier("i"), .op(")")])), .op(","),
            .identifier("X"), .subSup(.identifier("W"), .identifier("K"), .row([.op("("), .identifier("i"), .op(")")])), .op(","),
            .identifier("X"), .subSup(.identifier("W"), .identifier("V"), .row([.op("("), .identifier("i"), .op(")")])), .op(")"),
        ]))
    static let sinusoidal = Formula(
        tex: "\\mathrm{PE}_{(p,\\,2i)} = \\sin\\left(\\frac{p}{10000^{2i/d_{\\text{model}}}}\\right),\\quad \\mathrm{PE}_{(p,\\,2i+1)} = \\cos\\left(\\frac{p}{10000^{2i/d_{\\text{model}}}}\\right)",
        math: .row([
            .sub(.identifier("PE"), .row([.identifier("p"), .op(","), .number("2"), .identifier("i")])), .op("="),
            .identifier("sin"), .fence("("), .fraction(.identifier("p"), .sup(.number("10000"), .row([.number("2"), .identifier("i"), .op("/"), .sub(.identifier("d"), .text("model"))]))), .fence(")"),
            .op(","), .text("  "),
            .sub(.identifier("PE"), .row([.identifier("p"), .op(","), .number("2"), .identifier("i"), .op("+"), .number("1")])), .op("="),
            .identifier("cos"), .fence("("), .fraction(.identifier("p"), .sup(.number("10000"), .row([.number("2"), .identifier("i"), .op("/"), .sub(.identifier("d"), .text("model"))]))), .fence(")"),
        ]))
    static let ropeAngle = Formula(tex: "m\\,\\theta_i", math: .row([.identifier("m"), .sub(.identifier("θ"), .identifier("i"))]))
    static let ropeTheta = Formula(
        tex: "\\theta_i = \\text{base}^{-2i/d}",
        math: .row([.sub(.identifier("θ"), .identifier("i")), .op("="), .sup(.text("base"), .row([.op("−"), .number("2"), .identifier("i"), .op("/"), .identifier("d")]))]))
    static let ropeRotation = Formula(
        tex: "\\begin{pmatrix} a' \\\\ b' \\end{pmatrix} = \\begin{pmatrix} \\cos m\\theta_i & -\\sin m\\theta_i \\\\ \\sin m\\theta_i & \\cos m\\theta_i \\end{pmatrix} \\begin{pmatrix} a \\\\ b \\end{pmatrix}",
        math: .row([
            .fence("("), .table([[.sup(.identifier("a"), .op("′"))], [.sup(.identifier("b"), .op("′"))]]), .fence(")"), .op("="),
            .fence("("),
            .table([
                [.row([.identifier("cos"), .identifier("m"), .sub(.identifier("θ"), .identifier("i"))]),
                 .row([.op("−"), .identifier("sin"), .identifier("m"), .sub(.identifier("θ"), .identifier("i"))])],
                [.row([.identifier("sin"), .identifier("m"), .sub(.identifier("θ"), .identifier("i"))]),
                 .row([.identifier("cos"), .identifier("m"), .sub(.identifier("θ"), .identifier("i"))])],
            ]),
            .fence(")"), .fence("("), .table([[.identifier("a")], [.identifier("b")]]), .fence(")"),
        ]))
    static let ropeRelative = Formula(
        tex: "(R_m q) \\cdot (R_n k) = q \\cdot (R_{n-m} k)",
        math: .row([
            .op("("), .sub(.identifier("R"), .identifier("m")), .identifier("q"), .op(")"), .op("·"), .op("("), .sub(.identifier("R"), .identifier("n")), .identifier("k"), .op(")"),
            .op("="), .identifier("q"), .op("·"), .op("("), .sub(.identifier("R"), .row([.identifier("n"), .op("−"), .identifier("m")])), .identifier("k"), .op(")"),
        ]))
    static let attention = Formula(
        tex: "\\operatorname{Attention}(Q, K, V) = \\operatorname{softmax}\\left(\\frac{Q K^\\top}{\\sqrt{d_k}}\\right) V",
        math: .row([
            .identifier("Attention"), .op("("), .identifier("Q"), .op(","), .identifier("K"), .op(","), .identifier("V"), .op(")"),
            .op("="), .identifier("softmax"), .fence("("),
            .fraction(.row([.identifier("Q"), .sup(.identifier("K"), .op("⊤"))]), .sqrt(dk.math)),
            .fence(")"), .identifier("V"),
        ]))
    static let sentenceProbability = Formula(
        tex: "P(y_1, \\dots, y_T) = \\prod_{t=1}^{T} p(y_t \\mid y_{<t}), \\qquad \\log P = \\sum_{t=1}^{T} \\log p(y_t \\mid y_{<t})",
        math: .row([
            .identifier("P"), .op("("), .sub(.identifier("y"), .number("1")), .op(","), .op("…"), .op(","), .sub(.identifier("y"), .identifier("T")), .op(")"), .op("="),
            .subSup(.op("∏"), .row([.identifier("t"), .op("="), .number("1")]), .identifier("T")),
            .identifier("p"), .op("("), .sub(.identifier("y"), .identifier("t")), .op("∣"), .sub(.identifier("y"), .row([.op("<"), .identifier("t")])), .op(")"),
            .op(","), .text("\u{2003}\u{2003}"),
            .identifier("log"), .identifier("P"), .op("="),
            .subSup(.op("∑"), .row([.identifier("t"), .op("="), .number("1")]), .identifier("T")),
            .identifier("log"), .identifier("p"), .op("("), .sub(.identifier("y"), .identifier("t")), .op("∣"), .sub(.identifier("y"), .row([.op("<"), .identifier("t")])), .op(")"),
        ]))
    static let lengthPenalty = Formula(
        tex: "\\text{score} = \\frac{\\log P}{\\text{length}^{a}}",
        math: .row([.text("score"), .op("="), .fraction(.row([.identifier("log"), .identifier("P")]), .sup(.text("length"), .identifier("a")))]))

    /// Worked arithmetic such as `P = 0.7 × 0.35 = 0.245`: numbers, operators and single-letter names.
    static func arithmetic(_ text: String) -> Formula {
        let parts = text.split(separator: " ").map(String.init)
        let nodes = parts.map { part -> MathNode in
            if part.first?.isNumber == true { return .number(part) }
            if part.count == 1, part.first?.isLetter == true { return .identifier(part) }
            return .op(part)
        }
        let tex = parts.map { $0 == "×" ? "\\times" : $0 }.joined(separator: " ")
        return Formula(tex: tex, math: .row(nodes))
    }
}
