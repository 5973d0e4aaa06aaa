import ArgumentParser
import Canvas
import Figures
import Foundation
import Reports
import TransformerMath

/// An error the CLI itself detects in the combination of options.
struct CommandError: Error, CustomStringConvertible {
    /// The full message after `error: `, option or file first.
    let description: String
}

/// The one-line messages of the errors the tool raises.
enum ErrorReporting {
    /// The message of an error of one of the tool's own kinds, nil for anything else.
    static func knownMessage(for error: Error) -> String? {
        switch error {
        case let known as InputError: return known.description
        case let known as CanvasError: return known.description
        case let known as FigureError: return known.description
        case let known as CommandError: return known.description
        case let known as ReportError: return known.description
        case let known as AttentionError: return known.description
        case let known as NotesError: return known.description
        default: return nil
        }
    }

    /// The message of any error, on one line.
    static func message(for error: Error) -> String {
        knownMessage(for: error) ?? "\(error)".split(separator: "\n").joined(separator: " ")
    }
}

extension CommandLine {
    /// Parses the arguments, runs the command, and exits. Every failure becomes one line on
    /// stderr starting with `error:` and a non-zero status; help and version exit 0.
    static func runTransfigure() -> Never {
        // Past a file-size limit (`ulimit -f`) a write then fails with "File too large" and is
        // reported like a full disk, instead of the signal ending the process mid-write.
        signal(SIGXFSZ, SIG_IGN)
        do {
            try checkSubcommandName()
            var command = try Transfigure.parseAsRoot()
            try command.run()
            exit(0)
        } catch {
            fail(with: error)
        }
    }

    /// A misspelt command would otherwise be reported as an unknown option further along the line.
    private static func checkSubcommandName() throws {
        guard arguments.count > 1, let first = arguments.dropFirst().first, !first.hasPrefix("-") else { return }
        let names = Transfigure.configuration.subcommands.compactMap { $0.configuration.commandName }
        guard !names.contains(first), first != "help" else { return }
        throw CommandError(description: "'\(first)' is not a transfigure command; commands: \(names.joined(separator: ", "))")
    }

    private static func fail(with error: Error) -> Never {
        let message: String
        var status: Int32 = 1
        if let known = ErrorReporting.knownMessage(for: error) {
            message = known
        } else {
            let code = Transfigure.exitCode(for: error)
            // Help and version requests are not failures: let ArgumentParser print them.
            if code == .success { Transfigure.exit(withError: error) }
            status = code.rawValue == 0 ? 1 : code.rawValue
            message = argumentParserMessage(for: error)
        }
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(status)
    }

    /// ArgumentParser's message on one line, with its "Error: " prefix dropped and a pointer to help.
    private static func argumentParserMessage(for error: Error) -> String {
        var text = Transfigure.message(for: error)
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var first = lines.first ?? "invalid arguments"
        if first.first?.isUppercase == true, first.dropFirst().first?.isLowercase == true {
            first = first.prefix(1).lowercased() + first.dropFirst()
        }
        let rest = lines.dropFirst().filter { !$0.hasPrefix("Usage:") && !$0.hasPrefix("See '") }
        return ([first] + rest).joined(separator: " ") + " (see transfigure --help)"
    }
}
