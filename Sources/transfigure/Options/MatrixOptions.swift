import ArgumentParser
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

/// Tokens given on the command line or in a file.
struct TokenOptions: ParsableArguments {
    @Option(help: "Tokens, separated by spaces: \"I am Chetan\".")
    var tokens: String?

    @Option(name: .customLong("tokens-file"), help: "Token file: a JSON array of strings, or one token per line.")
    var tokensFile: String?

    func validate() throws {
        if tokens != nil, tokensFile != nil {
            throw ValidationError("--tokens-file: give either --tokens or --tokens-file, not both")
        }
        if let tokens, TokenReader.split(tokens).isEmpty {
            throw ValidationError("--tokens: no tokens given")
        }
    }

    /// The tokens, if any were given, and where they came from (for messages).
    func load() throws -> (tokens: [String], source: String)? {
        if let tokens { return (TokenReader.split(tokens), "--tokens") }
        if let tokensFile { return (try TokenReader.read(path: tokensFile), tokensFile) }
        return nil
    }
}
