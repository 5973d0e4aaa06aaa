import Foundation
import Testing
@testable import AttentionKernels
import TransformerMath

@Suite struct VectorMathTests {
    @Test func doubleExpMatchesLibmAcrossTheRange() {
        // Every 0.0137 from −708 to 0, plus the exact points where the reduction changes k.
        var xs = stride(from: -708.0, through: 0, by: 0.0137).map { $0 }
        xs += [0, -0.5 * log(2.0), -log(2.0), -1e-300, -700.25]
        var buffer = xs
        let sum = buffer.withUnsafeMutableBufferPointer { VectorMath.exponentiate($0.baseAddress!, count: xs.count, shift: 0) }
        var worst = 0.0
        for (x, e) in zip(xs, buffer) { worst = max(worst, abs(e - Foundation.exp(x)) / Foundation.exp(x)) }
        #expect(worst < 1e-14, "largest relative error \(worst)")
        let expected = xs.map { Foundation.exp($0) }.reduce(0, +)
        #expect(abs(sum - expected) / expected < 1e-13)
    }

    @Test func floatExpMatchesLibmAcrossTheRange() {
        let xs = stride(from: -87.0, through: 0, by: 0.0011).map { Float($0) }
        var buffer = xs
        _ = buffer.withUnsafeMutableBufferPointer { VectorMath.exponentiate($0.baseAddress!, count: xs.count, shift: 0) }
        var worst = 0.0
        for (x, e) in zip(xs, buffer) {
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(e) - exact) / exact)
        }
        #expect(worst < 3e-7, "largest relative error \(worst)")
    }

    @Test func maximumAndSumMatchTheScalarLoops() {
        for count in [0, 1, 3, 4, 7, 8, 9, 33] {
            let values: [Double] = (0..<count).map { i in
                let base = Double((i * 37) % 11) - 5.5
                return i % 3 == 2 ? -.infinity : base
            }
            let doubles = values.withUnsafeBufferPointer { VectorMath.maximum($0.baseAddress!, count: count) }
            #expect(doubles == (values.max() ?? -.infinity))
            let floats = values.map(Float.init)
            let m = floats.withUnsafeBufferPointer { VectorMath.maximum($0.baseAddress!, count: count) }
            #expect(m == (floats.max() ?? -.infinity))
            let finite = values.map { $0.isFinite ? $0 : 0.25 }
            let sum = finite.withUnsafeBufferPointer { VectorMath.sum($0.baseAddress!, count: count) }
            #expect(abs(sum - finite.reduce(0, +)) < 1e-12)
        }
    }

    @Test func shiftIsSubtractedAndMinusInfinityGivesAlmostZero() {
        var buffer: [Double] = [5, 4, -.infinity, 5, 3, 2, 1]
        let sum = buffer.withUnsafeMutableBufferPointer { VectorMath.exponentiate($0.baseAddress!, count: 7, shift: 5) }
        let expected = [1, exp(-1.0), 0, 1, exp(-2.0), exp(-3.0), exp(-4.0)]
        for (a, b) in zip(buffer, expected) { #expect(abs(a - b) < 1e-15) }
        #expect(abs(sum - expected.reduce(0, +)) < 1e-14)
    }
}

@Suite struct BlockedAttentionTests {
    /// Seeded normal matrix.
    func random(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        return Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in generator.nextNormal() })
    }

    func largestDifference(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    /// 300 queries cross four block edges (blocks of 64 rows).
    static let masks: [AttentionMask] = [.none, .causal, .padding(validKeys: 170, of: 300),
        AttentionMask(isCausal: true, visibleKeys: (0..<300).map { $0 % 7 != 3 })]

    @Test(arguments: masks) func doubleOutputMatchesTheReference(mask: AttentionMask) throws {
        let q = random(300, 16, seed: 1), k = random(300, 16, seed: 2), v = random(300, 8, seed: 3)
        let reference = try AttentionSteps(q: q, k: k, v: v, mask: mask)
        let out = try BlockedAttention.output(
            q: DenseMatrix<Double>(q), k: DenseMatrix<Double>(k), v: DenseMatrix<Double>(v), mask: mask)
        #expect(out.rows == 300 && out.columns == 8)
        #expect(largestDifference(out.values, reference.output!.values) < 1e-12)
    }

    @Test(arguments: masks) func floatOutputMatchesTheReference(mask: AttentionMask) throws {
        let q = random(300, 16, seed: 4), k = random(300, 16, seed: 5), v = random(300, 8, seed: 6)
        let reference = try AttentionSteps(q: q, k: k, v: v, mask: mask)
        let out = try BlockedAttention.output(
            q: DenseMatrix<Float>(q), k: DenseMatrix<Float>(k), v: DenseMatrix<Float>(v), mask: mask)
        #expect(largestDifference(out.values.map(Double.init), reference.output!.values) < 2e-5)
    }

    @Test func handWorkedSingleQuery() throws {
        // q = [1, 0], keys [1, 0] and [0, 1], d_k = 2: weights 1/(1 + e^(−1/√2)) and the rest; values 10 and 20.
        let w0 = 1 / (1 + exp(-1 / 2.0.squareRoot()))
        let q = DenseMatrix<Double>(Matrix([[1, 0]]))
        let k = DenseMatrix<Double>(Matrix([[1, 0], [0, 1]]))
        let v = DenseMatrix<Double>(Matrix([[10], [20]]))
        let out = try BlockedAttention.output(q: q, k: k, v: v)
        let expected: Double = 10 * w0 + 20 * (1 - w0)
        #expect(abs(out.values[0] - expected) < 1e-13)
    }

    @Test func oneWorkerAndManyGiveIdenticalBits() throws {
        let q = DenseMatrix<Float>(random(500, 32, seed: 7)), k = DenseMatrix<Float>(random(500, 32, seed: 8))
        let v = DenseMatrix<Float>(random(500, 32, seed: 9))
        let one = try BlockedAttention.output(q: q, k: k, v: v, mask: .causal, workers: 1)
        let many = try BlockedAttention.output(q: q, k: k, v: v, mask: .causal, workers: 4)
        #expect(one == many)
    }

    @Test func performedFlopsCountTheBlocksAboveTheDiagonalOut() {
        // Square, no mask: exactly 4·n·m·d for d = d_v.
        #expect(BlockedAttention.performedFlops(queries: 300, keys: 300, keyDimension: 64, valueDimension: 64, causal: false) == 4 * 300 * 300 * 64)
        // Causal with blocks of 64 rows: block b sees 64(b + 1) keys, the last one all 300.
        let blocks = [64, 128, 192, 256, 300].map { Double($0) }
        let expected = zip([64.0, 64, 64, 64, 44], blocks).map { $0 * $1 * 256 }.reduce(0, +)
        #expect(BlockedAttention.performedFlops(queries: 300, keys: 300, keyDimension: 64, valueDimension: 64, causal: true) == expected)
    }

    @Test func shapeAndMaskErrors() {
        let q = DenseMatrix<Double>(random(4, 3, seed: 1)), k = DenseMatrix<Double>(random(5, 2, seed: 2))
        let v = DenseMatrix<Double>(random(5, 2, seed: 3))
        #expect(throws: AttentionError.self) { try BlockedAttention.output(q: q, k: k, v: v) }
        let k3 = DenseMatrix<Double>(random(5, 3, seed: 2)), v4 = DenseMatrix<Double>(random(4, 2, seed: 3))
        #expect(throws: AttentionError.self) { try BlockedAttention.output(q: q, k: k3, v: v4) }
        let hidden = AttentionMask(visibleKeys: [Bool](repeating: false, count: 5))
        #expect(throws: AttentionError.fullyMasked(row: 0)) { try BlockedAttention.output(q: q, k: k3, v: v, mask: hidden) }
        #expect(throws: AttentionError.self) { try PooledAttention(q: q, k: k3, factor: 0) }
    }
}

@Suite struct PooledAttentionTests {
    /// Pools the reference weights the slow way: every block, every cell.
    func pooledReference(
        _ weights: Matrix, mask: AttentionMask, factor f: Int, pooling: PooledAttention.Pooling
    ) -> (values: [Double], masked: [Bool]) {
        let pr = (weights.rows + f - 1) / f, pc = (weights.columns + f - 1) / f
        var values: [Double] = [], masked: [Bool] = []
        for R in 0..<pr {
            for C in 0..<pc {
                var cells: [Double] = []
                for r in (R * f)..<min(weights.rows, (R + 1) * f) {
                    for c in (C * f)..<min(weights.columns, (C + 1) * f) where !mask.masks(query: r, key: c) {
                        cells.append(weights[r, c])
                    }
                }
                masked.append(cells.isEmpty)
                if cells.isEmpty { values.append(0); continue }
                values.append(pooling == .max ? cells.max()! : cells.reduce(0, +) / Double(cells.count))
            }
        }
        return (values, masked)
    }

    static let cases: [(AttentionMask, PooledAttention.Pooling)] = [
        (.causal, .max), (.causal, .mean), (.none, .max), (.padding(validKeys: 41, of: 61), .mean),
        (AttentionMask(isCausal: true, visibleKeys: (0..<61).map { $0 % 5 != 1 }), .max),
    ]

    @Test(arguments: cases) func poolingMatchesTheFullMatrix(mask: AttentionMask, pooling: PooledAttention.Pooling) throws {
        // 53 × 61 with blocks of 7: ragged last blocks on both axes, causal blocks fully, partly and not masked.
        var g = SeededGenerator(seed: 11)
        let q = Matrix(rows: 53, columns: 8, values: (0..<(53 * 8)).map { _ in g.nextNormal() * 2 })
        let k = Matrix(rows: 61, columns: 8, values: (0..<(61 * 8)).map { _ in g.nextNormal() * 2 })
        let reference = try AttentionSteps(q: q, k: k, mask: mask)
        let expected = pooledReference(reference.weights, mask: mask, factor: 7, pooling: pooling)
        let pooled = try PooledAttention(q: DenseMatrix<Double>(q), k: DenseMatrix<Double>(k), mask: mask, factor: 7, pooling: pooling)
        #expect(pooled.values.rows == 8 && pooled.values.columns == 9)
        #expect(pooled.fullyMasked == expected.masked)
        let worst = zip(pooled.values.values, expected.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-13)
        if mask == .causal { #expect(pooled.fullyMasked.contains(true)) }
    }

    @Test func factorOneIsTheWeightsThemselves() throws {
        var g = SeededGenerator(seed: 3)
        let q = Matrix(rows: 20, columns: 4, values: (0..<80).map { _ in g.nextNormal() })
        let k = Matrix(rows: 20, columns: 4, values: (0..<80).map { _ in g.nextNormal() })
        let reference = try AttentionSteps(q: q, k: k, mask: .causal)
        let pooled = try PooledAttention(q: DenseMatrix<Double>(q), k: DenseMatrix<Double>(k), mask: .causal, factor: 1, pooling: .mean)
        #expect(zip(pooled.values.values, reference.weights.values).allSatisfy { abs($0 - $1) < 1e-14 })
    }

    @Test func workersDoNotChangeTheResult() throws {
        var g = SeededGenerator(seed: 5)
        let q = DenseMatrix<Double>(Matrix(rows: 700, columns: 16, values: (0..<(700 * 16)).map { _ in g.nextNormal() }))
        let k = DenseMatrix<Double>(Matrix(rows: 700, columns: 16, values: (0..<(700 * 16)).map { _ in g.nextNormal() }))
        let one = try PooledAttention(q: q, k: k, mask: .causal, factor: 3, workers: 1)
        let many = try PooledAttention(q: q, k: k, mask: .causal, factor: 3, workers: 3)
        #expect(one == many)
    }
}
