/// Reads markup the way a browser's tokenizer does, far enough to tell whether text from the
/// input escaped into markup: an element or attribute the writers never produce, a `<` that
/// starts nothing, an unclosed attribute value, or a link or image whose scheme would run code
/// or load from elsewhere. Any of these is a finding.
enum HTMLOracle {
    /// Elements of the page layout, of the body writer and of MathML.
    static let pageTags = Set<String>([
        "html", "head", "meta", "title", "style", "body", "header", "h1", "nav", "ol", "li", "a", "main", "section",
        "h2", "footer", "div", "p", "h3", "h4", "h5", "h6", "ul", "blockquote", "pre", "code", "hr", "figure", "img",
        "figcaption", "strong", "em", "del", "br", "table", "caption", "thead", "tbody", "tr", "th", "td",
    ]).union(mathTags)
    static let mathTags: Set<String> = [
        "math", "mi", "mn", "mo", "mtext", "mrow", "mfrac", "msqrt", "msub", "msup", "msubsup", "mtable", "mtr", "mtd",
        "mover", "munder", "munderover",
    ]
    /// Attributes the writers produce.
    static let attributes: Set<String> = [
        "lang", "charset", "name", "content", "id", "class", "href", "src", "alt", "width", "height", "start",
        "aria-label", "display", "mathvariant", "stretchy",
    ]
    /// Elements whose content is raw text up to their end tag.
    static let rawText: Set<String> = ["style", "title"]

    static func check(_ markup: String, allowedTags: Set<String>, what: String) {
        let c = Array(markup.utf8)
        var i = 0
        func fail(_ problem: String) -> Never {
            let start = max(0, i - 60), end = min(c.count, i + 60)
            fatalError("\(what): \(problem) near …\(String(decoding: c[start..<end], as: UTF8.self))…")
        }
        func isNameByte(_ b: UInt8) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D
        }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }
        func name() -> String {
            let start = i
            while i < c.count, isNameByte(c[i]) { i += 1 }
            return String(decoding: c[start..<i], as: UTF8.self).lowercased()
        }
        while i < c.count {
            guard c[i] == 0x3C else { i += 1; continue }  // <
            i += 1
            guard i < c.count else { fail("a '<' at the end") }
            if c[i] == 0x21 {  // <!-- … --> or <!DOCTYPE …>
                if c[i...].starts(with: Array("!--".utf8)) {
                    var j = i + 3
                    while j + 2 < c.count, !(c[j] == 0x2D && c[j + 1] == 0x2D && c[j + 2] == 0x3E) { j += 1 }
                    guard j + 2 < c.count else { fail("an unclosed comment") }
                    i = j + 3
                } else {
                    while i < c.count, c[i] != 0x3E { i += 1 }
                }
                continue
            }
            let closing = c[i] == 0x2F
            if closing { i += 1 }
            guard i < c.count, (c[i] >= 0x61 && c[i] <= 0x7A) || (c[i] >= 0x41 && c[i] <= 0x5A) else {
                fail("a '<' that starts no tag (unescaped text)")
            }
            let tag = name()
            guard allowedTags.contains(tag) else { fail("element <\(tag)>") }
            var values: [String: String] = [:]
            while true {
                while i < c.count, isSpace(c[i]) || c[i] == 0x2F { i += 1 }
                guard i < c.count else { fail("an unclosed tag <\(tag)>") }
                if c[i] == 0x3E { i += 1; break }
                let attribute = name()
                guard !attribute.isEmpty else { fail("a stray character in <\(tag)>") }
                guard !closing else { fail("attributes on an end tag") }
                guard attributes.contains(attribute) else { fail("attribute \(attribute) on <\(tag)>") }
                while i < c.count, isSpace(c[i]) { i += 1 }
                var value = ""
                if i < c.count, c[i] == 0x3D {  // =
                    i += 1
                    while i < c.count, isSpace(c[i]) { i += 1 }
                    guard i < c.count, c[i] == 0x22 else { fail("an unquoted value of \(attribute)") }
                    let start = i + 1
                    i = start
                    while i < c.count, c[i] != 0x22 { i += 1 }
                    guard i < c.count else { fail("an unclosed value of \(attribute)") }
                    value = decodeEntities(String(decoding: c[start..<i], as: UTF8.self))
                    i += 1
                }
                values[attribute] = value
            }
            if let href = values["href"], !safeLink(href) { fail("link \(href.debugDescription)") }
            if let src = values["src"], scheme(of: src) != nil { fail("image source \(src.debugDescription)") }
            if !closing, rawText.contains(tag) {
                let end = Array("</\(tag)".utf8)
                while i < c.count, !c[i...].starts(with: end) {
                    if tag == "title", c[i] == 0x3C { fail("a '<' inside <title>") }
                    i += 1
                }
            }
        }
    }

    /// The scheme a browser would see, after dropping the whitespace and control characters it ignores.
    static func scheme(of url: String) -> String? {
        let cleaned = String(url.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })
        guard let colon = cleaned.firstIndex(of: ":") else { return nil }
        let head = cleaned[..<colon]
        return head.contains(where: { "/?#".contains($0) }) ? nil : head.lowercased()
    }

    static func safeLink(_ url: String) -> Bool {
        guard let scheme = scheme(of: url) else { return true }
        return ["http", "https", "mailto"].contains(scheme)
    }

    /// Character references as a browser decodes them in an attribute value.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            guard let semicolon = rest.firstIndex(of: ";"), rest.distance(from: rest.startIndex, to: semicolon) <= 12 else {
                out += "&"
                rest = rest.dropFirst()
                continue
            }
            let body = rest[rest.index(after: rest.startIndex)..<semicolon]
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "Tab": "\t", "NewLine": "\n"]
            var scalar: Unicode.Scalar?
            if body.hasPrefix("#x") || body.hasPrefix("#X") {
                scalar = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            } else if body.hasPrefix("#") {
                scalar = UInt32(body.dropFirst()).flatMap(Unicode.Scalar.init)
            }
            if let scalar {
                out.unicodeScalars.append(scalar)
            } else if let value = named[String(body)] {
                out += value
            } else {
                out += "&"
                rest = rest.dropFirst()
                continue
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return out + rest
    }
}
