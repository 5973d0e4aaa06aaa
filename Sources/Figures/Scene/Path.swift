/// A vector path: the one shape primitive. Rectangles, circles and arrows are built on it.
public struct Path: Sendable, Hashable {
    /// One step of a path.
    public enum Element: Sendable, Hashable {
        /// Starts a new sub-path.
        case move(Point)
        /// A straight segment.
        case line(Point)
        /// A cubic Bézier segment with two control points.
        case curve(Point, Point, Point)
        /// Closes the current sub-path.
        case close
    }

    /// The steps, in order.
    public private(set) var elements: [Element] = []

    /// Creates an empty path.
    public init() {}

    /// Starts a new sub-path at `point`.
    public mutating func move(to point: Point) { elements.append(.move(point)) }
    /// Adds a straight segment to `point`.
    public mutating func line(to point: Point) { elements.append(.line(point)) }
    /// Adds a cubic Bézier segment.
    public mutating func curve(to point: Point, control1: Point, control2: Point) {
        elements.append(.curve(control1, control2, point))
    }
    /// Closes the current sub-path.
    public mutating func close() { elements.append(.close) }

    /// Adds a closed rectangle.
    public mutating func addRect(_ rect: Rect) {
        move(to: Point(rect.x, rect.y))
        line(to: Point(rect.maxX, rect.y))
        line(to: Point(rect.maxX, rect.maxY))
        line(to: Point(rect.x, rect.maxY))
        close()
    }

    /// A closed rectangle.
    public static func rect(_ rect: Rect) -> Path {
        var path = Path()
        path.addRect(rect)
        return path
    }

    /// A straight segment between two points.
    public static func segment(from a: Point, to b: Point) -> Path {
        var path = Path()
        path.move(to: a)
        path.line(to: b)
        return path
    }

    /// The bounding box of all points named by the path (control points included).
    public var bounds: Rect? {
        var points: [Point] = []
        for element in elements {
            switch element {
            case .move(let p), .line(let p): points.append(p)
            case .curve(let c1, let c2, let p): points += [c1, c2, p]
            case .close: break
            }
        }
        guard let first = points.first else { return nil }
        var box = Rect(x: first.x, y: first.y, width: 0, height: 0)
        for p in points.dropFirst() { box = box.union(Rect(x: p.x, y: p.y, width: 0, height: 0)) }
        return box
    }
}
