/// Renders report blocks as HTML fragments; all text is escaped.
struct HTMLWriter {
    /// Numbered figures, in the order they appear, with their files and pixel sizes.
    let figures: [String: RenderedFigure]

    func body(of section: ReportSection) -> String {
        section.blocks.map(block).joined(separator: "\n")
    }

    private func block(_ block: ReportBlock) -> String {
        switch block {
        case .paragraph(let inlines):
            return "<p>" + inlines.map(inline).joined() + "</p>"
        case .heading(let text):
            return "<h3>\(Escaping.html(text))</h3>"
        case .list(let items):
            return "<ul>\n" + items.map { "<li>" + $0.map(inline).joined() + "</li>" }.joined(separator: "\n") + "\n</ul>"
        case .formula(let formula):
            return formula.mathML(display: true)
        case .table(let table):
            return tableHTML(table)
        case .figure(let figure):
            guard let rendered = figures[figure.name] else { return "" }
            return """
                <figure id="figure-\(Escaping.html(figure.name))">
                <img src="\(Escaping.html(rendered.path))" width="\(rendered.width)" height="\(rendered.height)" alt="\(Escaping.html(figure.alt))">
                <figcaption><strong>Figure \(rendered.number).</strong> \(Escaping.html(figure.caption))</figcaption>
                </figure>
                """
        }
    }

    private func inline(_ inline: Inline) -> String {
        switch inline {
        case .text(let s): return Escaping.html(s)
        case .emphasis(let s): return "<em>\(Escaping.html(s))</em>"
        case .strong(let s): return "<strong>\(Escaping.html(s))</strong>"
        case .code(let s): return "<code>\(Escaping.html(s))</code>"
        case .math(let formula): return formula.mathML(display: false)
        }
    }

    private func tableHTML(_ table: ReportTable) -> String {
        func cell(_ text: String, _ column: Int, tag: String) -> String {
            let numeric = table.numericColumns.contains(column) && tag == "td" ? " class=\"num\"" : ""
            return "<\(tag)\(numeric)>\(Escaping.html(text))</\(tag)>"
        }
        var out = "<div class=\"table-wrap\"><table>\n<caption>\(Escaping.html(table.caption))</caption>\n<thead><tr>"
        out += table.header.enumerated().map { cell($0.element, $0.offset, tag: "th") }.joined()
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>" + row.enumerated().map { cell($0.element, $0.offset, tag: "td") }.joined() + "</tr>\n"
        }
        return out + "</tbody>\n</table></div>"
    }
}
