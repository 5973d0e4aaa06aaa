import Canvas
import Figures
import Foundation
import Testing
import TransformerMath

@Suite struct PNGEncodingTests {
    let renderer = Renderer()

    /// The chunks of a PNG file, in order: type and data (lengths read from the file itself).
    func chunks(_ bytes: [UInt8]) -> [(type: String, data: [UInt8])] {
        var out: [(String, [UInt8])] = []
        var i = 8
        while i + 12 <= bytes.count {
            let length = bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            guard i + 12 + length <= bytes.count else { break }
            out.append((type, Array(bytes[(i + 8)..<(i + 8 + length)])))
            i += 12 + length
        }
        return out
    }

    func scene(background: Color?) -> Scene {
        var builder = SceneBuilder(measurer: renderer.text)
        builder.shape(.rect(Rect(x: 2, y: 2, width: 16, height: 16)), fill: Color(red: 1, green: 0.5, blue: 0, alpha: 0.5))
        return Scene(size: Size(width: 20, height: 20), background: background, items: builder.items)
    }

    @Test func opaqueFiguresAreRGBAndTransparentOnesStraightRGBA() throws {
        let opaque = try renderer.render(scene(background: Color(hex: 0xFFFFFF)), as: .png)
        let transparent = try renderer.render(scene(background: nil), as: .png)
        // IHDR: width, height, bit depth 8, colour type 2 (RGB) or 6 (RGBA).
        #expect(chunks(opaque).first?.type == "IHDR" && chunks(opaque).first?.data[8...9] == [8, 2])
        #expect(chunks(transparent).first?.data[8...9] == [8, 6])
        let image = try PNGDecoder.decode(transparent)
        let c = image.color(x: 10, y: 10)
        // Cairo holds 50 % orange premultiplied (128, 64, 0, 128); the file must hold it straight.
        #expect(abs(c.red - 1) <= 2.0 / 255 && abs(c.green - 0.5) <= 2.0 / 255 && c.blue == 0 && abs(c.alpha - 0.5) <= 1.0 / 255)
        #expect(image.color(x: 0, y: 0).alpha == 0)
        let white = try PNGDecoder.decode(opaque).color(x: 10, y: 10)
        #expect(abs(white.green - 0.75) <= 2.0 / 255 && abs(white.blue - 0.5) <= 2.0 / 255)
    }

    @Test func textChunksRecordHowTheFigureWasMade() throws {
        let encoding = PNGEncoding(texts: [PNGEncoding.software, PNGEncoding.Text("Description", "transfigure heatmap 'a b.npy' --tokens '猫 <s>'")])
        let bytes = try renderer.render(scene(background: Color(hex: 0xFFFFFF)), as: .png, png: encoding)
        let all = chunks(bytes)
        #expect(all.map(\.type).prefix(3) == ["IHDR", "tEXt", "iTXt"])
        #expect(all.last?.type == "IEND")
        #expect(all[1].data == Array("Software".utf8) + [0] + Array("Transfigure".utf8))
        // iTXt: keyword, 0, compression flag 0, method 0, empty language, 0, empty translated keyword, 0, UTF-8 text.
        #expect(all[2].data == Array("Description".utf8) + [0, 0, 0, 0, 0] + Array("transfigure heatmap 'a b.npy' --tokens '猫 <s>'".utf8))
        // The default encoding names the software only.
        let plain = try renderer.render(scene(background: Color(hex: 0xFFFFFF)), as: .png)
        #expect(chunks(plain).filter { $0.type.hasSuffix("Xt") }.count == 1)
    }

    @Test func compressionLevelsChangeTheSizeNotThePixels() throws {
        var figure = HeatmapFigure(matrix: Matrix(rows: 40, columns: 40, values: (0..<1600).map { Double(($0 * 37) % 101) / 100 }))
        figure.annotation = .never
        let stored = try renderer.render(figure, as: .png, png: PNGEncoding(compression: 0))
        let smallest = try renderer.render(figure, as: .png, png: PNGEncoding(compression: 9))
        #expect(stored.count > 2 * smallest.count)
        #expect(try PNGDecoder.decode(stored) == PNGDecoder.decode(smallest))
        #expect(try renderer.render(figure, as: .png, png: PNGEncoding(compression: 9)) == smallest)
        #expect(throws: CanvasError.invalidCompression(10)) { try renderer.render(figure, as: .png, png: PNGEncoding(compression: 10)) }
    }
}
