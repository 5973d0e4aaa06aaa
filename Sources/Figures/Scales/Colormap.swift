/// A map from 0...1 to colours.
public struct Colormap: Sendable, Hashable {
    /// The name users type (`--colormap`).
    public let name: String
    /// Whether the map is meant for values diverging around a centre.
    public let isDiverging: Bool
    /// Opaque colours, evenly spaced over 0...1.
    let stops: [UInt32]
    /// Whether to interpolate between stops (anchor lists) or pick the nearest of many (tables).
    let interpolates: Bool

    /// Perceptually uniform, blue → green → yellow; the default for probabilities.
    public static let viridis = Colormap(name: "viridis", isDiverging: false, stops: viridisTable, interpolates: false)
    /// Perceptually uniform, black → purple → cream.
    public static let magma = Colormap(name: "magma", isDiverging: false, stops: magmaTable, interpolates: false)
    /// Perceptually uniform and readable with colour-vision deficiencies, blue → yellow.
    public static let cividis = Colormap(name: "cividis", isDiverging: false, stops: cividisTable, interpolates: false)
    /// White → black, for print.
    public static let greys = Colormap(name: "greys", isDiverging: false, stops: greysAnchors, interpolates: true)
    /// Diverging red → white → blue, for signed values centred on 0.
    public static let rdbu = Colormap(name: "rdbu", isDiverging: true, stops: rdbuAnchors, interpolates: true)

    /// Every colormap, in the order help text lists them.
    public static let all: [Colormap] = [.viridis, .magma, .cividis, .greys, .rdbu]

    /// The colormap called `name` (case-insensitive; `RdBu` and `gray` accepted), if any.
    public static func named(_ name: String) -> Colormap? {
        let key = name.lowercased()
        let aliases = ["grays": "greys", "gray": "greys", "grey": "greys"]
        return all.first { $0.name == (aliases[key] ?? key) }
    }

    /// The colour for `t` in 0...1 (clamped; NaN gives the low end).
    public func color(at t: Double) -> Color {
        Color(hex: packed(at: t))
    }

    /// The colour for `t` as `0xRRGGBB`, without building a `Color` (the hot path of heatmaps).
    public func packed(at t: Double) -> UInt32 {
        let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
        if !interpolates {
            // matplotlib's lookup: index = floor(t · N), the top value folded into the last entry.
            let index = min(stops.count - 1, Int(clamped * Double(stops.count)))
            return stops[index]
        }
        let position = clamped * Double(stops.count - 1)
        let lower = min(stops.count - 2, Int(position))
        let f = position - Double(lower)
        let a = stops[lower], b = stops[lower + 1]
        func channel(_ shift: UInt32) -> UInt32 {
            let ca = Double((a >> shift) & 0xFF), cb = Double((b >> shift) & 0xFF)
            return UInt32((ca + (cb - ca) * f).rounded()) << shift
        }
        return channel(16) | channel(8) | channel(0)
    }
}
