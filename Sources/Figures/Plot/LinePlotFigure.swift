import Foundation

/// A line plot: several series on shared axes with "nice" ticks, a legend beside the plot (never
/// over the data) and the same fonts as every other figure.
public struct LinePlotFigure: Figure {
    /// One line.
    public struct Series: Sendable {
        /// Legend text.
        public var name: String
        /// Horizontal values.
        public var x: [Double]
        /// Vertical values, as many as `x`; non-finite values break the line.
        public var y: [Double]
        /// Colour; `nil` takes the palette colour of the series' position.
        public var color: Color?
        /// Dash lengths; `nil` takes the palette dash of the series' position (solid for the first eight).
        public var dash: [Double]?
        /// Line width in points.
        public var width = 1.6
        /// Whether to mark each point with a dot.
        public var markers = false

        /// Creates a series.
        public init(name: String, x: [Double], y: [Double], color: Color? = nil, dash: [Double]? = nil, markers: Bool = false) {
            self.name = name
            self.x = x
            self.y = y
            self.color = color
            self.dash = dash
            self.markers = markers
        }
    }

    /// How an axis maps values to distance.
    public enum Scale: Sendable {
        /// Equal steps for equal differences.
        case linear
        /// Equal steps for equal ratios; only positive values are drawn.
        case log
    }

    /// The lines, drawn in order.
    public var series: [Series]
    /// Title above the plot.
    public var title: String
    /// What the reader is looking at.
    public var caption: String?
    /// Axis titles.
    public var xLabel: String
    public var yLabel: String
    /// Axis scales.
    public var xScale: Scale = .linear
    public var yScale: Scale = .linear
    /// Fixed axis ranges; `nil` fits the data and rounds out to ticks.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    /// Size of the plotting area in points.
    public var plotSize = Size(width: 520, height: 280)
    /// Whether to draw a line at y = 0 when the range spans it.
    public var showsZeroLine = true

    /// Creates a plot.
    public init(series: [Series], title: String, xLabel: String, yLabel: String) {
        self.series = series
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    enum Metrics {
        static let margin = 16.0
        static let titleFont = Font(size: 13, weight: .bold)
        static let axisFont = Font(size: 10)
        static let tickFont = Font(size: 9)
        static let legendFont = Font(size: 9)
        static let captionFont = Font(size: 9)
        static let grid = Color(hex: 0xE6E6E6)
        static let axis = Color(hex: 0x333333)
    }

    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        guard !series.isEmpty else { throw FigureError.empty("the plot has no series") }
        for s in series where s.x.count != s.y.count {
            throw FigureError.empty("series '\(s.name)' has \(s.x.count) x values but \(s.y.count) y values")
        }
        let xAxis = try PlotAxis(values: series.flatMap(\.x), scale: xScale, fixed: xRange, name: "x")
        let yAxis = try PlotAxis(values: series.flatMap(\.y), scale: yScale, fixed: yRange, name: "y")
        var builder = SceneBuilder(measurer: measurer)

        let yTickWidth = yAxis.labels.map { measurer.measure($0, font: Metrics.tickFont).width }.max() ?? 0
        let axisHeight = measurer.measure(yLabel, font: Metrics.axisFont).height
        let titleHeight = title.isEmpty ? 0 : measurer.measure(title, font: Metrics.titleFont).height + 12
        let plot = Rect(
            x: Metrics.margin + axisHeight + 6 + yTickWidth + 6, y: Metrics.margin + titleHeight,
            width: plotSize.width, height: plotSize.height)
        func px(_ v: Double) -> Double { plot.x + xAxis.fraction(v) * plot.width }
        func py(_ v: Double) -> Double { plot.maxY - yAxis.fraction(v) * plot.height }

        // Grid, then zero line, then data, then axes on top.
        var grid = Path()
        for v in xAxis.ticks { grid.move(to: Point(px(v), plot.y)); grid.line(to: Point(px(v), plot.maxY)) }
        for v in yAxis.ticks { grid.move(to: Point(plot.x, py(v))); grid.line(to: Point(plot.maxX, py(v))) }
        builder.shape(grid, stroke: Stroke(color: Metrics.grid, width: 0.6))
        if showsZeroLine, yScale == .linear, yAxis.lower < 0, yAxis.upper > 0 {
            builder.shape(.segment(from: Point(plot.x, py(0)), to: Point(plot.maxX, py(0))), stroke: Stroke(color: Color(hex: 0x9A9A9A), width: 0.8))
        }
        var data = SceneBuilder(measurer: measurer)
        for (index, s) in series.enumerated() {
            let color = s.color ?? Palette.color(index)
            var path = Path(), open = false
            var dots = Path()
            for (x, y) in zip(s.x, s.y) {
                guard xAxis.accepts(x), yAxis.accepts(y) else { open = false; continue }
                let point = Point(px(x), py(y))
                if open { path.line(to: point) } else { path.move(to: point); open = true }
                if s.markers { dots.addCircle(center: point, radius: 2.2) }
            }
            data.shape(path, stroke: Stroke(color: color, width: s.width, dash: s.dash ?? Palette.dash(index)))
            if s.markers { data.shape(dots, fill: color) }
        }
        builder.append(.clipped(to: plot, data.items))

        var frame = Path()
        frame.move(to: Point(plot.x, plot.y))
        frame.line(to: Point(plot.x, plot.maxY))
        frame.line(to: Point(plot.maxX, plot.maxY))
        builder.shape(frame, stroke: Stroke(color: Metrics.axis, width: 0.8))
        var tickMarks = Path()
        var bottom = plot.maxY
        for (v, label) in zip(xAxis.ticks, xAxis.labels) {
            tickMarks.move(to: Point(px(v), plot.maxY))
            tickMarks.line(to: Point(px(v), plot.maxY + 4))
            let item = builder.text(label, at: Point(px(v), plot.maxY + 6), font: Metrics.tickFont, horizontal: .center, vertical: .top)
            bottom = max(bottom, item.bounds.maxY)
        }
        for (v, label) in zip(yAxis.ticks, yAxis.labels) {
            tickMarks.move(to: Point(plot.x - 4, py(v)))
            tickMarks.line(to: Point(plot.x, py(v)))
            builder.text(label, at: Point(plot.x - 6, py(v)), font: Metrics.tickFont, horizontal: .trailing, vertical: .middle)
        }
        builder.shape(tickMarks, stroke: Stroke(color: Metrics.axis, width: 0.8))
        let xTitle = builder.text(xLabel, at: Point(plot.midX, bottom + 6), font: Metrics.axisFont, color: .mutedInk, horizontal: .center, vertical: .top)
        bottom = xTitle.bounds.maxY
        builder.text(
            yLabel, at: Point(Metrics.margin + axisHeight / 2, plot.midY), font: Metrics.axisFont, color: .mutedInk,
            horizontal: .center, vertical: .middle, rotation: 90)

        // Legend to the right of the plot: it can never cover a line.
        var right = plot.maxX
        if series.count > 1 || !series[0].name.isEmpty {
            var y = plot.y
            let x = plot.maxX + 16
            for (index, s) in series.enumerated() {
                let color = s.color ?? Palette.color(index)
                let height = measurer.measure(s.name, font: Metrics.legendFont).height
                builder.shape(
                    .segment(from: Point(x, y + height / 2), to: Point(x + 22, y + height / 2)),
                    stroke: Stroke(color: color, width: s.width, dash: s.dash ?? Palette.dash(index)))
                if s.markers {
                    var dot = Path()
                    dot.addCircle(center: Point(x + 11, y + height / 2), radius: 2.2)
                    builder.shape(dot, fill: color)
                }
                let item = builder.text(s.name, at: Point(x + 28, y), font: Metrics.legendFont, vertical: .top)
                right = max(right, item.bounds.maxX)
                y += height * 1.35
            }
            bottom = max(bottom, y)
        }
        if !title.isEmpty {
            let item = builder.text(title, at: Point(Metrics.margin, Metrics.margin), font: Metrics.titleFont, vertical: .top)
            right = max(right, item.bounds.maxX)
        }
        let pageWidth = max(right + Metrics.margin, 320)
        var end = bottom
        if let caption, !caption.isEmpty {
            end = builder.caption(caption, at: Point(Metrics.margin, bottom + 10), width: pageWidth - 2 * Metrics.margin, font: Metrics.captionFont)
        }
        return Scene(size: Size(width: pageWidth.rounded(.up), height: (end + Metrics.margin).rounded(.up)), items: builder.items)
    }
}

extension Path {
    /// Adds a closed circle (four Bézier arcs).
    public mutating func addCircle(center c: Point, radius r: Double) {
        // Control-point distance for a quarter circle.
        let k = 0.552_284_749_8 * r
        move(to: Point(c.x + r, c.y))
        curve(to: Point(c.x, c.y + r), control1: Point(c.x + r, c.y + k), control2: Point(c.x + k, c.y + r))
        curve(to: Point(c.x - r, c.y), control1: Point(c.x - k, c.y + r), control2: Point(c.x - r, c.y + k))
        curve(to: Point(c.x, c.y - r), control1: Point(c.x - r, c.y - k), control2: Point(c.x - k, c.y - r))
        curve(to: Point(c.x + r, c.y), control1: Point(c.x + k, c.y - r), control2: Point(c.x + r, c.y - k))
        close()
    }
}
