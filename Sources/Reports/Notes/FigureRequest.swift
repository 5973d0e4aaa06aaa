import Figures
import Yams

/// A figure asked for in the notes: a fenced block with the info string `transfigure` holding YAML.
/// `figure:` names the subcommand; the other keys are that subcommand's long option names
/// (`file:` for the input file), plus `caption:` and `alt:` (CONTRACT §5).
public struct FigureRequest: Sendable, Equatable {
    /// The subcommand: `heatmap`, `heads`, `lines`, `attention`, `pe`, `rope` or `beam`.
    public let kind: String
    /// The options in the order written, values as text (`true` for a flag that is on).
    public let options: [Option]
    /// The caption under the figure, if given.
    public let caption: String?
    /// The alternative text, if given.
    public let alt: String?
    /// The notes file, for messages.
    public let file: String
    /// The line of the block's opening fence.
    public let line: Int

    /// One `key: value` of the block.
    public struct Option: Sendable, Equatable {
        /// The long option name without `--` (`tokens-file`), or `file`.
        public let name: String
        /// The value as text; lists are joined with commas (`heads: [0, 2]` → `0,2`).
        public let value: String
    }

    /// Keys that are about the report, not the figure's command.
    static let reportKeys: Set<String> = ["figure", "caption", "alt"]
    /// Keys the notes may not set: where figures go is the report's business.
    static let forbiddenKeys: Set<String> = ["output", "o", "dump", "scale", "help", "h"]

    /// An error at the block's line.
    public func failure(_ message: String) -> NotesError {
        NotesError(file: file, line: line, message: "figure block: \(message)")
    }

    /// Parses the YAML of a block that opens at `line`.
    static func parse(_ yaml: String, file: String, line: Int) throws(NotesError) -> FigureRequest {
        // Errors name the block's opening line; the key's own line goes in the message.
        func failure(_ message: String, at keyLine: Int? = nil) -> NotesError {
            NotesError(file: file, line: line, message: "figure block: \(message)" + (keyLine.map { " (line \($0))" } ?? ""))
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw failure("not valid YAML: \(Self.describe(error))")
        } catch {
            throw failure("not valid YAML: \(error)")
        }
        guard let mapping = node?.mapping else {
            throw failure("expected lines of `key: value`, starting with `figure: heatmap` (or heads, lines, attention, pe, rope, beam)")
        }
        var kind: String?, caption: String?, alt: String?
        var options: [Option] = []
        var seen: Set<String> = []
        for (keyNode, valueNode) in mapping {
            // Yams counts the block's lines from 1, starting after the fence.
            let at = keyNode.mark.map { line + $0.line }
            guard let key = keyNode.scalar?.string, !key.isEmpty else { throw failure("a key is not a name", at: at) }
            guard seen.insert(key).inserted else { throw failure("'\(key)' is given twice", at: at) }
            if forbiddenKeys.contains(key) {
                throw failure("'\(key)' cannot be set in notes; the report decides where its figures go", at: at)
            }
            let value: String
            switch valueNode {
            case .scalar(let scalar):
                value = scalar.string
            case .sequence(let sequence):
                var parts: [String] = []
                for item in sequence {
                    guard let text = item.scalar?.string else { throw failure("'\(key)' holds a list inside a list", at: at) }
                    parts.append(text)
                }
                value = key == "tokens" || key == "key-tokens" ? parts.joined(separator: " ") : parts.joined(separator: ",")
            default:
                throw failure("'\(key)' holds a mapping; give a single value", at: at)
            }
            switch key {
            case "figure": kind = value
            case "caption": caption = value
            case "alt": alt = value
            default: options.append(Option(name: key, value: value))
            }
        }
        guard let kind, !kind.isEmpty else {
            throw failure("no 'figure:' key; start the block with `figure: heatmap` (or heads, lines, attention, pe, rope, beam)")
        }
        return FigureRequest(kind: kind, options: options, caption: caption, alt: alt, file: file, line: line)
    }

    /// A YAML error in one line, without the library's type names.
    static func describe(_ error: YamlError) -> String {
        let text = "\(error)"
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// Turns a figure request into a figure. The command-line tool provides it, so figure blocks take
/// exactly the options of the subcommands (one option schema for both).
public protocol FigureResolver: Sendable {
    /// The figure `request` asks for; relative paths are resolved against `directory`, the notes' folder.
    func figure(for request: FigureRequest, directory: String) throws -> any Figure
}

