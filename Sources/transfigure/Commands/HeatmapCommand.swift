import ArgumentParser
import Canvas
import Figures
import TransformerMath

/// `transfigure heatmap`: one attention matrix as a heatmap.
struct HeatmapCommand: FigureCommand {
    static let configuration = CommandConfiguration(
        commandName: "heatmap",
        abstract: "Draw one attention matrix as a heatmap: rows are queries, columns are keys.",
        discussion: """
            Example:
              transfigure heatmap attentions.npy --layer 3 --head 1 --tokens-file tokens.json -o attn.png
            """
    )

    @OptionGroup var input: MatrixOptions
    @OptionGroup var tokenOptions: TokenOptions

    @Option(parsing: .unconditional, help: "Crop query and key positions START..<END, for example 0:64.")
    var window: String?

    @Option(help: "Colour map: \(Colormap.all.map(\.name).joined(separator: ", ")).")
    var colormap: String = "viridis"

    @Option(parsing: .unconditional, help: "Value drawn with the low end of the colour map (default: fitted to the data).")
    var vmin: Double?

    @Option(parsing: .unconditional, help: "Value drawn with the high end of the colour map (default: fitted to the data).")
    var vmax: Double?

    @Option(help: "Write values in cells: auto (when they fit), always, never.")
    var annotate: HeatmapFigure.Annotation = .auto

    @Option(help: "Masked cells: auto (causal when the upper triangle is exactly 0), none, causal.")
    var mask: HeatmapFigure.MaskChoice = .auto

    @Option(help: "How matrices larger than the image are reduced: max or mean.")
    var pool: HeatmapFigure.Pooling = .max

    @Option(name: .customLong("colorbar-label"), help: "Label of the colour bar (default: attention weight).")
    var colorbarLabel: String?

    @Option(help: "Title above the figure.")
    var title: String?

    @Option(help: "Caption under the figure (default: the file, layer, head and shape).")
    var caption: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard Colormap.named(colormap) != nil else {
            throw ValidationError("--colormap: unknown colour map '\(colormap)'; choose one of \(Colormap.all.map(\.name).joined(separator: ", "))")
        }
        for (name, value) in [("--vmin", vmin), ("--vmax", vmax)] {
            if let value, !value.isFinite { throw ValidationError("\(name): must be a finite number") }
        }
        if let vmin, let vmax, !(vmin < vmax) {
            throw ValidationError("--vmax: \(vmax) must be greater than --vmin \(vmin)")
        }
        if let window { _ = try IndexWindow(parsing: window) }
    }

    func run() throws {
        try output.checkWritable()
        let (figure, selection) = try build()

        // Everything is computed before anything is written, so a failure leaves no file.
        let figureBytes = try output.render(figure)
        let dumpBytes = try output.dump.map { try HeatmapDump.encode(figure, selection: selection, path: $0) }
        try output.write(figure: figureBytes, dump: dumpBytes)
    }

    func makeFigure() throws -> any Figure {
        try build().figure
    }

    /// The figure and the matrix it shows.
    private func build() throws -> (figure: HeatmapFigure, selection: AttentionSelection) {
        let (selection, labels) = try input.load()
        var figure = try HeatmapFigure.attention(
            selection, source: input.file, tokens: try tokenOptions.load(labels: labels, labelSource: input.file),
            window: try window.map { try IndexWindow(parsing: $0) }, mask: mask)
        figure.tokenDisplay = tokenOptions.display
        figure.colormap = Colormap.named(colormap) ?? .viridis
        figure.lower = vmin
        figure.upper = vmax
        figure.annotation = annotate
        figure.pooling = pool
        if let title { figure.title = title }
        if let colorbarLabel { figure.colorbarLabel = colorbarLabel }
        if let caption { figure.caption = caption }
        return (figure, selection)
    }
}

extension HeatmapFigure.Annotation: ExpressibleByArgument {}
extension HeatmapFigure.MaskChoice: ExpressibleByArgument {}
extension HeatmapFigure.Pooling: ExpressibleByArgument {}
