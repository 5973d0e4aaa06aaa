internal import CBLAS

/// A floating-point type the attention kernels run in: `Double` (what figures and dumps use) or
/// `Float` (the precision inference code and NumPy users compute attention in).
public protocol AttentionScalar: BinaryFloatingPoint, Sendable {
    /// `c = alpha · a · op(b) + beta · c` for row-major buffers, `op(b)` = `bᵀ` when `transposeB`.
    /// `a` is `[m, k]`; `b` is `[n, k]` when transposed, else `[k, n]`; `c` is `[m, n]`.
    static func multiply(
        m: Int, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int, transposeB: Bool, beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

    /// Replaces `x[i]` by `exp(x[i] − shift)` for `i < count` and returns their sum.
    /// `shift` is at least every `x[i]`, so every result is in [0, 1].
    static func exponentiate(_ x: UnsafeMutablePointer<Self>, count: Int, shift: Self) -> Self

    /// The largest of `x[0 ..< count]`, −∞ when `count` is 0.
    static func maximum(_ x: UnsafePointer<Self>, count: Int) -> Self
}

extension Double: AttentionScalar {
    public static func multiply(
        m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int, transposeB: Bool, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public static func exponentiate(_ x: UnsafeMutablePointer<Double>, count: Int, shift: Double) -> Double {
        VectorMath.exponentiate(x, count: count, shift: shift)
    }

    public static func maximum(_ x: UnsafePointer<Double>, count: Int) -> Double {
        VectorMath.maximum(x, count: count)
    }
}

extension Float: AttentionScalar {
    public static func multiply(
        m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public static func exponentiate(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        VectorMath.exponentiate(x, count: count, shift: shift)
    }

    public static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        VectorMath.maximum(x, count: count)
    }
}

/// OpenBLAS's own thread pool. The kernels split work across cores themselves and call BLAS from
/// each worker, so BLAS must not start threads of its own on top.
public enum BLASThreads {
    /// Sets how many threads one BLAS call may use.
    public static func set(_ count: Int) {
        let wanted = Int32(max(1, count))
        // Changing the count reconfigures OpenBLAS's pool; every kernel call asks for 1.
        if openblas_get_num_threads() != wanted { openblas_set_num_threads(wanted) }
    }
}
