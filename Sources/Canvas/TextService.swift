internal import CCairo
internal import CPango
import Figures

/// Lays out and measures text with Pango, so tokens in any script (CJK, Arabic, emoji, `Ġ`, `▁`)
/// render through font fallback and shaping. One instance per rendering thread: not `Sendable`.
public final class TextService: TextMeasurer {
    /// The font families asked for. Listing fallbacks here would make Pango draw digits with the
    /// emoji font; fontconfig already falls back per character to CJK and emoji fonts.
    static let sansFamilies = "DejaVu Sans"
    static let monoFamilies = "DejaVu Sans Mono"

    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    let context: OpaquePointer
    private var descriptions: [Font: OpaquePointer] = [:]
    private var cache: [MeasureKey: TextExtent] = [:]

    private struct MeasureKey: Hashable {
        let text: String
        let font: Font
    }

    /// Creates a text service with its own font map and Pango context.
    public init() {
        fontMap = pango_cairo_font_map_new()
        context = pango_font_map_create_context(fontMap)
        // One point is one user-space unit, whatever the output.
        pango_cairo_context_set_resolution(context, 72)
        // Unrounded glyph positions make text scale exactly with its size.
        pango_context_set_round_glyph_positions(context, 0)
        let options = cairo_font_options_create()
        // Unhinted metrics keep widths identical in PNG, SVG and PDF, so layout never shifts.
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }

    deinit {
        for description in descriptions.values { pango_font_description_free(description) }
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }

    public func measure(_ text: String, font: Font) -> TextExtent {
        let key = MeasureKey(text: text, font: font)
        if let known = cache[key] { return known }
        let layout = makeLayout(text, font: font)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let extent = Self.extent(of: layout)
        cache[key] = extent
        return extent
    }

    /// A new single-line layout for `text`; the caller releases it.
    func makeLayout(_ text: String, font: Font) -> OpaquePointer {
        // GLib aborts on out-of-memory rather than returning NULL, so the result is always a layout.
        let layout: OpaquePointer = pango_layout_new(context)
        // Tokens may hold newlines; show them on one line rather than breaking the label.
        pango_layout_set_single_paragraph_mode(layout, 1)
        pango_layout_set_font_description(layout, description(for: font))
        pango_layout_set_text(layout, text, -1)
        return layout
    }

    static func extent(of layout: OpaquePointer) -> TextExtent {
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        let scale = Double(PANGO_SCALE)
        return TextExtent(
            width: Double(logical.width) / scale,
            height: Double(logical.height) / scale,
            baseline: Double(pango_layout_get_baseline(layout)) / scale
        )
    }

    private func description(for font: Font) -> OpaquePointer {
        if let known = descriptions[font] { return known }
        let description: OpaquePointer = pango_font_description_new()
        pango_font_description_set_family(description, font.monospaced ? Self.monoFamilies : Self.sansFamilies)
        pango_font_description_set_absolute_size(description, font.size * Double(PANGO_SCALE))
        pango_font_description_set_weight(description, font.weight == .bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        descriptions[font] = description
        return description
    }
}
