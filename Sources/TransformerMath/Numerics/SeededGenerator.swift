import Foundation

/// A portable seeded random generator: SplitMix64 for bits, Box–Muller for normals.
/// The same seed gives the same numbers on every platform, so figures are reproducible.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    private var spareNormal: Double?

    /// Creates a generator from `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits (SplitMix64, Steele, Lea & Flood 2014).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal sample (Box–Muller; the second value of each pair is kept for the next call).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        // 1 − u lies in (0, 1], so the logarithm is finite.
        let u1 = 1 - nextUniform(), u2 = nextUniform()
        let radius = (-2 * log(u1)).squareRoot()
        spareNormal = radius * sin(2 * Double.pi * u2)
        return radius * cos(2 * Double.pi * u2)
    }
}
