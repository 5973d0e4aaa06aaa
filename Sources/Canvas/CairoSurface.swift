internal import CCairo

/// Owns one Cairo surface and the context drawing on it; destroys both in `deinit`.
final class CairoSurface {
    let surface: OpaquePointer
    let context: OpaquePointer
    /// Keeps a stream sink alive as long as the surface writes into it.
    private let sink: ByteSink?

    private init(surface: OpaquePointer, sink: ByteSink?) throws(CanvasError) {
        self.sink = sink
        self.surface = surface
        try Self.check(cairo_surface_status(surface))
        guard let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw CanvasError.cairo("could not create a drawing context")
        }
        self.context = context
        try Self.check(cairo_status(context))
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// An in-memory raster surface, `width × height` pixels.
    static func image(width: Int, height: Int, opaque: Bool) throws(CanvasError) -> CairoSurface {
        let format = opaque ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32
        guard let surface = cairo_image_surface_create(format, Int32(width), Int32(height)) else {
            throw CanvasError.cairo("could not create an image surface")
        }
        return try CairoSurface(surface: surface, sink: nil)
    }

    /// A vector surface streaming into a byte sink.
    static func vector(_ format: OutputFormat, width: Double, height: Double) throws(CanvasError) -> CairoSurface {
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let created: OpaquePointer?
        switch format {
        case .svg:
            created = cairo_svg_surface_create_for_stream(ByteSink.write, closure, width, height)
            if let created { cairo_svg_surface_set_document_unit(created, CAIRO_SVG_UNIT_PT) }
        case .pdf:
            created = cairo_pdf_surface_create_for_stream(ByteSink.write, closure, width, height)
            if let created {
                // A fixed date keeps PDFs byte-identical from run to run.
                cairo_pdf_surface_set_metadata(created, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z")
                cairo_pdf_surface_set_metadata(created, CAIRO_PDF_METADATA_CREATOR, "Transfigure")
            }
        case .png:
            created = nil
        }
        guard let created else { throw CanvasError.cairo("could not create a \(format.rawValue) surface") }
        return try CairoSurface(surface: created, sink: sink)
    }

    /// Finishes a vector surface and returns the bytes it wrote.
    func finishStream() throws(CanvasError) -> [UInt8] {
        try Self.check(cairo_status(context))
        cairo_surface_finish(surface)
        try Self.check(cairo_surface_status(surface))
        return sink?.bytes ?? []
    }

    /// Encodes a raster surface as PNG.
    func pngBytes(_ encoding: PNGEncoding) throws(CanvasError) -> [UInt8] {
        try Self.check(cairo_status(context))
        return try encoding.encode(surface)
    }

    /// Turns a Cairo status into a Swift error carrying Cairo's own message.
    static func check(_ status: cairo_status_t) throws(CanvasError) {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        let message = cairo_status_to_string(status).map { String(cString: $0) } ?? "unknown Cairo error"
        throw CanvasError.cairo(message)
    }
}
