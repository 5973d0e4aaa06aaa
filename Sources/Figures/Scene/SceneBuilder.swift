/// Collects scene items while laying a figure out; measures text through the figure's measurer.
public struct SceneBuilder {
    /// The text service used for every measurement.
    public let measurer: any TextMeasurer
    /// Items added so far, in drawing order.
    public private(set) var items: [SceneItem] = []

    /// Creates an empty builder.
    public init(measurer: any TextMeasurer) {
        self.measurer = measurer
    }

    /// Adds a line of text and returns the item (with its measured extent).
    @discardableResult
    public mutating func text(
        _ string: String, at position: Point, font: Font, color: Color = .ink,
        horizontal: HorizontalAlignment = .leading, vertical: VerticalAlignment = .baseline, rotation: Double = 0
    ) -> TextItem {
        let item = TextItem(
            string, at: position, font: font, color: color, horizontal: horizontal, vertical: vertical,
            rotation: rotation, extent: measurer.measure(string, font: font)
        )
        items.append(.text(item))
        return item
    }

    /// Adds a filled and/or stroked path.
    public mutating func shape(_ path: Path, fill: Color? = nil, stroke: Stroke? = nil) {
        items.append(.shape(path, fill: fill, stroke: stroke))
    }

    /// Adds an image stretched into `rect`.
    public mutating func image(_ image: RasterImage, in rect: Rect, resampling: Resampling = .nearest) {
        items.append(.image(image, in: rect, resampling: resampling))
    }

    /// Adds any item.
    public mutating func append(_ item: SceneItem) {
        items.append(item)
    }

    /// Adds a caption wrapped to `width` with its first line's top-left at `origin` (a single word
    /// wider than `width` is ellipsised); returns the y just below the last line.
    public mutating func caption(
        _ caption: String, at origin: Point, width: Double, font: Font = Font(size: 9), color: Color = .mutedInk
    ) -> Double {
        var y = origin.y
        for line in TextWrapping.lines(caption, width: width, font: font, measurer: measurer) {
            let fitted = TokenLabels.truncated(line, maxWidth: width, font: font, measurer: measurer)
            let item = text(fitted, at: Point(origin.x, y), font: font, color: color, vertical: .top)
            y += item.extent.height
        }
        return y
    }

    /// The measured extent of `string`.
    public func measure(_ string: String, font: Font) -> TextExtent {
        measurer.measure(string, font: font)
    }
}
