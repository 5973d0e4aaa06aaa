import ArgumentParser

/// The `transfigure` command: Transformer maths to figures and study reports.
struct Transfigure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfigure",
        abstract: "Turn the mathematics of Transformer models into figures and study reports.",
        discussion: """
            Figures are written as PNG, SVG or PDF by the extension of -o. Examples:
              transfigure heatmap attn.npy --layer 3 --head 1 --tokens-file tokens.json -o attn.png
              transfigure report
            """,
        version: "0.1.0",
        subcommands: [HeatmapCommand.self, HeadsCommand.self, GalleryCommand.self, LinesCommand.self, AttentionCommand.self, PECommand.self, RoPECommand.self, BeamCommand.self, ReportCommand.self]
    )
}
