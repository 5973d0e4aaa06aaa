import Canvas
import Figures
import Foundation

/// A figure drawn for a report: where its file is and how large it shows.
public struct RenderedFigure: Sendable {
    /// The figure's number in the report, from 1.
    public let number: Int
    /// Relative path from the page, `figures/name.png`: what the Markdown page links.
    public let path: String
    /// What the HTML page's `<img src>` holds: the path, or a `data:` URI in a self-contained page.
    public let source: String
    /// Display size in CSS pixels.
    public let width: Int
    public let height: Int

    /// Creates the record of a drawn figure.
    public init(number: Int, path: String, source: String, width: Int, height: Int) {
        self.number = number
        self.path = path
        self.source = source
        self.width = width
        self.height = height
    }
}

/// How a report's figures are written.
public struct ReportOptions: Sendable {
    /// The figures' file format.
    public enum FigureFormat: String, Sendable, CaseIterable {
        /// Raster at twice the display size, sharp on HiDPI screens and in print.
        case png
        /// Vector, with text as glyph outlines.
        case svg
    }

    /// PNG or SVG figures.
    public var figureFormat: FigureFormat
    /// Whether the HTML page embeds every figure (as `data:` URIs) instead of linking `figures/`.
    public var selfContained: Bool

    /// Creates options; the defaults are PNG figures linked from the page.
    public init(figureFormat: FigureFormat = .png, selfContained: Bool = false) {
        self.figureFormat = figureFormat
        self.selfContained = selfContained
    }
}

/// Turns a report model into `index.html`, `index.md` and `figures/`, and writes the folder atomically.
public struct ReportWriter {
    /// CSS pixels per point: figures show at their true size, so 10 pt labels read like 10 pt text.
    static let cssPixelsPerPoint = 4.0 / 3.0

    /// The media type of an image by its file extension, for a data URI.
    static func mediaType(ofImage path: String) -> String {
        switch path.split(separator: ".").last?.lowercased() ?? "" {
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "svg": return "image/svg+xml"
        case "webp": return "image/webp"
        case "avif": return "image/avif"
        default: return "application/octet-stream"
        }
    }
    /// Pixel density of report PNGs: two device pixels per CSS pixel, sharp on HiDPI screens and in print.
    static let figureScale = 2 * cssPixelsPerPoint

    let templates: TemplateSet
    let options: ReportOptions
    /// Files of the notes to copy into the report (images the notes show), relative path → bytes.
    let assets: [(path: String, bytes: [UInt8])]

    /// Creates a writer over `templates`.
    public init(templates: TemplateSet, options: ReportOptions = ReportOptions(), assets: [(path: String, bytes: [UInt8])] = []) {
        self.templates = templates
        self.options = options
        self.assets = assets
    }

    /// Draws every figure, in parallel on all cores, each task with its own renderer (Cairo and
    /// Pango objects are not shared between threads). Returns the files in reading order.
    func renderFigures(_ figures: [ReportFigure]) throws -> [(bytes: [UInt8], size: Size)] {
        typealias Drawn = (bytes: [UInt8], size: Size)
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var files: [Result<Drawn, any Error>?]
            init(count: Int) { files = Array(repeating: nil, count: count) }
            func set(_ index: Int, _ result: Result<Drawn, any Error>) {
                lock.lock()
                files[index] = result
                lock.unlock()
            }
        }
        let results = Results(count: figures.count)
        let format: OutputFormat = options.figureFormat == .svg ? .svg : .png
        DispatchQueue.concurrentPerform(iterations: figures.count) { index in
            let result = Result { () throws -> Drawn in
                let renderer = Renderer()
                let scene = try figures[index].figure.layout(
                    measurer: renderer.text, pixelsPerPoint: Renderer.pixelsPerPoint(for: format, scale: Self.figureScale))
                return (try renderer.render(scene, as: format, scale: Self.figureScale), scene.size)
            }
            results.set(index, result)
        }
        return try figures.indices.map { index in
            switch results.files[index] {
            case .success(let drawn)?: return drawn
            case .failure(let error)?: throw ReportError.figure(name: figures[index].name, reason: "\(error)")
            case nil: throw ReportError.figure(name: figures[index].name, reason: "was not drawn")
            }
        }
    }

    /// Every file of the report, relative path → bytes. Nothing touches the disk here.
    public func files(for report: Report) throws -> [(path: String, bytes: [UInt8])] {
        var files: [(String, [UInt8])] = []
        var rendered: [String: RenderedFigure] = [:]
        let figures = report.figures
        let drawn = try renderFigures(figures)
        for (index, (figure, (bytes, size))) in zip(figures, drawn).enumerated() {
            let path = "figures/\(figure.name).\(options.figureFormat.rawValue)"
            let width: Int, height: Int
            switch options.figureFormat {
            case .png:
                let size = try PNGDecoder.size(of: bytes)
                (width, height) = (Int((Double(size.width) / 2).rounded()), Int((Double(size.height) / 2).rounded()))
            case .svg:
                (width, height) = (Int((size.width * Self.cssPixelsPerPoint).rounded()), Int((size.height * Self.cssPixelsPerPoint).rounded()))
            }
            let mime = options.figureFormat == .png ? "image/png" : "image/svg+xml"
            let source = options.selfContained ? "data:\(mime);base64,\(Data(bytes).base64EncodedString())" : path
            rendered[figure.name] = RenderedFigure(number: index + 1, path: path, source: source, width: width, height: height)
            files.append((path, bytes))
        }
        files += assets.map { ($0.path, $0.bytes) }
        return files + pages(for: report, figures: rendered)
    }

    /// The HTML and Markdown pages of `report`, given each figure's file and display size by name.
    /// Nothing is drawn here: the fuzzer checks pages built from hostile notes with stand-in figures.
    public func pages(for report: Report, figures rendered: [String: RenderedFigure]) -> [(path: String, bytes: [UInt8])] {
        var files: [(String, [UInt8])] = []
        var html = HTMLWriter(figures: rendered)
        if options.selfContained {
            for asset in assets {
                html.embeddedImages[asset.path] = "data:\(Self.mediaType(ofImage: asset.path));base64,\(Data(asset.bytes).base64EncodedString())"
            }
        }
        let markdown = MarkdownWriter(figures: rendered)
        let footer = report.footer
        let htmlContext: [String: Any] = [
            "title": report.title, "subtitle": report.subtitle, "generator": "Transfigure", "footer": footer,
            "introduction": html.body(report.introduction),
            "sections": report.sections.map { ["id": $0.id, "title": $0.title, "body": html.body(of: $0)] },
        ]
        let markdownContext: [String: Any] = [
            "title": Escaping.markdown(report.title), "subtitle": Escaping.markdown(report.subtitle),
            "generator": "Transfigure", "footer": Escaping.markdown(footer),
            "introduction": markdown.body(report.introduction),
            "sections": report.sections.map { ["id": $0.id, "title": Escaping.markdown($0.title), "body": markdown.body(of: $0)] },
        ]
        files.append(("index.html", Array(templates.html.render(htmlContext).utf8)))
        files.append(("index.md", Array(Self.tidy(templates.markdown.render(markdownContext)).utf8)))
        return files
    }

    /// Writes `report` into `folder`. The files are assembled in a temporary sibling folder and
    /// swapped into place, so a failure leaves the previous report as it was.
    public func write(_ report: Report, to folder: String) throws {
        try ReportFolder.replace(folder, with: try files(for: report))
    }

    /// Collapses runs of blank lines left by template sections.
    static func tidy(_ text: String) -> String {
        var out: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty, out.last?.isEmpty ?? true { continue }
            out.append(line.trimmingCharacters(in: .whitespaces).isEmpty ? "" : line)
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }
}
