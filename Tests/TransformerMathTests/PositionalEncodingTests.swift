import Foundation
import Testing

@testable import TransformerMath

@Suite struct PositionalEncodingTests {
    // MARK: Closed forms

    @Test func positionZeroIsSineZeroCosineOne() throws {
        for d in [2, 4, 10, 64] {
            let pe = try PositionalEncoding.sinusoidal(positions: 3, dModel: d)
            let expected = (0..<d).map { $0 % 2 == 0 ? 0.0 : 1.0 }
            #expect(pe.table.row(0) == expected, "D = \(d)")
        }
    }

    @Test func firstDimensionTurnsOneRadianPerPosition() throws {
        let pe = try PositionalEncoding.sinusoidal(positions: 2, dModel: 8)
        #expect(pe.table[1, 0] == sin(1.0))
        #expect(pe.table[1, 1] == cos(1.0))
    }

    /// D = 4, base 10000, position 3: pair 0 turns by 3 / 10000^0 = 3 rad, pair 1 by 3 / 10000^(2/4) = 0.03 rad.
    @Test func handWorkedValueAtPositionThree() throws {
        let pe = try PositionalEncoding.sinusoidal(positions: 4, dModel: 4, base: 10_000)
        // sin 3, cos 3, sin 0.03 = 0.03 − 0.03³/6 + 0.03⁵/120, cos 0.03 = 1 − 0.03²/2 + 0.03⁴/24 − …
        let expected = [0.1411200080598672, -0.9899924966004454, 0.029995500202495664, 0.9995500337489875]
        for (c, value) in expected.enumerated() {
            #expect(abs(pe.table[3, c] - value) <= 1e-15, "column \(c): \(pe.table[3, c])")
        }
    }

    @Test func anyPositiveBaseWorks() throws {
        for base in [0.5, 1, 2, 100, 500_000] {
            let pe = try PositionalEncoding.sinusoidal(positions: 5, dModel: 6, base: base)
            #expect(pe.base == base && pe.kind == .sinusoidal && pe.seed == nil)
            for pos in 0..<5 {
                for i in 0..<3 {
                    let angle = Double(pos) / pow(base, Double(2 * i) / 6)
                    #expect(pe.table[pos, 2 * i] == sin(angle) && pe.table[pos, 2 * i + 1] == cos(angle), "base \(base)")
                }
            }
        }
        // Base 1: every pair turns at one radian per position.
        let flat = try PositionalEncoding.sinusoidal(positions: 4, dModel: 6, base: 1)
        let (s3, c3) = (sin(3.0), cos(3.0))
        let expectedRow: [Double] = [s3, c3, s3, c3, s3, c3]
        #expect(flat.table.row(3) == expectedRow)
    }

    @Test func frequenciesAndWavelengths() throws {
        #expect(try PositionalEncoding.wavelength(dimension: 0, dModel: 4) == 2 * .pi)
        #expect(try PositionalEncoding.wavelength(dimension: 1, dModel: 4) == 2 * .pi)
        #expect(abs(try PositionalEncoding.wavelength(dimension: 3, dModel: 4) - 200 * .pi) <= 1e-12)
        #expect(try PositionalEncoding.angularFrequency(dimension: 0, dModel: 64) == 1)
        #expect(abs(try PositionalEncoding.angularFrequency(dimension: 2, dModel: 4) - 0.01) <= 1e-17)
        // The last pair of D = 512 has the longest wavelength, 2π · 10000^(510/512), just under 2π · 10⁴.
        let longest = try PositionalEncoding.wavelength(dimension: 511, dModel: 512)
        #expect(abs(longest - 2 * .pi * pow(10_000, 510.0 / 512)) <= 1e-9 * longest)
        for j in [0, 1, 5, 30, 63] {
            let omega = try PositionalEncoding.angularFrequency(dimension: j, dModel: 64, base: 300)
            let lambda = try PositionalEncoding.wavelength(dimension: j, dModel: 64, base: 300)
            #expect(abs(omega * lambda - 2 * .pi) <= 1e-12, "dimension \(j)")
        }
    }

    // MARK: Similarity

    @Test func sinusoidalSimilarityDependsOnlyOnTheDistance() throws {
        let d = 16, base = 10_000.0, maxOffset = 40
        let pe = try PositionalEncoding.sinusoidal(positions: 200, dModel: d, base: base)
        let closed = try PositionalEncoding.sinusoidalSimilarity(maxOffset: maxOffset, dModel: d, base: base)
        #expect(closed.count == maxOffset + 1)
        #expect(abs(closed[0] - Double(d / 2)) <= 1e-12)
        for k in 0...maxOffset {
            let sum = (0..<(d / 2)).reduce(0.0) { $0 + cos(Double(k) / pow(base, Double(2 * $1) / Double(d))) }
            #expect(abs(closed[k] - sum) <= 1e-12, "k = \(k)")
        }
        for p in [0, 1, 17, 100, 159] {
            let curve = try pe.similarity(from: p, maxOffset: maxOffset)
            for k in 0...maxOffset {
                #expect(abs(curve[k] - closed[k]) <= 1e-9 * Double(d), "p = \(p), k = \(k): \(curve[k]) vs \(closed[k])")
            }
        }
    }

    @Test func learnedSimilarityDependsOnThePosition() throws {
        let pe = try PositionalEncoding.learned(positions: 64, dModel: 32, seed: 11)
        let first = try pe.similarity(from: 0, maxOffset: 10), later = try pe.similarity(from: 20, maxOffset: 10)
        #expect(first.count == 11)
        #expect(first != later)
        let row0 = pe.table.row(0), row3 = pe.table.row(3)
        #expect(abs(first[3] - zip(row0, row3).reduce(0) { $0 + $1.0 * $1.1 }) <= 1e-12)
        #expect(abs(first[0] - row0.reduce(0) { $0 + $1 * $1 }) <= 1e-12)
    }

    // MARK: Learned table

    @Test func learnedTableIsSeededAndScaled() throws {
        let a = try PositionalEncoding.learned(positions: 200, dModel: 100, seed: 5)
        let b = try PositionalEncoding.learned(positions: 200, dModel: 100, seed: 5)
        let c = try PositionalEncoding.learned(positions: 200, dModel: 100, seed: 6)
        #expect(a == b)
        #expect(a.table != c.table)
        #expect(a.kind == .learned && a.seed == 5 && a.base == nil)
        #expect(a.positions == 200 && a.dModel == 100)
        // Row-major draws from SeededGenerator, times 1/√2.
        var generator = SeededGenerator(seed: 5)
        #expect(a.table.values.prefix(10).elementsEqual((0..<10).map { _ in generator.nextNormal() * 0.5.squareRoot() }))
        // 20,000 draws: mean 0 ± 4σ/√n, mean square 1/2 (like a sinusoid) within a few percent.
        let n = Double(a.table.values.count)
        let mean = a.table.values.reduce(0, +) / n
        let meanSquare = a.table.values.reduce(0) { $0 + $1 * $1 } / n
        #expect(abs(mean) < 4 * 0.5.squareRoot() / n.squareRoot())
        #expect(abs(meanSquare - 0.5) < 0.03)
        let sinusoidal = try PositionalEncoding.sinusoidal(positions: 200, dModel: 100)
        let sinusoidalMeanSquare = sinusoidal.table.values.reduce(0) { $0 + $1 * $1 } / n
        #expect(abs(sinusoidalMeanSquare - 0.5) < 1e-12)
    }

    @Test func theDefaultSeedIsFixed() throws {
        let a = try PositionalEncoding.learned(positions: 3, dModel: 4)
        let b = try PositionalEncoding.learned(positions: 3, dModel: 4, seed: PositionalEncoding.defaultSeed)
        #expect(a == b)
    }

    // MARK: Errors

    @Test func invalidShapesAndBasesAreErrors() {
        expectInputError("--positions", "at least 1", "0") { _ = try PositionalEncoding.sinusoidal(positions: 0, dModel: 4) }
        expectInputError("--positions", "-3") { _ = try PositionalEncoding.learned(positions: -3, dModel: 4) }
        expectInputError("--d-model", "even", "7") { _ = try PositionalEncoding.sinusoidal(positions: 4, dModel: 7) }
        expectInputError("--d-model", "0") { _ = try PositionalEncoding.sinusoidal(positions: 4, dModel: 0) }
        expectInputError("--d-model", "even") { _ = try PositionalEncoding.learned(positions: 4, dModel: 3) }
        expectInputError("--base", "positive", "-2") { _ = try PositionalEncoding.sinusoidal(positions: 4, dModel: 4, base: -2) }
        expectInputError("--base", "0") { _ = try PositionalEncoding.sinusoidal(positions: 4, dModel: 4, base: 0) }
        expectInputError("--base", "nan") { _ = try PositionalEncoding.sinusoidal(positions: 4, dModel: 4, base: .nan) }
        expectInputError("--base", "inf") { _ = try PositionalEncoding.sinusoidal(positions: 4, dModel: 4, base: .infinity) }
        expectInputError("--base", "too small") {
            _ = try PositionalEncoding.sinusoidal(positions: 2, dModel: 64, base: .leastNonzeroMagnitude)
        }
        expectInputError("--scale") { _ = try PositionalEncoding.learned(positions: 2, dModel: 2, scale: 0) }
    }

    @Test func tablesTooLargeAreRefusedBeforeAllocation() {
        expectInputError("--positions", "100000 positions × 1000 dimensions", "50000000") {
            _ = try PositionalEncoding.sinusoidal(positions: 100_000, dModel: 1000)
        }
        expectInputError("--positions") { _ = try PositionalEncoding.learned(positions: Int.max, dModel: 4) }
        #expect(throws: Never.self) { try PositionalEncoding.validate(positions: 25_000_000, dModel: 2) }
    }

    @Test func helperArgumentsOutOfRangeAreErrors() throws {
        expectInputError("--dims", "8", "0 ..< 8") { _ = try PositionalEncoding.wavelength(dimension: 8, dModel: 8) }
        expectInputError("--dims", "-1") { _ = try PositionalEncoding.angularFrequency(dimension: -1, dModel: 8) }
        expectInputError("--d-model") { _ = try PositionalEncoding.wavelength(dimension: 0, dModel: 5) }
        expectInputError("--max-offset", "-1") { _ = try PositionalEncoding.sinusoidalSimilarity(maxOffset: -1, dModel: 4) }
        let pe = try PositionalEncoding.sinusoidal(positions: 10, dModel: 4)
        expectInputError("--positions", "position 5 + offset 5", "10 positions") { _ = try pe.similarity(from: 5, maxOffset: 5) }
        expectInputError("--positions") { _ = try pe.similarity(from: -1, maxOffset: 2) }
        #expect(try pe.similarity(from: 5, maxOffset: 4).count == 5)
    }

    // MARK: Independent reference

    /// `Fixtures/pe_rope_reference.py`: NumPy float64 written from the contract's formulas.
    @Test func matchesTheNumPyReference() throws {
        let document = try JSONValue.read(path: try Fixture.path("pe_rope_reference.json"))
        let cases = try #require(document["pe"]?.array)
        #expect(cases.count >= 5)
        for item in cases {
            let positions = Int(try #require(item["positions"]?.number))
            let d = Int(try #require(item["d_model"]?.number))
            let base = try #require(item["base"]?.number)
            let expected = try ReferenceValues.matrix(try #require(item["encoding"]))
            let pe = try PositionalEncoding.sinusoidal(positions: positions, dModel: d, base: base)
            ReferenceValues.expectClose(pe.table, expected, "P = \(positions), D = \(d), base \(base)")
        }
    }
}

/// Reading and comparing the matrices of `pe_rope_reference.json`.
enum ReferenceValues {
    /// Agreement asked of the NumPy reference: |actual − expected| ≤ 1e-9 · max(|expected|, 1).
    /// Every value is a sine, a cosine or a rotated N(0, 1) entry, so 1 is the natural unit below |x| = 1.
    static let tolerance = 1e-9

    /// A nested JSON array of numbers as a matrix.
    static func matrix(_ value: JSONValue) throws -> Matrix {
        let rows = try #require(value.array).map { row in try #require(row.array).map { try #require($0.number) } }
        return Matrix(rows)
    }

    /// Expects the same shape and every value within ``tolerance``.
    static func expectClose(_ actual: Matrix, _ expected: Matrix, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.rows == expected.rows && actual.columns == expected.columns, "\(what): shape", sourceLocation: sourceLocation)
        guard actual.values.count == expected.values.count else { return }
        let allFinite = actual.values.allSatisfy { $0.isFinite }
        #expect(allFinite, "\(what): non-finite values", sourceLocation: sourceLocation)
        let worst = zip(actual.values, expected.values).enumerated().max { lhs, rhs in
            error(lhs.element) < error(rhs.element)
        }
        if let worst {
            #expect(
                error(worst.element) <= tolerance,
                "\(what): value \(worst.offset) is \(worst.element.0), expected \(worst.element.1)", sourceLocation: sourceLocation)
        }
    }

    private static func error(_ pair: (Double, Double)) -> Double {
        abs(pair.0 - pair.1) / max(abs(pair.1), 1)
    }
}
