import ArgumentParser
import Canvas
import Figures
import TransformerMath

/// `transfigure heads`: all heads of a layer, or the layer × head overview, as small multiples.
struct HeadsCommand: FigureCommand {
    static let configuration = CommandConfiguration(
        commandName: "heads",
        abstract: "Draw every head of a layer, or the layer × head overview of a model, with one shared colour scale.",
        discussion: """
            FILE is [head, query, key] (all heads of one layer) or [layer, head, query, key] (the overview).
            Examples:
              transfigure heads attentions.npy --layers 3 --tokens-file tokens.json -o layer3.png
              transfigure heads attentions.npy -o overview.png
              transfigure heads attentions.npy --layers 0-5 --heads 0,4,8 -o some.pdf
            """
    )

    @Argument(help: "Attention file: .npy, .npz, .json or .csv of shape [head, query, key] or [layer, head, query, key].")
    var file: String
    @Option(help: "Member of an .npz file (or key of a JSON object) to read.") var array: String?
    @Option(help: "Layers to draw: 3, 0,2,5 or 0-5 (default: all).") var layers: String?
    @Option(help: "Heads to draw: 3, 0,2,5 or 0-5 (default: all).") var heads: String?
    @OptionGroup var tokenOptions: TokenOptions
    @Option(help: "Colour map: \(Colormap.all.map(\.name).joined(separator: ", ")).") var colormap: String = "viridis"
    @Option(help: "Masked cells: auto (causal when the upper triangle is exactly 0), none, causal.")
    var mask: HeatmapFigure.MaskChoice = .auto
    @Option(help: "How heads larger than their panel are reduced: max or mean.") var pool: HeatmapFigure.Pooling = .max
    @Option(help: "Title above the grid.") var title: String?
    @Option(help: "Caption under the grid (default: the file and shape).") var caption: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard Colormap.named(colormap) != nil else {
            throw ValidationError("--colormap: unknown colour map '\(colormap)'; choose one of \(Colormap.all.map(\.name).joined(separator: ", "))")
        }
        if let layers { _ = try IndexList(parsing: layers, option: "--layers") }
        if let heads { _ = try IndexList(parsing: heads, option: "--heads") }
    }

    func run() throws {
        try output.checkWritable()
        let (figure, panels, shape) = try build()
        let (n, m) = (shape[shape.count - 2], shape[shape.count - 1])

        let figureBytes = try output.render(figure)
        let dumpBytes = try output.dump.map { path -> [UInt8] in
            switch try DumpFormat(path: path) {
            case .npy:
                return NpyWriter.encode(Tensor(shape: [panels.count, n, m], values: panels.flatMap(\.matrix.values)))
            case .json:
                return Array(JSONOutput.object([
                    ("tensor_shape", .array(shape.map(JSONOutput.integer))),
                    ("panels", .array(panels.map { panel in
                        .object([("layer", .optional(panel.layer)), ("head", .integer(panel.head)), ("weights", .matrix(panel.matrix))])
                    })),
                ]).rendered().utf8)
            }
        }
        try output.write(figure: figureBytes, dump: dumpBytes)
    }

    func makeFigure() throws -> any Figure {
        try build().figure
    }

    /// The grid, its panels in reading order and the input tensor's shape.
    private func build() throws -> (figure: HeadGridFigure, panels: [HeadGridFigure.Panel], shape: [Int]) {
        let loaded = try TensorFile.read(path: file, array: array)
        let tensor = loaded.tensor
        let shape = tensor.shape
        var rows: [[HeadGridFigure.Panel]] = []
        let headCount: Int
        switch tensor.rank {
        case 3:
            if layers != nil {
                throw InputError.option(name: "--layers", reason: "\(file) has shape \(tensor.shapeDescription) [head, query, key]: it has no layers")
            }
            headCount = shape[0]
            let chosen = try selected(heads, option: "--heads", count: headCount, what: "heads")
            rows = stride(from: 0, to: chosen.count, by: 4).map { start in
                chosen[start..<min(start + 4, chosen.count)].map { HeadGridFigure.Panel(matrix: tensor.matrix(at: [$0]), layer: nil, head: $0) }
            }
        case 4:
            headCount = shape[1]
            let chosenLayers = try selected(layers, option: "--layers", count: shape[0], what: "layers")
            let chosenHeads = try selected(heads, option: "--heads", count: headCount, what: "heads")
            if chosenLayers.count == 1 {
                // One layer: wrap its heads four to a row, as for a 3-D input.
                let layer = chosenLayers[0]
                rows = stride(from: 0, to: chosenHeads.count, by: 4).map { start in
                    chosenHeads[start..<min(start + 4, chosenHeads.count)].map {
                        HeadGridFigure.Panel(matrix: tensor.matrix(at: [layer, $0]), layer: layer, head: $0)
                    }
                }
            } else {
                rows = chosenLayers.map { layer in
                    chosenHeads.map { HeadGridFigure.Panel(matrix: tensor.matrix(at: [layer, $0]), layer: layer, head: $0) }
                }
            }
        default:
            throw InputError.shape(
                file: file,
                reason: "shape \(tensor.shapeDescription) is not [head, query, key] or [layer, head, query, key]; for one matrix use transfigure heatmap")
        }
        for panel in rows.flatMap({ $0 }) {
            if let bad = panel.matrix.values.firstIndex(where: { !$0.isFinite }) {
                let index = (panel.layer.map { [$0] } ?? []) + [panel.head, bad / panel.matrix.columns, bad % panel.matrix.columns]
                throw InputError.nonFinite(file: file, index: index, value: panel.matrix.values[bad])
            }
        }
        let n = shape[shape.count - 2], m = shape[shape.count - 1]
        let tokens = try tokenOptions.load(labels: loaded.labels, labelSource: file).resolved(rows: n, columns: m, source: file)

        let layerList = Set(rows.flatMap { $0 }.compactMap(\.layer)).sorted()
        var figure = HeadGridFigure(
            rows: rows,
            title: title ?? (layerList.count == 1 ? "Attention heads of layer \(layerList[0])" : tensor.rank == 3 ? "Attention heads" : "Attention by layer and head"))
        figure.rowTokens = tokens.rows
        figure.columnTokens = tokens.columns
        figure.tokenDisplay = tokenOptions.display
        figure.colormap = Colormap.named(colormap) ?? .viridis
        figure.mask = mask
        figure.pooling = pool
        figure.caption = caption ?? "\(file) · tensor shape \(tensor.shapeDescription)"
        return (figure, rows.flatMap { $0 }, shape)
    }

    private func selected(_ text: String?, option: String, count: Int, what: String) throws -> [Int] {
        guard let text else { return Array(0..<count) }
        let list = try IndexList(parsing: text, option: option)
        try list.check(below: count, option: option, what: what, source: file)
        return list.indices
    }
}
