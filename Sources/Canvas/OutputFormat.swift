/// A file format the canvas can write.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Raster, 8-bit RGB(A).
    case png
    /// Scalable Vector Graphics; text as vector outlines, heatmap cells as an embedded raster.
    case svg
    /// Portable Document Format, one page, creation date pinned.
    case pdf

    /// The format named by a path's extension, or an error naming the path.
    public init(path: String) throws(CanvasError) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else {
            throw CanvasError.unknownFormat(path: path)
        }
        guard let format = OutputFormat(rawValue: name[name.index(after: dot)...].lowercased()) else {
            throw CanvasError.unknownFormat(path: path)
        }
        self = format
    }

    /// Raster density used for images inside vector output: images are embedded already
    /// resampled to this many pixels per point, so viewers never blur them.
    static let vectorImageDensity = 2.0
}
