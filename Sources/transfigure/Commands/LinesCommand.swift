import ArgumentParser
import Canvas
import Figures
import TransformerMath

/// `transfigure lines`: the bipartite view, a line from each query to each key it attends to.
struct LinesCommand: FigureCommand {
    static let configuration = CommandConfiguration(
        commandName: "lines",
        abstract: "Draw attention as lines from query tokens (left) to key tokens (right), wider and darker for larger weights.",
        discussion: """
            Several heads of one layer can be overlaid, one colour each. Examples:
              transfigure lines attentions.npy --layer 3 --head 1 --tokens-file tokens.json -o lines.png
              transfigure lines attentions.npy --layer 3 --heads 0-3 --tokens-file tokens.json -o heads.svg
              transfigure lines attentions.npy --layer 3 --head 1 --query 10 --tokens-file tokens.json -o it.pdf
            """
    )

    @OptionGroup var input: MatrixOptions

    @Option(parsing: .unconditional, help: "Heads to overlay, one colour each: 3, 0,2,5 or 0-5 (instead of --head).")
    var heads: String?

    @OptionGroup var tokenOptions: TokenOptions

    @Option(parsing: .unconditional, help: "Hide links with a weight below this, 0 to just under 1 (default 0.02).")
    var threshold: Double = 0.02

    @Option(parsing: .unconditional, help: "Draw only the links of this query (a sequence position) and highlight its token.")
    var query: Int?

    @Option(parsing: .unconditional, help: "Crop query and key positions START..<END, for example 0:64.")
    var window: String?

    @Option(help: "Title above the figure (default: Attention lines).")
    var title: String?

    @Option(help: "Caption under the figure (default: the file, layer and shape).")
    var caption: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if input.head != nil, heads != nil {
            throw ValidationError("--heads: give either --head H or --heads LIST, not both")
        }
        if let heads { _ = try IndexList(parsing: heads, option: "--heads") }
        guard threshold.isFinite, threshold >= 0, threshold < 1 else {
            throw ValidationError("--threshold: \(threshold) must be at least 0 and below 1; links with a weight below it are hidden (for example 0.05)")
        }
        if let query, query < 0 {
            throw ValidationError("--query: \(query) is negative; give the position of a query token, counting from 0")
        }
        if let window { _ = try IndexWindow(parsing: window) }
    }

    func run() throws {
        try output.checkWritable()
        let (figure, selections) = try build()

        // Everything is computed before anything is written, so a failure leaves no file.
        let figureBytes: [UInt8]?
        do {
            figureBytes = try output.render(figure)
        } catch let error as FigureError {
            // Too many tokens to draw, say: name the file the tokens came from.
            throw CommandError(description: "\(input.file): \(error)")
        }
        let dumpBytes = try output.dump.map { try Self.dump(figure, selections: selections, path: $0) }
        try output.write(figure: figureBytes, dump: dumpBytes)
    }

    func makeFigure() throws -> any Figure {
        try build().figure
    }

    /// The figure and the matrices it shows.
    private func build() throws -> (figure: LinesFigure, selections: [AttentionSelection]) {
        let loaded = try TensorFile.read(path: input.file, array: input.array)
        let tensor = loaded.tensor
        let selections = try chosenHeads(of: tensor).map { head throws(InputError) in
            try AttentionSelection.select(from: tensor, source: input.file, layer: input.layer, head: head)
        }
        let names = selections.map { selection -> String in
            switch (selection.layer, selection.head) {
            case (let layer?, let head?): return "L\(layer) H\(head)"
            case (nil, let head?): return "head \(head)"
            default: return ""
            }
        }
        var figure = try LinesFigure.attention(
            selections, names: names, source: input.file,
            tokens: try tokenOptions.load(labels: loaded.labels, labelSource: input.file),
            window: try window.map { try IndexWindow(parsing: $0) }, query: query)
        figure.tokenDisplay = tokenOptions.display
        figure.threshold = threshold
        if let title { figure.title = title }
        if let caption { figure.caption = caption }
        return (figure, selections)
    }

    /// The head indices to draw (`nil` for a 2-D matrix), or an error saying what to pass.
    private func chosenHeads(of tensor: Tensor) throws(InputError) -> [Int?] {
        let file = input.file, shape = tensor.shape, described = tensor.shapeDescription
        // AttentionSelection explains empty axes and shapes that are not attention tensors.
        if shape.contains(0) { return [input.head] }
        switch tensor.rank {
        case 2:
            if heads != nil {
                throw .option(name: "--heads", reason: "\(file) has shape \(described) [query, key]: it has no heads")
            }
            return [input.head]
        case 3, 4:
            let headCount = shape[tensor.rank - 3]
            let example = headCount > 1 ? "0-\(min(3, headCount - 1))" : "0"
            let several = "or --heads LIST (for example \(example)) to overlay several"
            if tensor.rank == 4, input.layer == nil {
                throw .shape(
                    file: file,
                    reason: "shape \(described) is [layer, head, query, key]; pass --layer L (0–\(shape[0] - 1)) and --head H (0–\(headCount - 1)), \(several)")
            }
            if let heads {
                let list = try IndexList(parsing: heads, option: "--heads")
                try list.check(below: headCount, option: "--heads", what: "heads", source: file)
                return list.indices
            }
            guard let head = input.head else {
                let axes = tensor.rank == 3 ? "[head, query, key]" : "[layer, head, query, key]"
                throw .shape(file: file, reason: "shape \(described) is \(axes); pass --head H (0–\(headCount - 1)) for one head, \(several)")
            }
            return [head]
        default:
            return [input.head]
        }
    }

    /// `--dump`: `.npy` holds the shown weights `[heads, queries, keys]`; JSON adds where they came
    /// from, the tokens, and every drawn link as `[head, query, key, weight]` in sequence positions.
    private static func dump(_ figure: LinesFigure, selections: [AttentionSelection], path: String) throws -> [UInt8] {
        let n = figure.queryCount, m = figure.keyCount
        switch try DumpFormat(path: path) {
        case .npy:
            return NpyWriter.encode(Tensor(shape: [figure.heads.count, n, m], values: figure.heads.flatMap(\.values)))
        case .json:
            let first = selections.first
            var members: [(String, JSONOutput)] = [
                ("tensor_shape", .array((first?.tensorShape ?? []).map(JSONOutput.integer))),
                ("layer", .optional(first?.layer)),
                ("heads", .array(selections.map { .optional($0.head) })),
                ("queries", .array([.integer(figure.firstQuery), .integer(figure.firstQuery + n)])),
                ("keys", .array([.integer(figure.firstKey), .integer(figure.firstKey + m)])),
                ("threshold", .number(figure.threshold)),
                ("query", .optional(figure.query)),
            ]
            if let tokens = figure.queryTokens { members.append(("query_tokens", .array(tokens.map(JSONOutput.string)))) }
            if let tokens = figure.keyTokens { members.append(("key_tokens", .array(tokens.map(JSONOutput.string)))) }
            members.append(("weights", .array(figure.heads.map(JSONOutput.matrix))))
            let links = figure.links.sorted { ($0.head, $0.query, $0.key) < ($1.head, $1.query, $1.key) }
            members.append(("link_fields", .array(["head", "query", "key", "weight"].map(JSONOutput.string))))
            members.append(("links", .array(links.map { link in
                .array([
                    .optional(selections[link.head].head), .integer(figure.firstQuery + link.query),
                    .integer(figure.firstKey + link.key), .number(link.weight),
                ])
            })))
            return Array(JSONOutput.object(members).rendered().utf8)
        }
    }
}
