import Foundation
import Testing

@testable import TransformerMath

@Suite struct RoPETests {
    static let conventions = RotaryEmbedding.Convention.allCases
    static let bases = [10_000.0, 500_000.0, 7.5, 0.5]

    /// Seeded N(0, 1) values.
    static func normals(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextNormal() }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    // MARK: Closed forms

    @Test func thetaFollowsTheBase() throws {
        let rope = try RotaryEmbedding(dimension: 8, base: 10_000)
        let expected = [1, 0.1, 0.01, 0.001]
        #expect(rope.theta.count == 4)
        for (t, e) in zip(rope.theta, expected) { #expect(abs(t - e) <= 1e-15 * e, "\(t) vs \(e)") }
        #expect(try RotaryEmbedding(dimension: 2, base: 3).theta == [1])
        #expect(rope.convention == .half && rope.base == 10_000 && rope.dimension == 8)
    }

    @Test func positionZeroIsTheIdentity() throws {
        let x = Matrix(rows: 3, columns: 8, values: Self.normals(24, seed: 1))
        for convention in Self.conventions {
            for base in Self.bases {
                let rope = try RotaryEmbedding(dimension: 8, base: base, convention: convention)
                let out = try rope.rotate(x, offset: 0)
                #expect(out.row(0) == x.row(0), "\(convention), base \(base)")
                #expect(out.row(1) != x.row(1))
                #expect(try rope.rotate(vector: x.row(2), position: 0) == x.row(2))
            }
        }
    }

    /// d = 4 with base (2/π)²: θ = [1, base^(−1/2)] = [1, π/2], so position 1 turns pair 0 by
    /// 1 rad and pair 1 by a quarter turn: (a, b) → (−b, a).
    @Test func handWorkedQuarterTurn() throws {
        let base = (2 / Double.pi) * (2 / Double.pi)
        let half = try RotaryEmbedding(dimension: 4, base: base, convention: .half)
        #expect(abs(half.theta[1] - .pi / 2) <= 1e-15)
        // half: pairs (x0, x2) = (1, 0) and (x1, x3) = (0, 1).
        let x = [1.0, 0, 0, 1]
        let h = try half.rotate(vector: x, position: 1)
        for (value, expected) in zip(h, [cos(1.0), -1, sin(1.0), 0]) { #expect(abs(value - expected) <= 1e-15, "\(h)") }
        // interleaved: pairs (x0, x1) = (1, 0) and (x2, x3) = (0, 1).
        let interleaved = try RotaryEmbedding(dimension: 4, base: base, convention: .interleaved)
        let i = try interleaved.rotate(vector: x, position: 1)
        for (value, expected) in zip(i, [cos(1.0), sin(1.0), -1, 0]) { #expect(abs(value - expected) <= 1e-15, "\(i)") }
        // d = 2: one pair at θ = 1; position 2 turns (3, 4) by 2 rad.
        let two = try RotaryEmbedding(dimension: 2)
        #expect(try two.rotate(vector: [3, 4], position: 2) == [3 * cos(2.0) - 4 * sin(2.0), 3 * sin(2.0) + 4 * cos(2.0)])
    }

    @Test func rowsArePlacedAtOffsetPlusRow() throws {
        let x = Matrix(rows: 4, columns: 6, values: Self.normals(24, seed: 2))
        for convention in Self.conventions {
            let rope = try RotaryEmbedding(dimension: 6, base: 100, convention: convention)
            let out = try rope.rotate(x, offset: 37)
            for r in 0..<4 { #expect(out.row(r) == (try rope.rotate(vector: x.row(r), position: 37 + r))) }
        }
    }

    // MARK: Invariants

    @Test func rotationKeepsNorms() throws {
        for d in [2, 8, 64] {
            let x = Matrix(rows: 5, columns: d, values: Self.normals(5 * d, seed: UInt64(d)))
            for convention in Self.conventions {
                for base in Self.bases {
                    for offset in [0, 5, 1000, 1 << 40] {
                        let out = try RotaryEmbedding(dimension: d, base: base, convention: convention).rotate(x, offset: offset)
                        for r in 0..<5 {
                            let before = Self.norm(x.row(r)), after = Self.norm(out.row(r))
                            #expect(abs(after - before) <= 1e-12 * before, "d \(d) \(convention) base \(base) offset \(offset) row \(r)")
                        }
                    }
                }
            }
        }
    }

    /// q_m · k_n after rotation equals the score at (m − n, 0) or (0, n − m) for every m, n, offset and base.
    @Test func scoresDependOnlyOnTheDistance() throws {
        for d in [2, 8, 16] {
            let q = Self.normals(d, seed: 10 + UInt64(d)), k = Self.normals(d, seed: 20 + UInt64(d))
            let unit = Self.norm(q) * Self.norm(k)
            for convention in Self.conventions {
                for base in Self.bases {
                    let rope = try RotaryEmbedding(dimension: d, base: base, convention: convention)
                    for offset in [0, 7, 1000, 123_456] {
                        for m in stride(from: 0, to: 24, by: 3) {
                            for n in stride(from: 0, to: 24, by: 5) {
                                let score = Self.dot(
                                    try rope.rotate(vector: q, position: offset + m), try rope.rotate(vector: k, position: offset + n))
                                let reference = m >= n
                                    ? Self.dot(try rope.rotate(vector: q, position: m - n), k)
                                    : Self.dot(q, try rope.rotate(vector: k, position: n - m))
                                #expect(
                                    abs(score - reference) <= 1e-9 * unit,
                                    "d \(d) \(convention) base \(base) offset \(offset) m \(m) n \(n): \(score) vs \(reference)")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func scoreMatrixIsConstantAlongDiagonalsAndMatchesTheDecayCurve() throws {
        let d = 16
        let q = Self.normals(d, seed: 3), k = Self.normals(d, seed: 4)
        for convention in Self.conventions {
            let rope = try RotaryEmbedding(dimension: d, base: 10_000, convention: convention)
            let scores = try rope.scores(query: q, key: k, positions: 100..<120)
            #expect(scores.rows == 20 && scores.columns == 20)
            let curve = try rope.relativeScores(query: q, key: k, maxDistance: 19)
            #expect(curve.count == 20)
            #expect(abs(curve[0] - Self.dot(q, k)) <= 1e-12)
            for m in 0..<20 {
                for n in 0...m {
                    #expect(abs(scores[m, n] - curve[m - n]) <= 1e-9, "\(convention) m \(m) n \(n)")
                }
            }
            // With q = k the curve starts at ‖q‖², its largest value.
            let selfCurve = try rope.relativeScores(query: q, key: q, maxDistance: 200)
            #expect(abs(selfCurve[0] - Self.dot(q, q)) <= 1e-12)
            #expect(selfCurve.dropFirst().allSatisfy { $0 < selfCurve[0] })
        }
    }

    /// Interleaved pairs (2i, 2i+1), half pairs (i, i + d/2): moving x[i] to slot 2i and
    /// x[i + d/2] to slot 2i+1 turns one convention into the other, exactly.
    @Test func halfAndInterleavedAreRelatedByThePairPermutation() throws {
        for d in [2, 8, 64] {
            func toInterleaved(_ v: [Double]) -> [Double] {
                var out = v
                for i in 0..<(d / 2) { (out[2 * i], out[2 * i + 1]) = (v[i], v[i + d / 2]) }
                return out
            }
            for i in 0..<(d / 2) {
                #expect(RotaryEmbedding.Convention.half.indices(ofPair: i, dimension: d) == (i, i + d / 2))
                #expect(RotaryEmbedding.Convention.interleaved.indices(ofPair: i, dimension: d) == (2 * i, 2 * i + 1))
            }
            let x = Self.normals(d, seed: 99)
            for base in Self.bases {
                let half = try RotaryEmbedding(dimension: d, base: base, convention: .half)
                let interleaved = try RotaryEmbedding(dimension: d, base: base, convention: .interleaved)
                for position in [0, 1, 5, 1000] {
                    #expect(
                        try interleaved.rotate(vector: toInterleaved(x), position: position)
                            == toInterleaved(try half.rotate(vector: x, position: position)), "d \(d) base \(base) pos \(position)")
                }
                if d > 2 { #expect(try half.rotate(vector: x, position: 3) != (try interleaved.rotate(vector: x, position: 3))) }
            }
        }
    }

    // MARK: Errors

    @Test func invalidInputsAreErrors() throws {
        let good = Tensor(shape: [2, 4], values: Self.normals(8, seed: 5))
        func rotate(_ x: Tensor, offset: Int = 0, base: Double = 10_000) throws {
            _ = try RotaryEmbedding.rotate(tensor: x, source: "X.npy", offset: offset, base: base)
        }
        expectInputError("X.npy", "(2, 3, 4)", "2-D") { try rotate(Tensor(shape: [2, 3, 4], values: Array(repeating: 0, count: 24))) }
        expectInputError("X.npy", "(4,)", "2-D") { try rotate(Tensor(shape: [4], values: [1, 2, 3, 4])) }
        expectInputError("X.npy", "(0, 4)", "no vectors") { try rotate(Tensor(shape: [0, 4], values: [])) }
        expectInputError("X.npy", "(3, 5)", "even") { try rotate(Tensor(shape: [3, 5], values: Array(repeating: 1, count: 15))) }
        expectInputError("X.npy", "(3, 0)", "even") { try rotate(Tensor(shape: [3, 0], values: [])) }
        var nan = good
        nan.values[6] = .nan
        expectInputError("X.npy", "[1, 2]", "NaN") { try rotate(nan) }
        var infinite = good
        infinite.values[3] = -.infinity
        expectInputError("X.npy", "[0, 3]", "-infinity") { try rotate(infinite) }
        expectInputError("--offset", "-1") { try rotate(good, offset: -1) }
        expectInputError("--offset", "2^53") { try rotate(good, offset: RotaryEmbedding.maxPosition) }
        #expect(throws: Never.self) { try rotate(Tensor(shape: [1, 4], values: [1, 2, 3, 4]), offset: RotaryEmbedding.maxPosition) }
        expectInputError("--base", "positive", "-2") { try rotate(good, base: -2) }
        expectInputError("--base", "0") { try rotate(good, base: 0) }
        expectInputError("--base", "nan") { try rotate(good, base: .nan) }
        expectInputError("--base", "inf") { try rotate(good, base: .infinity) }
        expectInputError("--base", "too close to 0") { _ = try RotaryEmbedding(dimension: 64, base: 1e-306) }
        expectInputError("--d-model", "even", "5") { _ = try RotaryEmbedding(dimension: 5) }
        expectInputError("--d-model", "0") { _ = try RotaryEmbedding(dimension: 0) }

        let rope = try RotaryEmbedding(dimension: 4)
        expectInputError("X", "6 dimensions", "4") { _ = try rope.rotate(Matrix(rows: 1, columns: 6)) }
        expectInputError("vector", "3 values") { _ = try rope.rotate(vector: [1, 2, 3], position: 0) }
        expectInputError("position", "-1") { _ = try rope.rotate(vector: [1, 2, 3, 4], position: -1) }
        expectInputError("key", "2 values") { _ = try rope.scores(query: [1, 2, 3, 4], key: [1, 2], positions: 0..<3) }
        expectInputError("--positions", "50000000") { _ = try rope.scores(query: [1, 2, 3, 4], key: [1, 2, 3, 4], positions: 0..<10_000) }
        expectInputError("--max-distance", "-1") { _ = try rope.relativeScores(query: [1, 2, 3, 4], key: [1, 2, 3, 4], maxDistance: -1) }
    }

    @Test func tensorEntryPointRotatesLikeTheMatrixOne() throws {
        let x = Tensor(shape: [3, 8], values: Self.normals(24, seed: 8))
        let (embedding, rotated) = try RotaryEmbedding.rotate(tensor: x, source: "X.npy", offset: 5, base: 500, convention: .interleaved)
        #expect(embedding == (try RotaryEmbedding(dimension: 8, base: 500, convention: .interleaved)))
        #expect(rotated == (try embedding.rotate(x.matrix(at: []), offset: 5)))
    }

    // MARK: Independent reference

    /// `Fixtures/pe_rope_reference.py`: Hugging Face style rotate_half and Meta style complex
    /// multiplication in NumPy float64, for d = 2, 8, 64, three bases, offsets 0, 5, 1000.
    @Test func matchesTheNumPyReference() throws {
        let document = try JSONValue.read(path: try Fixture.path("pe_rope_reference.json"))
        let groups = try #require(document["rope"]?.array)
        #expect(groups.count == 3)
        var checked = 0
        for group in groups {
            let d = Int(try #require(group["d"]?.number))
            let x = try ReferenceValues.matrix(try #require(group["x"]))
            #expect(x.columns == d)
            for item in try #require(group["cases"]?.array) {
                let base = try #require(item["base"]?.number)
                let offset = Int(try #require(item["offset"]?.number))
                let name = try #require(item["convention"]?.string)
                let convention = try #require(RotaryEmbedding.Convention(rawValue: name))
                let what = "d \(d), base \(base), offset \(offset), \(name)"
                let (embedding, rotated) = try RotaryEmbedding.rotate(
                    tensor: Tensor(x), source: "reference", offset: offset, base: base, convention: convention)
                let theta = try #require(item["theta"]?.array).map { try #require($0.number) }
                #expect(theta.count == embedding.theta.count, "\(what): theta count")
                for (actual, expected) in zip(embedding.theta, theta) {
                    #expect(abs(actual - expected) <= 1e-12 * expected, "\(what): theta \(actual) vs \(expected)")
                }
                ReferenceValues.expectClose(rotated, try ReferenceValues.matrix(try #require(item["rotated"])), what)
                checked += 1
            }
        }
        #expect(checked == 54)
    }
}
