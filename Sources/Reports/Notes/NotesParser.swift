import Foundation

/// Course notes in Markdown, read into blocks: the Markdown people write (ATX and setext headings,
/// paragraphs, emphasis, lists, pipe tables, fenced and indented code, links, images, block
/// quotes, rules) plus `$…$` and `$$…$$` TeX math and `transfigure` figure blocks.
///
/// Written by hand: the Markdown library on this machine (Ink 0.6) renders straight to HTML with
/// no syntax tree, so it could not give the Markdown page or the figure blocks; it passes raw HTML
/// through unescaped, which notes from other people must never reach the page as; and it knows no
/// math, so `$d_k$` would come out with `_` taken for emphasis. This parser covers the common
/// subset; raw HTML is kept as text, nested lists are flattened into their parent list, and
/// reference-style links are left as written.
struct NotesParser {
    /// The notes file's name, for messages.
    let source: String

    /// One block of the notes, before figures are drawn.
    enum Block {
        case heading(level: Int, text: String, line: Int)
        case content(ReportBlock, line: Int)
        case figure(FigureRequest)
        case quote([Block])
    }

    /// Most characters a notes file may have.
    static let maximumLength = 4_000_000
    /// Deepest nesting of block quotes.
    static let maximumQuoteDepth = 16

    /// Parses the notes text.
    func parse(_ text: String) throws(NotesError) -> [Block] {
        guard text.utf8.count <= Self.maximumLength else {
            throw NotesError(file: source, line: 1, message: "the notes are \(text.utf8.count) bytes, more than the \(Self.maximumLength) supported")
        }
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map { $0.replacingOccurrences(of: "\t", with: "    ") }
        return try blocks(lines.enumerated().map { (text: $0.element, number: $0.offset + 1) }, depth: 0)
    }

    typealias Line = (text: String, number: Int)

    private func blocks(_ lines: [Line], depth: Int) throws(NotesError) -> [Block] {
        var out: [Block] = []
        var paragraph: [Line] = []
        var i = 0

        func flushParagraph() throws(NotesError) {
            guard let first = paragraph.first else { return }
            let text = paragraph.map { $0.text.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
            out.append(.content(.paragraph(try inlines(text, line: first.number)), line: first.number))
            paragraph = []
        }

        while i < lines.count {
            let line = lines[i]
            let text = line.text
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let indent = text.prefix { $0 == " " }.count

            if trimmed.isEmpty {
                try flushParagraph()
                i += 1
                continue
            }
            // Setext headings: a line of = or - under paragraph text.
            if !paragraph.isEmpty, indent < 4, !trimmed.isEmpty, trimmed.allSatisfy({ $0 == "=" }) || trimmed.allSatisfy({ $0 == "-" }) {
                let level = trimmed.first == "=" ? 1 : 2
                let title = paragraph.map { $0.text.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                out.append(.heading(level: level, text: try plain(title, line: paragraph[0].number), line: paragraph[0].number))
                paragraph = []
                i += 1
                continue
            }
            if indent < 4, let fence = Self.fence(trimmed) {
                try flushParagraph()
                var body: [String] = []
                var j = i + 1
                var closed = false
                while j < lines.count {
                    let candidate = lines[j].text.trimmingCharacters(in: .whitespaces)
                    if candidate.hasPrefix(String(repeating: fence.character, count: fence.length)),
                        candidate.allSatisfy({ $0 == fence.character }) {
                        closed = true
                        break
                    }
                    // Strip up to the opening fence's indentation.
                    let inner = lines[j].text
                    body.append(String(inner.dropFirst(min(indent, inner.prefix { $0 == " " }.count))))
                    j += 1
                }
                if fence.info.split(separator: " ").first.map(String.init)?.lowercased() == "transfigure" {
                    guard closed else {
                        throw NotesError(file: source, line: line.number, message: "figure block: the ``` fence opened here is never closed")
                    }
                    out.append(.figure(try FigureRequest.parse(body.joined(separator: "\n"), file: source, line: line.number)))
                } else {
                    let language = fence.info.split(separator: " ").first.map(String.init) ?? ""
                    out.append(.content(.code(body.joined(separator: "\n"), language: language), line: line.number))
                }
                i = closed ? j + 1 : j
                continue
            }
            if indent < 4, trimmed.hasPrefix("$$") {
                try flushParagraph()
                var tex = String(trimmed.dropFirst(2))
                var j = i
                if tex.hasSuffix("$$"), tex.count >= 2 {
                    tex = String(tex.dropLast(2))
                } else {
                    var closed = false
                    j = i + 1
                    while j < lines.count {
                        let candidate = lines[j].text.trimmingCharacters(in: .whitespaces)
                        if candidate.hasSuffix("$$") {
                            tex += "\n" + candidate.dropLast(2)
                            closed = true
                            break
                        }
                        tex += "\n" + candidate
                        j += 1
                    }
                    guard closed else { throw NotesError(file: source, line: line.number, message: "display math: the $$ opened here is never closed") }
                }
                out.append(.content(.formula(try formula(tex.trimmingCharacters(in: .whitespacesAndNewlines), line: line.number)), line: line.number))
                i = j + 1
                continue
            }
            if indent < 4, let heading = Self.atxHeading(trimmed) {
                try flushParagraph()
                out.append(.heading(level: heading.level, text: try plain(heading.text, line: line.number), line: line.number))
                i += 1
                continue
            }
            if indent < 4, Self.isRule(trimmed) {
                try flushParagraph()
                out.append(.content(.rule, line: line.number))
                i += 1
                continue
            }
            if indent < 4, trimmed.hasPrefix(">") {
                try flushParagraph()
                guard depth < Self.maximumQuoteDepth else {
                    throw NotesError(file: source, line: line.number, message: "block quotes nested more than \(Self.maximumQuoteDepth) deep")
                }
                var inner: [Line] = []
                var j = i
                while j < lines.count {
                    let candidate = lines[j].text.trimmingCharacters(in: .whitespaces)
                    guard candidate.hasPrefix(">") else { break }
                    var rest = candidate.dropFirst()
                    if rest.first == " " { rest = rest.dropFirst() }
                    inner.append((String(rest), lines[j].number))
                    j += 1
                }
                out.append(.quote(try blocks(inner, depth: depth + 1)))
                i = j
                continue
            }
            if indent < 4, let marker = Self.listMarker(text) {
                try flushParagraph()
                var items: [(text: String, line: Int)] = [(marker.content, line.number)]
                var j = i + 1
                var pendingBlank = false
                while j < lines.count {
                    let next = lines[j].text
                    let nextTrimmed = next.trimmingCharacters(in: .whitespaces)
                    if nextTrimmed.isEmpty {
                        pendingBlank = true
                        j += 1
                        continue
                    }
                    if let nested = Self.listMarker(next), nested.ordered == marker.ordered || next.prefix(while: { $0 == " " }).count >= 2 {
                        // A sibling, or a nested item flattened into this list.
                        items.append((nested.content, lines[j].number))
                        pendingBlank = false
                        j += 1
                        continue
                    }
                    let nextIndent = next.prefix { $0 == " " }.count
                    if nextIndent >= 2 || (!pendingBlank && !Self.startsBlock(nextTrimmed)) {
                        items[items.count - 1].text += "\n" + nextTrimmed
                        pendingBlank = false
                        j += 1
                        continue
                    }
                    break
                }
                var parsed: [[Inline]] = []
                for item in items { parsed.append(try inlines(item.text, line: item.line)) }
                out.append(.content(marker.ordered ? .orderedList(parsed, start: marker.start) : .list(parsed), line: line.number))
                i = j
                continue
            }
            if indent < 4, paragraph.isEmpty, i + 1 < lines.count, trimmed.contains("|"), let alignments = Self.delimiterRow(lines[i + 1].text) {
                let header = Self.cells(trimmed)
                if header.count == alignments.count {
                    var rows: [[[Inline]]] = []
                    var j = i + 2
                    while j < lines.count {
                        let rowText = lines[j].text.trimmingCharacters(in: .whitespaces)
                        guard !rowText.isEmpty, rowText.contains("|") else { break }
                        var cells = Self.cells(rowText)
                        cells = Array(cells.prefix(header.count)) + Array(repeating: "", count: max(0, header.count - cells.count))
                        var row: [[Inline]] = []
                        for cell in cells { row.append(try inlines(cell, line: lines[j].number)) }
                        rows.append(row)
                        j += 1
                    }
                    var headerCells: [[Inline]] = []
                    for cell in header { headerCells.append(try inlines(cell, line: line.number)) }
                    let right = Set(alignments.indices.filter { alignments[$0] == .right })
                    out.append(.content(.table(ReportTable(cells: headerCells, rows: rows, numericColumns: right, caption: "")), line: line.number))
                    i = j
                    continue
                }
            }
            if indent >= 4, paragraph.isEmpty {
                var body: [String] = []
                var j = i
                while j < lines.count {
                    let candidate = lines[j].text
                    if candidate.trimmingCharacters(in: .whitespaces).isEmpty {
                        body.append("")
                    } else if candidate.prefix(while: { $0 == " " }).count >= 4 {
                        body.append(String(candidate.dropFirst(4)))
                    } else {
                        break
                    }
                    j += 1
                }
                while body.last?.isEmpty == true { body.removeLast() }
                out.append(.content(.code(body.joined(separator: "\n"), language: ""), line: line.number))
                i = j
                continue
            }
            paragraph.append(line)
            i += 1
        }
        try flushParagraph()
        return out
    }

    // MARK: Block syntax

    /// An opening code fence: three or more backticks or tildes, and the info string after them.
    static func fence(_ trimmed: String) -> (character: Character, length: Int, info: String)? {
        guard let first = trimmed.first, first == "`" || first == "~" else { return nil }
        let length = trimmed.prefix { $0 == first }.count
        guard length >= 3 else { return nil }
        let info = trimmed.dropFirst(length).trimmingCharacters(in: .whitespaces)
        if first == "`", info.contains("`") { return nil }
        return (first, length, info)
    }

    /// `## Title ##` → level 2, "Title".
    static func atxHeading(_ trimmed: String) -> (level: Int, text: String)? {
        let level = trimmed.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        let rest = trimmed.dropFirst(level)
        guard rest.isEmpty || rest.first == " " else { return nil }
        var text = rest.trimmingCharacters(in: .whitespaces)
        // A closing run of #s preceded by a space is not part of the title.
        if let range = text.range(of: #"\s+#+$"#, options: .regularExpression) { text.removeSubrange(range) }
        else if text.allSatisfy({ $0 == "#" }) { text = "" }
        return (level, text)
    }

    /// `***`, `---` or `___` (three or more, spaces allowed).
    static func isRule(_ trimmed: String) -> Bool {
        let marks = trimmed.filter { $0 != " " }
        guard let first = marks.first, "-*_".contains(first), marks.count >= 3 else { return false }
        return marks.allSatisfy { $0 == first }
    }

    /// A list item's marker: `- `, `* `, `+ `, `1. ` or `1) `, and the item's text.
    static func listMarker(_ line: String) -> (ordered: Bool, start: Int, content: String)? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if let first = trimmed.first, "-*+".contains(first) {
            let rest = trimmed.dropFirst()
            guard rest.first == " " || rest.isEmpty else { return nil }
            if isRule(trimmed) { return nil }
            return (false, 1, rest.trimmingCharacters(in: .whitespaces))
        }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard (1...9).contains(digits.count) else { return nil }
        let rest = trimmed.dropFirst(digits.count)
        guard let delimiter = rest.first, delimiter == "." || delimiter == ")" else { return nil }
        let after = rest.dropFirst()
        guard after.first == " " || after.isEmpty else { return nil }
        return (true, Int(digits) ?? 1, after.trimmingCharacters(in: .whitespaces))
    }

    /// Whether a line starts a block that ends a lazy list continuation.
    static func startsBlock(_ trimmed: String) -> Bool {
        trimmed.hasPrefix("#") || trimmed.hasPrefix(">") || trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~")
            || trimmed.hasPrefix("$$") || isRule(trimmed)
    }

    enum Alignment { case left, right, center, none }

    /// The alignments of a pipe table's delimiter row (`| --- | ---: |`), or nil if it is not one.
    static func delimiterRow(_ line: String) -> [Alignment]? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.contains("-"), trimmed.allSatisfy({ "|:- ".contains($0) }) else { return nil }
        let cells = Self.cells(trimmed)
        guard !cells.isEmpty else { return nil }
        var out: [Alignment] = []
        for cell in cells {
            let c = cell.trimmingCharacters(in: .whitespaces)
            guard c.contains("-"), c.filter({ $0 != "-" && $0 != ":" }).isEmpty else { return nil }
            switch (c.hasPrefix(":"), c.hasSuffix(":")) {
            case (true, true): out.append(.center)
            case (false, true): out.append(.right)
            case (true, false): out.append(.left)
            default: out.append(.none)
            }
        }
        return out
    }

    /// The cells of a table row, outer pipes dropped; `\|` stays a pipe inside a cell.
    static func cells(_ row: String) -> [String] {
        var text = row.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("|") { text.removeFirst() }
        if text.hasSuffix("|"), !text.hasSuffix("\\|") { text.removeLast() }
        var cells: [String] = [], current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character == "|" ? "|" : "\\\(character)")
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        cells.append(current.trimmingCharacters(in: .whitespaces))
        return cells
    }

    // MARK: Inline content

    /// The inline content of `text` (which starts on `line`).
    func inlines(_ text: String, line: Int) throws(NotesError) -> [Inline] {
        let parser = InlineParser(characters: Array(text), file: source, line: line)
        return try parser.parse()
    }

    /// A heading's text without markup: code and math keep their source.
    func plain(_ text: String, line: Int) throws(NotesError) -> String {
        try inlines(text, line: line).plainText
    }

    /// A formula from TeX, or an error naming the notes file and line.
    func formula(_ tex: String, line: Int) throws(NotesError) -> Formula {
        do {
            return try TeX.formula(tex)
        } catch {
            throw NotesError(file: source, line: line, message: "math: \(error)")
        }
    }
}

/// Why notes could not become a report: the file, the line and what is wrong.
public struct NotesError: Error, Equatable, CustomStringConvertible {
    /// The notes file.
    public let file: String
    /// 1-based line of the problem.
    public let line: Int
    /// What is wrong.
    public let message: String

    /// `notes.md:12: message`; a problem with the file as a whole (line 0) names no line.
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
