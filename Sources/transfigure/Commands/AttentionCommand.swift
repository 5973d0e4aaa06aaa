import ArgumentParser
import AttentionKernels
import Canvas
import Figures
import Reports
import TransformerMath

/// `transfigure attention`: scaled dot-product attention, step by step.
struct AttentionCommand: FigureCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "Compute scaled dot-product attention step by step, from Q/K/V files, from X and weights, or from text.",
        discussion: """
            Three ways in:
              --q Q.npy --k K.npy [--v V.npy]                       one head
              --x X.npy --wq WQ.npy --wk WK.npy --wv WV.npy [--wo WO.npy] --heads h   multi-head (X·W)
              --tokens "I am Chetan" --d-model 8 [--heads 2] [--seed 7]             a seeded toy model
            --dump out.json writes scores, scaled scores, weights and outputs; out.npy writes the weights.
            -o draws the weights of one head (--head) as a heatmap. When --q/--k are too long for one
            pixel per cell (e.g. 32,768 tokens), the weights are pooled (--pool) block by block while
            they are computed and the full n × m matrix is never held.
            """
    )

    @Option(help: "Queries [n, d_k].") var q: String?
    @Option(help: "Keys [m, d_k].") var k: String?
    @Option(help: "Values [m, d_v].") var v: String?
    @Option(help: "Input [n, d_model] for multi-head attention.") var x: String?
    @Option(help: "Query projection [d_model, d_model], applied as X·W.") var wq: String?
    @Option(help: "Key projection [d_model, d_model].") var wk: String?
    @Option(help: "Value projection [d_model, d_model].") var wv: String?
    @Option(help: "Output projection [d_model, d_model] (default: identity).") var wo: String?
    @Option(help: "Tokens of a sentence for the seeded toy model, separated by spaces.") var tokens: String?
    @Option(name: .customLong("d-model"), parsing: .unconditional, help: "Model width of the toy model (even).") var dModel: Int = 8
    @Option(parsing: .unconditional, help: "Number of heads (multi-head and toy modes).") var heads: Int = 1
    @Option(parsing: .unconditional, help: "Seed of the toy model's embeddings and projections.") var seed: UInt64 = 7
    @Option(help: "Mask: none or causal.") var mask: MaskOption = .none
    @Option(parsing: .unconditional, help: "Only the first N keys are real; the rest is padding.") var padding: Int?
    @Option(name: .customLong("key-mask"), help: "File with one 0/1 per key (1 = real token), as Hugging Face's attention_mask.")
    var keyMask: String?
    @Option(parsing: .unconditional, help: "Head drawn by -o (default 0).") var head: Int = 0
    @Flag(help: "Draw every step (scores, scaled, masked, weights, output) instead of the weights alone.") var steps = false
    @Option(name: .customLong("tokens-file"), help: "Labels for the queries (and keys) of --q/--k or --x input: a JSON array or one token per line.")
    var tokensFile: String?
    @Option(name: .customLong("key-tokens-file"), help: "Labels for the keys, for cross-attention.") var keyTokensFile: String?
    @Flag(name: .customLong("raw-tokens"), help: "Show tokens exactly as given (keep Ġ, ▁, ##, </w> markers).") var rawTokens = false
    @Option(help: "How weights larger than the image are reduced: max or mean.") var pool: HeatmapFigure.Pooling = .max
    @OptionGroup var output: OutputOptions

    enum MaskOption: String, ExpressibleByArgument, CaseIterable {
        case none, causal
    }

    func validate() throws {
        let modes = [q != nil || k != nil || v != nil, x != nil || wq != nil || wk != nil || wv != nil || wo != nil, tokens != nil]
        guard modes.filter({ $0 }).count == 1 else {
            throw ValidationError("--q: give exactly one input: --q/--k[/--v], --x/--wq/--wk/--wv[/--wo], or --tokens")
        }
        if modes[0], q == nil || k == nil { throw ValidationError("--k: one-head attention needs both --q and --k") }
        if modes[1], x == nil || wq == nil || wk == nil || wv == nil {
            throw ValidationError("--x: multi-head attention needs --x, --wq, --wk and --wv")
        }
        if heads < 1 { throw ValidationError("--heads: must be at least 1, not \(heads)") }
        if let padding, padding < 1 { throw ValidationError("--padding: at least one key must be real, not \(padding)") }
        if padding != nil, keyMask != nil { throw ValidationError("--key-mask: give either --padding or --key-mask, not both") }
        if head < 0 { throw ValidationError("--head: must be at least 0, not \(head)") }
        if tokens != nil, tokensFile != nil || keyTokensFile != nil {
            throw ValidationError("--tokens-file: labels files go with --q/--k or --x input; --tokens already names the toy model's tokens")
        }
    }

    func run() throws {
        try output.checkWritable()
        let pair = try queriesAndKeys()
        if let pair, let format = try output.format, output.dump == nil,
           let figure = try pooledFigure(pair, pixelsPerPoint: Renderer.pixelsPerPoint(for: format, scale: output.scale)) {
            try output.write(figure: try output.render(figure), dump: nil)
            return
        }
        let result = try checkedResult(loaded: pair)
        let figureBytes = try output.render(try figure(of: result))
        let dumpBytes = try output.dump.map { try AttentionDump.encode(result, path: $0) }
        try output.write(figure: figureBytes, dump: dumpBytes)
    }

    func makeFigure() throws -> any Figure {
        // Notes figures are drawn at about 2.7 device pixels per point; pooling for 3 leaves the
        // renderer at most one more 2 × 2 reduction to do.
        let pair = try queriesAndKeys()
        if let pair, let pooled = try pooledFigure(pair, pixelsPerPoint: 3) { return pooled }
        return try figure(of: try checkedResult(loaded: pair))
    }

    /// Q and K of the `--q`/`--k` mode, read once (K first); nil in the other modes.
    private func queriesAndKeys() throws -> (queries: Matrix, keys: Matrix)? {
        guard let q, let k else { return nil }
        let keys = try MatrixInput.load(k, role: "K")
        return (try MatrixInput.load(q, role: "Q"), keys)
    }

    /// The weights figure of a `--q`/`--k` pair too long for one pixel per cell, pooled while
    /// computing (row blocks → softmax → pooled pixels); nil when the usual figure applies.
    private func pooledFigure(_ pair: (queries: Matrix, keys: Matrix), pixelsPerPoint: Double) throws -> HeatmapFigure? {
        guard !steps else { return nil }
        let (queries, keys) = pair
        let factor = HeatmapFigure.poolingFactor(rows: queries.rows, columns: keys.rows, pixelsPerPoint: pixelsPerPoint)
        guard factor > 1 else { return nil }
        guard head == 0 else {
            throw CommandError(description: "--head: \(head) is out of range; there is 1 head (0)")
        }
        // Token files are still checked against the matrix; at one pixel per block, positions label the axes.
        _ = try labelTokens(rows: queries.rows, columns: keys.rows)
        let maskValue = try attentionMask(keys: keys.rows)
        let pooled: PooledAttention
        do {
            pooled = try PooledAttention(
                q: DenseMatrix(queries), k: DenseMatrix(keys), mask: maskValue, factor: factor,
                pooling: pool == .max ? .max : .mean)
        } catch {
            throw CommandError(description: "\(inputDescription): \(error)")
        }
        return PooledAttentionFigure.heatmap(pooled, mask: maskValue, keyDimension: queries.columns)
    }

    /// The heatmap of the chosen head, or the step-by-step figure with --steps.
    private func figure(of result: AttentionResult) throws -> any Figure {
        let labels = try labelTokens(for: result)
        if steps { return try stepsFigure(for: result, labels: labels) }
        return try figure(for: result, labels: labels)
    }

    /// The computed attention, with --head checked against it.
    private func checkedResult(loaded pair: (queries: Matrix, keys: Matrix)?) throws -> AttentionResult {
        let result: AttentionResult
        do {
            result = try compute(loaded: pair)
        } catch let error as AttentionError {
            // The maths names matrices (Q, K, W_Q); the user needs the files and options behind them.
            throw CommandError(description: "\(inputDescription): \(error)")
        }
        guard head < result.heads.count else {
            throw CommandError(description: "--head: \(head) is out of range; there are \(result.heads.count) heads (0–\(result.heads.count - 1))")
        }
        return result
    }

    /// The inputs as the user gave them, for error messages.
    private var inputDescription: String {
        if tokens != nil { return "--tokens (d_model \(dModel), \(heads) head\(heads == 1 ? "" : "s"))" }
        let named: [(String, String?)] = [("--q", q), ("--k", k), ("--v", v), ("--x", x), ("--wq", wq), ("--wk", wk), ("--wv", wv), ("--wo", wo)]
        return named.compactMap { name, path in path.map { "\(name) \($0)" } }.joined(separator: ", ")
    }

    /// The attention result of whichever input mode was given; `pair` is Q and K already read.
    private func compute(loaded pair: (queries: Matrix, keys: Matrix)?) throws -> AttentionResult {
        if let tokens {
            let words = TokenReader.split(tokens)
            let maskValue = try attentionMask(keys: words.count)
            let toy = try ToyAttention(tokens: words, modelDimension: dModel, heads: heads, seed: seed, mask: maskValue)
            return AttentionResult(kind: .toy(toy), heads: toy.attention.headSteps, tokens: words)
        }
        if let x, let wq, let wk, let wv {
            let input = try MatrixInput.load(x, role: "X")
            let maskValue = try attentionMask(keys: input.rows)
            let multi = try MultiHeadAttention(
                x: input, wq: try MatrixInput.load(wq, role: "W_Q"), wk: try MatrixInput.load(wk, role: "W_K"),
                wv: try MatrixInput.load(wv, role: "W_V"), wo: try wo.map { try MatrixInput.load($0, role: "W_O") },
                heads: heads, mask: maskValue)
            return AttentionResult(kind: .multiHead(multi), heads: multi.headSteps, tokens: nil)
        }
        guard let (queries, keys) = pair else { throw CommandError(description: "--q: one-head attention needs both --q and --k") }
        let steps = try AttentionSteps(
            q: queries, k: keys, v: try v.map { try MatrixInput.load($0, role: "V") },
            mask: try attentionMask(keys: keys.rows))
        return AttentionResult(kind: .single(steps), heads: [steps], tokens: nil)
    }

    private func attentionMask(keys: Int) throws -> AttentionMask {
        var result = AttentionMask(isCausal: mask == .causal)
        if let padding {
            guard padding <= keys else {
                throw CommandError(description: "--padding: \(padding) real keys but there are only \(keys) keys")
            }
            result.visibleKeys = (0..<keys).map { $0 < padding }
        }
        if let keyMask {
            let values = try MatrixInput.loadVector(keyMask, role: "key mask")
            guard values.count == keys else {
                throw InputError.shape(file: keyMask, reason: "has \(values.count) entries but there are \(keys) keys")
            }
            guard values.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw InputError.malformed(file: keyMask, reason: "entries must be 0 (padding) or 1 (real token)")
            }
            result.visibleKeys = values.map { $0 == 1 }
        }
        return result
    }

    /// Token labels for the drawn head: the toy model's tokens, or the labels files checked against the matrix.
    private func labelTokens(for result: AttentionResult) throws -> (rows: [String]?, columns: [String]?) {
        if let tokens = result.tokens { return (tokens, tokens) }
        let weights = result.heads[head].weights
        return try labelTokens(rows: weights.rows, columns: weights.columns)
    }

    /// The labels files, checked against a `rows × columns` matrix.
    private func labelTokens(rows: Int, columns: Int) throws -> (rows: [String]?, columns: [String]?) {
        let queries = try tokensFile.map { try TokenReader.read(path: $0) }
        let keys = try keyTokensFile.map { try TokenReader.read(path: $0) }
        let pair = AttentionTokens(queries: queries, keys: keys, querySource: tokensFile ?? "", keySource: keyTokensFile)
        return try pair.resolved(rows: rows, columns: columns, source: inputDescription)
    }

    private func stepsFigure(for result: AttentionResult, labels: (rows: [String]?, columns: [String]?)) -> AttentionStepsFigure {
        var figure = AttentionStepsFigure(steps: result.heads[head])
        figure.queryTokens = labels.rows
        figure.keyTokens = labels.columns
        figure.tokenDisplay = rawTokens ? .raw : .readable
        figure.caption = caption(for: result)
        return figure
    }

    private func caption(for result: AttentionResult) -> String {
        var parts: [String] = []
        if result.heads.count > 1 { parts.append("head \(head) of \(result.heads.count)") }
        if case .toy(let toy) = result.kind { parts.append("toy model, d_model = \(toy.attention.modelDimension), seed \(toy.seed)") }
        return parts.joined(separator: " · ")
    }

    private func figure(for result: AttentionResult, labels: (rows: [String]?, columns: [String]?)) -> HeatmapFigure {
        let steps = result.heads[head]
        var figure = HeatmapFigure(matrix: steps.weights)
        figure.rowTokens = labels.rows
        figure.columnTokens = labels.columns
        figure.tokenDisplay = rawTokens ? .raw : .readable
        if steps.mask.masksAny(queries: steps.weights.rows, keys: steps.weights.columns) {
            let m = steps.weights.columns
            figure.mask = steps.mask.visibleKeys == nil
                ? .causal
                : .cells((0..<(steps.weights.rows * m)).map { steps.mask.masks(query: $0 / m, key: $0 % m) })
        }
        var parts = ["softmax(QKᵀ/√d_k), d_k = \(steps.keyDimension)", "mask: \(steps.mask.name)"]
        if result.heads.count > 1 { parts.insert("head \(head) of \(result.heads.count)", at: 0) }
        if case .toy(let toy) = result.kind { parts.append("toy model, d_model = \(toy.attention.modelDimension), seed \(toy.seed)") }
        figure.caption = parts.joined(separator: " · ")
        return figure
    }
}

/// What `transfigure attention` computed, whichever way it was asked.
struct AttentionResult {
    enum Kind {
        case single(AttentionSteps)
        case multiHead(MultiHeadAttention)
        case toy(ToyAttention)
    }

    let kind: Kind
    let heads: [AttentionSteps]
    let tokens: [String]?
}
