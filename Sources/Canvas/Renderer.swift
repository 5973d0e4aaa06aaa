import Foundation
internal import CCairo
internal import CPango
import Figures

/// Turns scenes into PNG, SVG or PDF bytes. The only place that draws.
public final class Renderer {
    /// The largest raster side, in pixels, Cairo is asked to allocate.
    public static let maxPixelSide = 32_000
    /// The largest raster, in pixels (256 megapixels, 1 GiB of 32-bit pixels).
    public static let maxPixels = 1 << 28

    /// Whether a raster of `width` × `height` pixels may be allocated.
    static func fits(width: Int, height: Int) -> Bool {
        width > 0 && height > 0 && width <= maxPixelSide && height <= maxPixelSide && width * height <= maxPixels
    }

    /// The text service used for both measuring and drawing, so layout and ink agree.
    public let text: TextService

    /// Creates a renderer with its own text service.
    public init(text: TextService = TextService()) {
        self.text = text
    }

    /// Pixels per point for rasters inside `format` at `scale`.
    public static func pixelsPerPoint(for format: OutputFormat, scale: Double) -> Double {
        format == .png ? scale : OutputFormat.vectorImageDensity
    }

    /// Checks a raster scale before any work is done.
    public static func validate(scale: Double) throws(CanvasError) {
        guard scale.isFinite, scale >= 0.25, scale <= 8 else { throw CanvasError.invalidScale(scale) }
    }

    /// Lays out `figure` with this renderer's text service and draws it.
    public func render(_ figure: some Figure, as format: OutputFormat, scale: Double = 1, png: PNGEncoding = PNGEncoding()) throws -> [UInt8] {
        try Self.validate(scale: scale)
        let scene = try figure.layout(measurer: text, pixelsPerPoint: Self.pixelsPerPoint(for: format, scale: scale))
        return try render(scene, as: format, scale: scale, png: png)
    }

    /// Draws a scene. `scale` multiplies the pixel size of PNG output (2 for HiDPI); vector output
    /// ignores it, and `png` too.
    public func render(
        _ scene: Scene, as format: OutputFormat, scale: Double = 1, png: PNGEncoding = PNGEncoding()
    ) throws(CanvasError) -> [UInt8] {
        try Self.validate(scale: scale)
        switch format {
        case .png:
            let width = Int((scene.size.width * scale).rounded(.up))
            let height = Int((scene.size.height * scale).rounded(.up))
            guard Self.fits(width: width, height: height) else {
                throw CanvasError.tooLarge(width: width, height: height)
            }
            let surface = try CairoSurface.image(width: width, height: height, opaque: scene.background?.alpha == 1)
            cairo_scale(surface.context, scale, scale)
            try draw(scene, on: surface, pixelsPerPoint: scale)
            return try surface.pngBytes(png)
        case .svg, .pdf:
            let surface = try CairoSurface.vector(format, width: scene.size.width, height: scene.size.height)
            try draw(scene, on: surface, pixelsPerPoint: OutputFormat.vectorImageDensity)
            let bytes = try surface.finishStream()
            return format == .svg ? SVGIdentifiers.renumber(bytes) : bytes
        }
    }

    private func draw(_ scene: Scene, on surface: CairoSurface, pixelsPerPoint: Double) throws(CanvasError) {
        let cr = surface.context
        if let background = scene.background {
            setColor(background, on: cr)
            // The whole surface: a PNG's pixel size is rounded up, so the scene's own rectangle can
            // leave its last column or row partly uncovered (dark on an opaque surface).
            cairo_paint(cr)
        }
        try draw(scene.items, on: cr, pixelsPerPoint: pixelsPerPoint)
        try CairoSurface.check(cairo_status(cr))
    }

    private func draw(_ items: [SceneItem], on cr: OpaquePointer, pixelsPerPoint: Double) throws(CanvasError) {
        for item in items {
            switch item {
            case .shape(let path, let fill, let stroke):
                drawShape(path, fill: fill, stroke: stroke, on: cr)
            case .image(let image, let rect, let resampling):
                try drawImage(image, in: rect, resampling: resampling, pixelsPerPoint: pixelsPerPoint, on: cr)
            case .text(let item):
                drawText(item, on: cr)
            case .clipped(let rect, let inner):
                cairo_save(cr)
                cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
                cairo_clip(cr)
                try draw(inner, on: cr, pixelsPerPoint: pixelsPerPoint)
                cairo_restore(cr)
            }
        }
    }

    private func setColor(_ color: Color, on cr: OpaquePointer) {
        cairo_set_source_rgba(cr, color.red, color.green, color.blue, color.alpha)
    }

    private func drawShape(_ path: Path, fill: Color?, stroke: Stroke?, on cr: OpaquePointer) {
        cairo_new_path(cr)
        for element in path.elements {
            switch element {
            case .move(let p): cairo_move_to(cr, p.x, p.y)
            case .line(let p): cairo_line_to(cr, p.x, p.y)
            case .curve(let c1, let c2, let p): cairo_curve_to(cr, c1.x, c1.y, c2.x, c2.y, p.x, p.y)
            case .close: cairo_close_path(cr)
            }
        }
        if let fill {
            setColor(fill, on: cr)
            if stroke == nil { cairo_fill(cr) } else { cairo_fill_preserve(cr) }
        }
        if let stroke {
            setColor(stroke.color, on: cr)
            cairo_set_line_width(cr, stroke.width)
            stroke.dash.withUnsafeBufferPointer { dashes in
                cairo_set_dash(cr, dashes.baseAddress, Int32(dashes.count), 0)
            }
            cairo_stroke(cr)
        }
        cairo_new_path(cr)
    }

    private func drawText(_ item: TextItem, on cr: OpaquePointer) {
        let layout = text.makeLayout(item.text, font: item.font)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        cairo_save(cr)
        cairo_translate(cr, item.position.x, item.position.y)
        // Counter-clockwise for the reader is a negative angle in Cairo's y-down space.
        cairo_rotate(cr, -item.rotation * Double.pi / 180)
        let offset = item.boxOffset
        cairo_move_to(cr, offset.x, offset.y)
        setColor(item.color, on: cr)
        pango_cairo_update_layout(cr, layout)
        pango_cairo_show_layout(cr, layout)
        cairo_restore(cr)
    }

    /// Draws an image already resampled to the device pixels it covers, so every output
    /// (PNG at any scale, SVG, PDF) holds a raster at its final size and no viewer blurs it.
    private func drawImage(
        _ image: RasterImage, in rect: Rect, resampling: Resampling, pixelsPerPoint: Double, on cr: OpaquePointer
    ) throws(CanvasError) {
        let width = max(1, Int((rect.width * pixelsPerPoint).rounded()))
        let height = max(1, Int((rect.height * pixelsPerPoint).rounded()))
        guard Self.fits(width: width, height: height) else {
            throw CanvasError.tooLarge(width: width, height: height)
        }
        let surface = try ImageBuffer.nearest(image, width: width, height: height)
        defer { cairo_surface_destroy(surface) }
        cairo_save(cr)
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(width), rect.height / Double(height))
        cairo_set_source_surface(cr, surface, 0, 0)
        let filter = resampling == .nearest ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD
        cairo_pattern_set_filter(cairo_get_source(cr), filter)
        cairo_rectangle(cr, 0, 0, Double(width), Double(height))
        cairo_fill(cr)
        cairo_restore(cr)
    }
}
