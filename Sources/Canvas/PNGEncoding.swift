internal import CCairo
internal import CPNG
import Foundation

/// How a PNG is written: zlib level, row filter and text chunks recording how the figure was made.
///
/// Chosen by measurement (release build, whole process, median of 30 interleaved runs): figures
/// are areas of exactly repeated colours, which deflate matches best unfiltered. With no row
/// filter, level 6 wrote the 512² heatmap in 72 KB (the five adaptive filters Cairo uses: 121 KB)
/// and the gallery at scale 2 in 3.4 MB (3.9 MB); level 1 writes 103 KB and 199 KB for the 512²
/// and 4,096² heatmaps, 12 ms and 30 ms sooner than level 6 (59 against 71 ms, 219 against 251 ms),
/// so it is the default; level 9 saves another 6–10 % at two to three times the encoding time.
public struct PNGEncoding: Sendable, Hashable {
    /// One text chunk: a PNG keyword (Latin-1, 1–79 bytes) and its text.
    public struct Text: Sendable, Hashable {
        /// The keyword, such as "Software" or "Description".
        public var keyword: String
        /// The text; non-ASCII text is written as an iTXt (UTF-8) chunk.
        public var text: String

        /// Creates a text chunk.
        public init(_ keyword: String, _ text: String) {
            self.keyword = keyword
            self.text = text
        }
    }

    /// The zlib level used unless asked otherwise.
    public static let defaultCompression = 1
    /// zlib compression level, 0 (none, fastest) to 9 (smallest).
    public var compression: Int
    /// Text chunks written before the pixels, in this order.
    public var texts: [Text]

    /// The text chunk every figure carries.
    public static let software = Text("Software", "Transfigure")

    /// An encoding at `compression` with `texts`.
    public init(compression: Int = defaultCompression, texts: [Text] = [software]) {
        self.compression = compression
        self.texts = texts
    }

    /// Checks a compression level before any work is done.
    public static func validate(compression: Int) throws(CanvasError) {
        guard (0...9).contains(compression) else { throw CanvasError.invalidCompression(compression) }
    }

    /// Encodes a Cairo image surface's pixels.
    func encode(_ surface: OpaquePointer) throws(CanvasError) -> [UInt8] {
        try Self.validate(compression: compression)
        cairo_surface_flush(surface)
        guard let data = cairo_image_surface_get_data(surface) else { throw CanvasError.cairo("the image surface has no pixels") }
        let width = cairo_image_surface_get_width(surface), height = cairo_image_surface_get_height(surface)
        let stride = cairo_image_surface_get_stride(surface)
        let hasAlpha: Int32 = cairo_image_surface_get_format(surface) == CAIRO_FORMAT_ARGB32 ? 1 : 0
        var buffer = tf_png_buffer(data: nil, size: 0, capacity: 0)
        defer { free(buffer.data) }
        var message = [CChar](repeating: 0, count: 256)
        let keywords = texts.map { strdup($0.keyword) }, values = texts.map { strdup($0.text) }
        defer { (keywords + values).forEach { free($0) } }
        let status = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keys in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { texts in
                message.withUnsafeMutableBufferPointer { error in
                    tf_png_encode(
                        data, width, height, stride, hasAlpha, Int32(compression), Int32(PNG_FILTER_NONE),
                        keys.baseAddress, texts.baseAddress, Int32(keys.count), &buffer, error.baseAddress, error.count)
                }
            }
        }
        guard status == 0, let bytes = buffer.data else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw CanvasError.cairo("PNG encoding failed: \(reason)")
        }
        return Array(UnsafeBufferPointer(start: bytes, count: buffer.size))
    }
}
