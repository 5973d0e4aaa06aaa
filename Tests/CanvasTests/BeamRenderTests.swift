import Canvas
import Figures
import Foundation
import Testing
import TransformerMath

/// The beam-search tree as pixels: each node kind has its fill, the greedy path its colour, and
/// with the real fonts nothing overlaps.
@Suite struct BeamRenderTests {
    let renderer = Renderer()

    /// A table where greedy decoding's second token is pruned by a beam of width 2.
    func leavesTheBeam() throws -> LanguageModelTable {
        try LanguageModelTable(
            next: [
                ("<s>", [("Nice", 0.55), ("Good", 0.45)]),
                ("<s> Nice", [("and", 0.34), ("weather", 0.33), ("day", 0.33)]),
                ("<s> Good", [("morning", 0.5), ("evening", 0.5)]),
                ("Good morning", [("everyone", 0.6), ("</s>", 0.4)]),
                ("", [("</s>", 1.0)]),
            ], source: "leaves.json")
    }

    func near(_ a: Color, _ b: Color, tolerance: Double = 3.0 / 255) -> Bool {
        abs(a.red - b.red) <= tolerance && abs(a.green - b.green) <= tolerance && abs(a.blue - b.blue) <= tolerance
    }

    /// An opaque colour over white at `alpha`.
    func over(_ c: Color, alpha: Double) -> Color {
        Color(red: alpha * c.red + 1 - alpha, green: alpha * c.green + 1 - alpha, blue: alpha * c.blue + 1 - alpha)
    }

    @Test(arguments: [1.0, 2.0])
    func eachKindOfNodeHasItsFillAndTheGreedyPathItsColour(scale: Double) throws {
        let result = try BeamSearch(beamWidth: 3).run(DemoLanguageModel.table)
        let figure = BeamTreeFigure(result: result, modelName: "the demo table")
        let (scene, nodes) = try figure.arrange(measurer: renderer.text)
        let image = try PNGDecoder.decode(try renderer.render(scene, as: .png, scale: scale))
        func pixel(_ p: Point) -> Color { image.color(x: Int((p.x * scale).rounded(.down)), y: Int((p.y * scale).rounded(.down))) }

        // Okabe–Ito blue 0x0072B2 at 16 %, green 0x009E73 at 20 %, over white; pruned boxes are white.
        let expected: [SearchNode.Status: Color] = [
            .kept: Color(hex: 0x0072B2).tinted(0.16), .finished: Color(hex: 0x009E73).tinted(0.2),
            .pruned: .white, .root: Color(hex: 0xF0F0F0),
        ]
        var seen = Set<SearchNode.Status>()
        for placed in nodes {
            guard case .node(let id) = placed.kind else { continue }
            let status = result.nodes[id].status
            // 3 pt inside the left edge: clear of the border and of the centred text.
            let inside = pixel(Point(placed.rect.x + 3, placed.rect.midY))
            #expect(near(inside, expected[status] ?? .black), "node \(id) (\(status)) is \(inside)")
            seen.insert(status)
        }
        #expect(seen == [.root, .kept, .finished, .pruned])

        // Greedy's first edge ends in a straight stretch into "The". 6 pt before the box (clear of
        // the greedy ring), the first device row wholly below the 1.1 pt grey line lies inside the
        // 5 pt orange band: 45 % Okabe–Ito vermillion 0xD55E00 over white. The edge into "A" is not
        // greedy: the same spot is white.
        func bandPixel(_ rect: Rect) -> Color? {
            let row = ((rect.midY + 0.55) * scale).rounded(.up)
            guard (row + 1) / scale <= rect.midY + 2.5 else { return nil }
            return image.color(x: Int(((rect.x - 6) * scale).rounded(.down)), y: Int(row))
        }
        func node(_ token: String) throws -> PlacedBeamNode {
            try #require(nodes.first { placed in
                if case .node(let id) = placed.kind { return result.nodes[id].token == token }
                return false
            })
        }
        if let band = bandPixel(try node("The").rect) {
            #expect(near(band, over(Color(hex: 0xD55E00), alpha: 0.45)), "greedy band is \(band)")
        }
        if let plain = bandPixel(try node("A").rect) { #expect(near(plain, .white), "beside a plain edge: \(plain)") }
        if scale == 2 { #expect(bandPixel(try node("The").rect) != nil, "at 2× a row always fits in the band") }
    }

    @Test func greedyOnlyNodesHaveAnOrangeDashedOutline() throws {
        let result = try BeamSearch(beamWidth: 2).run(try leavesTheBeam())
        let figure = BeamTreeFigure(result: result, modelName: "leaves.json")
        let (scene, nodes) = try figure.arrange(measurer: renderer.text)
        let greedyOnly = nodes.filter { $0.kind.isGreedyOnly }
        #expect(greedyOnly.count == 1, "after the pruned “and”, greedy goes on alone to “</s>”")
        let image = try PNGDecoder.decode(try renderer.render(scene, as: .png, scale: 2))
        let vermillion = Color(hex: 0xD55E00)
        for placed in greedyOnly {
            // Along the top edge some pixels are the dash colour, some are gaps.
            let y = Int((placed.rect.y * 2).rounded(.down))
            let row = stride(from: Int(placed.rect.x * 2) + 2, to: Int(placed.rect.maxX * 2) - 2, by: 1).map { image.color(x: $0, y: y) }
            #expect(row.contains { near($0, vermillion, tolerance: 40.0 / 255) }, "the outline is orange")
            #expect(row.contains { $0.red > 0.95 && $0.green > 0.95 && $0.blue > 0.95 }, "the outline is dashed")
        }
    }

    /// With the real fonts no two texts overlap and every text is on the page.
    @Test(arguments: [1, 3, 5])
    func textsDoNotOverlapWithRealFonts(k: Int) throws {
        let search = try BeamSearch(beamWidth: k, maxLength: 8, lengthPenalty: 0.6)
        let figures: [any Figure] = [
            BeamTreeFigure(result: try search.run(DemoLanguageModel.table), modelName: "the demo table"),
            BeamTreeFigure(result: try search.run(try leavesTheBeam()), modelName: "leaves.json"),
            try BeamComparisonFigure(model: DemoLanguageModel.table, search: search, modelName: "the demo table"),
            try BeamComparisonFigure(model: try leavesTheBeam(), search: search, modelName: "leaves.json"),
        ]
        for figure in figures {
            let scene = try figure.layout(measurer: renderer.text, pixelsPerPoint: 1)
            let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
            let texts = scene.texts
            for text in texts where !page.contains(text.bounds, tolerance: 0.01) { Issue.record("'\(text.text)' leaves the page") }
            for (i, a) in texts.enumerated() {
                let inner = Rect(x: a.bounds.x + 0.01, y: a.bounds.y + 0.01, width: a.bounds.width - 0.02, height: a.bounds.height - 0.02)
                for b in texts[(i + 1)...] where inner.intersects(b.bounds) { Issue.record("k = \(k): '\(a.text)' overlaps '\(b.text)'") }
            }
        }
    }
}
