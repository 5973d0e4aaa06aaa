import Canvas
import Figures
import Foundation

/// A figure drawn for a report: where its file is and how large it shows.
struct RenderedFigure {
    let number: Int
    /// Relative path from the page, `figures/name.png`.
    let path: String
    /// Display size in CSS pixels (the PNG holds twice as many, for sharp screens and print).
    let width: Int
    let height: Int
}

/// Turns a report model into `index.html`, `index.md` and `figures/`, and writes the folder atomically.
public struct ReportWriter {
    /// CSS pixels per point: figures show at their true size, so 10 pt labels read like 10 pt text.
    static let cssPixelsPerPoint = 4.0 / 3.0
    /// Pixel density of report PNGs: two device pixels per CSS pixel, sharp on HiDPI screens and in print.
    static let figureScale = 2 * cssPixelsPerPoint

    let templates: TemplateSet

    /// Creates a writer over `templates`.
    public init(templates: TemplateSet) {
        self.templates = templates
    }

    /// Every file of the report, relative path → bytes. Nothing touches the disk here.
    public func files(for report: Report) throws -> [(path: String, bytes: [UInt8])] {
        var files: [(String, [UInt8])] = []
        var rendered: [String: RenderedFigure] = [:]
        let renderer = Renderer()
        var number = 0
        for section in report.sections {
            for case .figure(let figure) in section.blocks {
                number += 1
                let png: [UInt8]
                do {
                    png = try renderer.render(figure.figure, as: .png, scale: Self.figureScale)
                } catch {
                    throw ReportError.figure(name: figure.name, reason: "\(error)")
                }
                let size = try PNGDecoder.size(of: png)
                let path = "figures/\(figure.name).png"
                rendered[figure.name] = RenderedFigure(
                    number: number, path: path,
                    width: Int((Double(size.width) / 2).rounded()),
                    height: Int((Double(size.height) / 2).rounded()))
                files.append((path, png))
            }
        }
        let html = HTMLWriter(figures: rendered)
        let markdown = MarkdownWriter(figures: rendered)
        let footer = "Written by Transfigure. Every number and figure in this report is computed, not copied."
        let htmlContext: [String: Any] = [
            "title": report.title, "subtitle": report.subtitle, "generator": "Transfigure", "footer": footer,
            "sections": report.sections.map { ["id": $0.id, "title": $0.title, "body": html.body(of: $0)] },
        ]
        let markdownContext: [String: Any] = [
            "title": Escaping.markdown(report.title), "subtitle": Escaping.markdown(report.subtitle),
            "generator": "Transfigure", "footer": Escaping.markdown(footer),
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
