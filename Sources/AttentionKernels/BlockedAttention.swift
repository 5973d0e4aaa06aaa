import Foundation
import TransformerMath

/// Scaled dot-product attention computed a block of query rows at a time: the block's scores
/// come from one BLAS matrix product, are turned into softmax weights in place and are used at
/// once, so at most `blockRows × m` scores exist per worker and never the whole `n × m` matrix.
///
/// Under a causal mask a block of rows `r0 ..< r1` needs only keys `0 ..< r1`: the blocks above the
/// diagonal are never computed, which halves the work of a square causal pattern.
public enum BlockedAttention {
    /// The largest number of scores one worker holds at a time (4 M, 32 MB in Double).
    static let scoresPerWorker = 1 << 22
    /// Query rows per block, unless the keys are so many that fewer rows fill the budget.
    static let preferredBlockRows = 64

    /// softmax(Q·Kᵀ/√d_k, masked)·V. Q is `[n, d_k]`, K `[m, d_k]`, V `[m, d_v]`; the result is `[n, d_v]`.
    /// The work is split over `workers` threads (default: one per core), each calling BLAS on one thread.
    public static func output<T: AttentionScalar>(
        q: DenseMatrix<T>, k: DenseMatrix<T>, v: DenseMatrix<T>, mask: AttentionMask = .none, workers: Int? = nil
    ) throws(AttentionError) -> DenseMatrix<T> {
        try checkShapes(q: q, k: k, mask: mask)
        guard v.rows == k.rows else {
            throw AttentionError.dimensions("V has \(v.rows) rows but K has \(k.rows); each key needs one value row")
        }
        let n = q.rows, dv = v.columns
        let blockRows = blockRows(keys: k.rows)
        let blocks = (n + blockRows - 1) / blockRows
        var out = [T](repeating: 0, count: n * dv)
        let failure = FirstFailure()
        out.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let target = SharedPointer(base: base)
            forEachWorker(workers, tasks: blocks) { nextTask in
                let scratch = Scratch<T>(blockRows: blockRows, keys: k.rows)
                while let block = nextTask() {
                    let rows = (block * blockRows)..<min(n, (block + 1) * blockRows)
                    do throws(AttentionError) {
                        let keyEnd = try weights(q: q, k: k, rows: rows, mask: mask, into: scratch)
                        let o = target.base + rows.lowerBound * dv
                        v.values.withUnsafeBufferPointer { pv in
                            guard let pv = pv.baseAddress else { return }
                            T.multiply(
                                m: rows.count, n: dv, k: keyEnd, alpha: 1, a: scratch.scores, lda: keyEnd,
                                b: pv, ldb: dv, transposeB: false, beta: 0, c: o, ldc: dv)
                        }
                        for offset in 0..<rows.count {
                            let inverse = 1 / scratch.sums[offset]
                            for c in 0..<dv { o[offset * dv + c] *= inverse }
                        }
                    } catch {
                        failure.record(error)
                    }
                }
            }
        }
        if let error = failure.error { throw error }
        return try DenseMatrix(rows: n, columns: dv, values: out)
    }

    /// The floating-point operations `output` performs: both matrix products over the keys each
    /// block of rows sees (2 per multiply-add); under a causal mask about half of 4·n·m·d.
    public static func performedFlops(queries n: Int, keys m: Int, keyDimension d: Int, valueDimension dv: Int, causal: Bool) -> Double {
        let blockRows = blockRows(keys: m)
        var total = 0.0
        for start in stride(from: 0, to: n, by: blockRows) {
            let end = min(n, start + blockRows)
            let keyEnd = causal ? min(m, end) : m
            total += Double(end - start) * Double(keyEnd) * Double(2 * d + 2 * dv)
        }
        return total
    }

    /// Checks that Q and K fit each other and the mask.
    static func checkShapes<T>(q: DenseMatrix<T>, k: DenseMatrix<T>, mask: AttentionMask) throws(AttentionError) {
        guard q.columns == k.columns else {
            throw AttentionError.dimensions("Q has d_k = \(q.columns) but K has d_k = \(k.columns); they must match")
        }
        guard q.columns > 0, q.rows > 0, k.rows > 0 else {
            throw AttentionError.dimensions("Q is \(q.rows) × \(q.columns) and K is \(k.rows) × \(k.columns); neither may be empty")
        }
        if let visible = mask.visibleKeys, visible.count != k.rows {
            throw AttentionError.dimensions("the key mask has \(visible.count) entries but K has \(k.rows) keys")
        }
    }

    /// Rows per block so that one block's scores stay within `scoresPerWorker`.
    static func blockRows(keys: Int) -> Int {
        max(1, min(preferredBlockRows, scoresPerWorker / max(1, keys)))
    }

    /// The unnormalised softmax weights of `rows`: `scratch.scores` receives, row after row with
    /// stride `keyEnd`, exp(score − row maximum) for keys `0 ..< keyEnd` and exactly 0 where masked;
    /// `scratch.sums` receives each row's total. Returns `keyEnd`, the keys any of the rows can see.
    static func weights<T: AttentionScalar>(
        q: DenseMatrix<T>, k: DenseMatrix<T>, rows: Range<Int>, mask: AttentionMask, into scratch: Scratch<T>
    ) throws(AttentionError) -> Int {
        let m = k.rows, d = q.columns
        let keyEnd = mask.isCausal ? min(m, rows.upperBound) : m
        let scale = 1 / T(d).squareRoot()
        q.values.withUnsafeBufferPointer { pq in
            k.values.withUnsafeBufferPointer { pk in
                guard let pq = pq.baseAddress, let pk = pk.baseAddress else { return }
                T.multiply(
                    m: rows.count, n: keyEnd, k: d, alpha: scale, a: pq + rows.lowerBound * d, lda: d,
                    b: pk, ldb: d, transposeB: true, beta: 0, c: scratch.scores, ldc: keyEnd)
            }
        }
        for (offset, row) in rows.enumerated() {
            let line = scratch.scores + offset * keyEnd
            // Causal: keys after the query are masked, and they are a suffix of the row.
            let seen = mask.isCausal ? min(keyEnd, row + 1) : keyEnd
            var maximum = -T.infinity
            if let visible = mask.visibleKeys {
                for c in 0..<seen where visible[c] { maximum = max(maximum, line[c]) }
                for c in 0..<seen where !visible[c] { line[c] = -T.infinity }
            } else {
                maximum = T.maximum(line, count: seen)
            }
            guard maximum > -T.infinity else { throw AttentionError.fullyMasked(row: row) }
            // A masked key comes out of the exp pass as the smallest normal number (≤ 1e-37), far
            // below the rounding of a sum that holds the maximum's 1; it is then set to exactly 0.
            scratch.sums[offset] = T.exponentiate(line, count: seen, shift: maximum)
            if let visible = mask.visibleKeys {
                for c in 0..<seen where !visible[c] { line[c] = 0 }
            }
            (line + seen).update(repeating: 0, count: keyEnd - seen)
        }
        return keyEnd
    }

    /// Runs `body` on `workers` threads (default: one per core); each pulls task indices
    /// `0 ..< tasks` from a shared counter until they run out. BLAS is kept to one thread per call.
    static func forEachWorker(_ workers: Int?, tasks: Int, body: @Sendable (_ nextTask: () -> Int?) -> Void) {
        let count = max(1, min(tasks, workers ?? ProcessInfo.processInfo.activeProcessorCount))
        BLASThreads.set(1)
        let counter = TaskCounter(limit: tasks)
        DispatchQueue.concurrentPerform(iterations: count) { _ in
            body { counter.next() }
        }
    }
}

/// A pointer shared by workers that write disjoint parts of one buffer.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// One worker's scores of a block of rows and their softmax sums; freed with the worker.
final class Scratch<T: AttentionScalar> {
    let scores: UnsafeMutablePointer<T>
    let sums: UnsafeMutablePointer<T>

    init(blockRows: Int, keys: Int) {
        scores = .allocate(capacity: blockRows * keys)
        sums = .allocate(capacity: blockRows)
    }

    deinit {
        scores.deallocate()
        sums.deallocate()
    }
}

/// Hands out task indices `0 ..< limit` to workers, each exactly once.
final class TaskCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// The first error any worker met.
final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: AttentionError?

    func record(_ failure: AttentionError) {
        lock.lock()
        defer { lock.unlock() }
        if error == nil { error = failure }
    }
}
