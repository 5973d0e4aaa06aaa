import Canvas
import Figures
import Foundation

/// Course notes turned into a report: the first `#` heading is the title, each `##` heading
/// starts a section (listed in the contents), deeper headings are sub-headings with anchors,
/// figure blocks become computed figures, and images the notes show are copied into the report.
public struct NotesReport {
    /// How a figure of each kind is described when its block gives no `alt:`.
    static let altDescriptions = [
        "heatmap": "An attention heatmap", "heads": "A grid of attention heads", "lines": "Attention drawn as lines",
        "attention": "Attention computed on a toy model", "pe": "A positional-encoding figure", "rope": "A RoPE figure",
        "beam": "A beam-search figure",
    ]

    /// The report to write.
    public let report: Report
    /// Files to copy into the report folder (images of the notes), relative path → bytes.
    public let assets: [(path: String, bytes: [UInt8])]

    /// Most figure blocks one notes file may hold.
    public static let maximumFigures = 200
    /// Largest image the notes may show.
    public static let maximumImageBytes = 50_000_000
    /// Most bytes of images one notes file may show in all (each image counted once).
    public static let maximumTotalImageBytes = 200_000_000

    /// Reads `path` and builds the report. Figure blocks are turned into figures by `resolver`;
    /// paths in them and images of the notes must lie inside the notes' folder unless `allowOutside`.
    public static func make(path: String, resolver: any FigureResolver, allowOutside: Bool = false) throws -> NotesReport {
        let data: Data
        do {
            // A huge file is refused before it is read.
            if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > NotesParser.maximumLength {
                throw NotesError(file: path, line: 0, message: "the notes are \(size) bytes, more than the \(NotesParser.maximumLength) supported")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as NotesError {
            throw error
        } catch {
            throw NotesError(file: path, line: 0, message: "cannot read the notes: \(OutputFile.reason(error))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw NotesError(file: path, line: 0, message: "the notes are not UTF-8 text")
        }
        return try make(text: text, path: path, resolver: resolver, allowOutside: allowOutside)
    }

    /// Builds the report from notes `text` read from `path`: `path` names the notes in messages
    /// and in the footer, and its folder is where figure blocks and images are looked up.
    public static func make(text: String, path: String, resolver: any FigureResolver, allowOutside: Bool = false) throws -> NotesReport {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        let blocks = try NotesParser(source: path).parse(text)
        var builder = Builder(file: path, directory: directory, resolver: resolver, allowOutside: allowOutside)
        try builder.add(blocks)
        let stem = name.split(separator: ".").dropLast().joined(separator: ".")
        let report = Report(
            title: builder.title ?? (stem.isEmpty ? name : stem), subtitle: "",
            introduction: builder.introduction, sections: builder.sections,
            footer: "Made with Transfigure from \(name); every figure is computed from the files the notes name.")
        return NotesReport(report: report, assets: builder.assets)
    }

    /// Collects sections, resolves figures and images.
    struct Builder {
        let file: String
        let directory: String
        let resolver: any FigureResolver
        let allowOutside: Bool
        var title: String?
        var introduction: [ReportBlock] = []
        var sections: [ReportSection] = []
        var assets: [(path: String, bytes: [UInt8])] = []
        var ids: Set<String> = []
        var figureCount = 0
        var copiedImages: [String: String] = [:]

        init(file: String, directory: String, resolver: any FigureResolver, allowOutside: Bool) {
            self.file = file
            self.directory = directory
            self.resolver = resolver
            self.allowOutside = allowOutside
        }

        mutating func add(_ blocks: [NotesParser.Block]) throws {
            for block in blocks {
                switch block {
                case .heading(let level, let text, _):
                    if level == 1, title == nil, sections.isEmpty {
                        title = text
                    } else if level <= 2 {
                        sections.append(ReportSection(id: uniqueID(text), title: text, blocks: []))
                    } else {
                        append(.subheading(text, level: level, id: uniqueID(text)))
                    }
                default:
                    append(try convert(block))
                }
            }
        }

        mutating func append(_ block: ReportBlock) {
            if sections.isEmpty {
                introduction.append(block)
            } else {
                sections[sections.count - 1].blocks.append(block)
            }
        }

        mutating func convert(_ block: NotesParser.Block) throws -> ReportBlock {
            switch block {
            case .heading(_, let text, _):
                return .heading(text)
            case .quote(let inner):
                var converted: [ReportBlock] = []
                for block in inner {
                    if case .heading(let level, let text, _) = block {
                        converted.append(.subheading(text, level: max(level, 3), id: uniqueID(text)))
                    } else {
                        converted.append(try convert(block))
                    }
                }
                return .quote(converted)
            case .figure(let request):
                return .figure(try figure(request))
            case .content(let content, let line):
                return try images(in: content, line: line)
            }
        }

        /// Draws nothing yet: asks the resolver for the figure, and names it by its place.
        mutating func figure(_ request: FigureRequest) throws -> ReportFigure {
            figureCount += 1
            guard figureCount <= NotesReport.maximumFigures else {
                throw request.failure("more than \(NotesReport.maximumFigures) figures in one notes file")
            }
            let figure: any Figure
            do {
                figure = try resolver.figure(for: request, directory: directory)
            } catch let error as NotesError {
                throw error
            } catch {
                throw request.failure("\(error)")
            }
            let caption = request.caption ?? ""
            let described = NotesReport.altDescriptions[request.kind] ?? "A figure"
            let alt = request.alt ?? (caption.isEmpty ? "\(described)." : "\(described): \(caption)")
            return ReportFigure(name: "figure-\(figureCount)-\(Self.slug(request.kind))", figure: figure, caption: caption, alt: alt)
        }

        /// The block with its images copied into the report (local files) or turned into links
        /// (remote ones: nothing may load from the network).
        mutating func images(in block: ReportBlock, line: Int) throws -> ReportBlock {
            func walk(_ inlines: [Inline]) throws -> [Inline] {
                var out: [Inline] = []
                for inline in inlines {
                    switch inline {
                    case .image(let alt, let source):
                        out.append(try image(alt: alt, source: source, line: line))
                    case .styled(let style, let content):
                        out.append(.styled(style, try walk(content)))
                    case .link(let content, let url):
                        out.append(.link(try walk(content), url: url))
                    default:
                        out.append(inline)
                    }
                }
                return out
            }
            switch block {
            case .paragraph(let inlines): return .paragraph(try walk(inlines))
            case .list(let items): return .list(try items.map(walk))
            case .orderedList(let items, let start): return .orderedList(try items.map(walk), start: start)
            case .table(var table):
                table.header = try table.header.map(walk)
                table.rows = try table.rows.map { try $0.map(walk) }
                return .table(table)
            default: return block
            }
        }

        mutating func image(alt: String, source: String, line: Int) throws -> Inline {
            let lowered = source.lowercased()
            if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
                return .link([.text(alt.isEmpty ? source : alt)], url: source)
            }
            if source.contains(":") && !source.hasPrefix("./") && !source.hasPrefix("/") {
                // data:, javascript: and other schemes: keep the words only.
                return .text(alt)
            }
            if let copied = copiedImages[source] { return .image(alt: alt, source: copied) }
            let resolved: String
            do {
                resolved = try NotesPaths.resolve(source, in: directory, allowOutside: allowOutside, what: "image")
            } catch {
                throw NotesError(file: file, line: line, message: "\(error)")
            }
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved),
                let size = attributes[.size] as? Int, attributes[.type] as? FileAttributeType == .typeRegular
            else {
                throw NotesError(file: file, line: line, message: "image '\(source)' is not a readable file")
            }
            guard size <= NotesReport.maximumImageBytes else {
                throw NotesError(file: file, line: line, message: "image '\(source)' is \(size) bytes, more than the \(NotesReport.maximumImageBytes) supported")
            }
            let total = assets.reduce(size) { $0 + $1.bytes.count }
            guard total <= NotesReport.maximumTotalImageBytes else {
                throw NotesError(
                    file: file, line: line,
                    message: "image '\(source)' brings the notes' images to \(total) bytes, more than the \(NotesReport.maximumTotalImageBytes) supported in one report")
            }
            guard let bytes = FileManager.default.contents(atPath: resolved) else {
                throw NotesError(file: file, line: line, message: "image '\(source)' cannot be read")
            }
            let base = source.split(separator: "/").last.map(String.init) ?? "image"
            let safe = String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "-" })
            let path = "images/\(copiedImages.count + 1)-\(safe)"
            copiedImages[source] = path
            assets.append((path, Array(bytes)))
            return .image(alt: alt, source: path)
        }

        /// A heading's anchor, unique in the page: GitHub's slug, with `-1`, `-2` for repeats.
        mutating func uniqueID(_ text: String) -> String {
            let base = Self.slug(text).isEmpty ? "section" : Self.slug(text)
            var id = base
            var n = 1
            while ids.contains(id) || id == "contents" {
                id = "\(base)-\(n)"
                n += 1
            }
            ids.insert(id)
            return id
        }

        /// GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens.
        static func slug(_ text: String) -> String {
            String(text.lowercased().compactMap { c -> Character? in
                if c == " " { return "-" }
                if c.isLetter || c.isNumber || c == "-" || c == "_" { return c }
                return nil
            })
        }
    }
}

/// Paths named by notes: relative to the notes' folder, and inside it unless allowed.
public enum NotesPaths {
    /// Why a path was refused.
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The absolute path of `path` (relative to `directory`), refusing one that leaves the folder
    /// (through `..`, an absolute path or a symbolic link) unless `allowOutside`.
    public static func resolve(_ path: String, in directory: String, allowOutside: Bool, what: String) throws -> String {
        guard !path.isEmpty else { throw Failure(message: "\(what): the path is empty") }
        guard !path.contains("\0") else { throw Failure(message: "\(what): the path holds a NUL character") }
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true))
        let resolved = url.standardizedFileURL.resolvingSymlinksInPath().path
        if !allowOutside {
            let root = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
            let prefix = root.hasSuffix("/") ? root : root + "/"
            guard resolved.hasPrefix(prefix) else {
                throw Failure(message: "\(what) '\(path)' is outside the notes' folder; pass --allow-outside to read it anyway")
            }
        }
        return resolved
    }
}
