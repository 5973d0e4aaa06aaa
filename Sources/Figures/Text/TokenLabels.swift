/// How tokenizer markers are shown.
public enum TokenDisplay: String, Sendable, CaseIterable {
    /// Markers turned into what they mean: `Ġthe` and `▁the` show as `the`, `##ing` as `·ing`
    /// (glued to the piece before), `the</w>` as `the`, `Ċ` as `↵`. Special tokens stay as they are.
    case readable
    /// Tokens exactly as the tokenizer wrote them.
    case raw
}

/// Turns tokens into axis labels a reader can use.
public enum TokenLabels {
    /// Labels for `tokens`: tokenizer markers shown as `display` asks, invisible characters made
    /// visible, and every label index-prefixed (`3:the`) when any two labels are equal, so two
    /// "the" rows can be told apart. `firstIndex` is the index of the first token (for windows).
    public static func labels(for tokens: [String], firstIndex: Int = 0, display: TokenDisplay = .readable) -> [String] {
        let visible = tokens.map { makeVisible(display == .readable ? readable($0) : $0) }
        let repeats = Set(visible).count < visible.count
        guard repeats else { return visible }
        return visible.enumerated().map { "\($0.offset + firstIndex):\($0.element)" }
    }

    /// A token without its tokenizer markers: GPT-2 byte-level BPE (`Ġ` space, `Ċ` newline),
    /// SentencePiece (`▁` space), WordPiece (`##` continuation) and original BPE (`</w>` word end).
    public static func readable(_ token: String) -> String {
        if token == "Ċ" || token == "ĊĊ" { return String(repeating: "↵", count: token.count) }
        if token == "Ġ" || token == "▁" { return "␣" }
        if token.hasPrefix("Ġ") || token.hasPrefix("▁") { return String(token.dropFirst()) }
        if token.hasPrefix("##"), token.count > 2 { return "·" + token.dropFirst(2) }
        if token.hasSuffix("</w>"), token.count > 4 { return String(token.dropLast(4)) }
        return token
    }

    /// Whether any token carries a marker that `readable` would change (for captions).
    public static func hasMarkers(_ tokens: [String]) -> Bool {
        tokens.contains { readable($0) != $0 }
    }

    /// Index labels `0, 1, …` for a matrix without tokens.
    public static func indices(count: Int, firstIndex: Int = 0) -> [String] {
        (0..<count).map { String($0 + firstIndex) }
    }

    /// Shows whitespace and control characters as visible marks so no label is blank.
    public static func makeVisible(_ token: String) -> String {
        if token.isEmpty { return "∅" }
        var out = ""
        for scalar in token.unicodeScalars {
            switch scalar {
            case "\n": out += "↵"
            case "\t": out += "⇥"
            case "\r": out += "␍"
            case " ": out += "␣"
            default:
                if scalar.properties.generalCategory == .control {
                    out += "U+" + String(scalar.value, radix: 16, uppercase: true)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `text` cut to at most `maxWidth` points with a trailing ellipsis, measured by `measurer`.
    public static func truncated(_ text: String, maxWidth: Double, font: Font, measurer: any TextMeasurer) -> String {
        if measurer.measure(text, font: font).width <= maxWidth { return text }
        var characters = Array(text)
        while !characters.isEmpty {
            characters.removeLast()
            let candidate = String(characters) + "…"
            if measurer.measure(candidate, font: font).width <= maxWidth { return candidate }
        }
        return "…"
    }
}
