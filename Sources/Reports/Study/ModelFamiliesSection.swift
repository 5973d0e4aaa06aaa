import Figures
import Foundation
import TransformerMath

/// "GPT, BERT and encoder-decoder models": bidirectional against causal self-attention on the
/// same toy layer, cross-attention between a decoder and an encoder, and the two training objectives.
enum ModelFamiliesSection {
    static let sentence = ["the", "cat", "sat", "on", "the", "mat"]
    static let source = ["die", "Katze", "schläft", "."]
    static let target = ["the", "cat", "is", "asleep", "."]
    static let modelDimension = 16
    static let seed: UInt64 = 3
    static let crossSeed: UInt64 = 11
    /// BERT's masking rate, and the context length of the worked count.
    static let maskingRate = 0.15
    static let contextLength = 512

    /// The same toy layer without and with a causal mask.
    static func toyLayers() throws -> (bidirectional: Matrix, causal: Matrix) {
        let open = try ToyAttention(tokens: sentence, modelDimension: modelDimension, seed: seed)
        let causal = try ToyAttention(tokens: sentence, modelDimension: modelDimension, seed: seed, mask: .causal)
        return (open.attention.headSteps[0].weights, causal.attention.headSteps[0].weights)
    }

    /// Cross-attention of the decoder's target tokens (queries) over the encoder's source tokens (keys).
    static func crossWeights() throws -> Matrix {
        try ToyCrossAttention.weights(queries: target, keys: source, seed: crossSeed)
    }

    static func make() throws -> ReportSection {
        let (bidirectional, causal) = try toyLayers()
        let cross = try crossWeights()
        let n = sentence.count, last = n - 1
        func w(_ v: Double) -> String { NumberFormat.fixed(v, decimals: 2) }

        var openFigure = HeatmapFigure(matrix: bidirectional)
        openFigure.rowTokens = sentence
        openFigure.columnTokens = sentence
        openFigure.title = "Bidirectional self-attention (encoder, BERT)"
        openFigure.caption = "Toy layer: d_model = \(modelDimension), one head, seeded embeddings + sinusoidal positions, seed \(seed), no mask"
        var causalFigure = openFigure
        causalFigure.matrix = causal
        causalFigure.mask = .causal
        causalFigure.title = "Causal self-attention (decoder, GPT)"
        causalFigure.caption = "The same toy layer with a causal mask: hatched keys lie in the future of the query"
        var crossFigure = HeatmapFigure(matrix: cross)
        crossFigure.rowTokens = target
        crossFigure.columnTokens = source
        crossFigure.title = "Cross-attention (encoder-decoder)"
        crossFigure.rowAxisTitle = "decoder query"
        crossFigure.columnAxisTitle = "encoder key"
        crossFigure.caption = "Toy encoder-decoder: \(target.count) decoder queries × \(source.count) encoder keys, seeded embeddings and projections, seed \(crossSeed)"

        // Row 1 worked: the causal row is the bidirectional row cut to the visible keys and renormalised.
        let row = 1
        let visible = (0...row).map { bidirectional[row, $0] }
        let visibleSum = visible.reduce(0, +)
        let pairsCausal = n * (n + 1) / 2, pairsOpen = n * n
        let targets = (gpt: contextLength - 1, bert: Int((maskingRate * Double(contextLength)).rounded()))

        return ReportSection(id: "gpt-bert-and-encoder-decoder-models", title: "GPT, BERT and encoder-decoder models", blocks: [
            .paragraph([
                .text("The original Transformer had two stacks: an "), .strong("encoder"), .text(" that reads the input sentence and a "),
                .strong("decoder"), .text(" that writes the output one token at a time. Later model families kept one stack or both. BERT is an encoder only; GPT is a decoder only; T5 and BART keep both. Their blocks are built from the same parts. What differs is which tokens each attention layer may look at, and what the model is trained to predict."),
            ]),
            .heading("Bidirectional and causal attention"),
            .paragraph([
                .text("In an encoder every token attends to every token, before and after it: the attention is "), .strong("bidirectional"),
                .text(". A decoder that generates text must not see the tokens it has yet to write, so its self-attention is "), .strong("causal"),
                .text(": token i attends only to tokens 0 to i, and the scores of later keys are set to −∞ before the softmax. The two figures show one toy layer computed both ways."),
            ]),
            .figure(ReportFigure(
                name: "families-bidirectional", figure: openFigure,
                caption: "Encoder-style attention of a toy layer over “\(sentence.joined(separator: " "))”: every query spreads its weight over all \(n) keys.",
                alt: "A \(n) by \(n) heatmap over the tokens \(sentence.joined(separator: " ")) with a weight in every cell; every row sums to 1.")),
            .figure(ReportFigure(
                name: "families-causal", figure: causalFigure,
                caption: "Decoder-style attention of the same layer: keys after the query are masked, the first token can only attend to itself, and only the last row sees the whole sentence.",
                alt: "The same \(n) by \(n) heatmap with every cell above the diagonal hatched as masked; the first row has weight \(w(causal[0, 0])) on its own token.")),
            .paragraph([
                .text("The mask does not change the scores of the visible keys, only which keys take part in the softmax. Each causal row is therefore the bidirectional row cut off after the diagonal and rescaled to sum to 1. For the query "),
                .code(sentence[row]), .text(", the bidirectional weights on "), .code(sentence[0]), .text(" and "), .code(sentence[1]),
                .text(" are \(visible.map(w).joined(separator: " and ")), together \(w(visibleSum)); divided by that sum they become \(visible.map { w($0 / visibleSum) }.joined(separator: " and ")), the causal row. The last query, "),
                .code(sentence[last]), .text(", sees every key either way, so its two rows are the same."),
            ]),
            .paragraph([
                .text("A causal layer uses \(pairsCausal) of the \(pairsOpen) query–key pairs of this \(n)-token sentence, n(n + 1)/2 in general, a little over half for long sequences. Implementations usually still compute the full score matrix and mask it; the saving is that a decoder can cache the keys and values of earlier tokens and compute only one new row of attention for each generated token."),
            ]),
            .heading("Encoder-decoder models and cross-attention"),
            .paragraph([
                .text("An encoder-decoder model adds a third kind of attention to every decoder layer. In "), .strong("cross-attention"),
                .text(" the queries come from the decoder (the output written so far), while the keys and values come from the encoder's final layer (the input). Each output token can thus look up whichever input tokens it needs. The matrix is not square, target length × source length, and it has no causal mask: the whole input is known before decoding starts. Only the decoder's own self-attention is causal."),
            ]),
            .formula(Math.cross),
            .figure(ReportFigure(
                name: "families-cross", figure: crossFigure,
                caption: "Cross-attention of a toy encoder-decoder translating “\(source.joined(separator: " "))” into “\(target.joined(separator: " "))”: rows are decoder queries, columns encoder keys; each row sums to 1. The projections are random, so the pattern is not yet an alignment.",
                alt: "A heatmap with \(target.count) rows for the English tokens and \(source.count) columns for the German tokens, with a weight in every cell and no masked cells.")),
            .table(ReportTable(
                header: ["family", "attention", "trained to", "examples"],
                rows: [
                    ["encoder only", "bidirectional self-attention", "fill in masked tokens", "BERT, RoBERTa"],
                    ["decoder only", "causal self-attention", "predict the next token", "GPT-2, GPT-3, LLaMA"],
                    ["encoder-decoder", "bidirectional in the encoder; causal self-attention and cross-attention in the decoder", "produce the target sequence from the source", "original Transformer, T5, BART"],
                ],
                caption: "The three Transformer families.")),
            .heading("Training objectives"),
            .paragraph([
                .strong("Next-token prediction"),
                .text(" (GPT). The model reads a text and, at every position, gives a probability distribution over the next token; training maximises the log-probability of the token that actually follows. Thanks to the causal mask one pass over a sequence trains every position at once without letting any position see its answer: a \(contextLength)-token sequence yields \(targets.gpt) predictions, one for every token after the first. The same model then generates text by sampling one token at a time."),
            ]),
            .formula(Math.nextToken),
            .paragraph([
                .strong("Masked-language modelling"),
                .text(" (BERT). About \(NumberFormat.plain(maskingRate * 100)) per cent of the input tokens are chosen; most are replaced by a "), .code("[MASK]"),
                .text(" token, some by a random token and some are left unchanged, and the model must recover the originals from the context on both sides. Bidirectional attention is what makes this possible, and it gives rich representations for understanding tasks such as classification and question answering. The price is that only the chosen tokens are predicted, about \(targets.bert) per \(contextLength)-token sequence, and that the model cannot generate text left to right."),
            ]),
            .formula(Math.masked),
        ])
    }

    /// The section's formulas, written in TeX.
    private enum Math {
        static let cross = Formula(tex: "Q = H_{\\text{dec}} W_Q, \\quad K = H_{\\text{enc}} W_K, \\quad V = H_{\\text{enc}} W_V")
        static let nextToken = Formula(tex: "\\mathcal{L}_{\\text{next}} = -\\sum_{t=2}^{T} \\log p(x_t \\mid x_{<t})")
        static let masked = Formula(tex: "\\mathcal{L}_{\\text{MLM}} = -\\sum_{t \\in M} \\log p(x_t \\mid x_{\\setminus M})")
    }
}
