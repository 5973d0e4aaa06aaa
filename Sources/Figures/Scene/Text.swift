import Foundation

/// A font request: family list (fallbacks are resolved by the text service), size and weight.
public struct Font: Sendable, Hashable {
    /// Stroke weight.
    public enum Weight: Sendable, Hashable {
        /// Regular text.
        case regular
        /// Titles and emphasis.
        case bold
    }

    /// Size in points.
    public var size: Double
    /// Stroke weight.
    public var weight: Weight
    /// Whether to use the monospaced family (for numbers in tables).
    public var monospaced: Bool

    /// Creates a font request.
    public init(size: Double, weight: Weight = .regular, monospaced: Bool = false) {
        self.size = size
        self.weight = weight
        self.monospaced = monospaced
    }
}

/// The extent of a line of text as measured by the text service.
public struct TextExtent: Sendable, Hashable {
    /// Advance width in points.
    public var width: Double
    /// Line height in points (ascent + descent of the font, not the ink).
    public var height: Double
    /// Distance from the top of the line box to the baseline.
    public var baseline: Double

    /// Creates an extent.
    public init(width: Double, height: Double, baseline: Double) {
        self.width = width
        self.height = height
        self.baseline = baseline
    }
}

/// Measures text exactly as the renderer will draw it. Layout never guesses character widths.
public protocol TextMeasurer {
    /// The extent of `text` on one line in `font`.
    func measure(_ text: String, font: Font) -> TextExtent
}

/// Horizontal placement of a text box relative to its anchor point.
public enum HorizontalAlignment: Sendable, Hashable {
    /// The anchor is the box's left edge.
    case leading
    /// The anchor is the box's horizontal centre.
    case center
    /// The anchor is the box's right edge.
    case trailing
}

/// Vertical placement of a text box relative to its anchor point.
public enum VerticalAlignment: Sendable, Hashable {
    /// The anchor is the box's top edge.
    case top
    /// The anchor is the box's vertical centre.
    case middle
    /// The anchor is the baseline.
    case baseline
    /// The anchor is the box's bottom edge.
    case bottom
}

/// One line of text placed in a scene.
public struct TextItem: Sendable, Hashable {
    /// The text, drawn literally (never interpreted as markup).
    public var text: String
    /// The anchor point.
    public var position: Point
    /// The font.
    public var font: Font
    /// The colour.
    public var color: Color
    /// How the box sits horizontally relative to the anchor (before rotation).
    public var horizontal: HorizontalAlignment
    /// How the box sits vertically relative to the anchor (before rotation).
    public var vertical: VerticalAlignment
    /// Rotation about the anchor in degrees, counter-clockwise as seen by the reader.
    public var rotation: Double
    /// The measured extent, kept so layout checks can compute the box without the renderer.
    public var extent: TextExtent

    /// Creates a text item.
    public init(
        _ text: String, at position: Point, font: Font, color: Color = .ink,
        horizontal: HorizontalAlignment = .leading, vertical: VerticalAlignment = .baseline,
        rotation: Double = 0, extent: TextExtent
    ) {
        self.text = text
        self.position = position
        self.font = font
        self.color = color
        self.horizontal = horizontal
        self.vertical = vertical
        self.rotation = rotation
        self.extent = extent
    }

    /// The top-left corner of the unrotated box, relative to the anchor.
    public var boxOffset: Point {
        let dx: Double
        switch horizontal {
        case .leading: dx = 0
        case .center: dx = -extent.width / 2
        case .trailing: dx = -extent.width
        }
        let dy: Double
        switch vertical {
        case .top: dy = 0
        case .middle: dy = -extent.height / 2
        case .baseline: dy = -extent.baseline
        case .bottom: dy = -extent.height
        }
        return Point(dx, dy)
    }

    /// The axis-aligned box the text occupies in figure space, rotation included.
    public var bounds: Rect {
        let o = boxOffset
        let corners = [
            Point(o.x, o.y), Point(o.x + extent.width, o.y),
            Point(o.x, o.y + extent.height), Point(o.x + extent.width, o.y + extent.height),
        ]
        let radians = rotation * Double.pi / 180
        let c = cos(radians), s = sin(radians)
        // Counter-clockwise for the reader is clockwise in y-down coordinates.
        let turned = corners.map { Point(position.x + $0.x * c + $0.y * s, position.y - $0.x * s + $0.y * c) }
        let xs = turned.map(\.x), ys = turned.map(\.y)
        let minX = xs.min() ?? 0, minY = ys.min() ?? 0
        return Rect(x: minX, y: minY, width: (xs.max() ?? 0) - minX, height: (ys.max() ?? 0) - minY)
    }
}
