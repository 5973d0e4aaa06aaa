import ArgumentParser
import Foundation
import Reports

/// `transfigure report [NOTES.md]`: course notes, or the built-in study report, as HTML and Markdown.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Turn course notes into an HTML and a Markdown report with computed figures, or write the built-in study report.",
        discussion: """
            Without NOTES, writes the built-in Transformer study report to Output/study-report/. With NOTES, \
            writes Output/<notes name>/ (or -o DIR): index.html, index.md and figures/. Figures are asked for \
            in fenced blocks whose info string is transfigure, holding YAML: figure: names the subcommand, \
            the other keys are its long options (file: for the input file), plus caption: and alt:. Paths are \
            relative to the notes file and must stay inside its folder unless --allow-outside is given.

            Example block:
              ```transfigure
              figure: heatmap
              file: attn.npy
              layer: 3
              head: 1
              tokens-file: tokens.json
              caption: Layer 3, head 1
              ```
            """
    )

    @Argument(help: ArgumentHelp("Course notes in Markdown with transfigure figure blocks.", valueName: "NOTES.md"))
    var notes: String?

    @Option(name: [.short, .customLong("output")], help: "Report folder (default: Output/study-report, or Output/<notes name>).")
    var output: String?

    @Option(help: "Folder with report.html.mustache and report.md.mustache to use instead of the built-in templates.")
    var templates: String?

    @Flag(name: .customLong("self-contained"), help: "Embed every figure in index.html, so the page is one file.")
    var selfContained = false

    @Option(name: .customLong("figure-format"), help: "png (default) or svg.")
    var figureFormat: ReportOptions.FigureFormat = .png

    @Flag(name: .customLong("allow-outside"), help: "Let figure blocks and images read files outside the notes' folder.")
    var allowOutside = false

    func run() throws {
        let templateSet = try TemplateSet(directory: templates)
        let options = ReportOptions(figureFormat: figureFormat, selfContained: selfContained)
        guard let notes else {
            try ReportWriter(templates: templateSet, options: options).write(try StudyReport.make(), to: output ?? "Output/study-report")
            return
        }
        let built = try NotesReport.make(path: notes, resolver: CommandFigureResolver(allowOutside: allowOutside), allowOutside: allowOutside)
        let name = notes.split(separator: "/").last.map(String.init) ?? notes
        let stem = name.split(separator: ".").dropLast().joined(separator: ".")
        let folder = output ?? "Output/\(stem.isEmpty ? name : stem)"
        try ReportWriter(templates: templateSet, options: options, assets: built.assets).write(built.report, to: folder)
    }
}

extension ReportOptions.FigureFormat: ExpressibleByArgument {}
