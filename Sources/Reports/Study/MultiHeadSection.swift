import Figures
import TransformerMath

/// "Multi-head attention": why several heads, how the split works, what it costs, and a head grid
/// of a seeded toy model.
enum MultiHeadSection {
    static let tokens = ["the", "animal", "did", "not", "cross", "the", "street", "because", "it", "was", "tired"]
    static let modelDimension = 16
    static let heads = 4

    static func make() throws -> ReportSection {
        let toy = try ToyAttention(tokens: tokens, modelDimension: modelDimension, heads: heads, seed: 7)
        var grid = HeadGridFigure(
            rows: stride(from: 0, to: heads, by: 2).map { start in
                (start..<(start + 2)).map { HeadGridFigure.Panel(matrix: toy.attention.headSteps[$0].weights, layer: nil, head: $0) }
            },
            title: "Four heads of one toy attention layer")
        grid.rowTokens = tokens
        grid.columnTokens = tokens
        grid.caption = "d_model = \(modelDimension), h = \(heads), d_head = \(modelDimension / heads), seeded embeddings + sinusoidal positions, seed 7"

        var lines = LinesFigure(heads: [toy.attention.headSteps[0].weights, toy.attention.headSteps[1].weights], headNames: ["head 0", "head 1"])
        lines.queryTokens = tokens
        lines.keyTokens = tokens
        lines.threshold = 0.15
        lines.title = "Two heads as lines"
        lines.caption = "Heads 0 and 1 of the same toy layer"
        let sizes = [(512, 8, "original Transformer (base)"), (768, 12, "BERT-base, GPT-2 small"), (1024, 16, "BERT-large, GPT-2 medium")]
        let rows = sizes.map { d, h, name -> [String] in
            let counts = MultiHeadAttention.parameterCounts(modelDimension: d)
            return [name, group(d), String(h), String(d / h), group(counts.queryKeyValueWeights), group(counts.total)]
        }
        let bert = MultiHeadAttention.parameterCounts(modelDimension: 768)

        return ReportSection(id: "multi-head-attention", title: "Multi-head attention", blocks: [
            .paragraph([
                .text("One attention head gives each query a single set of weights over the keys: one softmax, one weighted average. A word that needs its verb for one purpose and its article for another has to squeeze both into that one distribution. "),
                .strong("Multi-head attention"),
                .text(" runs h heads side by side. Each head projects the input into its own, smaller space of "), .math(Formulas.dHead),
                .text(" dimensions, computes its own attention there, and returns its own output; the outputs are concatenated back to "),
                .math(Formulas.dModel), .text(" dimensions and mixed by one more matrix, "), .math(Formulas.wO), .text("."),
            ]),
            .formula(Formulas.multiHead),
            .formula(Formulas.head),
            .paragraph([
                .text("In practice the heads are not separate matrices: "), .math(Formulas.wQ),
                .text(" is one "), .math(Formulas.dModel), .text(" × "), .math(Formulas.dModel),
                .text(" matrix, and head i uses columns "), .code("i·d_head ..< (i+1)·d_head"),
                .text(" of it. Splitting into heads therefore costs no parameters at all: h heads of "), .math(Formulas.dHead),
                .text(" dimensions hold exactly as many numbers as one head of "), .math(Formulas.dModel),
                .text(". What changes is that each head normalises its own softmax, so each can specialise."),
            ]),
            .table(ReportTable(
                header: ["model", "d_model", "h", "d_head", "Q, K, V weights", "with W_O and biases"], rows: rows,
                numericColumns: [1, 2, 3, 4, 5],
                caption: "Sizes of one attention layer, computed: Q, K, V weights are 3·d_model², the whole layer 4·d_model² + 4·d_model")),
            .paragraph([
                .text("For BERT-base that is 3 · 768² = \(group(bert.queryKeyValueWeights)) numbers in the three projections and \(group(bert.total)) in the whole attention layer, the same whether it is read as 12 heads of 64 dimensions or as one head of 768."),
            ]),
            .figure(ReportFigure(
                name: "multi-head-grid", figure: grid,
                caption: "Every head of one toy layer on one colour scale. Even with random projections the heads spread their attention differently; trained heads specialise far more.",
                alt: "Four small heatmaps side by side, one per head, over the eleven tokens of the sentence the animal did not cross the street because it was tired, sharing one colour bar.")),
            .paragraph([
                .text("A heatmap answers “how much does query i attend to key j”; the lines view below answers “where does each token look” at a glance. Each query on the left is joined to the keys on the right it attends to, thicker and darker for larger weights, one colour per head, weak links left out."),
            ]),
            .figure(ReportFigure(
                name: "multi-head-lines", figure: lines,
                caption: "The first two heads drawn as lines between the tokens: each head has its own colour, and links below 0.15 are hidden.",
                alt: "Two columns of the eleven tokens with coloured lines from each query on the left to the keys it attends to on the right, blue for head 0 and orange for head 1.")),
            .paragraph([
                .text("Real models stack many such layers. The layer × head overview ("), .code("transfigure heads attentions.npy"),
                .text(") draws all of them at once on one scale, so heads that attend to the previous token, to the first token, or evenly to everything stand out; "),
                .code("transfigure heatmap"), .text(" then shows one head large enough to read its tokens."),
            ]),
        ])
    }

    /// `1769472` as `1,769,472`.
    static func group(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }
}
