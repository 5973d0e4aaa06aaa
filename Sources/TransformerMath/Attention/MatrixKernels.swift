/// The inner loops of attention, written over raw buffers so the optimiser vectorises them.
enum MatrixKernels {
    /// `a · bᵀ` for row-major `a` `[n, d]` and `b` `[m, d]`: every entry a contiguous dot product.
    static func multiplyTransposed(_ a: Matrix, _ b: Matrix) -> Matrix {
        let n = a.rows, m = b.rows, d = a.columns
        var out = [Double](repeating: 0, count: n * m)
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    for i in 0..<n {
                        let rowA = i * d
                        for j in 0..<m {
                            let rowB = j * d
                            // Four partial sums break the dependency chain so the loop pipelines.
                            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                            var k = 0
                            while k + 4 <= d {
                                s0 += pa[rowA + k] * pb[rowB + k]
                                s1 += pa[rowA + k + 1] * pb[rowB + k + 1]
                                s2 += pa[rowA + k + 2] * pb[rowB + k + 2]
                                s3 += pa[rowA + k + 3] * pb[rowB + k + 3]
                                k += 4
                            }
                            while k < d {
                                s0 += pa[rowA + k] * pb[rowB + k]
                                k += 1
                            }
                            po[i * m + j] = (s0 + s1) + (s2 + s3)
                        }
                    }
                }
            }
        }
        return Matrix(rows: n, columns: m, values: out)
    }

    /// `a · b` for row-major `a` `[n, m]` and `b` `[m, d]`, accumulated row by row (axpy), skipping zeros.
    static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
        let n = a.rows, m = a.columns, d = b.columns
        var out = [Double](repeating: 0, count: n * d)
        a.values.withUnsafeBufferPointer { pa in
            b.values.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { po in
                    for i in 0..<n {
                        let rowOut = i * d
                        for j in 0..<m {
                            let w = pa[i * m + j]
                            if w == 0 { continue }
                            let rowB = j * d
                            for k in 0..<d { po[rowOut + k] += w * pb[rowB + k] }
                        }
                    }
                }
            }
        }
        return Matrix(rows: n, columns: d, values: out)
    }
}
