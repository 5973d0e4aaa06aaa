import Figures
import TransformerMath

/// "Token embeddings": a token id selects a row of a learned matrix (the same as multiplying a
/// one-hot vector by it), the sentence becomes an n × d matrix, and positions are added to it.
enum EmbeddingSection {
    static let vocabulary = ["[PAD]", "the", "cat", "sat", "on", "mat"]
    static let sentence = ["the", "cat", "sat", "on", "the", "mat"]
    static let dimension = 4
    static let seed: UInt64 = 17
    /// GPT-2's byte-level BPE vocabulary and width (small model).
    static let gpt2Vocabulary = 50_257
    static let gpt2Dimension = 768

    /// The toy embedding matrix E (|V| × d), seeded draws from N(0, 1).
    static func table() -> Matrix {
        var generator = SeededGenerator(seed: seed)
        return Matrix(rows: vocabulary.count, columns: dimension, values: (0..<(vocabulary.count * dimension)).map { _ in generator.nextNormal() })
    }

    /// The one-hot row vector of token id `id` times E, computed as a full product.
    static func oneHotProduct(_ id: Int, _ e: Matrix) -> [Double] {
        let oneHot = (0..<e.rows).map { $0 == id ? 1.0 : 0.0 }
        return (0..<e.columns).map { c in (0..<e.rows).reduce(0.0) { $0 + oneHot[$1] * e[$1, c] } }
    }

    static func make() throws -> ReportSection {
        let e = table()
        let ids = sentence.map { vocabulary.firstIndex(of: $0) ?? 0 }
        let pe = try PositionalEncoding.sinusoidal(positions: sentence.count, dModel: dimension).table
        let group = MultiHeadSection.group
        let catId = vocabulary.firstIndex(of: "cat") ?? 0
        let lookupDifference = zip(oneHotProduct(catId, e), e.row(catId)).map { abs($0 - $1) }.max() ?? 0
        func vector(_ v: [Double]) -> String { "(" + v.map { NumberFormat.fixed($0, decimals: 2) }.joined(separator: ", ") + ")" }
        let bertTokens = BlockSection.vocabulary * BlockSection.modelDimension
        let bert = BlockSection.bertBaseParameters()
        let gpt2Tokens = gpt2Vocabulary * gpt2Dimension
        let oneHot = "(" + (0..<vocabulary.count).map { $0 == catId ? "1" : "0" }.joined(separator: ", ") + ")"

        return ReportSection(id: "token-embeddings", title: "Token embeddings", blocks: [
            .paragraph([
                .text("A network computes with numbers, so text first becomes vectors. A tokenizer splits the text into tokens from a fixed vocabulary V and gives each one an id; the "),
                .strong("embedding matrix"), .text(" "), .math(try TeX.formula("E \\in \\mathbb{R}^{|V| \\times d_{\\text{model}}}")),
                .text(" holds one learned row per token, and the embedding of token id i is row i. Looking a row up is the same as multiplying a one-hot vector by E, which is why an embedding layer is an ordinary linear layer stored as a table."),
            ]),
            .paragraph([
                .text("A toy vocabulary of \(vocabulary.count) tokens with d = \(dimension): "),
                .code("cat"), .text(" has id \(catId), and "), .math(try TeX.formula("\\text{one-hot}(\\text{cat})\\, E")),
                .text(" with one-hot vector \(oneHot) gives \(vector(e.row(catId))), the same as row \(catId) of E (largest difference \(NumberFormat.short(lookupDifference))). The table starts random and is trained with the rest of the model, so tokens used in similar contexts end up with similar vectors."),
            ]),
            .table(ReportTable(
                header: ["position", "token", "id", "embedding E[id]", "PE(position)", "input E[id] + PE"],
                rows: sentence.indices.map { p in
                    [String(p), sentence[p], String(ids[p]), vector(e.row(ids[p])), vector(pe.row(p)),
                     vector(zip(e.row(ids[p]), pe.row(p)).map { $0 + $1 })]
                },
                numericColumns: [0, 2],
                caption: "“\(sentence.joined(separator: " "))” as the first layer sees it (toy table, seed \(seed), sinusoidal positions with d = \(dimension)).")),
            .paragraph([
                .text("Both occurrences of "), .code("the"),
                .text(" get the same embedding; only the positional encoding, added next, tells them apart (the next sections explain why attention needs it). The original Transformer also multiplies the embeddings by "),
                .math(try TeX.formula("\\sqrt{d_{\\text{model}}}")), .text(" before adding the positions, so that the two have comparable size."),
            ]),
            .paragraph([
                .text("Real tables are large. BERT-base has \(group(BlockSection.vocabulary)) tokens of width \(BlockSection.modelDimension): "),
                .math(Arithmetic.formula("\(group(BlockSection.vocabulary)) × \(BlockSection.modelDimension) = \(group(bertTokens))")),
                .text(" parameters, \(NumberFormat.fixed(100 * Double(bertTokens) / Double(bert), decimals: 1))% of the whole model. GPT-2's \(group(gpt2Vocabulary)) tokens need "),
                .math(Arithmetic.formula("\(group(gpt2Vocabulary)) × \(gpt2Dimension) = \(group(gpt2Tokens))")),
                .text("; GPT-2 reuses the same matrix, transposed, to turn its last hidden state back into scores over the vocabulary."),
            ]),
        ])
    }
}
