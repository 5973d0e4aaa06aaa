import Foundation
import Testing
@testable import TransformerMath

@Suite struct AttentionTests {
    /// Entry-wise |a − b| ≤ tolerance.
    func near(_ a: [Double], _ b: [Double], _ tolerance: Double) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    @Test func softmaxOfTwoOneZeroIsTheHandWorkedValue() throws {
        // e² : e¹ : e⁰ normalised = 0.66524, 0.24473, 0.09003 (4 decimals from the formula by hand).
        let w = try AttentionSteps.softmax(Matrix([[2, 1, 0]]))
        #expect(near(w.values, [0.6652, 0.2447, 0.0900], 5e-5))
        let e = [exp(2.0), exp(1.0), 1.0], sum = e.reduce(0, +)
        #expect(near(w.values, e.map { $0 / sum }, 1e-15))
    }

    @Test func softmaxIsStableForHugeScores() throws {
        let w = try AttentionSteps.softmax(Matrix([[1000, 999, -1000]]))
        #expect(w.values.allSatisfy { $0.isFinite })
        #expect(abs(w.values[0] - 1 / (1 + exp(-1.0))) < 1e-15)
        #expect(w.values[2] == 0)
    }

    @Test func handWorkedAttention() throws {
        // q = [1, 0], keys [1, 0] and [0, 1], d_k = 2: scores 1 and 0, scaled 1/√2 and 0.
        let steps = try AttentionSteps(q: Matrix([[1, 0]]), k: Matrix([[1, 0], [0, 1]]), v: Matrix([[10], [20]]))
        #expect(steps.scores.values == [1, 0])
        #expect(near(steps.scaled.values, [1 / 2.0.squareRoot(), 0], 1e-15))
        let a = exp(1 / 2.0.squareRoot())
        #expect(near(steps.weights.values, [a / (a + 1), 1 / (a + 1)], 1e-15))
        #expect(near(steps.output?.values ?? [], [10 * a / (a + 1) + 20 / (a + 1)], 1e-12))
    }

    func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
        var g = SeededGenerator(seed: seed)
        return Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in g.nextNormal() })
    }

    @Test(arguments: [(5, 5), (3, 8), (8, 3)])
    func rowsSumToOneAndCausalEntriesAreExactlyZero(n: Int, m: Int) throws {
        let q = randomMatrix(n, 4, seed: 1), k = randomMatrix(m, 4, seed: 2), v = randomMatrix(m, 3, seed: 3)
        for mask in [AttentionMask.none, .causal, .padding(validKeys: 2, of: m), AttentionMask(isCausal: true, visibleKeys: (0..<m).map { $0 != 1 })] {
            let steps = try AttentionSteps(q: q, k: k, v: v, mask: mask)
            #expect(steps.weights.rows == n && steps.weights.columns == m && steps.output?.rows == n && steps.output?.columns == 3)
            for i in 0..<n {
                let row = steps.weights.row(i)
                #expect(abs(row.reduce(0, +) - 1) < 1e-12, "row \(i) of \(mask.name)")
                for j in 0..<m where mask.masks(query: i, key: j) { #expect(row[j] == 0) }
                for j in 0..<m where !mask.masks(query: i, key: j) { #expect(row[j] > 0) }
            }
        }
    }

    @Test func patternsLargerThan4096SquaredAreRefusedBeforeAnythingIsComputed() throws {
        try AttentionSteps.checkSize(queries: 4096, keys: 4096, heads: 1)
        try AttentionSteps.checkSize(queries: 2048, keys: 2048, heads: 4)
        #expect(throws: AttentionError.self) { try AttentionSteps.checkSize(queries: 4097, keys: 4096, heads: 1) }
        #expect(throws: AttentionError.self) { try AttentionSteps.checkSize(queries: 2048, keys: 2049, heads: 4) }
        #expect(throws: AttentionError.self) { try AttentionSteps.checkSize(queries: Int.max / 2, keys: 3, heads: 1) }
        do {
            try AttentionSteps.checkSize(queries: 5000, keys: 4000, heads: 2)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("5000 queries × 4000 keys × 2 heads") && "\(error)".contains("16777216"))
        }
        // 5,000 × 5,000 one-dimensional queries and keys: refused from the shapes, before the
        // 25,000,000-cell score matrix would be made.
        let vectors = Matrix(rows: 5000, columns: 1, values: Array(repeating: 1, count: 5000))
        #expect(throws: AttentionError.self) { _ = try AttentionSteps(q: vectors, k: vectors) }
    }

    @Test func aFullyMaskedRowIsAnErrorNotNaN() {
        #expect(throws: AttentionError.fullyMasked(row: 0)) {
            try AttentionSteps(q: randomMatrix(2, 2, seed: 1), k: randomMatrix(3, 2, seed: 2), mask: AttentionMask(visibleKeys: [false, false, false]))
        }
    }

    @Test func mismatchedShapesAreErrors() {
        #expect(throws: AttentionError.self) { try AttentionSteps(q: randomMatrix(2, 3, seed: 1), k: randomMatrix(2, 4, seed: 2)) }
        #expect(throws: AttentionError.self) {
            try AttentionSteps(q: randomMatrix(2, 3, seed: 1), k: randomMatrix(2, 3, seed: 2), v: randomMatrix(3, 3, seed: 3))
        }
        #expect(throws: AttentionError.self) {
            try AttentionSteps(q: randomMatrix(2, 3, seed: 1), k: randomMatrix(2, 3, seed: 2), mask: AttentionMask(visibleKeys: [true]))
        }
    }

    @Test func multiHeadSplitsColumnsContiguously() throws {
        let x = randomMatrix(4, 6, seed: 9)
        let wq = randomMatrix(6, 6, seed: 10), wk = randomMatrix(6, 6, seed: 11), wv = randomMatrix(6, 6, seed: 12), wo = randomMatrix(6, 6, seed: 13)
        let multi = try MultiHeadAttention(x: x, wq: wq, wk: wk, wv: wv, wo: wo, heads: 3)
        #expect(multi.headDimension == 2)
        let q = x.multiplied(by: wq), k = x.multiplied(by: wk), v = x.multiplied(by: wv)
        var concat = Matrix(rows: 4, columns: 6)
        for h in 0..<3 {
            let cols = (2 * h)..<(2 * h + 2)
            let head = try AttentionSteps(q: q.slice(rows: 0..<4, columns: cols), k: k.slice(rows: 0..<4, columns: cols), v: v.slice(rows: 0..<4, columns: cols))
            #expect(near(multi.headSteps[h].weights.values, head.weights.values, 1e-12))
            for r in 0..<4 { for c in 0..<2 { concat[r, 2 * h + c] = head.output?[r, c] ?? .nan } }
        }
        #expect(near(multi.output.values, concat.multiplied(by: wo).values, 1e-12))
        let one = try MultiHeadAttention(x: x, wq: wq, wk: wk, wv: wv, heads: 1)
        #expect(near(one.output.values, try AttentionSteps(q: q, k: k, v: v).output?.values ?? [], 1e-12))
    }

    @Test func headCountsAndParameterCounts() throws {
        #expect(throws: AttentionError.self) {
            try MultiHeadAttention(x: randomMatrix(2, 8, seed: 1), wq: randomMatrix(8, 8, seed: 2), wk: randomMatrix(8, 8, seed: 3), wv: randomMatrix(8, 8, seed: 4), heads: 3)
        }
        #expect(throws: AttentionError.self) {
            try MultiHeadAttention(x: randomMatrix(2, 8, seed: 1), wq: randomMatrix(8, 4, seed: 2), wk: randomMatrix(8, 8, seed: 3), wv: randomMatrix(8, 8, seed: 4), heads: 2)
        }
        // BERT-base: d_model 768, 12 heads of 64; Q, K, V weights hold 3·768² = 1,769,472 numbers.
        #expect(768 / 12 == 64)
        let counts = MultiHeadAttention.parameterCounts(modelDimension: 768)
        #expect(counts.queryKeyValueWeights == 1_769_472)
        #expect(counts.outputWeights == 589_824)
        #expect(counts.total == 4 * 768 * 768 + 4 * 768)
    }

    @Test func toyAttentionIsSeededAndPortable() throws {
        let a = try ToyAttention(tokens: ["I", "am", "Chetan"], modelDimension: 8, heads: 2, seed: 7)
        let b = try ToyAttention(tokens: ["I", "am", "Chetan"], modelDimension: 8, heads: 2, seed: 7)
        let c = try ToyAttention(tokens: ["I", "am", "Chetan"], modelDimension: 8, heads: 2, seed: 8)
        #expect(a.attention.output == b.attention.output)
        #expect(a.attention.output != c.attention.output)
        // A token's embedding does not depend on the sentence around it.
        let other = try ToyAttention(tokens: ["Chetan", "is", "here"], modelDimension: 8, seed: 7)
        #expect(other.embeddings.row(0) == a.embeddings.row(2))
        // Row 0 of the positions is PE(0) = [0, 1, 0, 1, …].
        #expect(a.positions.row(0) == [0, 1, 0, 1, 0, 1, 0, 1])
        #expect(throws: InputError.self) { try ToyAttention(tokens: ["a"], modelDimension: 7) }
    }

    @Test func seededGeneratorMatchesSplitMix64() {
        // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var g = SeededGenerator(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        var n = SeededGenerator(seed: 42)
        let samples = (0..<20_000).map { _ in n.nextNormal() }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        // Standard errors: 1/√20000 ≈ 0.007 for the mean, ≈ 0.01 for the variance.
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.04)
    }
}
