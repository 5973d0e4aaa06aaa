/// Categorical colours for series and heads: the Okabe–Ito palette, safe for colour-vision
/// deficiencies (its yellow darkened to read on white), with dash patterns past the eighth entry.
public enum Palette {
    /// The eight colours, in order of use.
    public static let colors: [Color] = [
        Color(hex: 0x0072B2), Color(hex: 0xD55E00), Color(hex: 0x009E73), Color(hex: 0xCC79A7),
        Color(hex: 0xE69F00), Color(hex: 0x56B4E9), Color(hex: 0xB4AB32), Color(hex: 0x000000),
    ]

    /// The colour of entry `index` (cycling).
    public static func color(_ index: Int) -> Color {
        colors[((index % colors.count) + colors.count) % colors.count]
    }

    /// The dash pattern of entry `index`: solid for the first eight, dashed for the next eight,
    /// then dotted, so two entries that share a colour can still be told apart.
    public static func dash(_ index: Int) -> [Double] {
        switch (max(index, 0) / colors.count) % 3 {
        case 0: return []
        case 1: return [6, 3]
        default: return [1.5, 2.5]
        }
    }
}
