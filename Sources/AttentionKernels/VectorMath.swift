/// Row operations of softmax in SIMD lanes: maximum, sum and `exp`. A softmax over n keys spends
/// n exponentials per query, so for long contexts these passes, not the matrix product, are the
/// cost; libm's scalar `exp` is a function call per value the compiler cannot vectorise, and
/// `Swift.max` (NaN-aware) and floating-point sums (order-preserving) stay scalar too.
///
/// Method of `exp` (Cody–Waite): x = k·ln 2 + r with k = round(x / ln 2) and |r| ≤ ln 2 / 2, so
/// eˣ = 2ᵏ · eʳ, where eʳ is a Taylor polynomial and 2ᵏ is built in the exponent bits. Rounding uses
/// the 1.5·2ᵖ trick (p = mantissa bits) so no rounding instruction is needed. Inputs below the
/// smallest normal result are clamped there (the result is then ~1e-308 or ~1e-38, zero for any
/// weight). Relative error: below 1e-14 for Double (degree 11), below 3e-7 for Float (degree 7).
///
/// The Double and Float loops are written out separately on purpose: folded into one generic loop
/// over the lane type (with `exp` passed in), float32 attention fell from 172 to 75 GFLOP/s in
/// `make bench`, because the per-vector `exp` stopped being inlined.
enum VectorMath {
    typealias D = SIMD4<Double>
    typealias F = SIMD8<Float>

    /// Replaces `x[i]` by `exp(x[i] − shift)` and returns their sum; every `x[i] − shift` ≤ 0.
    static func exponentiate(_ x: UnsafeMutablePointer<Double>, count: Int, shift: Double) -> Double {
        let raw = UnsafeMutableRawPointer(x)
        let shiftVector = D(repeating: shift)
        var sum = D()
        var i = 0
        while i + D.scalarCount <= count {
            let e = exp(raw.loadUnaligned(fromByteOffset: i * 8, as: D.self) - shiftVector)
            raw.storeBytes(of: e, toByteOffset: i * 8, as: D.self)
            sum += e
            i += D.scalarCount
        }
        var total = sum.sum()
        while i < count {
            let e = exp(D(repeating: x[i] - shift))[0]
            x[i] = e
            total += e
            i += 1
        }
        return total
    }

    /// Replaces `x[i]` by `exp(x[i] − shift)` and returns their sum; every `x[i] − shift` ≤ 0.
    static func exponentiate(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        let raw = UnsafeMutableRawPointer(x)
        let shiftVector = F(repeating: shift)
        var sum = F()
        var i = 0
        while i + F.scalarCount <= count {
            let e = exp(raw.loadUnaligned(fromByteOffset: i * 4, as: F.self) - shiftVector)
            raw.storeBytes(of: e, toByteOffset: i * 4, as: F.self)
            sum += e
            i += F.scalarCount
        }
        var total = sum.sum()
        while i < count {
            let e = exp(F(repeating: x[i] - shift))[0]
            x[i] = e
            total += e
            i += 1
        }
        return total
    }

    /// The largest of `x[0 ..< count]` (−∞ for none); the values are finite or −∞.
    static func maximum(_ x: UnsafePointer<Double>, count: Int) -> Double {
        let raw = UnsafeRawPointer(x)
        var best = D(repeating: -.infinity)
        var i = 0
        while i + D.scalarCount <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 8, as: D.self)
            best = best.replacing(with: v, where: v .> best)
            i += D.scalarCount
        }
        var result = -Double.infinity
        for lane in 0..<D.scalarCount where best[lane] > result { result = best[lane] }
        while i < count {
            if x[i] > result { result = x[i] }
            i += 1
        }
        return result
    }

    /// The largest of `x[0 ..< count]` (−∞ for none); the values are finite or −∞.
    static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        let raw = UnsafeRawPointer(x)
        var best = F(repeating: -.infinity)
        var i = 0
        while i + F.scalarCount <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: F.self)
            best = best.replacing(with: v, where: v .> best)
            i += F.scalarCount
        }
        var result = -Float.infinity
        for lane in 0..<F.scalarCount where best[lane] > result { result = best[lane] }
        while i < count {
            if x[i] > result { result = x[i] }
            i += 1
        }
        return result
    }

    /// The sum of `x[0 ..< count]`, four lanes at a time.
    static func sum(_ x: UnsafePointer<Double>, count: Int) -> Double {
        let raw = UnsafeRawPointer(x)
        var total = D()
        var i = 0
        while i + D.scalarCount <= count {
            total += raw.loadUnaligned(fromByteOffset: i * 8, as: D.self)
            i += D.scalarCount
        }
        var result = total.sum()
        while i < count {
            result += x[i]
            i += 1
        }
        return result
    }

    /// eˣ lane by lane for x ≤ 0 (Double).
    @inline(__always)
    static func exp(_ x: D) -> D {
        let magic = D(repeating: 6_755_399_441_055_744)  // 1.5 · 2⁵²
        let clamped = x.replacing(with: -708, where: x .< -708)
        let t = clamped * 1.442_695_040_888_963_4 + magic
        let k = t - magic
        let r = clamped - k * 0.693_147_180_369_123_8 - k * 1.908_214_929_270_587_7e-10
        var p = D(repeating: 1.0 / 39_916_800)
        p = p * r + 1.0 / 3_628_800
        p = p * r + 1.0 / 362_880
        p = p * r + 1.0 / 40_320
        p = p * r + 1.0 / 5_040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let exponent = (unsafeBitCast(t, to: SIMD4<UInt64>.self) &- magic[0].bitPattern &+ 1023) &<< 52
        return p * unsafeBitCast(exponent, to: D.self)
    }

    /// eˣ lane by lane for x ≤ 0 (Float).
    @inline(__always)
    static func exp(_ x: F) -> F {
        let magic = F(repeating: 12_582_912)  // 1.5 · 2²³
        let clamped = x.replacing(with: -87, where: x .< -87)
        let t = clamped * 1.442_695_04 + magic
        let k = t - magic
        let r = clamped - k * 0.693_145_75 - k * 1.428_606_8e-6
        var p = F(repeating: 1.0 / 5_040)
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let exponent = (unsafeBitCast(t, to: SIMD8<UInt32>.self) &- magic[0].bitPattern &+ 127) &<< 23
        return p * unsafeBitCast(exponent, to: F.self)
    }
}
