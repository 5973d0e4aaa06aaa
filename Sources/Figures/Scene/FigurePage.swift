/// The page that figures made of a title, one content block and a caption share.
enum FigurePage {
    static let margin = HeatmapFigure.Metrics.margin
    static let titleFont = HeatmapFigure.Metrics.titleFont
    static let captionFont = HeatmapFigure.Metrics.captionFont

    /// The title, the content and the wrapped caption stacked on one page: `content` draws at the
    /// given top-left and returns the size it used.
    static func stacked(
        title: String, caption: String, measurer: any TextMeasurer, minContentWidth: Double = 0,
        content: (inout SceneBuilder, Point) throws -> Size
    ) rethrows -> Scene {
        var builder = SceneBuilder(measurer: measurer)
        let titleExtent = measurer.measure(title, font: titleFont)
        builder.text(title, at: Point(margin, margin), font: titleFont, vertical: .top)
        let top = margin + titleExtent.height + 12
        let used = try content(&builder, Point(margin, top))
        let width = max(titleExtent.width, used.width, minContentWidth, 320 - 2 * margin)
        let bottom = builder.caption(caption, at: Point(margin, top + used.height + 14), width: width, font: captionFont)
        return Scene(size: Size(width: (width + 2 * margin).rounded(.up), height: (bottom + margin).rounded(.up)), items: builder.items)
    }
}
