import ArgumentParser
import Figures
import Foundation
import Reports

/// A subcommand that draws a figure. Notes ask for figures with the same option names, so a
/// figure block is parsed by the very command the user would type (one option schema for both).
protocol FigureCommand: ParsableCommand {
    /// The figure the options ask for: reads the input files, writes nothing.
    func makeFigure() throws -> any Figure
}

/// Turns the figure blocks of notes into figures by parsing them as command lines.
struct CommandFigureResolver: FigureResolver {
    /// Whether paths may point outside the notes' folder.
    let allowOutside: Bool

    /// The subcommands a figure block may name.
    static let commands: [String: any FigureCommand.Type] = [
        "heatmap": HeatmapCommand.self, "heads": HeadsCommand.self, "lines": LinesCommand.self,
        "attention": AttentionCommand.self, "pe": PECommand.self, "rope": RoPECommand.self, "beam": BeamCommand.self,
    ]

    /// Options whose values are files, resolved against the notes' folder.
    static let pathOptions: Set<String> = ["file", "tokens-file", "key-tokens-file", "lm", "q", "k", "v", "x", "wq", "wk", "wv", "wo"]

    /// The input file of these subcommands is their argument, written `file:` in a block.
    static let fileArgument: Set<String> = ["heatmap", "heads", "lines"]

    func figure(for request: FigureRequest, directory: String) throws -> any Figure {
        guard let command = Self.commands[request.kind] else {
            throw request.failure("unknown figure '\(request.kind)'; use one of \(Self.commands.keys.sorted().joined(separator: ", "))")
        }
        var arguments: [String] = []
        var file: String?
        for option in request.options {
            let value = option.value
            if Self.pathOptions.contains(option.name) {
                // Checked here; read below as written, from the notes' folder, so captions name the
                // file as the notes do and the report does not depend on where it was built.
                do {
                    _ = try NotesPaths.resolve(value, in: directory, allowOutside: allowOutside, what: option.name)
                } catch {
                    throw request.failure("\(error)")
                }
            }
            if option.name == "file" {
                guard Self.fileArgument.contains(request.kind) else {
                    throw request.failure("'file' is not an option of \(request.kind)")
                }
                file = value
                continue
            }
            switch value {
            case "true": arguments.append("--\(option.name)")
            case "false": continue
            default: arguments += ["--\(option.name)", value]
            }
        }
        if Self.fileArgument.contains(request.kind) {
            guard let file else { throw request.failure("\(request.kind) needs 'file:', the attention file to draw") }
            arguments.insert(file, at: 0)
        }
        // A figure file name satisfies the commands' "no output given" check; nothing is written there.
        arguments += ["-o", "figure.png"]
        let parsed: any ParsableCommand
        do {
            parsed = try command.parse(arguments)
        } catch {
            let message = command.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            throw request.failure(message.replacingOccurrences(of: "Error: ", with: ""))
        }
        guard let figureCommand = parsed as? any FigureCommand else { throw request.failure("'\(request.kind)' draws no figure") }
        // Figures are made one at a time, so switching the working folder for the duration is safe.
        let previous = FileManager.default.currentDirectoryPath
        guard FileManager.default.changeCurrentDirectoryPath(directory) else {
            throw request.failure("cannot enter the notes' folder \(directory)")
        }
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        do {
            return try figureCommand.makeFigure()
        } catch {
            throw request.failure(ErrorReporting.message(for: error))
        }
    }
}
