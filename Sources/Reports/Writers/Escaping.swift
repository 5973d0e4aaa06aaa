import Foundation

/// Escaping for every text sink. Text from inputs goes through here; raw markup never does.
public enum Escaping {
    /// Text safe inside HTML elements and double-quoted attributes.
    /// Works on Unicode scalars, not characters: `<` followed by a combining mark is one
    /// character, and must still be escaped.
    public static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Text that Markdown shows literally: punctuation that could start markup is backslash-escaped,
    /// and `<`/`&` become entities so no HTML passes through a Markdown renderer.
    /// `atBlockStart` says whether the text begins a block, where `#`, `+` and `-` are markup.
    public static func markdown(_ text: String, atBlockStart: Bool = true) -> String {
        var out = ""
        // Leading spaces would make an indented code block; a "1." or "2)" would start a list.
        let body = atBlockStart ? String(text.drop { $0 == " " || $0 == "\t" }) : text
        let listMarker = atBlockStart ? body.prefix { $0.isASCII && $0.isNumber }.count : 0
        // Scalars, not characters: a markup character followed by a combining mark is still markup.
        for (offset, character) in body.unicodeScalars.enumerated() {
            if listMarker > 0, offset == listMarker, character == "." || character == ")" {
                out.append("\\")
                out.unicodeScalars.append(character)
                continue
            }
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "$", "~":
                out.append("\\")
                out.unicodeScalars.append(character)
            case "#", "+", "-":
                // Only at the start of a block do these begin headings or lists.
                if offset == 0, atBlockStart { out.append("\\") }
                out.unicodeScalars.append(character)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\n": out += " "
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Text inside a Markdown code span: backticks in the text need a longer fence.
    public static func markdownCode(_ text: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        // A newline inside a span would let the next line start a block of its own.
        let flat = text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
        let pad = flat.hasPrefix("`") || flat.hasSuffix("`") ? " " : ""
        return fence + pad + flat + pad + fence
    }
}
