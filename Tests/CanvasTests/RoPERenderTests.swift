import Canvas
import Figures
import Foundation
import Testing
import TransformerMath

/// The RoPE clock as pixels: the arrows land where the layout put them, in their colour.
@Suite struct RoPERenderTests {
    let renderer = Renderer()

    @Test(arguments: [1.0, 2.0])
    func positionZeroArrowOfPairZeroIsDrawnInItsColour(scale: Double) throws {
        let figure = RoPEClockFigure(embedding: try RotaryEmbedding(dimension: 8))
        let scene = try figure.layout(measurer: renderer.text, pixelsPerPoint: scale)
        // The first filled triangle is the head of pair 0's position-0 arrow; it points along +x.
        var head: Path?
        for case .shape(let path, .some, _) in scene.items where path.elements.count == 4 {
            head = path
            break
        }
        let tip = try #require(head.flatMap { path -> Point? in
            if case .move(let p) = path.elements.first { return p }
            return nil
        })
        let image = try PNGDecoder.decode(try renderer.render(scene, as: .png, scale: scale))

        // 4 pt back from the tip is inside the 8 pt head. Position 0 is drawn at 30 % of the pair's
        // colour (Okabe–Ito blue 0x0072B2) over white: 0.3·c + 0.7·1 per channel.
        func mixed(_ byte: Double) -> Double { 0.3 * byte / 255 + 0.7 }
        let expected = Color(red: mixed(0x00), green: mixed(0x72), blue: mixed(0xB2))
        let inside = image.color(x: Int(((tip.x - 4) * scale).rounded(.down)), y: Int((tip.y * scale).rounded(.down)))
        let tolerance = 3.0 / 255
        #expect(abs(inside.red - expected.red) <= tolerance && abs(inside.green - expected.green) <= tolerance
                && abs(inside.blue - expected.blue) <= tolerance, "got \(inside), expected \(expected)")

        // Just past the tip, before the angle label, the page is white.
        let outside = image.color(x: Int(((tip.x + 2.5) * scale).rounded(.down)), y: Int((tip.y * scale).rounded(.down)))
        #expect(outside.red > 0.97 && outside.green > 0.97 && outside.blue > 0.97, "got \(outside)")
    }

    /// With the real fonts (the fixed-width measurer of the layout tests is only an approximation),
    /// no two texts overlap and every text is on the page.
    @Test(arguments: [8, 64, 128])
    func textsDoNotOverlapWithRealFonts(dimension d: Int) throws {
        for convention in RotaryEmbedding.Convention.allCases {
            let embedding = try RotaryEmbedding(dimension: d, convention: convention)
            let figures: [any Figure] = [
                RoPEClockFigure(embedding: embedding),
                RoPEClockFigure(embedding: embedding, positions: 40),
                RoPEPairingFigure(dimension: d, highlighted: convention),
                RoPERelativeFigure.seeded(embedding: embedding),
                RoPERelativeFigure.seeded(embedding: embedding, positions: 6),
                RoPERelativeFigure.seeded(embedding: embedding, positions: 1),
                RoPEClockFigure(embedding: embedding, positions: 1),
            ]
            for figure in figures {
                let scene = try figure.layout(measurer: renderer.text, pixelsPerPoint: 1)
                let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
                let texts = scene.texts
                for (i, a) in texts.enumerated() {
                    #expect(page.contains(a.bounds, tolerance: 0.01), "\(type(of: figure)) d = \(d): '\(a.text)' leaves the page")
                    let inner = Rect(x: a.bounds.x + 0.01, y: a.bounds.y + 0.01, width: a.bounds.width - 0.02, height: a.bounds.height - 0.02)
                    for b in texts[(i + 1)...] where inner.intersects(b.bounds) {
                        Issue.record("\(type(of: figure)) d = \(d), \(convention): '\(a.text)' overlaps '\(b.text)'")
                    }
                }
            }
        }
    }
}
