/// How a stroke is drawn.
public struct Stroke: Sendable, Hashable {
    /// Line colour.
    public var color: Color
    /// Line width in points.
    public var width: Double
    /// Dash lengths in points; empty for a solid line.
    public var dash: [Double]

    /// Creates a stroke.
    public init(color: Color, width: Double, dash: [Double] = []) {
        self.color = color
        self.width = width
        self.dash = dash
    }
}

/// How a raster image is resampled when drawn larger or smaller than its pixel size.
public enum Resampling: Sendable, Hashable {
    /// Hard pixel edges: every data cell stays a crisp block.
    case nearest
    /// Smooth interpolation, for photographs and pre-rendered art.
    case smooth
}

/// One drawing primitive. A scene is a flat list of these, drawn in order.
public enum SceneItem: Sendable, Hashable {
    /// A path, filled and/or stroked.
    case shape(Path, fill: Color?, stroke: Stroke?)
    /// A raster image stretched into a rectangle.
    case image(RasterImage, in: Rect, resampling: Resampling)
    /// A line of text.
    case text(TextItem)
    /// Items drawn clipped to a rectangle.
    case clipped(to: Rect, [SceneItem])
}

/// What a figure draws: a page size, a background and primitives, with no notion of pixels or files.
public struct Scene: Sendable, Hashable {
    /// Page size in points.
    public var size: Size
    /// Page background; `nil` for transparent.
    public var background: Color?
    /// Primitives in drawing order.
    public var items: [SceneItem]

    /// Creates a scene.
    public init(size: Size, background: Color? = .white, items: [SceneItem] = []) {
        self.size = size
        self.background = background
        self.items = items
    }

    /// Every text item, clipped groups included, in drawing order.
    public var texts: [TextItem] {
        func collect(_ items: [SceneItem]) -> [TextItem] {
            items.flatMap { item -> [TextItem] in
                switch item {
                case .text(let t): [t]
                case .clipped(_, let inner): collect(inner)
                default: []
                }
            }
        }
        return collect(items)
    }
}

/// Something that can be laid out as a scene.
public protocol Figure: Sendable {
    /// Lays the figure out. `pixelsPerPoint` is the raster density of the output,
    /// so large matrices can be pooled to the pixels that will actually show them.
    func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene
}
