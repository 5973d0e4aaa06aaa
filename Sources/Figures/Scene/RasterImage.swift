/// A grid of opaque pixels, stored row-major as 8-bit RGBA, drawn into a rectangle of a scene.
///
/// Heatmap cells are images, not one rectangle per cell: the renderer scales them with
/// nearest-neighbour filtering so every cell keeps a hard edge.
public struct RasterImage: Sendable, Hashable {
    /// Pixels across.
    public let width: Int
    /// Pixels down.
    public let height: Int
    /// `width * height * 4` bytes, RGBA, row-major from the top.
    public var pixels: [UInt8]

    /// Creates an image; `pixels` must hold `width * height * 4` bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 4, "pixel buffer does not match the size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour at column `x`, row `y`.
    public func color(x: Int, y: Int) -> Color {
        let i = (y * width + x) * 4
        return Color(
            red: Double(pixels[i]) / 255, green: Double(pixels[i + 1]) / 255,
            blue: Double(pixels[i + 2]) / 255, alpha: Double(pixels[i + 3]) / 255
        )
    }
}
