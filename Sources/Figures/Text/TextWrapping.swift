/// Breaks prose into lines that fit a width, at spaces.
public enum TextWrapping {
    /// The lines of `text` no wider than `width` (a single word wider than `width` keeps its own line).
    public static func lines(_ text: String, width: Double, font: Font, measurer: any TextMeasurer) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if current.isEmpty || measurer.measure(candidate, font: font).width <= width {
                current = candidate
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
