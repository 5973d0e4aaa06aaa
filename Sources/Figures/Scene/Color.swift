import Foundation

/// An sRGB colour with straight (not premultiplied) alpha, components in 0...1.
public struct Color: Sendable, Hashable {
    /// Red component.
    public var red: Double
    /// Green component.
    public var green: Double
    /// Blue component.
    public var blue: Double
    /// Opacity.
    public var alpha: Double

    /// Creates a colour from components in 0...1.
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// Creates an opaque colour from a 24-bit `0xRRGGBB` value.
    public init(hex: UInt32) {
        self.init(
            red: Double((hex >> 16) & 0xFF) / 255,
            green: Double((hex >> 8) & 0xFF) / 255,
            blue: Double(hex & 0xFF) / 255
        )
    }

    /// The same colour with another opacity.
    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// This colour mixed with white: `amount` 1 is the colour itself, 0 is white. Opaque, so
    /// overlapping shapes keep their exact colour.
    public func tinted(_ amount: Double) -> Color {
        let a = min(max(amount, 0), 1)
        return Color(red: 1 - a + a * red, green: 1 - a + a * green, blue: 1 - a + a * blue)
    }

    /// WCAG relative luminance (0 black … 1 white), used to pick readable text colours.
    public var relativeLuminance: Double {
        func linear(_ c: Double) -> Double {
            c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// Black or white, whichever contrasts more with this colour as a background.
    public var contrastingText: Color {
        // Contrast ratios against black and white cross at luminance ≈ 0.179.
        relativeLuminance > 0.179 ? .black : .white
    }

    /// Packs the colour as opaque 8-bit RGBA bytes (alpha ignored).
    public var rgba8: (UInt8, UInt8, UInt8, UInt8) {
        (Self.byte(red), Self.byte(green), Self.byte(blue), Self.byte(alpha))
    }

    private static func byte(_ c: Double) -> UInt8 {
        UInt8((min(max(c, 0), 1) * 255).rounded())
    }

    /// Opaque black.
    public static let black = Color(red: 0, green: 0, blue: 0)
    /// Opaque white.
    public static let white = Color(red: 1, green: 1, blue: 1)
    /// Text colour for titles and labels.
    public static let ink = Color(hex: 0x1A1A1A)
    /// Secondary text colour for captions and axis titles.
    public static let mutedInk = Color(hex: 0x555555)
    /// Fill for masked heatmap cells.
    public static let masked = Color(hex: 0xE4E4E4)
    /// Hatch lines over masked cells.
    public static let maskHatch = Color(hex: 0xA8A8A8)
}
