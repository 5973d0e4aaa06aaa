import Foundation

/// An absolute positional-encoding table `[positions, d_model]`: row `pos` is the vector added to
/// the token embedding at position `pos`.
///
/// - Sinusoidal (Vaswani et al. 2017), for any base > 0:
///   `PE[pos, 2i] = sin(pos / base^(2i/D))`, `PE[pos, 2i+1] = cos(pos / base^(2i/D))`, `i = 0 ..< D/2`.
/// - Learned: a stand-in for a trained table (as in BERT or GPT-2), seeded so it is reproducible.
///   Values are drawn in row-major order from ``SeededGenerator`` (`nextNormal()`), N(0, 1) times
///   ``learnedScale`` = 1/√2. That scale gives every entry the mean square 1/2 of a sinusoid, so
///   E‖PE(p)‖² = D/2 for both kinds: their heatmaps share a colour range and their dot products
///   (similarity curves) are on the same scale.
///
/// Tables are limited to ``maxValues`` numbers (P·D), checked before anything is allocated.
public struct PositionalEncoding: Sendable, Equatable {
    /// How the table is made.
    public enum Kind: String, Sendable, CaseIterable {
        /// Fixed sines and cosines of geometrically spaced frequencies.
        case sinusoidal
        /// A seeded random table standing in for trained position embeddings.
        case learned
    }

    /// The base of the original Transformer (and of RoPE): 10000.
    public static let defaultBase = 10_000.0
    /// The seed of a learned table when none is given.
    public static let defaultSeed: UInt64 = 7
    /// Standard deviation of learned entries: 1/√2, the root mean square of a sinusoid.
    public static let learnedScale = 0.5.squareRoot()
    /// Most values (positions × d_model) a table may hold: 50,000,000 doubles, 400 MB.
    public static let maxValues = 50_000_000

    /// How the table was made.
    public let kind: Kind
    /// The base of the sinusoidal formula; nil for a learned table, which has none.
    public let base: Double?
    /// The seed of a learned table; nil for a sinusoidal one.
    public let seed: UInt64?
    /// The encodings, `[positions, d_model]`.
    public let table: Matrix

    /// Number of positions (rows).
    public var positions: Int { table.rows }
    /// Model width D (columns).
    public var dModel: Int { table.columns }

    /// The sinusoidal table for positions `0 ..< positions` and width `dModel` (even, ≥ 2).
    public static func sinusoidal(positions: Int, dModel: Int, base: Double = defaultBase) throws(InputError) -> PositionalEncoding {
        try validate(positions: positions, dModel: dModel)
        try EncodingChecks.base(base)
        var values = [Double](repeating: 0, count: positions * dModel)
        for i in 0..<(dModel / 2) {
            let denominator = pow(base, Double(2 * i) / Double(dModel))
            for pos in 0..<positions {
                let angle = Double(pos) / denominator
                guard angle.isFinite else {
                    throw .option(name: "--base", reason: "\(EncodingChecks.text(base)) is too small: the angle of position \(pos), dimension \(2 * i) overflows")
                }
                values[pos * dModel + 2 * i] = sin(angle)
                values[pos * dModel + 2 * i + 1] = cos(angle)
            }
        }
        return PositionalEncoding(kind: .sinusoidal, base: base, seed: nil, table: Matrix(rows: positions, columns: dModel, values: values))
    }

    /// A learned-style table: N(0, 1) × `scale` entries from ``SeededGenerator`` seeded with `seed`,
    /// drawn in row-major order. `dModel` must be even and ≥ 2, like the sinusoidal table it is compared with.
    public static func learned(
        positions: Int, dModel: Int, seed: UInt64 = defaultSeed, scale: Double = learnedScale
    ) throws(InputError) -> PositionalEncoding {
        try validate(positions: positions, dModel: dModel)
        guard scale.isFinite, scale > 0 else {
            throw .option(name: "--scale", reason: "must be a positive finite number, got \(EncodingChecks.text(scale))")
        }
        var generator = SeededGenerator(seed: seed)
        let values = (0..<(positions * dModel)).map { _ in generator.nextNormal() * scale }
        return PositionalEncoding(kind: .learned, base: nil, seed: seed, table: Matrix(rows: positions, columns: dModel, values: values))
    }

    /// Checks a table shape: at least one position, D even and ≥ 2, P·D at most ``maxValues``.
    public static func validate(positions: Int, dModel: Int) throws(InputError) {
        guard positions >= 1 else {
            throw .option(name: "--positions", reason: "must be at least 1, got \(positions)")
        }
        guard dModel >= 2, dModel % 2 == 0 else {
            throw .option(name: "--d-model", reason: "must be an even number of at least 2, got \(dModel) (sin and cos fill the dimensions in pairs)")
        }
        let (count, overflow) = positions.multipliedReportingOverflow(by: dModel)
        guard !overflow, count <= maxValues else {
            throw .option(
                name: "--positions",
                reason: "\(positions) positions × \(dModel) dimensions is more than the \(maxValues) values a table may hold")
        }
    }

    /// The angular frequency ω of dimension `j` (0 ..< D): `base^(−2i/D)` with `i = j/2`; the
    /// dimension pair (2i, 2i+1) turns by ω radians per position.
    public static func angularFrequency(dimension j: Int, dModel: Int, base: Double = defaultBase) throws(InputError) -> Double {
        try EncodingChecks.dimension(j, dModel: dModel)
        try EncodingChecks.base(base)
        return 1 / pow(base, Double(2 * (j / 2)) / Double(dModel))
    }

    /// The wavelength of dimension `j` in positions: `2π · base^(2i/D)` with `i = j/2`.
    public static func wavelength(dimension j: Int, dModel: Int, base: Double = defaultBase) throws(InputError) -> Double {
        try EncodingChecks.dimension(j, dModel: dModel)
        try EncodingChecks.base(base)
        return 2 * Double.pi * pow(base, Double(2 * (j / 2)) / Double(dModel))
    }

    /// The closed form of the sinusoidal similarity `PE(p)·PE(p+k) = Σ_i cos(k·ω_i)` for
    /// `k = 0 ... maxOffset`. It does not depend on p: the dot product sees only the distance.
    public static func sinusoidalSimilarity(maxOffset: Int, dModel: Int, base: Double = defaultBase) throws(InputError) -> [Double] {
        try validate(positions: 1, dModel: dModel)
        try EncodingChecks.base(base)
        try EncodingChecks.maxOffset(maxOffset)
        let frequencies = (0..<(dModel / 2)).map { i in 1 / pow(base, Double(2 * i) / Double(dModel)) }
        return (0...maxOffset).map { k in frequencies.reduce(0) { $0 + cos(Double(k) * $1) } }
    }

    /// The similarity curve `PE(p)·PE(p+k)` for `k = 0 ... maxOffset`, read from this table
    /// (`p + maxOffset` must be a row of it). Sinusoidal tables give the same curve for every p;
    /// a learned table gives a different one at each p.
    public func similarity(from p: Int, maxOffset: Int) throws(InputError) -> [Double] {
        try EncodingChecks.maxOffset(maxOffset)
        guard p >= 0, p < positions, maxOffset < positions - p else {
            throw .option(
                name: "--positions",
                reason: "position \(p) + offset \(maxOffset) is outside the table of \(positions) position\(positions == 1 ? "" : "s")")
        }
        let d = dModel
        return (0...maxOffset).map { k in
            var sum = 0.0
            for c in 0..<d { sum += table.values[p * d + c] * table.values[(p + k) * d + c] }
            return sum
        }
    }
}

/// Checks shared by the positional encodings and RoPE, with the messages the CLI prints.
enum EncodingChecks {
    /// A base must be positive and finite.
    static func base(_ base: Double, option: String = "--base") throws(InputError) {
        guard base.isFinite, base > 0 else {
            throw .option(name: option, reason: "must be a positive finite number, got \(text(base))")
        }
    }

    /// A dimension index must lie in `0 ..< dModel`, with `dModel` even and ≥ 2.
    static func dimension(_ j: Int, dModel: Int) throws(InputError) {
        try PositionalEncoding.validate(positions: 1, dModel: dModel)
        guard j >= 0, j < dModel else {
            throw .option(name: "--dims", reason: "dimension \(j) is outside 0 ..< \(dModel)")
        }
    }

    /// A curve length must be 0 or more and at most ``PositionalEncoding/maxValues``.
    static func maxOffset(_ k: Int) throws(InputError) {
        guard k >= 0, k < PositionalEncoding.maxValues else {
            throw .option(name: "--max-offset", reason: "must be from 0 to \(PositionalEncoding.maxValues - 1), got \(k)")
        }
    }

    /// A number as a user would write it: `10000`, `0.5`, `-3`, `nan`, `inf`.
    static func text(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
