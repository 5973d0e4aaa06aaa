internal import CCairo
import Figures

/// Converts scene images into Cairo image surfaces.
enum ImageBuffer {
    /// A new Cairo surface of `width × height` pixels sampled from `image` by nearest neighbour,
    /// in one pass with no intermediate copy. The caller destroys the surface.
    static func nearest(_ image: RasterImage, width: Int, height: Int) throws(CanvasError) -> OpaquePointer {
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)) else {
            throw CanvasError.cairo("could not create an image surface")
        }
        do {
            try CairoSurface.check(cairo_surface_status(surface))
        } catch {
            cairo_surface_destroy(surface)
            throw error
        }
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else {
            cairo_surface_destroy(surface)
            throw CanvasError.cairo("image surface has no pixel buffer")
        }
        let stride = Int(cairo_image_surface_get_stride(surface))
        // Source column of every destination column, computed once per image.
        let sourceColumns = (0..<width).map { min(image.width - 1, ($0 * image.width) / width) }
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<height {
                let sy = min(image.height - 1, (y * image.height) / height)
                let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                let srcRow = sy * image.width * 4
                for x in 0..<width {
                    let i = srcRow + sourceColumns[x] * 4
                    let a = UInt32(src[i + 3])
                    // Cairo wants premultiplied alpha in native-endian ARGB.
                    let r = UInt32(src[i]) * a / 255, g = UInt32(src[i + 1]) * a / 255, b = UInt32(src[i + 2]) * a / 255
                    row[x] = (a << 24) | (r << 16) | (g << 8) | b
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        return surface
    }
}
