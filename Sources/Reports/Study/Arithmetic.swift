/// Worked arithmetic for the study sections, such as `7.389 + 2.718 + 1 = 11.107`, as a formula:
/// numbers, operators and single-letter names, separated by spaces.
enum Arithmetic {
    /// The formula for `text`; in the TeX, `×` becomes `\times`, `−` becomes `-` and a comma in a
    /// number is braced so that it does not add space. Never pass `%`, which TeX reads as a comment.
    static func formula(_ text: String) -> Formula {
        let parts = text.split(separator: " ").map(String.init)
        let nodes = parts.map { part -> MathNode in
            if part.first?.isNumber == true || (part.count > 1 && part.first == "−" && part.dropFirst().first?.isNumber == true) {
                return .number(part)
            }
            if part.count == 1, part.first?.isLetter == true { return .identifier(part) }
            return .op(part)
        }
        let tex = parts.map { part -> String in
            switch part {
            case "×": return "\\times"
            case "·": return "\\cdot"
            case "≈": return "\\approx"
            // A comma inside a number is a thousands separator, not punctuation followed by a space.
            default: return part.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: ",", with: "{,}")
            }
        }.joined(separator: " ")
        return Formula(tex: tex, math: .row(nodes))
    }
}
