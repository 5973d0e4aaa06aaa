import Foundation
import TransformerMath

/// Line plots of positional encodings and RoPE, computed from `TransformerMath`.
public enum EncodingPlots {
    /// The position × dimension heatmap, on a diverging scale centred on 0.
    public static func heatmap(_ encoding: PositionalEncoding) -> HeatmapFigure {
        var figure = HeatmapFigure(matrix: encoding.table)
        figure.colormap = .rdbu
        figure.annotation = .never
        figure.rowAxisTitle = "position"
        figure.columnAxisTitle = "dimension"
        figure.colorbarLabel = "PE value"
        let d = encoding.dModel
        if let base = encoding.base {
            figure.lower = -1
            figure.upper = 1
            figure.title = "Sinusoidal positional encoding"
            let b = NumberFormat.plain(base)
            figure.caption = "Base \(b), D = \(d): PE[pos, 2i] = sin(pos / \(b)^(2i/\(d))), PE[pos, 2i+1] = cos(pos / \(b)^(2i/\(d)))"
                + " · each column pair turns more slowly than the one before"
        } else {
            figure.title = "Learned positional encoding (seeded stand-in)"
            figure.caption = "D = \(d), seed \(encoding.seed ?? PositionalEncoding.defaultSeed): N(0, 1) × 1/√2 per entry, a random table"
                + " standing in for trained position embeddings"
        }
        return figure
    }

    /// PE[pos, j] across positions for the chosen dimensions: one colour per sin/cos pair, sin solid
    /// and cos dashed, each dimension's wavelength in the legend.
    public static func waves(_ encoding: PositionalEncoding, dimensions: [Int]) throws -> LinePlotFigure {
        let d = encoding.dModel
        if let bad = dimensions.first(where: { $0 < 0 || $0 >= d }) {
            throw InputError.option(name: "--dims", reason: "dimension \(bad) is out of range; d_model is \(d) (0–\(d - 1))")
        }
        let positions = (0..<encoding.positions).map(Double.init)
        let lastPosition = Double(max(encoding.positions - 1, 1))
        let base = encoding.base ?? PositionalEncoding.defaultBase
        let pairs = Array(Set(dimensions.map { $0 / 2 })).sorted()
        let series = try dimensions.map { j -> LinePlotFigure.Series in
            let column = (0..<encoding.positions).map { encoding.table[$0, j] }
            let pair = pairs.firstIndex(of: j / 2) ?? 0
            let isSin = j % 2 == 0
            var name = "dim \(j) · \(isSin ? "sin" : "cos")"
            if encoding.kind == .sinusoidal {
                name += " · λ = \(NumberFormat.short(try PositionalEncoding.wavelength(dimension: j, dModel: d, base: base)))"
            }
            return LinePlotFigure.Series(name: name, x: positions, y: column, color: Palette.color(pair), dash: isSin ? [] : [5, 3])
        }
        var plot = LinePlotFigure(
            series: series, title: encoding.kind == .sinusoidal ? "Sinusoidal positional encoding" : "Learned positional encoding",
            xLabel: "position", yLabel: "PE value")
        // A little room above ±1 keeps the crests from touching the frame.
        plot.yRange = encoding.kind == .sinusoidal ? -1.1...1.1 : nil
        plot.xRange = 0...lastPosition
        plot.caption = encoding.kind == .sinusoidal
            ? "PE[pos, 2i] = sin(pos / \(NumberFormat.plain(base))^(2i/\(d))), PE[pos, 2i+1] = cos(…) · d_model = \(d) · λ = 2π·\(NumberFormat.plain(base))^(2i/\(d)) positions per cycle: low dimensions turn fast, high ones slowly."
            : "A seeded learned table (seed \(encoding.seed.map(String.init) ?? "?")): no pattern ties one position to the next."
        return plot
    }

    /// PE(p)·PE(p + k) against k: the sinusoidal table's closed form Σᵢ cos(k·ωᵢ), the same for
    /// every p, beside a seeded learned table of the same size, which has no such structure.
    public static func similarity(dModel d: Int, maxOffset: Int, base: Double, seed: UInt64) throws -> LinePlotFigure {
        let sinusoidal = try PositionalEncoding.sinusoidalSimilarity(maxOffset: maxOffset, dModel: d, base: base)
        let learned = try PositionalEncoding.learned(positions: maxOffset + 1, dModel: d, seed: seed).similarity(from: 0, maxOffset: maxOffset)
        let k = (0...maxOffset).map(Double.init)
        var plot = LinePlotFigure(
            series: [
                LinePlotFigure.Series(name: "sinusoidal (base \(NumberFormat.plain(base)))", x: k, y: sinusoidal),
                LinePlotFigure.Series(name: "learned (random, seed \(seed))", x: k, y: learned),
            ],
            title: "Similarity of positions k apart", xLabel: "offset k", yLabel: "PE(p) · PE(p + k)")
        plot.xRange = 0...Double(max(maxOffset, 1))
        plot.caption = "d_model = \(d). The sinusoidal dot product equals Σᵢ cos(k·ωᵢ) for every start p, so nearby positions look alike and similarity falls with distance; a learned table starts random (here p = 0) and only training could give it such structure."
        return plot
    }

    /// RoPE wavelengths 2π/θᵢ per pair on a log axis, for `base` and a comparison base.
    public static func spectrum(dModel d: Int, base: Double, comparison: Double) throws -> LinePlotFigure {
        let bases = base == comparison ? [base] : [base, comparison]
        let series = try bases.map { b -> LinePlotFigure.Series in
            let rope = try RotaryEmbedding(dimension: d, base: b, convention: .half)
            return LinePlotFigure.Series(
                name: "base \(NumberFormat.plain(b))", x: rope.theta.indices.map(Double.init),
                y: rope.theta.map { 2 * Double.pi / $0 }, markers: d <= 64)
        }
        var plot = LinePlotFigure(series: series, title: "RoPE wavelengths per pair", xLabel: "pair i", yLabel: "wavelength 2π/θᵢ (positions)")
        plot.yScale = .log
        // Pair indices end where the data ends; rounding out to a nice tick would add empty room.
        plot.xRange = 0...Double(max(d / 2 - 1, 1))
        plot.caption = "θᵢ = base^(−2i/d), d = \(d). Pair 0 turns one radian per position (λ = 2π); the last pair turns slowest. A larger base stretches the slow end, which is how long-context models keep distant positions apart. The pairing convention changes which coordinates share θᵢ, not the spectrum."
        return plot
    }

    /// The score of q and k after RoPE against their distance m − n: for q = k = (1, …, 1)
    /// (the bound RoFormer uses to show long-range decay) and for a seeded random pair.
    public static func decay(dModel d: Int, base: Double, convention: RotaryEmbedding.Convention, maxDistance: Int, seed: UInt64) throws -> LinePlotFigure {
        let rope = try RotaryEmbedding(dimension: d, base: base, convention: convention)
        let ones = [Double](repeating: 1, count: d)
        var generator = SeededGenerator(seed: seed)
        let q = (0..<d).map { _ in generator.nextNormal() }, k = (0..<d).map { _ in generator.nextNormal() }
        let distance = (0...maxDistance).map(Double.init)
        let bound = try rope.relativeScores(query: ones, key: ones, maxDistance: maxDistance).map { $0 / Double(d) }
        let random = try rope.relativeScores(query: q, key: k, maxDistance: maxDistance).map { $0 / Double(d) }
        var plot = LinePlotFigure(
            series: [
                LinePlotFigure.Series(name: "q = k = (1, …, 1)", x: distance, y: bound),
                LinePlotFigure.Series(name: "random q, k (seed \(seed))", x: distance, y: random),
            ],
            title: "RoPE score against distance", xLabel: "distance m − n (positions)", yLabel: "q·k after RoPE / d")
        plot.xRange = 0...Double(max(maxDistance, 1))
        plot.caption = "d = \(d), base \(NumberFormat.plain(base)), \(convention.rawValue) pairing. The score depends only on m − n; for aligned vectors it decays with distance as the pairs' rotations fall out of step, the long-range decay RoPE was designed to have."
        return plot
    }
}
