import Figures
import Foundation
import Testing
import TransformerMath

@Suite struct LinePlotTests {
    let measurer = FixedMeasurer()

    func plotRect(_ scene: Scene) -> Rect? {
        for case .clipped(let rect, _) in scene.items { return rect }
        return nil
    }

    @Test func legendSitsBesideThePlotAndEverythingIsOnThePage() throws {
        let x = (0..<50).map(Double.init)
        let figure = LinePlotFigure(
            series: (0..<5).map { k in LinePlotFigure.Series(name: "series number \(k)", x: x, y: x.map { sin($0 / Double(k + 1)) }) },
            title: "Waves", xLabel: "position", yLabel: "value")
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let plot = try #require(plotRect(scene))
        let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
        for text in scene.texts {
            #expect(page.contains(text.bounds, tolerance: 0.01), "\(text.text) leaves the page")
            if text.text.hasPrefix("series") { #expect(!text.bounds.intersects(plot), "legend covers the data") }
        }
        // Tick labels never overlap one another.
        let ticks = scene.texts.filter { $0.font.size == 9 && !$0.text.hasPrefix("series") }
        for (i, a) in ticks.enumerated() { for b in ticks[(i + 1)...] { #expect(!a.bounds.intersects(b.bounds), "\(a.text) / \(b.text)") } }
    }

    @Test func linearAxesRoundOutToNiceTicks() throws {
        let figure = LinePlotFigure(series: [LinePlotFigure.Series(name: "", x: [0.3, 97], y: [-0.7, 3.2])], title: "", xLabel: "x", yLabel: "y")
        let labels = Set(try figure.layout(measurer: measurer, pixelsPerPoint: 1).texts.map(\.text))
        for expected in ["0", "20", "40", "60", "80", "100", "−1", "0", "1", "2", "3", "4"] { #expect(labels.contains(expected), "\(expected)") }
    }

    @Test func logAxesLabelDecades() throws {
        var figure = LinePlotFigure(series: [LinePlotFigure.Series(name: "λ", x: [0, 1, 2], y: [6.28, 900, 60_000])], title: "", xLabel: "i", yLabel: "λ")
        figure.yScale = .log
        let labels = Set(try figure.layout(measurer: measurer, pixelsPerPoint: 1).texts.map(\.text))
        #expect(labels.isSuperset(of: ["1", "10", "100", "1000", "10⁴", "10⁵"]))
        var negative = figure
        negative.series = [LinePlotFigure.Series(name: "", x: [0, 1], y: [-1, -2])]
        #expect(throws: FigureError.self) { try negative.layout(measurer: measurer, pixelsPerPoint: 1) }
    }

    @Test func mismatchedSeriesAreErrors() {
        let figure = LinePlotFigure(series: [LinePlotFigure.Series(name: "a", x: [1, 2], y: [1])], title: "", xLabel: "", yLabel: "")
        #expect(throws: FigureError.self) { try figure.layout(measurer: measurer, pixelsPerPoint: 1) }
    }

    @Test func peWavesDrawSinSolidAndCosDashedWithWavelengths() throws {
        let pe = try PositionalEncoding.sinusoidal(positions: 40, dModel: 16)
        let figure = try EncodingPlots.waves(pe, dimensions: [2, 3])
        #expect(figure.series.count == 2)
        #expect(figure.series[0].dash == [] && figure.series[1].dash == [5, 3])
        #expect(figure.series[0].color == figure.series[1].color)
        // λ for dims 2 and 3 (i = 1): 2π · 10000^(2/16).
        let lambda = 2 * Double.pi * pow(10_000, 2.0 / 16)
        #expect(figure.series[0].name.contains(NumberFormat.short(lambda)))
        #expect(abs(figure.series[0].y[5] - sin(5 / pow(10_000, 2.0 / 16))) < 1e-12)
        #expect(throws: InputError.self) { try EncodingPlots.waves(pe, dimensions: [16]) }
    }

    @Test func similarityFollowsTheClosedForm() throws {
        let figure = try EncodingPlots.similarity(dModel: 8, maxOffset: 10, base: 10_000, seed: 7)
        let sinusoidal = figure.series[0].y
        for k in 0...10 {
            let expected = (0..<4).map { i in cos(Double(k) / pow(10_000, Double(2 * i) / 8)) }.reduce(0, +)
            #expect(abs(sinusoidal[k] - expected) < 1e-12)
        }
    }
}
