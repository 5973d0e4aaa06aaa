import AttentionKernels
import Figures
import Foundation
import TransformerMath

/// One example of every figure kind and style, drawn from seeded synthetic data, so a reader can
/// look at them all (`transfigure gallery -o DIR`).
public enum Gallery {
    /// A named figure of the gallery; `name` is the file name without extension.
    public struct Entry: Sendable {
        /// File name stem, `kind-style`.
        public let name: String
        /// What to draw.
        public let figure: any Figure
    }

    /// Every entry, in a stable order. `longContextLength` is the token count of the long-context
    /// attention entry (default 32,768).
    public static func entries(longContextLength: Int = defaultLongContextLength) throws -> [Entry] {
        let tokens = ["[CLS]", "the", "animal", "didn", "'", "t", "cross", "the", "street", "because", "it", "was", "too", "tire", "##d", "[SEP]"]
        let model = syntheticModel(layers: 6, heads: 12, tokens: tokens.count, seed: 7)
        var entries: [Entry] = []

        var annotated = HeatmapFigure(matrix: model[3][1])
        annotated.rowTokens = tokens
        annotated.columnTokens = tokens
        annotated.caption = "Synthetic BERT-style attention · layer 3, head 1"
        entries.append(Entry(name: "heatmap-annotated", figure: annotated))

        let sentence = ["<s>", "The", "cat", "sat", "on", "the", "mat", "."]
        let causalSteps = try ToyAttention(tokens: sentence, modelDimension: 16, heads: 2, seed: 7, mask: .causal)
        var causal = HeatmapFigure(matrix: causalSteps.attention.headSteps[0].weights)
        causal.rowTokens = sentence
        causal.columnTokens = sentence
        causal.mask = .causal
        causal.caption = "Toy decoder attention (d_model 16, seed 7), head 0"
        entries.append(Entry(name: "heatmap-causal", figure: causal))

        var diverging = HeatmapFigure(matrix: causalSteps.attention.headSteps[0].scaled)
        diverging.rowTokens = sentence
        diverging.columnTokens = sentence
        diverging.colormap = .rdbu
        diverging.title = "Scaled scores QKᵀ/√d_k"
        diverging.colorbarLabel = "scaled score"
        diverging.caption = "Diverging colours centred on 0"
        entries.append(Entry(name: "heatmap-diverging", figure: diverging))

        let source = ["Le", "chat", "dort", "."], target = ["The", "cat", "is", "sleeping", "."]
        let cross = try ToyCrossAttention.weights(queries: target, keys: source, seed: 11)
        var crossFigure = HeatmapFigure(matrix: cross)
        crossFigure.rowTokens = target
        crossFigure.columnTokens = source
        crossFigure.title = "Cross-attention"
        crossFigure.rowAxisTitle = "decoder query"
        crossFigure.columnAxisTitle = "encoder key"
        crossFigure.caption = "Toy encoder–decoder attention: 5 queries × 4 keys"
        entries.append(Entry(name: "heatmap-cross", figure: crossFigure))

        var long = HeatmapFigure(matrix: localPattern(size: 2048, seed: 3))
        long.mask = .causal
        long.title = "A 2,048-token causal pattern"
        long.upper = 0.02
        long.caption = "Synthetic long-context attention: a sink on the first tokens, a local window and delimiter tokens every 256 positions; colours clipped at 0.02 (--vmax 0.02), since weights spread over thousands of keys are small"
        entries.append(Entry(name: "heatmap-long", figure: long))
        entries.append(Entry(name: "attention-long-context", figure: try longContext(length: longContextLength)))

        var layerGrid = HeadGridFigure(
            rows: stride(from: 0, to: 12, by: 4).map { start in (start..<(start + 4)).map { HeadGridFigure.Panel(matrix: model[3][$0], layer: 3, head: $0) } },
            title: "Attention heads of layer 3")
        layerGrid.rowTokens = tokens
        layerGrid.columnTokens = tokens
        entries.append(Entry(name: "heads-layer", figure: layerGrid))

        let overview = HeadGridFigure(
            rows: (0..<6).map { layer in (0..<12).map { HeadGridFigure.Panel(matrix: model[layer][$0], layer: layer, head: $0) } },
            title: "Attention by layer and head")
        entries.append(Entry(name: "heads-overview", figure: overview))

        var lines = LinesFigure(heads: [model[3][1], model[3][4]], headNames: ["L3 H1", "L3 H4"])
        lines.queryTokens = tokens
        lines.keyTokens = tokens
        lines.threshold = 0.1
        lines.caption = "Synthetic BERT-style attention"
        entries.append(Entry(name: "lines-heads", figure: lines))
        var oneQuery = LinesFigure(heads: [model[3][1]], headNames: ["L3 H1"])
        oneQuery.queryTokens = tokens
        oneQuery.keyTokens = tokens
        oneQuery.query = 10
        oneQuery.caption = "Synthetic BERT-style attention"
        entries.append(Entry(name: "lines-query", figure: oneQuery))

        var steps = AttentionStepsFigure(steps: causalSteps.attention.headSteps[1])
        steps.queryTokens = sentence
        steps.keyTokens = sentence
        steps.caption = "Toy decoder attention (d_model 16, seed 7), head 1"
        entries.append(Entry(name: "attention-steps", figure: steps))

        let peFigure = EncodingPlots.heatmap(try PositionalEncoding.sinusoidal(positions: 64, dModel: 64))
        entries.append(Entry(name: "pe-heatmap", figure: peFigure))
        entries.append(Entry(name: "pe-waves", figure: try EncodingPlots.waves(try PositionalEncoding.sinusoidal(positions: 100, dModel: 64), dimensions: [2, 3, 16, 17])))
        entries.append(Entry(name: "pe-similarity", figure: try EncodingPlots.similarity(dModel: 64, maxOffset: 99, base: 10_000, seed: 7)))
        let rope = try RotaryEmbedding(dimension: 64)
        entries.append(Entry(name: "rope-clock", figure: RoPEClockFigure(embedding: rope)))
        entries.append(Entry(name: "rope-pairing", figure: RoPEPairingFigure(dimension: 8)))
        entries.append(Entry(name: "rope-relative", figure: RoPERelativeFigure.seeded(embedding: rope)))
        entries.append(Entry(name: "rope-spectrum", figure: try EncodingPlots.spectrum(dModel: 128, base: 10_000, comparison: 500_000)))
        entries.append(Entry(name: "rope-decay", figure: try EncodingPlots.decay(dModel: 128, base: 10_000, convention: .half, maxDistance: 1024, seed: 7)))

        let demoSearch = try BeamSearch()
        entries.append(Entry(name: "beam-tree", figure: BeamTreeFigure(result: try demoSearch.run(DemoLanguageModel.table), modelName: "the demo table")))
        entries.append(Entry(name: "beam-compare", figure: try BeamComparisonFigure(model: DemoLanguageModel.table, search: demoSearch, modelName: "the demo table")))
        let wide = try BeamSearch(beamWidth: 5, maxLength: 8, lengthPenalty: 0.7).run(DemoLanguageModel.weather)
        entries.append(Entry(name: "beam-wide", figure: BeamTreeFigure(result: wide, modelName: "a weather-report table")))
        entries.append(Entry(name: "xor-regions", figure: PerceptronSection.decisionRegions()))
        return entries
    }

    /// Tokens of the long-context entry unless asked otherwise.
    public static let defaultLongContextLength = 32_768

    /// Causal attention over a synthetic context of `length` tokens (a local window and four sink
    /// tokens), pooled while computed, as `transfigure attention --q --k --mask causal` draws it.
    static func longContext(length: Int) throws -> HeatmapFigure {
        let (q, k) = SyntheticLongContext.queriesAndKeys(length: length)
        // The gallery draws PNGs at scale 1.
        let factor = HeatmapFigure.poolingFactor(rows: length, columns: length, pixelsPerPoint: 1)
        let pooled = try PooledAttention(q: DenseMatrix(q), k: DenseMatrix(k), mask: .causal, factor: factor)
        var figure = PooledAttentionFigure.heatmap(pooled, mask: .causal, keyDimension: SyntheticLongContext.dimension)
        figure.title = "Causal attention over \(MultiHeadSection.group(length)) tokens"
        figure.caption = "Synthetic Q and K (d_k = 64): a local window along the diagonal and 4 attention-sink tokens at the start (the bright first column)"
        return figure
    }

    /// Row-stochastic `[layers][heads]` matrices: softmax of seeded scores with a few strong links,
    /// shaped like a BERT model's attention.
    static func syntheticModel(layers: Int, heads: Int, tokens n: Int, seed: UInt64) -> [[Matrix]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<layers).map { _ in
            (0..<heads).map { _ in
                var values = [Double](repeating: 0, count: n * n)
                for r in 0..<n {
                    let row = (0..<n).map { _ in generator.nextNormal() * 1.6 }
                    let maximum = row.max() ?? 0
                    let e = row.map { exp($0 - maximum) }
                    let sum = e.reduce(0, +)
                    for c in 0..<n { values[r * n + c] = e[c] / sum }
                }
                return Matrix(rows: n, columns: n, values: values)
            }
        }
    }

    /// A long causal pattern: an attention sink on the first tokens, a local window, delimiter
    /// tokens every 256 positions that later queries look back at, and noise.
    static func localPattern(size n: Int, seed: UInt64) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        var values = [Double](repeating: 0, count: n * n)
        for r in 0..<n {
            var sum = 0.0
            for c in 0...r {
                let distance = Double(r - c)
                let sink = c < 8 ? 3.0 : 0
                let delimiter = c % 256 == 255 ? 4.0 : 0
                let weight = sink + delimiter + exp(-distance / 96) * 2 + generator.nextUniform() * 0.3
                values[r * n + c] = weight
                sum += weight
            }
            for c in 0...r { values[r * n + c] /= sum }
        }
        return Matrix(rows: n, columns: n, values: values)
    }
}

/// Cross-attention weights of a seeded toy encoder–decoder, for examples.
enum ToyCrossAttention {
    static func weights(queries: [String], keys: [String], seed: UInt64) throws -> Matrix {
        let d = 16
        let q = try ToyAttention(tokens: queries, modelDimension: d, seed: seed).attention.q
        let k = try ToyAttention(tokens: keys, modelDimension: d, seed: seed).attention.k
        return try AttentionSteps(q: q, k: k).weights
    }
}
