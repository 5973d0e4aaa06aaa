import Figures
import Foundation

/// A measurer with fixed proportions, so layout tests do not depend on installed fonts.
struct FixedMeasurer: TextMeasurer {
    func measure(_ text: String, font: Font) -> TextExtent {
        TextExtent(width: Double(text.count) * font.size * 0.6, height: font.size * 1.2, baseline: font.size * 0.95)
    }
}

/// A text rendering of a scene, one primitive per line, numbers rounded to 0.01 pt.
func describe(_ scene: Scene) -> String {
    func n(_ v: Double) -> String { String(format: "%.2f", v) }
    func rect(_ r: Rect) -> String { "[\(n(r.x)) \(n(r.y)) \(n(r.width)) \(n(r.height))]" }
    func color(_ c: Color) -> String {
        let (r, g, b, _) = c.rgba8
        return String(format: "#%02x%02x%02x", r, g, b) + (c.alpha < 1 ? "@\(n(c.alpha))" : "")
    }
    func lines(_ items: [SceneItem], indent: String) -> [String] {
        items.flatMap { item -> [String] in
            switch item {
            case .shape(let path, let fill, let stroke):
                let box = path.bounds.map(rect) ?? "[]"
                return ["\(indent)shape \(path.elements.count) elements \(box) fill \(fill.map(color) ?? "-") stroke \(stroke.map { color($0.color) + " " + n($0.width) } ?? "-")"]
            case .image(let image, let r, let resampling):
                return ["\(indent)image \(image.width)x\(image.height) in \(rect(r)) \(resampling)"]
            case .text(let t):
                return ["\(indent)text \"\(t.text)\" at \(n(t.position.x)),\(n(t.position.y)) size \(n(t.font.size)) \(t.horizontal)/\(t.vertical) rot \(n(t.rotation)) \(color(t.color))"]
            case .clipped(let r, let inner):
                return ["\(indent)clip \(rect(r))"] + lines(inner, indent: indent + "  ")
            }
        }
    }
    return (["scene \(n(scene.size.width)) x \(n(scene.size.height))"] + lines(scene.items, indent: "")).joined(separator: "\n") + "\n"
}

/// Compares `actual` with the golden file `Snapshots/NAME.txt`; `RECORD_SNAPSHOTS=1` re-records it.
func matchesSnapshot(_ actual: String, named name: String, filePath: String = #filePath) -> Bool {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return true
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else { return false }
    return expected == actual
}
