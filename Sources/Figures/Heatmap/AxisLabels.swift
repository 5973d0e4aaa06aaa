/// Tick labels along one axis of a grid: font size, thinning step and truncation decided together.
struct AxisLabels {
    /// The labels drawn, each with the centre of what it labels in cell units (cell i: i + 0.5).
    let shown: [(center: Double, label: String)]
    /// Every `step`-th label is drawn (1: all).
    let step: Int
    let font: Font
    /// The widest drawn label.
    let maxWidth: Double
    /// Whether the drawn labels fit side by side without rotating.
    let fitsHorizontally: Bool

    init(labels: [String], pitch: Double, measurer: any TextMeasurer) {
        let size = min(HeatmapFigure.Metrics.maxLabelFont, max(HeatmapFigure.Metrics.minLabelFont, pitch * 0.8))
        font = Font(size: size)
        let lineHeight = measurer.measure("Ag", font: font).height
        // The smallest 1-2-5 step that leaves a line of text between drawn labels.
        var step = 1
        let candidates = [1, 2, 5]
        var magnitude = 1
        search: while true {
            for c in candidates where pitch * Double(c * magnitude) >= lineHeight * 1.05 {
                step = c * magnitude
                break search
            }
            magnitude *= 10
            if magnitude > labels.count * 10 { step = max(labels.count, 1); break }
        }
        self.step = step
        var shown: [(Double, String)] = []
        var widest = 0.0, fits = true
        for index in stride(from: 0, to: labels.count, by: step) {
            let label = TokenLabels.truncated(
                labels[index], maxWidth: HeatmapFigure.Metrics.maxLabelWidth, font: font, measurer: measurer)
            let width = measurer.measure(label, font: font).width
            widest = max(widest, width)
            if width > pitch * Double(step) - 2 { fits = false }
            shown.append((Double(index) + 0.5, label))
        }
        self.shown = shown
        maxWidth = widest
        fitsHorizontally = fits
    }

    /// Sequence positions `0 ..< count` of a matrix pooled `factor` cells per drawn cell of `pitch`
    /// points: labels at round positions (a 1-2-5 multiple of a power of ten) spaced at least a
    /// line apart, each centred on its position.
    init(positions count: Int, factor: Int, first: Int, pitch: Double, measurer: any TextMeasurer) {
        font = Font(size: HeatmapFigure.Metrics.maxLabelFont)
        let lineHeight = measurer.measure("Ag", font: font).height
        let pointsPerPosition = pitch / Double(factor)
        let widest = measurer.measure(String(first + count), font: font).width
        /// The smallest 1-2-5 spacing whose labels are at least `gap` points apart.
        func niceSpacing(apart gap: Double) -> Int {
            var magnitude = 1
            while magnitude <= count * 10 {
                for c in [1, 2, 5] where pointsPerPosition * Double(c * magnitude) >= gap { return c * magnitude }
                magnitude *= 10
            }
            return max(count, 1)
        }
        // Side by side when at least three labels fit that way, else rotated a line apart.
        var spacing = niceSpacing(apart: widest + 6)
        let rotated = count / spacing < 3
        if rotated { spacing = niceSpacing(apart: lineHeight * 1.05) }
        var shown: [(Double, String)] = []
        var widestShown = 0.0
        for position in stride(from: 0, to: count, by: spacing) {
            let label = String(first + position)
            widestShown = max(widestShown, measurer.measure(label, font: font).width)
            shown.append(((Double(position) + 0.5) / Double(factor), label))
        }
        self.shown = shown
        step = 1
        maxWidth = widestShown
        fitsHorizontally = !rotated
    }
}
