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
            return line(inlines)
        case .heading(let text):
            return "### " + Escaping.markdown(text)
        case .list(let items):
            return items.map { "- " + line($0) }.joined(separator: "\n")
        case .formula(let formula):
            return "$$\n\(formula.tex)\n$$"
        case .table(let table):
            let header = "| " + table.header.map { Escaping.markdown($0) }.joined(separator: " | ") + " |"
            let rule = "|" + table.header.indices.map { table.numericColumns.contains($0) ? " ---: |" : " --- |" }.joined()
            let rows = table.rows.map { "| " + $0.map { Escaping.markdown($0) }.joined(separator: " | ") + " |" }
            return ([header, rule] + rows).joined(separator: "\n") + "\n\n*" + Escaping.markdown(table.caption) + "*"
        case .figure(let figure):
            guard let rendered = figures[figure.name] else { return "" }
            return "![\(Escaping.markdown(figure.alt))](\(rendered.path))\n\n"
                + "*Figure \(rendered.number). \(Escaping.markdown(figure.caption))*"
        }
    }

    /// Inline content of one block; only its very start can be mistaken for block markup.
    private func line(_ inlines: [Inline]) -> String {
        inlines.enumerated().map { inline($0.element, atBlockStart: $0.offset == 0) }.joined()
    }

    private func inline(_ inline: Inline, atBlockStart: Bool) -> String {
        switch inline {
        case .text(let s): return Escaping.markdown(s, atBlockStart: atBlockStart)
        case .emphasis(let s): return "*\(Escaping.markdown(s, atBlockStart: false))*"
        case .strong(let s): return "**\(Escaping.markdown(s, atBlockStart: false))**"
        case .code(let s): return Escaping.markdownCode(s)
        case .math(let formula): return "$\(formula.tex)$"
        }
    }
}
