import Canvas
import Figures
import Foundation
import Testing
import TransformerMath

@Suite struct LinesRenderTests {
    let renderer = Renderer()

    /// The drawn lines (start, end) from the same layout the renderer uses.
    func lines(of figure: LinesFigure, pixelsPerPoint: Double) throws -> [(Point, Point)] {
        let scene = try figure.layout(measurer: renderer.text, pixelsPerPoint: pixelsPerPoint)
        for case .clipped(_, let items) in scene.items {
            return items.compactMap { item in
                guard case .shape(let path, _, _) = item, path.elements.count == 2,
                    case .move(let a) = path.elements[0], case .line(let b) = path.elements[1]
                else { return nil }
                return (a, b)
            }
        }
        throw CanvasError.cairo("no lines in the scene")
    }

    func pixel(_ image: RasterImage, at point: Point, scale: Double) -> Color {
        image.color(x: Int((point.x * scale).rounded(.down)), y: Int((point.y * scale).rounded(.down)))
    }

    func midpoint(_ a: Point, _ b: Point) -> Point { Point((a.x + b.x) / 2, (a.y + b.y) / 2) }

    @Test(arguments: [1.0, 2.0])
    func aStrongLineHasTheHeadColourAndAHiddenOneIsBackground(scale: Double) throws {
        var figure = LinesFigure(heads: [Matrix([[1, 0], [0, 1]])], headNames: ["H0"])
        figure.threshold = 0.5
        let drawn = try lines(of: figure, pixelsPerPoint: scale)
        #expect(drawn.count == 2, "only the two weights of 1 are drawn")
        let zero = try #require(drawn.min { $0.0.y < $1.0.y }), one = try #require(drawn.max { $0.0.y < $1.0.y })

        let image = try PNGDecoder.decode(try renderer.render(figure, as: .png, scale: scale))
        // Weight 1: a 4 pt line at full opacity in the head's colour.
        let expected = LinesFigure.color(ofHead: 0)
        let strong = pixel(image, at: midpoint(zero.0, zero.1), scale: scale)
        let tolerance = 3.0 / 255
        #expect(abs(strong.red - expected.red) <= tolerance && abs(strong.green - expected.green) <= tolerance
                && abs(strong.blue - expected.blue) <= tolerance, "midpoint of 0→0 is \(strong)")
        // The hidden 0→1 link would cross the middle of the band: nothing is drawn there.
        let hidden = pixel(image, at: midpoint(zero.0, one.1), scale: scale)
        #expect(hidden.red > 0.99 && hidden.green > 0.99 && hidden.blue > 0.99, "midpoint of 0→1 is \(hidden)")
    }

    @Test func opacityFollowsTheWeight() throws {
        // Two single-link rows: weight 0.3 and weight 1 (self-links, so both lines are horizontal).
        var figure = LinesFigure(heads: [Matrix([[0.3, 0], [0, 1]])], headNames: [""])
        figure.threshold = 0.1
        let drawn = try lines(of: figure, pixelsPerPoint: 2)
        let image = try PNGDecoder.decode(try renderer.render(figure, as: .png, scale: 2))
        let faint = try #require(drawn.min { $0.0.y < $1.0.y }), strong = try #require(drawn.max { $0.0.y < $1.0.y })
        let a = pixel(image, at: midpoint(faint.0, faint.1), scale: 2), b = pixel(image, at: midpoint(strong.0, strong.1), scale: 2)
        // Over white, a fainter blue line is lighter in the red channel.
        #expect(a.red > b.red + 0.2)
        #expect(a.red < 0.99, "the 0.3 line is drawn")
    }
}
