import ArgumentParser
import Figures
import TransformerMath

/// An attention tensor file and which matrix of it to use.
struct MatrixOptions: ParsableArguments {
    @Argument(help: "Attention file: .npy, .npz, .json or .csv; shape [query, key], [head, query, key] or [layer, head, query, key].")
    var file: String

    @Option(help: "Member of an .npz file (or key of a JSON object) to read.")
    var array: String?

    @Option(parsing: .unconditional, help: "Layer index, for a 4-D tensor.")
    var layer: Int?

    @Option(parsing: .unconditional, help: "Head index, for a 3-D or 4-D tensor.")
    var head: Int?

    /// Reads the file and picks the requested matrix.
    func load() throws -> (selection: AttentionSelection, labels: [String]?) {
        let loaded = try TensorFile.read(path: file, array: array)
        return (try AttentionSelection.select(from: loaded.tensor, source: file, layer: layer, head: head), loaded.labels)
    }
}

/// Tokens given on the command line or in files: one list for self-attention, or query and key
/// lists for cross-attention.
struct TokenOptions: ParsableArguments {
    @Option(help: "Tokens, separated by spaces: \"I am Chetan\" (the queries' tokens, and the keys' too unless --key-tokens is given).")
    var tokens: String?

    @Option(name: .customLong("tokens-file"), help: "Token file: a JSON array of strings, or one token per line.")
    var tokensFile: String?

    @Option(name: .customLong("key-tokens"), help: "Tokens of the keys, for cross-attention.")
    var keyTokens: String?

    @Option(name: .customLong("key-tokens-file"), help: "Token file of the keys, for cross-attention.")
    var keyTokensFile: String?

    @Flag(name: .customLong("raw-tokens"), help: "Show tokens exactly as given (keep Ġ, ▁, ##, </w> markers).")
    var rawTokens = false

    func validate() throws {
        if tokens != nil, tokensFile != nil {
            throw ValidationError("--tokens-file: give either --tokens or --tokens-file, not both")
        }
        if keyTokens != nil, keyTokensFile != nil {
            throw ValidationError("--key-tokens-file: give either --key-tokens or --key-tokens-file, not both")
        }
        for (name, text) in [("--tokens", tokens), ("--key-tokens", keyTokens)] {
            if let text, TokenReader.split(text).isEmpty { throw ValidationError("\(name): no tokens given") }
        }
    }

    /// How tokenizer markers are shown.
    var display: TokenDisplay { rawTokens ? .raw : .readable }

    /// The tokens given; `labels` (a CSV header naming the columns) fill in when none are.
    func load(labels: [String]? = nil, labelSource: String = "") throws -> AttentionTokens {
        let queries = try read(tokens, file: tokensFile, option: "--tokens")
        let keys = try read(keyTokens, file: keyTokensFile, option: "--key-tokens")
        if queries == nil, keys == nil, let labels {
            return AttentionTokens(queries: nil, keys: labels, querySource: labelSource)
        }
        return AttentionTokens(
            queries: queries?.tokens, keys: keys?.tokens, querySource: queries?.source ?? "", keySource: keys?.source)
    }

    private func read(_ text: String?, file: String?, option: String) throws -> (tokens: [String], source: String)? {
        if let text { return (TokenReader.split(text), option) }
        if let file { return (try TokenReader.read(path: file), file) }
        return nil
    }
}
