/// Formulas used by the study report, each in TeX (Markdown) and MathML (HTML).
enum Formulas {
    static let dk = Formula(tex: "d_k", math: .sub(.identifier("d"), .identifier("k")))
    static let sqrtDk = Formula(tex: "\\sqrt{d_k}", math: .sqrt(dk.math))
    static let sqrtFour = Formula(tex: "\\sqrt{4} = 2", math: .row([.sqrt(.number("4")), .op("="), .number("2")]))
    static let attention = Formula(
        tex: "\\operatorname{Attention}(Q, K, V) = \\operatorname{softmax}\\left(\\frac{Q K^\\top}{\\sqrt{d_k}}\\right) V",
        math: .row([
            .identifier("Attention"), .op("("), .identifier("Q"), .op(","), .identifier("K"), .op(","), .identifier("V"), .op(")"),
            .op("="), .identifier("softmax"), .op("("),
            .fraction(.row([.identifier("Q"), .sup(.identifier("K"), .op("⊤"))]), .sqrt(dk.math)),
            .op(")"), .identifier("V"),
        ]))
}
