import Foundation

/// Rotary position embedding (RoPE, Su et al. 2021) for vectors of even width d.
///
/// The d dimensions form d/2 pairs; pair i of the vector at position `pos` is turned by the angle
/// `pos · θ_i`, `θ_i = base^(−2i/d)`, `i = 0 ..< d/2`: `a' = a·cos − b·sin`, `b' = a·sin + b·cos`.
/// Angles are computed as `Double(pos) * θ_i` in double precision. Rotations keep norms, and the
/// score `(R_m q)·(R_n k)` depends only on `m − n`.
///
/// Positions run from 0 to ``maxPosition`` (2^53, where every integer is still exact as a `Double`).
public struct RotaryEmbedding: Sendable, Equatable {
    /// Which dimensions form a rotated pair.
    public enum Convention: String, Sendable, CaseIterable {
        /// Pair i is (x[i], x[i + d/2]): GPT-NeoX and Hugging Face `rotate_half`. The default.
        case half
        /// Pair i is (x[2i], x[2i+1]): RoFormer, GPT-J, Meta Llama.
        case interleaved

        /// The two dimensions of pair `i` in a vector of width `d`.
        public func indices(ofPair i: Int, dimension d: Int) -> (first: Int, second: Int) {
            switch self {
            case .half: return (i, i + d / 2)
            case .interleaved: return (2 * i, 2 * i + 1)
            }
        }
    }

    /// The base of RoFormer and Llama 1/2: 10000.
    public static let defaultBase = 10_000.0
    /// Largest position (offset + row) accepted: 2^53.
    public static let maxPosition = 1 << 53
    /// Most values a score matrix or curve may hold (50,000,000), checked before allocation.
    public static let maxValues = 50_000_000

    /// Vector width d (even, ≥ 2).
    public let dimension: Int
    /// The base of the frequencies.
    public let base: Double
    /// Which dimensions are paired.
    public let convention: Convention
    /// The rotation speed of each pair in radians per position, `θ_i = base^(−2i/d)`, `i = 0 ..< d/2`.
    public let theta: [Double]

    /// A rotary embedding for width `dimension` (even, ≥ 2) and any finite `base` > 0.
    public init(dimension: Int, base: Double = defaultBase, convention: Convention = .half) throws(InputError) {
        guard dimension >= 2, dimension % 2 == 0 else {
            throw .option(name: "--d-model", reason: "must be an even number of at least 2, got \(dimension) (RoPE rotates pairs of dimensions)")
        }
        try EncodingChecks.base(base)
        let theta = (0..<(dimension / 2)).map { i in pow(base, -Double(2 * i) / Double(dimension)) }
        // The largest angle, at position 2^53, must stay finite too; only bases below about 1e-292 break it.
        guard theta.allSatisfy({ $0 > 0 && (Double(Self.maxPosition) * $0).isFinite }) else {
            throw .option(name: "--base", reason: "\(EncodingChecks.text(base)) is too close to 0: the angles pos · base^(−2i/d) overflow")
        }
        self.dimension = dimension
        self.base = base
        self.convention = convention
        self.theta = theta
    }

    /// Validates `x` (2-D `[n, d]`, at least one row, d even, every value finite) and rotates row r
    /// as the vector at position `offset + r`. `source` names `x` in messages (the file path).
    public static func rotate(
        tensor x: Tensor, source: String, offset: Int = 0, base: Double = defaultBase, convention: Convention = .half
    ) throws(InputError) -> (embedding: RotaryEmbedding, rotated: Matrix) {
        try EncodingChecks.base(base)
        try checkOffset(offset, count: 1)
        guard x.rank == 2 else {
            throw .shape(file: source, reason: "has shape \(x.shapeDescription); RoPE needs a 2-D array [n, d], one vector per row")
        }
        let (n, d) = (x.shape[0], x.shape[1])
        guard n >= 1 else { throw .shape(file: source, reason: "has shape \(x.shapeDescription): there are no vectors to rotate") }
        guard d >= 2, d % 2 == 0 else {
            throw .shape(file: source, reason: "has shape \(x.shapeDescription): d = \(d) must be even and at least 2, since RoPE rotates pairs of dimensions")
        }
        if let bad = x.firstNonFinite() { throw .nonFinite(file: source, index: bad.index, value: bad.value) }
        let embedding = try RotaryEmbedding(dimension: d, base: base, convention: convention)
        return (embedding, try embedding.rotate(x.matrix(at: []), offset: offset, source: source))
    }

    /// The rows of `x` (`[n, d]`) rotated, row r as the vector at position `offset + r`.
    public func rotate(_ x: Matrix, offset: Int = 0, source: String = "X") throws(InputError) -> Matrix {
        guard x.columns == dimension else {
            throw .shape(file: source, reason: "vectors have \(x.columns) dimensions but this rotary embedding is for \(dimension)")
        }
        try Self.checkOffset(offset, count: x.rows)
        var out = x
        for r in 0..<x.rows {
            rotate(&out.values, start: r * dimension, position: offset + r)
        }
        return out
    }

    /// `vector` (d values) rotated as the vector at `position` (0 ... ``maxPosition``).
    public func rotate(vector: [Double], position: Int) throws(InputError) -> [Double] {
        guard vector.count == dimension else {
            throw .shape(file: "vector", reason: "has \(vector.count) values but this rotary embedding is for \(dimension)")
        }
        try Self.checkPosition(position)
        var out = vector
        rotate(&out, start: 0, position: position)
        return out
    }

    /// The scores `(R_m q)·(R_n k)` for query positions m (rows) and key positions n (columns)
    /// in `positions`. Every anti-diagonal is constant: the score depends only on `m − n`.
    public func scores(query q: [Double], key k: [Double], positions: Range<Int>) throws(InputError) -> Matrix {
        try checkPair(q, k)
        try Self.checkOffset(positions.lowerBound, count: max(positions.count, 1))
        let (count, overflow) = positions.count.multipliedReportingOverflow(by: positions.count)
        guard !overflow, count <= Self.maxValues else {
            throw .option(name: "--positions", reason: "\(positions.count) × \(positions.count) scores is more than the limit of \(Self.maxValues)")
        }
        var queries = [Double](), keys = [Double]()
        queries.reserveCapacity(positions.count * dimension)
        keys.reserveCapacity(positions.count * dimension)
        for position in positions {
            var rq = q, rk = k
            rotate(&rq, start: 0, position: position)
            rotate(&rk, start: 0, position: position)
            queries += rq
            keys += rk
        }
        var out = Matrix(rows: positions.count, columns: positions.count)
        for m in 0..<positions.count {
            for n in 0..<positions.count {
                var sum = 0.0
                for c in 0..<dimension { sum += queries[m * dimension + c] * keys[n * dimension + c] }
                out.values[m * positions.count + n] = sum
            }
        }
        return out
    }

    /// The score as a function of distance: entry Δ is `(R_Δ q)·(R_0 k)`, the score of a query Δ
    /// positions after its key (the causal case, m − n = Δ ≥ 0), for `Δ = 0 ... maxDistance`.
    /// With q = k it shows RoPE's long-range decay.
    public func relativeScores(query q: [Double], key k: [Double], maxDistance: Int) throws(InputError) -> [Double] {
        try checkPair(q, k)
        guard maxDistance >= 0, maxDistance < Self.maxValues else {
            throw .option(name: "--max-distance", reason: "must be from 0 to \(Self.maxValues - 1), got \(maxDistance)")
        }
        return (0...maxDistance).map { distance in
            var rq = q
            rotate(&rq, start: 0, position: distance)
            var sum = 0.0
            for c in 0..<dimension { sum += rq[c] * k[c] }
            return sum
        }
    }

    /// Rotates the d values at `values[start...]` as the vector at `position`.
    private func rotate(_ values: inout [Double], start: Int, position: Int) {
        let pos = Double(position)
        for i in 0..<(dimension / 2) {
            let (first, second) = convention.indices(ofPair: i, dimension: dimension)
            let angle = pos * theta[i]
            let (c, s) = (cos(angle), sin(angle))
            let a = values[start + first], b = values[start + second]
            values[start + first] = a * c - b * s
            values[start + second] = a * s + b * c
        }
    }

    private func checkPair(_ q: [Double], _ k: [Double]) throws(InputError) {
        for (name, vector) in [("query", q), ("key", k)] where vector.count != dimension {
            throw .shape(file: name, reason: "has \(vector.count) values but this rotary embedding is for \(dimension)")
        }
    }

    /// Positions `offset ..< offset + count` must lie within 0 ... ``maxPosition``.
    private static func checkOffset(_ offset: Int, count: Int) throws(InputError) {
        guard offset >= 0 else { throw .option(name: "--offset", reason: "must be 0 or more, got \(offset)") }
        guard offset <= maxPosition - max(count - 1, 0) else {
            throw .option(name: "--offset", reason: "\(offset) is too large for \(count) row\(count == 1 ? "" : "s"): positions must stay at most 2^53 = \(maxPosition)")
        }
    }

    private static func checkPosition(_ position: Int) throws(InputError) {
        guard position >= 0, position <= maxPosition else {
            throw .option(name: "position", reason: "must be from 0 to 2^53 = \(maxPosition), got \(position)")
        }
    }
}
