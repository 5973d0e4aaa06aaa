import Canvas
import Figures
import Testing

@Suite struct LinePlotRenderTests {
    @Test func aHorizontalLineIsDrawnAtItsValue() throws {
        var figure = LinePlotFigure(
            series: [LinePlotFigure.Series(name: "", x: [0, 10], y: [0.5, 0.5], color: Color(hex: 0xD55E00))], title: "", xLabel: "x", yLabel: "y")
        figure.yRange = 0...1
        figure.xRange = 0...10
        let renderer = Renderer()
        let scene = try figure.layout(measurer: renderer.text, pixelsPerPoint: 2)
        var plot: Rect?
        for case .clipped(let rect, _) in scene.items { plot = rect }
        let area = try #require(plot)
        let image = try PNGDecoder.decode(try renderer.render(scene, as: .png, scale: 2))
        let x = Int(area.midX * 2), y = Int(area.midY * 2)
        let onLine = image.color(x: x, y: y), above = image.color(x: x, y: y - 12)
        #expect(abs(onLine.red - 0xD5 / 255.0) < 0.05 && abs(onLine.green - 0x5E / 255.0) < 0.05)
        #expect(above.red > 0.85 && above.green > 0.85 && above.blue > 0.85)
    }
}
