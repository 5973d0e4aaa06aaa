/// A vertical colour bar with nice ticks and a rotated label.
struct ColorbarLayout {
    let scale: ColorScale
    let label: String
    let height: Double

    /// Adds the bar with its top-left corner at `origin`; returns the right edge of everything drawn.
    func add(to builder: inout SceneBuilder, at origin: Point) -> Double {
        let width = HeatmapFigure.Metrics.colorbarWidth
        let bar = Rect(x: origin.x, y: origin.y, width: width, height: height)
        builder.image(gradient(), in: bar)
        builder.shape(.rect(bar), stroke: Stroke(color: Color(hex: 0x8A8A8A), width: 0.5))

        let ticks = NiceTicks.ticks(lower: scale.lower, upper: scale.upper, target: max(3, min(8, Int(height / 45))))
        let labels = NiceTicks.labels(for: ticks)
        var widest = 0.0
        for (value, text) in zip(ticks, labels) {
            let y = bar.maxY - scale.fraction(of: value) * height
            builder.shape(.segment(from: Point(bar.maxX, y), to: Point(bar.maxX + 4, y)), stroke: Stroke(color: .ink, width: 0.6))
            let item = builder.text(
                text, at: Point(bar.maxX + 6, y), font: HeatmapFigure.Metrics.tickFont, vertical: .middle)
            widest = max(widest, item.extent.width)
        }
        let font = HeatmapFigure.Metrics.axisTitleFont
        let labelHeight = builder.measure(label, font: font).height
        let item = builder.text(
            label, at: Point(bar.maxX + 6 + widest + 6 + labelHeight / 2, bar.midY), font: font,
            color: .mutedInk, horizontal: .center, vertical: .middle, rotation: 90)
        return item.bounds.maxX
    }

    /// 256 rows of the colormap, the upper limit at the top.
    private func gradient() -> RasterImage {
        let steps = 256
        var pixels = [UInt8](repeating: 255, count: steps * 4)
        for row in 0..<steps {
            let rgb = scale.colormap.packed(at: (Double(steps - 1 - row) + 0.5) / Double(steps))
            pixels[row * 4] = UInt8(truncatingIfNeeded: rgb >> 16)
            pixels[row * 4 + 1] = UInt8(truncatingIfNeeded: rgb >> 8)
            pixels[row * 4 + 2] = UInt8(truncatingIfNeeded: rgb)
        }
        return RasterImage(width: 1, height: steps, pixels: pixels)
    }
}
