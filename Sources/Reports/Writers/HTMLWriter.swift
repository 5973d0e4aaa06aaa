/// Renders report blocks as HTML fragments; all text is escaped, and only safe links survive.
struct HTMLWriter {
    /// Numbered figures, in the order they appear, with their files and pixel sizes.
    let figures: [String: RenderedFigure]
    /// Data URIs that replace the paths of images from the notes, for a self-contained page.
    var embeddedImages: [String: String] = [:]

    func body(of section: ReportSection) -> String {
        body(section.blocks)
    }

    func body(_ blocks: [ReportBlock]) -> String {
        blocks.map(block).joined(separator: "\n")
    }

    private func block(_ block: ReportBlock) -> String {
        switch block {
        case .paragraph(let inlines):
            return "<p>" + line(inlines) + "</p>"
        case .heading(let text):
            return "<h3>\(Escaping.html(text))</h3>"
        case .subheading(let text, let level, let id):
            let tag = "h\(min(max(level, 3), 6))"
            return "<\(tag) id=\"\(Escaping.html(id))\">\(Escaping.html(text))</\(tag)>"
        case .list(let items):
            return "<ul>\n" + items.map { "<li>" + line($0) + "</li>" }.joined(separator: "\n") + "\n</ul>"
        case .orderedList(let items, let start):
            let startAttribute = start == 1 ? "" : " start=\"\(start)\""
            return "<ol\(startAttribute)>\n" + items.map { "<li>" + line($0) + "</li>" }.joined(separator: "\n") + "\n</ol>"
        case .quote(let inner):
            return "<blockquote>\n" + body(inner) + "\n</blockquote>"
        case .code(let text, let language):
            let languageClass = language.isEmpty ? "" : " class=\"language-\(Escaping.html(language))\""
            return "<pre><code\(languageClass)>\(Escaping.html(text))</code></pre>"
        case .rule:
            return "<hr>"
        case .formula(let formula):
            return formula.mathML(display: true)
        case .table(let table):
            return tableHTML(table)
        case .figure(let figure):
            guard let rendered = figures[figure.name] else { return "" }
            return """
                <figure id="figure-\(Escaping.html(figure.name))">
                <img src="\(Escaping.html(rendered.source))" width="\(rendered.width)" height="\(rendered.height)" alt="\(Escaping.html(figure.alt))">
                <figcaption><strong>Figure \(rendered.number).</strong> \(Escaping.html(figure.caption))</figcaption>
                </figure>
                """
        }
    }

    private func line(_ inlines: [Inline]) -> String {
        inlines.map(inline).joined()
    }

    private func inline(_ inline: Inline) -> String {
        switch inline {
        case .text(let s): return Escaping.html(s)
        case .emphasis(let s): return "<em>\(Escaping.html(s))</em>"
        case .strong(let s): return "<strong>\(Escaping.html(s))</strong>"
        case .code(let s): return "<code>\(Escaping.html(s))</code>"
        case .math(let formula): return formula.mathML(display: false)
        case .styled(let style, let content):
            let tag: String
            switch style {
            case .emphasis: tag = "em"
            case .strong: tag = "strong"
            case .strikethrough: tag = "del"
            }
            return "<\(tag)>" + line(content) + "</\(tag)>"
        case .link(let content, let url):
            // An unsafe or unknown scheme (javascript:, data:, …) keeps its text and loses the link.
            guard let safe = LinkPolicy.safe(url) else { return line(content) }
            return "<a href=\"\(Escaping.html(safe))\">" + line(content) + "</a>"
        case .image(let alt, let source):
            return "<img src=\"\(Escaping.html(embeddedImages[source] ?? source))\" alt=\"\(Escaping.html(alt))\">"
        case .lineBreak:
            return "<br>"
        }
    }

    private func tableHTML(_ table: ReportTable) -> String {
        func cell(_ content: [Inline], _ column: Int, tag: String) -> String {
            let numeric = table.numericColumns.contains(column) ? " class=\"num\"" : ""
            return "<\(tag)\(numeric)>\(line(content))</\(tag)>"
        }
        var out = "<div class=\"table-wrap\"><table>\n"
        if !table.caption.isEmpty { out += "<caption>\(Escaping.html(table.caption))</caption>\n" }
        out += "<thead><tr>"
        out += table.header.enumerated().map { cell($0.element, $0.offset, tag: "th") }.joined()
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>" + row.enumerated().map { cell($0.element, $0.offset, tag: "td") }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table></div>"
    }
}

/// Which link targets a report keeps: web and mail links, paths relative to the page, and
/// anchors. Everything else (`javascript:`, `data:`, `file:`, `vbscript:`, …) is dropped.
enum LinkPolicy {
    static let allowedSchemes: Set<String> = ["http", "https", "mailto"]

    /// The URL to write, or nil when it must not become a link.
    static func safe(_ url: String) -> String? {
        // Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
        let cleaned = String(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })
        guard !cleaned.isEmpty else { return nil }
        if let colon = cleaned.firstIndex(of: ":") {
            let head = cleaned[..<colon]
            // A colon after a slash, ? or # is part of a relative path, not a scheme.
            if !head.contains(where: { "/?#".contains($0) }) {
                return allowedSchemes.contains(head.lowercased()) ? cleaned : nil
            }
        }
        return cleaned
    }
}
