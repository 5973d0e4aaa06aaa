/// Inline Markdown of one block: code spans, `$…$` math, images, links, autolinks, emphasis,
/// strong and struck-out text, backslash escapes and hard breaks. Anything else, raw HTML
/// included, is text (and is escaped by the writers).
struct InlineParser {
    let characters: [Character]
    let file: String
    /// The line the text starts on, for messages.
    let line: Int

    /// Deepest nesting of emphasis and links; deeper markup is kept as text.
    static let maximumDepth = 24

    init(characters: [Character], file: String, line: Int) {
        self.characters = characters
        self.file = file
        self.line = line
    }

    func parse() throws(NotesError) -> [Inline] {
        try parse(0..<characters.count, depth: 0)
    }

    /// The line of character `index`.
    private func line(at index: Int) -> Int {
        line + characters[0..<min(index, characters.count)].count { $0 == "\n" }
    }

    private func parse(_ range: Range<Int>, depth: Int) throws(NotesError) -> [Inline] {
        var out: [Inline] = []
        var text = ""
        func flush() {
            if !text.isEmpty { out.append(.text(text)) }
            text = ""
        }
        func emit(_ inline: Inline) {
            flush()
            out.append(inline)
        }
        let c = characters
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let ch = c[i]
            switch ch {
            case "\\":
                if i + 1 < end, c[i + 1] == "\n" {
                    emit(.lineBreak)
                    i += 2
                } else if i + 1 < end, c[i + 1].isASCII, c[i + 1].isPunctuation || c[i + 1].isSymbol {
                    text.append(c[i + 1])
                    i += 2
                } else {
                    text.append(ch)
                    i += 1
                }
            case "`":
                let run = run(of: "`", at: i, end: end)
                if let close = findRun(of: "`", length: run, from: i + run, end: end) {
                    var code = String(c[(i + run)..<close]).replacingOccurrences(of: "\n", with: " ")
                    if code.count >= 2, code.hasPrefix(" "), code.hasSuffix(" "), code.contains(where: { $0 != " " }) {
                        code = String(code.dropFirst().dropLast())
                    }
                    emit(.code(code))
                    i = close + run
                } else {
                    text += String(repeating: "`", count: run)
                    i += run
                }
            case "$":
                if let (tex, next) = math(at: i, end: end) {
                    do {
                        emit(.math(try TeX.formula(tex)))
                    } catch {
                        throw NotesError(file: file, line: line(at: i), message: "math: \(error)")
                    }
                    i = next
                } else {
                    text.append(ch)
                    i += 1
                }
            case "!" where i + 1 < end && c[i + 1] == "[" && depth < Self.maximumDepth:
                if let (label, destination, next) = bracketed(at: i + 1, end: end) {
                    emit(.image(alt: try parse(label, depth: depth + 1).plainText, source: destination))
                    i = next
                } else {
                    text.append(ch)
                    i += 1
                }
            case "[" where depth < Self.maximumDepth:
                if let (label, destination, next) = bracketed(at: i, end: end) {
                    emit(.link(try parse(label, depth: depth + 1), url: destination))
                    i = next
                } else {
                    text.append(ch)
                    i += 1
                }
            case "<":
                if let close = c[(i + 1)..<end].firstIndex(of: ">") {
                    let inside = String(c[(i + 1)..<close])
                    if !inside.contains(where: { $0 == " " || $0 == "\n" || $0 == "<" }), let colon = inside.firstIndex(of: ":"),
                        inside[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }), colon != inside.startIndex {
                        emit(.link([.text(inside)], url: inside))
                        i = close + 1
                        continue
                    }
                }
                text.append(ch)
                i += 1
            case "*" where depth < Self.maximumDepth, "_" where depth < Self.maximumDepth, "~" where depth < Self.maximumDepth:
                if let (style, inner, next) = delimited(at: i, end: end) {
                    emit(.styled(style, try parse(inner, depth: depth + 1)))
                    i = next
                } else {
                    let run = run(of: ch, at: i, end: end)
                    text += String(repeating: ch, count: run)
                    i += run
                }
            case "\n":
                // Two trailing spaces make a hard break; otherwise a line break is a space.
                if text.hasSuffix("  ") {
                    while text.hasSuffix(" ") { text.removeLast() }
                    emit(.lineBreak)
                } else {
                    while text.hasSuffix(" ") { text.removeLast() }
                    text.append(" ")
                }
                i += 1
            default:
                text.append(ch)
                i += 1
            }
        }
        flush()
        return out
    }

    /// How many `character`s start at `index`.
    private func run(of character: Character, at index: Int, end: Int) -> Int {
        var n = 0
        while index + n < end, characters[index + n] == character { n += 1 }
        return n
    }

    /// The start of the next run of exactly `length` `character`s at or after `from`.
    private func findRun(of character: Character, length: Int, from: Int, end: Int) -> Int? {
        var i = from
        while i < end {
            if characters[i] == character {
                let n = run(of: character, at: i, end: end)
                if n == length { return i }
                i += n
            } else {
                i += 1
            }
        }
        return nil
    }

    /// `$…$` (or `$$…$$` inline) at `index`: the TeX and the index after the closing dollar.
    /// Like pandoc: the opening `$` is not followed by a space, the closing one is not preceded by
    /// a space nor followed by a digit, so "costs $5 and $10" stays text.
    private func math(at index: Int, end: Int) -> (String, Int)? {
        let c = characters
        let double = index + 1 < end && c[index + 1] == "$"
        let open = double ? 2 : 1
        let start = index + open
        guard start < end, !c[start].isWhitespace else { return nil }
        var j = start
        while j < end {
            if c[j] == "\\" { j += 2; continue }
            if c[j] == "$" {
                if double {
                    if j + 1 < end, c[j + 1] == "$", j > start { return (String(c[start..<j]), j + 2) }
                } else if j > start, !c[j - 1].isWhitespace, !(j + 1 < end && c[j + 1].isNumber) {
                    return (String(c[start..<j]), j + 1)
                }
            }
            j += 1
        }
        return nil
    }

    /// `[label](destination "title")` at `index` (the `[`): the label's range, the destination
    /// and the index after `)`.
    private func bracketed(at index: Int, end: Int) -> (Range<Int>, String, Int)? {
        let c = characters
        var depth = 0
        var j = index
        var close: Int?
        while j < end {
            if c[j] == "\\" { j += 2; continue }
            if c[j] == "`" {
                let n = run(of: "`", at: j, end: end)
                if let skip = findRun(of: "`", length: n, from: j + n, end: end) { j = skip + n; continue }
                j += n
                continue
            }
            if c[j] == "[" { depth += 1 }
            if c[j] == "]" {
                depth -= 1
                if depth == 0 { close = j; break }
            }
            j += 1
        }
        guard let close, close + 1 < end, c[close + 1] == "(" else { return nil }
        var k = close + 2
        var parens = 0
        var destination = ""
        while k < end {
            let ch = c[k]
            if ch == "\\", k + 1 < end { destination.append(c[k + 1]); k += 2; continue }
            if ch == "(" { parens += 1 }
            if ch == ")" {
                if parens == 0 { break }
                parens -= 1
            }
            destination.append(ch)
            k += 1
        }
        guard k < end else { return nil }
        var target = destination.trimmingCharacters(in: .whitespacesAndNewlines)
        // Drop an optional title: `url "title"`.
        if let space = target.firstIndex(where: { $0 == " " || $0 == "\n" }) {
            let rest = target[space...].trimmingCharacters(in: .whitespacesAndNewlines)
            if rest.hasPrefix("\"") || rest.hasPrefix("'") || rest.hasPrefix("(") { target = String(target[..<space]) }
        }
        if target.hasPrefix("<"), target.hasSuffix(">"), target.count >= 2 { target = String(target.dropFirst().dropLast()) }
        return ((index + 1)..<close, target, k + 1)
    }

    /// Emphasis (`*x*`, `_x_`), strong (`**x**`, `__x__`) or struck-out (`~~x~~`) text at `index`:
    /// the style, the inner range and the index after the closing delimiter.
    private func delimited(at index: Int, end: Int) -> (InlineStyle, Range<Int>, Int)? {
        let c = characters
        let mark = c[index]
        let n = run(of: mark, at: index, end: end)
        let length: Int
        let style: InlineStyle
        switch (mark, n) {
        case ("~", 2): (length, style) = (2, .strikethrough)
        case ("~", _): return nil
        case (_, 1): (length, style) = (1, .emphasis)
        case (_, 2): (length, style) = (2, .strong)
        default: return nil
        }
        let start = index + length
        guard start < end, !c[start].isWhitespace else { return nil }
        // `_` inside a word (snake_case) is not emphasis.
        if mark == "_", index > 0, c[index - 1].isLetter || c[index - 1].isNumber { return nil }
        var j = start
        while j < end {
            if c[j] == "\\" { j += 2; continue }
            if c[j] == "`" {
                let r = run(of: "`", at: j, end: end)
                if let skip = findRun(of: "`", length: r, from: j + r, end: end) { j = skip + r; continue }
                j += r
                continue
            }
            if c[j] == mark {
                let r = run(of: mark, at: j, end: end)
                if r == length, j > start, !c[j - 1].isWhitespace {
                    let after = j + r
                    if mark == "_", after < end, c[after].isLetter || c[after].isNumber { j += r; continue }
                    return (style, start..<j, after)
                }
                j += r
                continue
            }
            j += 1
        }
        return nil
    }
}
