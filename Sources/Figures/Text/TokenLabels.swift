/// Turns tokens into axis labels a reader can use.
public enum TokenLabels {
    /// Labels for `tokens`: invisible characters made visible, and every label index-prefixed
    /// (`3:the`) when any token repeats, so two "the" rows can be told apart.
    /// `firstIndex` is the index of the first token in the whole sequence (for windows).
    public static func labels(for tokens: [String], firstIndex: Int = 0) -> [String] {
        let visible = tokens.map(makeVisible)
        let repeats = Set(visible).count < visible.count
        guard repeats else { return visible }
        return visible.enumerated().map { "\($0.offset + firstIndex):\($0.element)" }
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
