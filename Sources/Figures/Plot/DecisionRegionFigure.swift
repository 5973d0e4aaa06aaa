import Foundation
import TransformerMath

/// Decision regions of two-input classifiers side by side: each panel shades the plane by the
/// class its classifier predicts, draws the boundary lines, and marks the labelled samples, with a
/// red ring around every sample the classifier gets wrong.
public struct DecisionRegionFigure: Figure {
    /// A labelled sample.
    public struct Sample: Sendable, Equatable {
        /// Coordinates.
        public var x: Double, y: Double
        /// The true class, 0 or 1.
        public var target: Int

        /// Creates a sample.
        public init(x: Double, y: Double, target: Int) {
            self.x = x
            self.y = y
            self.target = target
        }
    }

    /// The line a·x + b·y + c = 0.
    public struct Line: Sendable, Equatable {
        /// The coefficients of x, of y, and the constant.
        public var a: Double, b: Double, c: Double

        /// Creates the line a·x + b·y + c = 0.
        public init(a: Double, b: Double, c: Double) {
            self.a = a
            self.b = b
            self.c = c
        }
    }

    /// One classifier.
    public struct Panel: Sendable {
        /// Heading above the panel.
        public var title: String
        /// A second line, such as "3 of 4 correct".
        public var note: String
        /// The predicted class (0 or 1) sampled at cell centres: rows from the top (largest y),
        /// columns from the left, over the figure's domain on both axes.
        public var classes: Matrix
        /// Boundary lines drawn over the regions.
        public var boundaries: [Line]
        /// The predicted class of each of the figure's samples.
        public var predictions: [Int]

        /// Creates a panel from classes already sampled.
        public init(title: String, note: String, classes: Matrix, boundaries: [Line], predictions: [Int]) {
            self.title = title
            self.note = note
            self.classes = classes
            self.boundaries = boundaries
            self.predictions = predictions
        }

        /// Creates a panel by asking `classify` for every cell centre of a `resolution` × `resolution`
        /// grid over `domain` and for every sample.
        public init(
            title: String, note: String, domain: ClosedRange<Double>, resolution: Int, samples: [Sample],
            boundaries: [Line], classify: (Double, Double) -> Int
        ) {
            let n = max(1, resolution)
            let step = (domain.upperBound - domain.lowerBound) / Double(n)
            var classes = Matrix(rows: n, columns: n)
            for r in 0..<n {
                let y = domain.upperBound - (Double(r) + 0.5) * step
                for c in 0..<n {
                    classes[r, c] = Double(classify(domain.lowerBound + (Double(c) + 0.5) * step, y))
                }
            }
            self.init(title: title, note: note, classes: classes, boundaries: boundaries, predictions: samples.map { classify($0.x, $0.y) })
        }
    }

    /// The labelled samples, shown in every panel.
    public var samples: [Sample]
    /// The classifiers.
    public var panels: [Panel]
    /// The range of both axes.
    public var domain: ClosedRange<Double>
    /// Title above the panels.
    public var title: String
    /// What the reader is looking at.
    public var caption: String
    /// Axis titles.
    public var xLabel = "x₁"
    public var yLabel = "x₂"
    /// Legend names of class 0 and class 1.
    public var classNames = ["class 0", "class 1"]
    /// Side of each square plot in points.
    public var panelSide = 180.0

    /// Creates the figure.
    public init(samples: [Sample], panels: [Panel], domain: ClosedRange<Double>, title: String, caption: String) {
        self.samples = samples
        self.panels = panels
        self.domain = domain
        self.title = title
        self.caption = caption
    }

    enum Metrics {
        static let panelTitleFont = Font(size: 10, weight: .bold)
        static let noteFont = Font(size: 9)
        static let tickFont = Font(size: 8)
        static let axisFont = Font(size: 10)
        static let legendFont = Font(size: 9)
        static let gap = 30.0
        static let axis = Color(hex: 0x333333)
        /// Region shades and sample colours of class 0 and class 1 (blue and orange, which stay
        /// apart for the common colour-vision deficiencies).
        static let regions = [Color(hex: 0xD6E6F4), Color(hex: 0xFBDDC2)]
        static let samples = [Color(hex: 0x1F5F99), Color(hex: 0xC8500A)]
        static let wrong = Color(hex: 0xC0182B)
        static let boundary = Color(hex: 0x222222)
    }

    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        guard !panels.isEmpty else { throw FigureError.empty("the figure has no panels") }
        guard domain.upperBound > domain.lowerBound else { throw FigureError.empty("the domain is empty") }
        for panel in panels where panel.predictions.count != samples.count {
            throw FigureError.empty("panel '\(panel.title)' has \(panel.predictions.count) predictions for \(samples.count) samples")
        }
        let ticks = NiceTicks.ticks(lower: domain.lowerBound, upper: domain.upperBound, target: 5)
        let labels = NiceTicks.labels(for: ticks)
        let tickWidth = labels.map { measurer.measure($0, font: Metrics.tickFont).width }.max() ?? 0
        let tickHeight = measurer.measure("0", font: Metrics.tickFont).height
        let axisHeight = measurer.measure(yLabel, font: Metrics.axisFont).height
        let headHeight = panels.map {
            measurer.measure($0.title, font: Metrics.panelTitleFont).height + measurer.measure($0.note, font: Metrics.noteFont).height
        }.max() ?? 0
        let side = panelSide
        // Panels are as wide as the widest of the plot and the headings above it.
        let panelWidth = max(side, panels.map {
            max(measurer.measure($0.title, font: Metrics.panelTitleFont).width, measurer.measure($0.note, font: Metrics.noteFont).width)
        }.max() ?? 0)
        let left = axisHeight + 6 + tickWidth + 6

        return FigurePage.stacked(title: title, caption: caption, measurer: measurer) { builder, origin in
            let plotTop = origin.y + headHeight + 8
            var right = origin.x
            for (index, panel) in panels.enumerated() {
                let x0 = origin.x + left + Double(index) * (panelWidth + Metrics.gap)
                let plot = Rect(x: x0 + (panelWidth - side) / 2, y: plotTop, width: side, height: side)
                drawPanel(panel, in: plot, builder: &builder, pixelsPerPoint: pixelsPerPoint)
                builder.text(panel.title, at: Point(plot.midX, origin.y), font: Metrics.panelTitleFont, horizontal: .center, vertical: .top)
                builder.text(
                    panel.note, at: Point(plot.midX, origin.y + headHeight), font: Metrics.noteFont, color: .mutedInk,
                    horizontal: .center, vertical: .bottom)
                drawAxes(plot: plot, ticks: ticks, labels: labels, leftLabels: index == 0, builder: &builder)
                builder.text(
                    xLabel, at: Point(plot.midX, plot.maxY + 6 + tickHeight + 4), font: Metrics.axisFont, color: .mutedInk,
                    horizontal: .center, vertical: .top)
                right = max(right, x0 + panelWidth)
            }
            builder.text(
                yLabel, at: Point(origin.x + axisHeight / 2, plotTop + side / 2), font: Metrics.axisFont, color: .mutedInk,
                horizontal: .center, vertical: .middle, rotation: 90)
            let legendTop = plotTop + side + 6 + tickHeight + 4 + axisHeight + 12
            let legend = drawLegend(at: Point(origin.x + left, legendTop), builder: &builder)
            return Size(width: max(right, legend.maxX) - origin.x, height: legend.maxY - origin.y)
        }
    }

    /// Position of a data point inside `plot`.
    private func point(_ x: Double, _ y: Double, in plot: Rect) -> Point {
        let span = domain.upperBound - domain.lowerBound
        return Point(plot.x + (x - domain.lowerBound) / span * plot.width, plot.maxY - (y - domain.lowerBound) / span * plot.height)
    }

    private func drawPanel(_ panel: Panel, in plot: Rect, builder: inout SceneBuilder, pixelsPerPoint: Double) {
        let classes = panel.classes
        var pixels = [UInt8](repeating: 255, count: classes.rows * classes.columns * 4)
        for r in 0..<classes.rows {
            for c in 0..<classes.columns {
                let (red, green, blue, _) = Metrics.regions[classes[r, c] > 0.5 ? 1 : 0].rgba8
                let i = (r * classes.columns + c) * 4
                (pixels[i], pixels[i + 1], pixels[i + 2]) = (red, green, blue)
            }
        }
        var data = SceneBuilder(measurer: builder.measurer)
        data.image(RasterImage(width: classes.columns, height: classes.rows, pixels: pixels), in: plot, resampling: .nearest)
        for line in panel.boundaries {
            if let (a, b) = clipEndpoints(line) {
                data.shape(.segment(from: point(a.x, a.y, in: plot), to: point(b.x, b.y, in: plot)), stroke: Stroke(color: Metrics.boundary, width: 1.4))
            }
        }
        builder.append(.clipped(to: plot, data.items))
        builder.shape(.rect(plot), stroke: Stroke(color: Metrics.axis, width: 0.8))
        for (sample, predicted) in zip(samples, panel.predictions) {
            let centre = point(sample.x, sample.y, in: plot)
            drawMarker(target: sample.target, at: centre, builder: &builder)
            if predicted != sample.target {
                var ring = Path()
                ring.addCircle(center: centre, radius: 10)
                builder.shape(ring, stroke: Stroke(color: Metrics.wrong, width: 1.8))
            }
        }
    }

    /// A filled circle for class 1, a filled square for class 0, both outlined in white.
    private func drawMarker(target: Int, at centre: Point, builder: inout SceneBuilder) {
        var marker = Path()
        if target == 1 {
            marker.addCircle(center: centre, radius: 5.5)
        } else {
            marker.addRect(Rect(x: centre.x - 4.8, y: centre.y - 4.8, width: 9.6, height: 9.6))
        }
        builder.shape(marker, fill: Metrics.samples[target == 1 ? 1 : 0], stroke: Stroke(color: .white, width: 1.2))
    }

    private func drawAxes(plot: Rect, ticks: [Double], labels: [String], leftLabels: Bool, builder: inout SceneBuilder) {
        var marks = Path()
        for (v, label) in zip(ticks, labels) {
            let p = point(v, v, in: plot)
            marks.move(to: Point(p.x, plot.maxY))
            marks.line(to: Point(p.x, plot.maxY + 4))
            builder.text(label, at: Point(p.x, plot.maxY + 6), font: Metrics.tickFont, horizontal: .center, vertical: .top)
            marks.move(to: Point(plot.x - 4, p.y))
            marks.line(to: Point(plot.x, p.y))
            if leftLabels {
                builder.text(label, at: Point(plot.x - 6, p.y), font: Metrics.tickFont, horizontal: .trailing, vertical: .middle)
            }
        }
        builder.shape(marks, stroke: Stroke(color: Metrics.axis, width: 0.8))
    }

    /// The legend row; returns its bounds.
    private func drawLegend(at origin: Point, builder: inout SceneBuilder) -> Rect {
        let height = builder.measure("Xg", font: Metrics.legendFont).height
        let mid = origin.y + height / 2
        var x = origin.x
        for target in [1, 0] {
            drawMarker(target: target, at: Point(x + 6, mid), builder: &builder)
            let item = builder.text(classNames[target], at: Point(x + 16, mid), font: Metrics.legendFont, vertical: .middle)
            x = item.bounds.maxX + 18
        }
        var ring = Path()
        ring.addCircle(center: Point(x + 8, mid), radius: 7)
        builder.shape(ring, stroke: Stroke(color: Metrics.wrong, width: 1.8))
        var item = builder.text("misclassified", at: Point(x + 20, mid), font: Metrics.legendFont, vertical: .middle)
        x = item.bounds.maxX + 18
        for target in [1, 0] {
            builder.shape(.rect(Rect(x: x, y: mid - 6, width: 16, height: 12)), fill: Metrics.regions[target], stroke: Stroke(color: Metrics.axis, width: 0.5))
            item = builder.text("predicted \(classNames[target])", at: Point(x + 22, mid), font: Metrics.legendFont, vertical: .middle)
            x = item.bounds.maxX + 18
        }
        builder.shape(.segment(from: Point(x, mid), to: Point(x + 20, mid)), stroke: Stroke(color: Metrics.boundary, width: 1.4))
        item = builder.text("decision boundary", at: Point(x + 26, mid), font: Metrics.legendFont, vertical: .middle)
        return Rect(x: origin.x, y: origin.y, width: item.bounds.maxX - origin.x, height: height)
    }

    /// The ends, in data coordinates, of the part of `line` inside the domain square, if any.
    public func clipEndpoints(_ line: Line) -> (Point, Point)? {
        let lo = domain.lowerBound, hi = domain.upperBound
        var hits: [Point] = []
        func add(_ p: Point) {
            guard p.x >= lo - 1e-9, p.x <= hi + 1e-9, p.y >= lo - 1e-9, p.y <= hi + 1e-9 else { return }
            if !hits.contains(where: { abs($0.x - p.x) < 1e-9 && abs($0.y - p.y) < 1e-9 }) { hits.append(p) }
        }
        if line.b != 0 {
            for x in [lo, hi] { add(Point(x, -(line.a * x + line.c) / line.b)) }
        }
        if line.a != 0 {
            for y in [lo, hi] { add(Point(-(line.b * y + line.c) / line.a, y)) }
        }
        guard hits.count >= 2 else { return nil }
        return (hits[0], hits[1])
    }
}
