/// Renders report blocks as GitHub-flavoured Markdown; text is escaped, math stays TeX, and
/// only safe links survive.
struct MarkdownWriter {
    /// Numbered figures with their files.
    let figures: [String: RenderedFigure]

    func body(of section: ReportSection) -> String {
        body(section.blocks)
    }

    func body(_ blocks: [ReportBlock]) -> String {
        blocks.map(block).joined(separator: "\n\n")
    }

    private func block(_ block: ReportBlock) -> String {
        switch block {
        case .paragraph(let inlines):
            return line(inlines)
        case .heading(let text):
            return "### " + Escaping.markdown(text)
        case .subheading(let text, let level, _):
            return String(repeating: "#", count: min(max(level, 3), 6)) + " " + Escaping.markdown(text)
        case .list(let items):
            return items.map { "- " + line($0) }.joined(separator: "\n")
        case .orderedList(let items, let start):
            return items.enumerated().map { "\(start + $0.offset). " + line($0.element) }.joined(separator: "\n")
        case .quote(let inner):
            return body(inner).split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")
        case .code(let text, let language):
            // A fence longer than any backtick run inside, so the code cannot close it.
            var longest = 0, run = 0
            for character in text {
                run = character == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
            let fence = String(repeating: "`", count: max(3, longest + 1))
            let info = language.filter { !$0.isWhitespace && $0 != "`" }
            return fence + info + "\n" + text + "\n" + fence
        case .rule:
            return "---"
        case .formula(let formula):
            return "$$\n\(formula.tex)\n$$"
        case .table(let table):
            let header = "| " + table.header.map(cell).joined(separator: " | ") + " |"
            let rule = "|" + table.header.indices.map { table.numericColumns.contains($0) ? " ---: |" : " --- |" }.joined()
            let rows = table.rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
            let caption = table.caption.isEmpty ? "" : "\n\n*" + Escaping.markdown(table.caption) + "*"
            return ([header, rule] + rows).joined(separator: "\n") + caption
        case .figure(let figure):
            guard let rendered = figures[figure.name] else { return "" }
            return "![\(Escaping.markdown(figure.alt))](\(rendered.path))\n\n"
                + "*Figure \(rendered.number). \(Escaping.markdown(figure.caption))*"
        }
    }

    /// A table cell: inline content with its pipes escaped so they do not split the cell (text
    /// arrives with `\\|` already; code spans and math need it added; GFM reads `\\|` as a pipe in both).
    private func cell(_ inlines: [Inline]) -> String {
        var out = ""
        var previous: Character?
        for character in line(inlines, atStart: false) {
            if character == "|", previous != "\\" { out.append("\\") }
            out.append(character)
            // A backslash that escapes another backslash escapes nothing after it.
            previous = previous == "\\" && character == "\\" ? nil : character
        }
        return out
    }

    /// Inline content of one block; only its very start can be mistaken for block markup.
    private func line(_ inlines: [Inline], atStart: Bool = true) -> String {
        inlines.enumerated().map { inline($0.element, atBlockStart: atStart && $0.offset == 0) }.joined()
    }

    private func inline(_ inline: Inline, atBlockStart: Bool) -> String {
        switch inline {
        case .text(let s): return Escaping.markdown(s, atBlockStart: atBlockStart)
        case .emphasis(let s): return "*\(Escaping.markdown(s, atBlockStart: false))*"
        case .strong(let s): return "**\(Escaping.markdown(s, atBlockStart: false))**"
        case .code(let s): return Escaping.markdownCode(s)
        case .math(let formula): return "$\(formula.tex)$"
        case .styled(let style, let content):
            let mark: String
            switch style {
            case .emphasis: mark = "*"
            case .strong: mark = "**"
            case .strikethrough: mark = "~~"
            }
            return mark + line(content, atStart: false) + mark
        case .link(let content, let url):
            guard let safe = LinkPolicy.safe(url) else { return line(content, atStart: atBlockStart) }
            return "[" + line(content, atStart: false) + "](" + Self.destination(safe) + ")"
        case .image(let alt, let source):
            return "![" + Escaping.markdown(alt, atBlockStart: false) + "](" + Self.destination(source) + ")"
        case .lineBreak:
            return "\\\n"
        }
    }

    /// A link destination that Markdown reads back unchanged: spaces, brackets and parentheses percent-encoded.
    static func destination(_ url: String) -> String {
        var out = ""
        for scalar in url.unicodeScalars {
            switch scalar {
            case " ": out += "%20"
            case "(": out += "%28"
            case ")": out += "%29"
            case "<": out += "%3C"
            case ">": out += "%3E"
            case "\n", "\r", "\t": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
