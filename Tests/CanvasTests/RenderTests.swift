@testable import Canvas
import Figures
import Foundation
import Testing
import TransformerMath

@Suite struct RenderTests {
    let renderer = Renderer()

    func heatmap(_ values: [[Double]]) -> HeatmapFigure {
        var figure = HeatmapFigure(matrix: Matrix(values))
        figure.annotation = .never
        return figure
    }

    /// Where the cells are drawn, from the same layout the renderer uses.
    func cellRect(_ figure: HeatmapFigure, pixelsPerPoint: Double) throws -> Rect {
        let scene = try figure.layout(measurer: renderer.text, pixelsPerPoint: pixelsPerPoint)
        for case .image(let image, let rect, _) in scene.items where image.width > 1 { return rect }
        throw CanvasError.cairo("no cell image")
    }

    /// A page whose pixel size is rounded up still has its background in the last column and row.
    @Test(arguments: [8.0 / 3.0, 1.3, 2.5])
    func backgroundCoversTheRoundedUpEdge(scale: Double) throws {
        let scene = Scene(size: Size(width: 40.3, height: 21.7), background: Color(hex: 0xFFFFFF))
        let image = try PNGDecoder.decode(try renderer.render(scene, as: .png, scale: scale))
        #expect(image.width == Int((40.3 * scale).rounded(.up)) && image.height == Int((21.7 * scale).rounded(.up)))
        for (x, y) in [(image.width - 1, 0), (0, image.height - 1), (image.width - 1, image.height - 1)] {
            let c = image.color(x: x, y: y)
            #expect(c.red == 1 && c.green == 1 && c.blue == 1, "pixel (\(x), \(y)) is \(c) at scale \(scale)")
        }
    }

    @Test(arguments: [1.0, 2.0])
    func cellCentresHaveTheColourOfTheirValue(scale: Double) throws {
        let values = [[0.0, 0.25, 0.5], [0.75, 1.0, 0.1], [0.33, 0.66, 0.9]]
        let figure = heatmap(values)
        let png = try renderer.render(figure, as: .png, scale: scale)
        let image = try PNGDecoder.decode(png)
        let rect = try cellRect(figure, pixelsPerPoint: scale)
        let pitch = rect.width / 3
        for r in 0..<3 {
            for c in 0..<3 {
                let x = Int(((rect.x + (Double(c) + 0.5) * pitch) * scale).rounded(.down))
                let y = Int(((rect.y + (Double(r) + 0.5) * pitch) * scale).rounded(.down))
                let actual = image.color(x: x, y: y), expected = Colormap.viridis.color(at: values[r][c])
                let tolerance = 1.5 / 255
                #expect(abs(actual.red - expected.red) <= tolerance && abs(actual.green - expected.green) <= tolerance
                        && abs(actual.blue - expected.blue) <= tolerance, "cell (\(r), \(c))")
            }
        }
    }

    @Test func scaleMultipliesThePixelSize() throws {
        let figure = heatmap([[0.5, 0.5], [0.5, 0.5]])
        let one = try PNGDecoder.size(of: try renderer.render(figure, as: .png, scale: 1))
        let two = try PNGDecoder.size(of: try renderer.render(figure, as: .png, scale: 2))
        #expect(two.width == 2 * one.width && two.height == 2 * one.height)
        #expect(throws: CanvasError.invalidScale(0)) { try renderer.render(figure, as: .png, scale: 0) }
        #expect(throws: CanvasError.self) { try renderer.render(figure, as: .png, scale: .nan) }
    }

    @Test func svgEmbedsTheCellsAtTheirFinalSize() throws {
        var values = [[Double]](repeating: [Double](repeating: 0, count: 200), count: 200)
        for i in 0..<200 { values[i][i] = 1 }
        let figure = heatmap(values)
        let svg = String(decoding: try renderer.render(figure, as: .svg), as: UTF8.self)
        let rect = try cellRect(figure, pixelsPerPoint: 2)
        // Cairo embeds each raster as a base64 PNG; the cells' one must be 2 px per point of its box.
        let sizes = try embeddedPNGSizes(svg)
        #expect(sizes.contains { $0.width == Int((rect.width * 2).rounded()) && $0.height == Int((rect.height * 2).rounded()) })
        #expect(svg.contains("<symbol") || svg.contains("glyph"), "labels must stay vector glyphs")
    }

    @Test func pdfAndPngAreByteIdenticalRunToRun() throws {
        let figure = heatmap([[0.2, 0.8], [0.6, 0.4]])
        #expect(try renderer.render(figure, as: .pdf) == (try Renderer().render(figure, as: .pdf)))
        #expect(try renderer.render(figure, as: .png) == (try Renderer().render(figure, as: .png)))
        let pdf = String(decoding: try renderer.render(figure, as: .pdf), as: UTF8.self)
        #expect(pdf.contains("20000101000000"), "creation date must be pinned")
    }

    @Test func svgIsByteIdenticalWhateverTheProcessDrewBefore() throws {
        // Cairo numbers embedded images by a process-wide counter; the renderer renumbers them.
        let figure = heatmap([[0.2, 0.8], [0.6, 0.4]])
        let first = try Renderer().render(figure, as: .svg)
        for _ in 0..<3 { _ = try Renderer().render(heatmap([[1, 0], [0, 1]]), as: .svg) }
        _ = try Renderer().render(figure, as: .png)
        let again = try Renderer().render(figure, as: .svg)
        #expect(first == again)
        let text = String(decoding: again, as: UTF8.self)
        #expect(text.contains("id=\"image1\"") && text.contains("#image1\""))
    }

    @Test func rastersAreLimitedPerSideAndInArea() {
        #expect(Renderer.fits(width: 16_000, height: 16_000))
        #expect(!Renderer.fits(width: 32_001, height: 10))
        #expect(!Renderer.fits(width: 20_000, height: 20_000), "400 megapixels is more than 256")
        #expect(!Renderer.fits(width: 0, height: 10))
        #expect(CanvasError.tooLarge(width: 20_000, height: 20_000).description.contains("268435456 pixels in all"))
    }

    @Test func svgIdentifiersAreRenumberedInOrderOfFirstUse() {
        let svg = ##"<g id="surface9"><image id="image16"/><use xlink:href="#image16"/><image id="image4"/>"##
            + ##"<use xlink:href="#image4"/><rect fill="url(#pattern30)"/><path id="glyph0-3"/>image7 #clip</g>"##
        let expected = ##"<g id="surface1"><image id="image1"/><use xlink:href="#image1"/><image id="image2"/>"##
            + ##"<use xlink:href="#image2"/><rect fill="url(#pattern1)"/><path id="glyph0-3"/>image7 #clip</g>"##
        #expect(String(decoding: SVGIdentifiers.renumber(Array(svg.utf8)), as: UTF8.self) == expected)
    }

    @Test(arguments: ["猫が好き", "مرحبا", "😀🚀", "Ġhello", "▁world", "<s>&\"x\""])
    func textInAnyScriptLeavesInk(text: String) throws {
        var builder = SceneBuilder(measurer: renderer.text)
        let item = builder.text(text, at: Point(10, 10), font: Font(size: 20), color: .black, vertical: .top)
        #expect(item.extent.width > 5)
        let scene = Scene(size: Size(width: item.extent.width + 20, height: item.extent.height + 20), items: builder.items)
        let image = try PNGDecoder.decode(try renderer.render(scene, as: .png))
        var inked = 0, coloured = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let c = image.color(x: x, y: y)
                if c.red < 0.6 || c.green < 0.6 || c.blue < 0.6 { inked += 1 }
                if abs(c.red - c.blue) > 0.2 || abs(c.red - c.green) > 0.2 { coloured += 1 }
            }
        }
        // A missing glyph would still draw a hollow box; demand real strokes.
        #expect(inked > 40)
        if text.hasPrefix("😀") { #expect(coloured > 40, "emoji should render in colour") }
    }

    @Test func measurementsGrowWithTextAndSize() {
        let small = renderer.text.measure("attention", font: Font(size: 10))
        let large = renderer.text.measure("attention", font: Font(size: 20))
        let longer = renderer.text.measure("attention weights", font: Font(size: 10))
        #expect(abs(large.width - 2 * small.width) < 0.5)
        #expect(longer.width > small.width)
        #expect(small.baseline > 0 && small.baseline < small.height)
    }

    @Test func unknownFormatsAreErrors() {
        #expect(throws: CanvasError.unknownFormat(path: "a.jpg")) { try OutputFormat(path: "a.jpg") }
        #expect(throws: CanvasError.unknownFormat(path: "noext")) { try OutputFormat(path: "noext") }
        #expect((try? OutputFormat(path: "dir.v2/fig.SVG")) == .svg)
    }

    @Test func outputFilesAreWrittenAtomically() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("canvas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.png").path
        try OutputFile.write([1, 2, 3], to: path)
        try OutputFile.write([4, 5], to: path)
        #expect(FileManager.default.contents(atPath: path) == Data([4, 5]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.png"])
        #expect(throws: CanvasError.self) { try OutputFile.write([1], to: folder.appendingPathComponent("missing/a.png").path) }
        #expect(throws: CanvasError.self) { try OutputFile.write([1], to: folder.path) }
    }

    /// Pixel sizes of the base64 PNGs embedded in an SVG.
    func embeddedPNGSizes(_ svg: String) throws -> [(width: Int, height: Int)] {
        var sizes: [(Int, Int)] = []
        var rest = Substring(svg)
        while let start = rest.range(of: "data:image/png;base64,") {
            let tail = rest[start.upperBound...]
            let end = tail.firstIndex(of: "\"") ?? tail.endIndex
            let base64 = tail[..<end].filter { !$0.isWhitespace }
            if let data = Data(base64Encoded: String(base64)) {
                let size = try PNGDecoder.size(of: Array(data))
                sizes.append((size.width, size.height))
            }
            rest = tail[end...]
        }
        return sizes
    }
}
