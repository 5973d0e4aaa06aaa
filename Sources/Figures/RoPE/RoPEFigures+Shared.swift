import Foundation
import TransformerMath

/// What the RoPE figures share: fonts and sizes, pair colours, the conventions in words and
/// number formats, so every figure names the pairing and base the same way.
enum RoPEFigures {
    static let margin = HeatmapFigure.Metrics.margin
    static let titleFont = HeatmapFigure.Metrics.titleFont
    static let panelTitleFont = Font(size: 10, weight: .bold)
    static let labelFont = Font(size: 9)
    static let captionFont = HeatmapFigure.Metrics.captionFont
    /// Light lines: circles, axes, box outlines that are not data.
    static let guideInk = Color(hex: 0xBDBDBD)

    /// The colour of the `k`-th pair shown: the project's categorical palette, so the k-th pair
    /// has the same colour in the clocks and in the pairing diagram.
    static func pairColor(_ k: Int) -> Color {
        Palette.color(k)
    }

    /// `color` mixed with white: `amount` 1 is the colour itself, 0 is white. Opaque, so
    /// overlapping shapes keep their exact colour.
    static func tint(_ color: Color, _ amount: Double) -> Color {
        color.tinted(amount)
    }

    /// The coordinates of pair `i` as written in titles: `(x0, x32)`.
    static func coordinates(ofPair i: Int, embedding: RotaryEmbedding) -> String {
        let (a, b) = embedding.convention.indices(ofPair: i, dimension: embedding.dimension)
        return "(x\(a), x\(b))"
    }

    /// The pairing rule of `convention` as a formula.
    static func rule(_ convention: RotaryEmbedding.Convention) -> String {
        switch convention {
        case .half: return "pair i = (x[i], x[i + d/2])"
        case .interleaved: return "pair i = (x[2i], x[2i+1])"
        }
    }

    /// The models that use `convention`.
    static func models(_ convention: RotaryEmbedding.Convention) -> String {
        switch convention {
        case .half: return "GPT-NeoX, Hugging Face Llama (rotate_half)"
        case .interleaved: return "RoFormer, GPT-J, Meta's original Llama"
        }
    }

    /// The convention and base in one caption sentence: `half pairing, pair i = (x[i], x[i + d/2])
    /// (GPT-NeoX, …) · base 10000, θ_i = base^(−2i/d)`.
    static func conventionSentence(_ embedding: RotaryEmbedding) -> String {
        let c = embedding.convention
        return "\(c.rawValue) pairing, \(rule(c)) (as in \(models(c))) · base \(NumberFormat.plain(embedding.base)), "
            + "d = \(embedding.dimension), θ_i = base^(−2i/d) radians per position"
    }

    /// A positive quantity with 3 significant digits, in plain digits from 0.001 to 10^6
    /// (`1`, `0.562`, `0.000133` → `1.33e−4`, `47100`).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let magnitude = abs(value)
        if value == 0 { return "0" }
        if magnitude >= 1e6 || magnitude < 1e-3 {
            let exponent = Int(floor(log10(magnitude)))
            var mantissa = value / pow(10, Double(exponent))
            var e = exponent
            if (abs(mantissa) * 100).rounded() >= 1000 { mantissa /= 10; e += 1 }
            return trimmed(String(format: "%.2f", mantissa)) + "e" + (e < 0 ? "−" : "") + String(abs(e))
        }
        if magnitude >= 1000 {
            let step = pow(10, floor(log10(magnitude)) - 2)
            return String(Int((value / step).rounded() * step))
        }
        let decimals = max(0, 2 - Int(floor(log10(magnitude))))
        return trimmed(NumberFormat.fixed(value, decimals: decimals))
    }

    /// An angle in radians as degrees, precise enough that small turns do not read as 0
    /// (`401°`, `57.3°`, `0.053°`).
    static func degrees(_ radians: Double) -> String {
        let value = radians * 180 / Double.pi
        let magnitude = abs(value)
        if value == 0 { return "0°" }
        if magnitude >= 100 { return NumberFormat.fixed(value, decimals: 0) + "°" }
        if magnitude >= 1 { return trimmed(NumberFormat.fixed(value, decimals: 1)) + "°" }
        // Two significant digits below 1°.
        let decimals = min(12, 1 - Int(floor(log10(magnitude))))
        return trimmed(NumberFormat.fixed(value, decimals: decimals)) + "°"
    }

    /// `text` without trailing zeros after a decimal point.
    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var out = text
        while out.hasSuffix("0") { out.removeLast() }
        if out.hasSuffix(".") { out.removeLast() }
        return out
    }

    /// A filled arrow head with its tip at `tip`, pointing along `direction` (radians, counter-
    /// clockwise as seen by the reader), and the point where the shaft should end.
    static func arrowHead(tip: Point, direction: Double, length: Double, width: Double) -> (head: Path, shaftEnd: Point) {
        let ux = cos(direction), uy = -sin(direction)
        let base = Point(tip.x - ux * length, tip.y - uy * length)
        // Perpendicular in y-down coordinates.
        let px = -uy * width / 2, py = ux * width / 2
        var head = Path()
        head.move(to: tip)
        head.line(to: Point(base.x + px, base.y + py))
        head.line(to: Point(base.x - px, base.y - py))
        head.close()
        // The shaft stops inside the head so its butt never pokes past the triangle's sides.
        return (head, Point(tip.x - ux * length * 0.6, tip.y - uy * length * 0.6))
    }

    /// A circle of `radius` around `center`, as four cubic Bézier quarters.
    static func circle(center: Point, radius: Double) -> Path {
        let k = 0.552_284_749_831 * radius
        let (cx, cy, r) = (center.x, center.y, radius)
        var path = Path()
        path.move(to: Point(cx + r, cy))
        path.curve(to: Point(cx, cy + r), control1: Point(cx + r, cy + k), control2: Point(cx + k, cy + r))
        path.curve(to: Point(cx - r, cy), control1: Point(cx - k, cy + r), control2: Point(cx - r, cy + k))
        path.curve(to: Point(cx, cy - r), control1: Point(cx - r, cy - k), control2: Point(cx - k, cy - r))
        path.curve(to: Point(cx + r, cy), control1: Point(cx + k, cy - r), control2: Point(cx + r, cy - k))
        path.close()
        return path
    }
}
