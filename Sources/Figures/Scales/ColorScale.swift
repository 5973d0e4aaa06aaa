/// Maps data values onto a colormap between `lower` and `upper`.
public struct ColorScale: Sendable, Hashable {
    /// The colormap.
    public var colormap: Colormap
    /// The value drawn with the low end of the map.
    public var lower: Double
    /// The value drawn with the high end of the map.
    public var upper: Double

    /// Creates a scale; `upper` must exceed `lower`.
    public init(colormap: Colormap, lower: Double, upper: Double) {
        self.colormap = colormap
        self.lower = lower
        self.upper = upper
    }

    /// A scale fitted to data: a diverging map is centred on 0 (symmetric limits), a sequential
    /// map spans the data, or 0...1 when the data are probabilities. Explicit limits win.
    public static func fitted(
        to values: some Sequence<Double>, colormap: Colormap, lower: Double? = nil, upper: Double? = nil
    ) -> ColorScale {
        var minimum = Double.infinity, maximum = -Double.infinity
        for v in values where v.isFinite {
            minimum = min(minimum, v)
            maximum = max(maximum, v)
        }
        if minimum > maximum { (minimum, maximum) = (0, 1) }
        var low: Double, high: Double
        if colormap.isDiverging {
            let extent = max(abs(minimum), abs(maximum), 1e-12)
            (low, high) = (-extent, extent)
        } else if minimum >= 0 && maximum <= 1 {
            // Attention weights: a fixed 0…1 scale keeps figures comparable.
            (low, high) = (0, 1)
        } else {
            (low, high) = (minimum, maximum)
        }
        low = lower ?? low
        high = upper ?? high
        if !(high > low) {
            // A constant matrix still needs a non-empty range to draw.
            let pad = max(abs(low) * 0.01, 1e-9)
            (low, high) = (low - pad, low + pad)
        }
        return ColorScale(colormap: colormap, lower: low, upper: high)
    }

    /// The position of `value` along the map, 0...1 (clamped).
    public func fraction(of value: Double) -> Double {
        min(max((value - lower) / (upper - lower), 0), 1)
    }

    /// The colour of `value`.
    public func color(of value: Double) -> Color {
        colormap.color(at: fraction(of: value))
    }
}
