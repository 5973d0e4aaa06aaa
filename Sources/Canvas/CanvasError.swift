/// Failures while drawing or writing output.
public enum CanvasError: Error, Equatable, CustomStringConvertible {
    /// The output path's extension is not png, svg or pdf.
    case unknownFormat(path: String)
    /// The raster scale is not usable.
    case invalidScale(Double)
    /// The PNG compression level is not 0–9.
    case invalidCompression(Int)
    /// The image would be larger than Cairo can hold.
    case tooLarge(width: Int, height: Int)
    /// Cairo reported an error while drawing or encoding.
    case cairo(String)
    /// A PNG could not be decoded.
    case unreadablePNG(String)
    /// Writing a file failed.
    case write(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownFormat(let path):
            return "\(path): unknown output format; use a name ending in .png, .svg or .pdf"
        case .invalidScale(let scale):
            return "--scale: \(scale) is not usable; give a number from 0.25 to 8"
        case .invalidCompression(let level):
            return "--png-compression: \(level) is not a zlib level; give a number from 0 (fastest) to 9 (smallest)"
        case .tooLarge(let width, let height):
            return "the figure would be \(width) × \(height) pixels, more than can be drawn "
                + "(at most \(Renderer.maxPixelSide) pixels per side and \(Renderer.maxPixels) pixels in all); lower --scale"
        case .cairo(let message):
            return "drawing failed: \(message)"
        case .unreadablePNG(let message):
            return "cannot decode PNG: \(message)"
        case .write(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
