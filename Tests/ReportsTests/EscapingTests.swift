import Testing
@testable import Reports

/// Text from inputs must show literally in HTML and Markdown, never become markup.
@Suite("escaping")
struct EscapingTests {
    static let hostile = [
        "<script>alert(1)</script>",
        "&", "&amp;", "&lt;", "Tom & Jerry",
        "\"double\" and 'single'",
        "`tick`", "``double ticks``", "a ` b",
        "*bold* _em_ **strong**",
        "a | b | c",
        "# heading", "## two", "- item", "+ item", "-", "#",
        "[link](https://example.com)", "![img](x.png)",
        "<img src=x onerror=alert(1)>", "\"><script>x</script>",
        "back\\slash", "$x$", "~~strike~~",
        "<s> Ġthe ▁cat ##d 猫 🙂",
        "line one\nline two",
        "",
    ]

    // MARK: HTML

    @Test("Escaping.html turns markup characters into entities")
    func htmlExamples() {
        #expect(Escaping.html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(Escaping.html("&") == "&amp;")
        #expect(Escaping.html("&amp;") == "&amp;amp;")
        #expect(Escaping.html("\"q\"") == "&quot;q&quot;")
        #expect(Escaping.html("it's") == "it&#39;s")
        #expect(Escaping.html("\"><img src=x onerror=alert(1)>") == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
        #expect(Escaping.html("<s> Ġthe ▁cat 猫 🙂 `*|#") == "&lt;s&gt; Ġthe ▁cat 猫 🙂 `*|#")
        #expect(Escaping.html("") == "")
        // `<` with a combining mark is one Character but still a tag opener to an HTML parser.
        #expect(Escaping.html("<\u{302}script>") == "&lt;\u{302}script&gt;")
        #expect(Escaping.html("\u{600}<b>") == "\u{600}&lt;b&gt;")
        #expect(Escaping.markdown("<\u{302}b> *\u{301}x*") == "&lt;\u{302}b&gt; \\*\u{301}x\\*")
    }

    @Test("Escaping.html output holds no markup character and decodes back to the input", arguments: hostile)
    func htmlProperties(_ text: String) {
        let escaped = Escaping.html(text)
        #expect(!escaped.contains("<"))
        #expect(!escaped.contains(">"))
        #expect(!escaped.contains("\""))
        #expect(!escaped.contains("'"))
        #expect(Self.htmlDecode(escaped) == text)
    }

    /// Decodes the five entities `Escaping.html` writes; any other `&` is a test failure.
    static func htmlDecode(_ text: String) -> String? {
        let entities = ["&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'"]
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let tail = rest[amp...]
            guard let (entity, character) = entities.first(where: { tail.hasPrefix($0.key) }) else { return nil }
            out += character
            rest = tail.dropFirst(entity.count)
        }
        return out + rest
    }

    // MARK: Markdown

    @Test("Escaping.markdown examples")
    func markdownExamples() {
        #expect(Escaping.markdown("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(Escaping.markdown("&") == "&amp;")
        #expect(Escaping.markdown("*bold*") == "\\*bold\\*")
        #expect(Escaping.markdown("_em_") == "\\_em\\_")
        #expect(Escaping.markdown("a | b") == "a \\| b")
        #expect(Escaping.markdown("`code`") == "\\`code\\`")
        #expect(Escaping.markdown("[x](y)") == "\\[x\\](y)")
        #expect(Escaping.markdown("# heading") == "\\# heading")
        #expect(Escaping.markdown("- item") == "\\- item")
        #expect(Escaping.markdown("+ item") == "\\+ item")
        #expect(Escaping.markdown("back\\slash") == "back\\\\slash")
        // Quotes need nothing in Markdown text.
        #expect(Escaping.markdown("\"q\" 'r'") == "\"q\" 'r'")
        // Inside a line, # and - start nothing and stay as they are.
        #expect(Escaping.markdown("C# and e-mail") == "C# and e-mail")
        // A newline would end the block; it becomes a space.
        #expect(Escaping.markdown("a\nb") == "a b")
    }

    @Test("Escaping.markdown leaves no active Markdown or HTML character unescaped", arguments: hostile)
    func markdownProperties(_ text: String) {
        let escaped = Escaping.markdown(text)
        #expect(!escaped.contains("<"))
        #expect(!escaped.contains(">"))
        #expect(!escaped.contains("\n"))
        // Walk the output: every inline-markup character is backslash-escaped, every & is an entity.
        let inlineMarkup: Set<Character> = ["`", "*", "_", "[", "]", "|", "$", "~", "\\"]
        var characters = Array(escaped)[...]
        var position = 0
        while let character = characters.first {
            if character == "\\" {
                #expect(characters.count >= 2, "dangling backslash in \(escaped)")
                characters = characters.dropFirst(2)
                position += 2
                continue
            }
            #expect(!inlineMarkup.contains(character), "unescaped \(character) in \(escaped)")
            if character == "&" {
                let tail = String(characters.prefix(5))
                #expect(tail.hasPrefix("&amp;") || tail.hasPrefix("&lt;") || tail.hasPrefix("&gt;"), "bare & in \(escaped)")
            }
            if position == 0 {
                #expect(!"#+-".contains(character), "\(escaped) starts a heading or list")
            }
            characters = characters.dropFirst()
            position += 1
        }
        #expect(Self.markdownDecode(escaped) == text.replacingOccurrences(of: "\n", with: " "))
    }

    /// Undoes `Escaping.markdown` the way a CommonMark renderer shows the text.
    static func markdownDecode(_ text: String) -> String {
        var out = ""
        var characters = Array(text)[...]
        while let character = characters.first {
            if character == "\\", characters.count >= 2 {
                out.append(characters[characters.startIndex + 1])
                characters = characters.dropFirst(2)
            } else if character == "&" {
                let rest = String(characters.prefix(5))
                if let (entity, plain) = [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")].first(where: { rest.hasPrefix($0.0) }) {
                    out += plain
                    characters = characters.dropFirst(entity.count)
                } else {
                    out.append(character)
                    characters = characters.dropFirst()
                }
            } else {
                out.append(character)
                characters = characters.dropFirst()
            }
        }
        return out
    }

    @Test("Escaping.markdown keeps a leading ordered-list marker from starting a list",
          arguments: ["1. first", "2) second", "10. tenth"])
    func markdownOrderedListMarker(_ text: String) {
        // "1. first" at the start of a paragraph would render as a numbered list.
        let escaped = Escaping.markdown(text)
        #expect(escaped != text, "\(text) passes through unescaped and starts an ordered list")
        #expect(Self.markdownDecode(escaped) == text)
    }

    @Test("Escaping.markdown keeps leading spaces from starting an indented code block")
    func markdownLeadingIndent() {
        // Four spaces at the start of a block make a code block: the text would show as code.
        let escaped = Escaping.markdown("    indented")
        #expect(!escaped.hasPrefix("    "), "\(escaped.debugDescription) starts an indented code block")
    }

    // MARK: Code spans

    @Test("markdownCode fences text with more backticks than it holds")
    func markdownCodeExamples() {
        #expect(Escaping.markdownCode("plain") == "`plain`")
        #expect(Escaping.markdownCode("<script>alert(1)</script>") == "`<script>alert(1)</script>`")
        #expect(Escaping.markdownCode("a`b") == "``a`b``")
        #expect(Escaping.markdownCode("a``b`c") == "```a``b`c```")
        // A backtick at either end needs a space so it does not merge with the fence.
        #expect(Escaping.markdownCode("`x") == "`` `x ``")
        #expect(Escaping.markdownCode("x`") == "`` x` ``")
        #expect(Escaping.markdownCode("*|#&") == "`*|#&`")
    }

    @Test("markdownCode output is one code span whose content is the input", arguments: hostile.filter { !$0.isEmpty && !$0.contains("\n") })
    func markdownCodeProperties(_ text: String) {
        let code = Escaping.markdownCode(text)
        let fence = code.prefix { $0 == "`" }
        #expect(code.hasSuffix(String(fence)))
        // The fence is longer than every backtick run inside, so nothing closes it early.
        let longestRun = text.split(whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        #expect(fence.count == longestRun + 1)
        var inner = String(code.dropFirst(fence.count).dropLast(fence.count))
        if inner.hasPrefix(" "), inner.hasSuffix(" "), inner.count >= 2, text.first == "`" || text.last == "`" {
            inner = String(inner.dropFirst().dropLast())
        }
        #expect(inner == text)
    }

    @Test("markdownCode keeps a token with a newline on one line")
    func markdownCodeNewline() {
        // A line break inside the span lets the next line start a block: "# injected" would
        // become a heading before the code span is ever parsed.
        let code = Escaping.markdownCode("x\n# injected")
        #expect(!code.contains("\n"), "code span spans lines: \(code.debugDescription)")
    }
}
