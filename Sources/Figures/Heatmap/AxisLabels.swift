/// Tick labels along one axis of a grid: font size, thinning step and truncation decided together.
struct AxisLabels {
    /// The labels drawn, with the cell index each belongs to.
    let shown: [(index: Int, label: String)]
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
        var shown: [(Int, String)] = []
        var widest = 0.0, fits = true
        for index in stride(from: 0, to: labels.count, by: step) {
            let label = TokenLabels.truncated(
                labels[index], maxWidth: HeatmapFigure.Metrics.maxLabelWidth, font: font, measurer: measurer)
            let width = measurer.measure(label, font: font).width
            widest = max(widest, width)
            if width > pitch * Double(step) - 2 { fits = false }
            shown.append((index, label))
        }
        self.shown = shown
        maxWidth = widest
        fitsHorizontally = fits
    }
}
