/// Renders report blocks as GitHub-flavoured Markdown; text is escaped, math stays TeX.
struct MarkdownWriter {
    /// Numbered figures with their files.
    let figures: [String: RenderedFigure]

    func body(of section: ReportSection) -> String {
        section.blocks.map(block).joined(separator: "\n\n")
    }

    private func block(_ block: ReportBlock) -> String {
        switch block {
        case .paragraph(let inlines):
            return inlines.map(inline).joined()
        case .heading(let text):
            return "### " + Escaping.markdown(text)
        case .list(let items):
            return items.map { "- " + $0.map(inline).joined() }.joined(separator: "\n")
        case .formula(let formula):
            return "$$\n\(formula.tex)\n$$"
        case .table(let table):
            let header = "| " + table.header.map(Escaping.markdown).joined(separator: " | ") + " |"
            let rule = "|" + table.header.indices.map { table.numericColumns.contains($0) ? " ---: |" : " --- |" }.joined()
            let rows = table.rows.map { "| " + $0.map(Escaping.markdown).joined(separator: " | ") + " |" }
            return ([header, rule] + rows).joined(separator: "\n") + "\n\n*" + Escaping.markdown(table.caption) + "*"
        case .figure(let figure):
            guard let rendered = figures[figure.name] else { return "" }
            return "![\(Escaping.markdown(figure.alt))](\(rendered.path))\n\n"
                + "*Figure \(rendered.number). \(Escaping.markdown(figure.caption))*"
        }
    }

    private func inline(_ inline: Inline) -> String {
        switch inline {
        case .text(let s): return Escaping.markdown(s)
        case .emphasis(let s): return "*\(Escaping.markdown(s))*"
        case .strong(let s): return "**\(Escaping.markdown(s))**"
        case .code(let s): return Escaping.markdownCode(s)
        case .math(let formula): return "$\(formula.tex)$"
        }
    }
}
