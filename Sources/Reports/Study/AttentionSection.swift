import Figures
import TransformerMath

/// "Scaled dot-product attention", worked on a six-token sentence with hand-picked vectors,
/// so a reader can redo every number with pencil and paper.
enum AttentionSection {
    static let tokens = ["The", "cat", "chased", "the", "mouse", "it"]
    /// Feature meanings of the four dimensions, for the tables.
    static let features = ["noun", "verb", "article", "agent"]
    /// What each token looks for.
    static let queries = Matrix([
        [2, 0, 0, 0], [0, 2, 0, 0], [1, 0, 0, 1], [2, 0, 0, 0], [0, 2, 0, 0], [1, 0, 0, 2],
    ])
    /// What each token offers to be found by.
    static let keys = Matrix([
        [0, 0, 2, 0], [2, 0, 0, 2], [0, 2, 0, 1], [0, 0, 2, 0], [2, 0, 0, 0], [1, 0, 0, 0],
    ])

    static func make() throws -> ReportSection {
        let open = try AttentionSteps(q: queries, k: keys)
        let causal = try AttentionSteps(q: queries, k: keys, mask: .causal)
        let last = tokens.count - 1
        let dk = queries.columns

        func row(_ m: Matrix, _ r: Int, decimals: Int) -> String {
            m.row(r).map { NumberFormat.fixed($0, decimals: decimals) }.joined(separator: ", ")
        }
        var weightsFigure = HeatmapFigure(matrix: open.weights)
        weightsFigure.rowTokens = tokens
        weightsFigure.columnTokens = tokens
        weightsFigure.caption = "softmax(QKᵀ/√\(dk)) for the sentence, no mask"
        var causalFigure = weightsFigure
        causalFigure.matrix = causal.weights
        causalFigure.mask = .causal
        causalFigure.title = "Attention weights with a causal mask"
        causalFigure.caption = "softmax(QKᵀ/√\(dk)) with keys after each query masked"

        var stepsFigure = AttentionStepsFigure(steps: causal)
        stepsFigure.queryTokens = tokens
        stepsFigure.keyTokens = tokens
        stepsFigure.caption = "Hand-picked Q and K of the worked sentence"
        stepsFigure.panelSide = 200
        let strongest = (0..<open.weights.columns).max { open.weights[last, $0] < open.weights[last, $1] } ?? 0
        let diagonalWins = (0..<open.weights.rows).filter { r in
            (0..<open.weights.columns).allSatisfy { open.weights[r, r] >= open.weights[r, $0] }
        }.count

        return ReportSection(id: "scaled-dot-product-attention", title: "Scaled dot-product attention", blocks: [
            .paragraph([
                .text("Attention lets every token build its new representation from the tokens it finds relevant. Each token emits three vectors: a "),
                .strong("query"), .text(" (what it is looking for), a "), .strong("key"),
                .text(" (what it can be found by) and a "), .strong("value"),
                .text(" (what it passes on when found). The relevance of key j to query i is their dot product; a softmax turns each row of relevances into weights that are positive and sum to 1; the output of query i is the weighted average of the values."),
            ]),
            .formula(Formulas.attention),
            .paragraph([
                .text("Why divide by "), .math(Formulas.sqrtDk), .text("? If the components of q and k are independent with mean 0 and variance 1, the dot product of two "),
                .math(Formulas.dk), .text("-dimensional vectors has mean 0 and variance "), .math(Formulas.dk),
                .text(". Without scaling, a model with "), .math(Formulas.dk), .text(" = 64 would feed the softmax scores with a standard deviation of 8: one key takes nearly all the weight and the gradients through the others vanish. Dividing by "),
                .math(Formulas.sqrtDk), .text(" brings the variance back to 1."),
            ]),
            .heading("A sentence worked by hand"),
            .paragraph([
                .text("Take the six tokens "), .code(tokens.joined(separator: " ")), .text(" and \(dk)-dimensional queries and keys whose coordinates mean "),
                .text(features.map { "“\($0)”" }.joined(separator: ", ")),
                .text(". Articles look for nouns, nouns look for their verb, and the pronoun looks for a noun that acts (an agent)."),
            ]),
            .table(vectorTable(queries, caption: "Queries Q: what each token looks for")),
            .table(vectorTable(keys, caption: "Keys K: what each token offers")),
            .paragraph([
                .text("Follow the last token, "), .code(tokens[last]), .text(". Its raw scores against the six keys are "),
                .text(row(open.scores, last, decimals: 0)), .text("; divided by "), .math(Formulas.sqrtFour), .text(" they become "),
                .text(row(open.scaled, last, decimals: 1)), .text("; the softmax turns them into the weights "),
                .text(row(open.weights, last, decimals: 3)),
                .text(". The largest weight goes to "), .code(tokens[strongest]),
                .text(": the pronoun has found its agent. The weights in every row sum to 1, as Figure 1 shows."),
            ]),
            .figure(ReportFigure(
                name: "attention-weights", figure: weightsFigure,
                caption: "Attention weights of the worked sentence. Row i shows how query i spreads its attention over the keys; each row sums to 1.",
                alt: "Heatmap of a 6 by 6 attention matrix over the tokens The cat chased the mouse it, with the weight written in every cell; the row for it is brightest at cat.")),
            .paragraph([
                .text("A common belief is that a token always attends most to itself, so the diagonal holds the largest weights. Nothing in the formula makes that so: here \(diagonalWins == 0 ? "none" : "only \(diagonalWins)") of the \(tokens.count) rows \(diagonalWins == 1 ? "has its" : "have their") largest weight on the diagonal. A token attends to itself exactly as much as its own key matches its own query."),
            ]),
            .heading("Masks"),
            .paragraph([
                .text("A decoder that generates text one token at a time must not look at tokens that come later. A "), .strong("causal mask"),
                .text(" sets the scores of keys after the query to −∞ before the softmax, so their weights are exactly 0 and the rest of the row still sums to 1. The first token can only attend to itself, so its weight on itself is 1. A "),
                .strong("padding mask"), .text(" does the same for the filler tokens that make sentences of different lengths fit one batch."),
            ]),
            .paragraph([
                .text("The next figure lays the whole computation out for the masked case: the raw scores, the same scores divided by "),
                .math(Formulas.sqrtFour), .text(", the masked entries replaced by −∞, and the softmax of each row. Red and blue show the sign of a score; only the last panel is a probability."),
            ]),
            .figure(ReportFigure(
                name: "attention-steps", figure: stepsFigure,
                caption: "Scaled dot-product attention step by step for the worked sentence under a causal mask.",
                alt: "Four heatmaps: raw scores and scaled scores in red and blue, the scaled scores with the upper triangle hatched and marked minus infinity, and the lower-triangular softmax weights.")),
            .figure(ReportFigure(
                name: "attention-weights-causal", figure: causalFigure,
                caption: "The same scores under a causal mask. Hatched cells are masked: their weight is 0 by construction, not by the data.",
                alt: "Lower-triangular heatmap of the same sentence; cells above the diagonal are hatched as masked and the first row has weight 1.00 on The.")),
        ])
    }

    private static func vectorTable(_ m: Matrix, caption: String) -> ReportTable {
        ReportTable(
            header: ["token"] + features,
            rows: (0..<m.rows).map { r in [tokens[r]] + m.row(r).map { NumberFormat.short($0) } },
            numericColumns: Set(1...features.count), caption: caption)
    }
}
