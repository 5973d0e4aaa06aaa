import Foundation
import Mustache

/// The page layouts of a report, read from a templates folder (`Templates/` by default).
public struct TemplateSet: Sendable {
    /// The HTML page layout.
    let html: MustacheTemplate
    /// The Markdown page layout.
    let markdown: MustacheTemplate

    static let htmlName = "report.html.mustache"
    static let markdownName = "report.md.mustache"
    /// Every key the writers supply; a template naming any other key is an error.
    static let knownKeys: Set<String> = ["title", "subtitle", "generator", "introduction", "sections", "id", "body", "footer"]

    /// Loads the templates from `directory`, or from the default folder when `nil`.
    public init(directory: String? = nil) throws(ReportError) {
        let folder: String
        if let directory { folder = directory } else { folder = try Self.defaultDirectory() }
        html = try Self.load(Self.htmlName, in: folder)
        markdown = try Self.load(Self.markdownName, in: folder)
    }

    /// The templates folder: `$TRANSFIGURE_TEMPLATES`, else the `Templates` folder found next to
    /// or above the executable (a build inside the repository), else the one in the current folder.
    static func defaultDirectory() throws(ReportError) -> String {
        if let env = ProcessInfo.processInfo.environment["TRANSFIGURE_TEMPLATES"], !env.isEmpty { return env }
        var candidates: [URL] = []
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("Templates"))
            candidates.append(folder.appendingPathComponent("share/transfigure/Templates"))
            folder.deleteLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Templates"))
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.appendingPathComponent(htmlName).path) {
            return candidate.path
        }
        throw .templates("no Templates folder found next to the transfigure executable; set TRANSFIGURE_TEMPLATES to the folder holding \(htmlName)")
    }

    private static func load(_ name: String, in folder: String) throws(ReportError) -> MustacheTemplate {
        let path = (folder as NSString).appendingPathComponent(name)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .templates("\(path): template missing or unreadable")
        }
        for key in Self.tagNames(in: text) where !knownKeys.contains(key) {
            throw .templates("\(path): unknown key '\(key)'; templates may use \(knownKeys.sorted().joined(separator: ", "))")
        }
        do {
            return try MustacheTemplate(string: text)
        } catch {
            throw .templates("\(path): not a valid Mustache template (\(error))")
        }
    }

    /// Names used in `{{name}}`, `{{{name}}}`, `{{#name}}`, `{{^name}}` and `{{/name}}` tags.
    static func tagNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            var tag = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if tag.hasPrefix("{") { tag = String(tag.dropFirst()) }
            if tag.hasSuffix("}") { tag = String(tag.dropLast()) }
            guard let first = tag.first, !"%!>=".contains(first) else { continue }
            if "#^/&".contains(first) { tag = String(tag.dropFirst()) }
            let name = tag.trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, name != "." { names.append(name) }
        }
        return names
    }
}

/// Why a report cannot be written.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// A template is missing, unreadable or names an unknown key.
    case templates(String)
    /// A figure could not be drawn.
    case figure(name: String, reason: String)
    /// The report folder could not be written.
    case write(path: String, reason: String)

    public var description: String {
        switch self {
        case .templates(let reason): return reason
        case .figure(let name, let reason): return "figure '\(name)': \(reason)"
        case .write(let path, let reason): return "\(path): \(reason)"
        }
    }
}
