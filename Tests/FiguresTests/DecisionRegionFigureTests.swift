import Figures
import Foundation
import Testing
import TransformerMath

/// Decision-region panels: the sampled classes sit where the classifier puts them, boundary lines
/// are clipped to the plot, wrong samples are ringed, and no text overlaps or leaves the page.
@Suite struct DecisionRegionFigureTests {
    let measurer = FixedMeasurer()
    let samples = [(0.0, 0.0, 0), (0.0, 1.0, 1), (1.0, 0.0, 1), (1.0, 1.0, 0)].map { DecisionRegionFigure.Sample(x: $0.0, y: $0.1, target: $0.2) }

    func figure(panels: Int = 3) -> DecisionRegionFigure {
        let line = DecisionRegionFigure.Line(a: 1, b: 1, c: -0.5)
        let panel = DecisionRegionFigure.Panel(
            title: "x₁ + x₂ > ½", note: "3 of 4 correct", domain: -0.5...1.5, resolution: 40, samples: samples, boundaries: [line]
        ) { $0 + $1 > 0.5 ? 1 : 0 }
        return DecisionRegionFigure(samples: samples, panels: Array(repeating: panel, count: panels), domain: -0.5...1.5, title: "Regions", caption: "A caption.")
    }

    @Test func samplingPutsTheTopRowAtTheLargestY() {
        let panel = figure().panels[0]
        #expect(panel.classes.rows == 40 && panel.classes.columns == 40)
        // Top-left cell centre is (−0.475, 1.475): sum 1.0 > ½. Bottom-left (−0.475, −0.475): class 0.
        #expect(panel.classes[0, 0] == 1)
        #expect(panel.classes[39, 0] == 0)
        #expect(panel.classes[39, 39] == 1)
        #expect(panel.predictions == [0, 1, 1, 1])
    }

    @Test func textStaysOnThePageAndApart() throws {
        let scene = try figure().layout(measurer: measurer, pixelsPerPoint: 2)
        let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
        let texts = scene.texts
        for (i, a) in texts.enumerated() {
            #expect(page.contains(a.bounds, tolerance: 0.01), "'\(a.text)' leaves the page")
            for b in texts[(i + 1)...] { #expect(!a.bounds.intersects(b.bounds), "'\(a.text)' overlaps '\(b.text)'") }
        }
        #expect(texts.contains { $0.text == "misclassified" } && texts.contains { $0.text == "decision boundary" })
    }

    /// One raster per panel, clipped to its plot, and one red ring per wrong sample per panel.
    @Test func eachPanelDrawsItsRegionsAndRingsTheWrongSample() throws {
        let scene = try figure(panels: 2).layout(measurer: measurer, pixelsPerPoint: 1)
        var images = 0
        for case .clipped(let rect, let inner) in scene.items {
            for case .image(let image, let r, _) in inner {
                images += 1
                #expect(image.width == 40 && r == rect)
                // Class 1 is orange-tinted (red above blue), class 0 blue-tinted.
                let top = image.color(x: 0, y: 0), bottom = image.color(x: 0, y: 39)
                #expect(top.red > top.blue && bottom.blue > bottom.red)
            }
        }
        #expect(images == 2)
        let rings = scene.items.filter {
            if case .shape(_, nil, let stroke?) = $0 { return stroke.color == Color(hex: 0xC0182B) && stroke.width > 1.5 }
            return false
        }
        // (1, 1) is wrong in each panel, plus the legend's sample ring.
        #expect(rings.count == 2 + 1)
    }

    @Test func boundaryLinesAreClippedToTheDomain() throws {
        let f = figure()
        let diagonal = try #require(f.clipEndpoints(DecisionRegionFigure.Line(a: 1, b: 1, c: -0.5)))
        let ends = [diagonal.0, diagonal.1].map { [$0.x, $0.y] }.sorted { $0[0] < $1[0] }
        #expect(ends == [[-0.5, 1.0], [1.0, -0.5]])
        let vertical = try #require(f.clipEndpoints(DecisionRegionFigure.Line(a: 1, b: 0, c: -1)))
        #expect(vertical.0.x == 1 && vertical.1.x == 1)
        #expect(f.clipEndpoints(DecisionRegionFigure.Line(a: 1, b: 1, c: -10)) == nil)
    }

    @Test func predictionsMustMatchTheSamples() {
        var f = figure()
        f.panels[0].predictions = [1]
        #expect(throws: FigureError.self) { try f.layout(measurer: measurer, pixelsPerPoint: 1) }
    }
}
