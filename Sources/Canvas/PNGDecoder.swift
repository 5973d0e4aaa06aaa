internal import CCairo
import Figures

/// Decodes PNG bytes into pixels, for checking rendered output and sizing embedded figures.
public enum PNGDecoder {
    /// The pixels of a PNG, RGBA with straight alpha.
    public static func decode(_ bytes: [UInt8]) throws(CanvasError) -> RasterImage {
        let source = ByteSource(bytes)
        let created = withExtendedLifetime(source) {
            cairo_image_surface_create_from_png_stream(ByteSource.read, Unmanaged.passUnretained(source).toOpaque())
        }
        guard let surface = created else { throw CanvasError.unreadablePNG("no surface") }
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw CanvasError.unreadablePNG(String(cString: cairo_status_to_string(status)))
        }
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let hasAlpha = cairo_image_surface_get_format(surface) == CAIRO_FORMAT_ARGB32
        guard let data = cairo_image_surface_get_data(surface) else { throw CanvasError.unreadablePNG("no pixel data") }
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width {
                let v = row[x]
                let a = hasAlpha ? (v >> 24) & 0xFF : 255
                func unpremultiply(_ c: UInt32) -> UInt8 { a == 0 ? 0 : UInt8(min(255, (c * 255 + a / 2) / a)) }
                let i = (y * width + x) * 4
                pixels[i] = unpremultiply((v >> 16) & 0xFF)
                pixels[i + 1] = unpremultiply((v >> 8) & 0xFF)
                pixels[i + 2] = unpremultiply(v & 0xFF)
                pixels[i + 3] = UInt8(a)
            }
        }
        return RasterImage(width: width, height: height, pixels: pixels)
    }
}

extension PNGDecoder {
    /// The pixel size stored in a PNG's header, without decoding the image.
    public static func size(of bytes: [UInt8]) throws(CanvasError) -> (width: Int, height: Int) {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature, bytes[12..<16].elementsEqual("IHDR".utf8) else {
            throw CanvasError.unreadablePNG("not a PNG file")
        }
        func word(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }
}
