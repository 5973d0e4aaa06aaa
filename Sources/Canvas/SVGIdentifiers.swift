/// Cairo names some SVG elements after process-wide counters (`image16`, `surface7`): the number
/// depends on how many surfaces the process made before, and, when figures are drawn in parallel,
/// on thread timing. Renumbering them in order of first appearance makes the same figure the same
/// bytes whatever else the process drew. Glyph names (`glyph0-3`) are per document and stay.
enum SVGIdentifiers {
    /// Name prefixes numbered by Cairo's global counters, or by counters that may be.
    static let prefixes: [[UInt8]] = ["image", "surface", "pattern", "clip", "mask", "source"].map { Array($0.utf8) }

    /// `svg` with every `"PREFIXn` and `#PREFIXn` renumbered 1, 2, 3… per prefix, in order of first appearance.
    static func renumber(_ svg: [UInt8]) -> [UInt8] {
        var maps = Array(repeating: [Int: Int](), count: prefixes.count)
        var out: [UInt8] = []
        out.reserveCapacity(svg.count)
        var i = 0
        let count = svg.count
        while i < count {
            let byte = svg[i]
            out.append(byte)
            i += 1
            guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "#") else { continue }
            for (index, prefix) in prefixes.enumerated() where svg[i...].starts(with: prefix) {
                var end = i + prefix.count
                var number = 0
                while end < count, svg[end] >= 0x30, svg[end] <= 0x39, number < Int.max / 10 - 10 {
                    number = number * 10 + Int(svg[end] - 0x30)
                    end += 1
                }
                guard end > i + prefix.count else { break }
                let renumbered = maps[index][number] ?? (maps[index].count + 1)
                maps[index][number] = renumbered
                out.append(contentsOf: prefix)
                out.append(contentsOf: Array(String(renumbered).utf8))
                i = end
                break
            }
        }
        return out
    }
}
