import Foundation

/// Queries and keys of a synthetic long context whose attention has a known shape: a local window
/// along the diagonal and a few attention-sink tokens at the start, as measured in real language
/// models (Xiao et al., 2023, "Efficient Streaming Language Models with Attention Sinks").
///
/// d_k = 64. Dimensions 0–47 hold 24 rotations, q_i = k_i = a·(cos ω_t·i, sin ω_t·i), so
/// q_i·k_j = a²·Σ_t cos(ω_t·(i − j)) depends only on the distance and peaks at i = j (the window).
/// Dimension 48 is `sinkStrength` in every query and in the first `sinks` keys only, adding
/// sinkStrength² to every query's score of those keys. Dimensions 49–63 are seeded noise.
public enum SyntheticLongContext {
    /// Head dimension of the example.
    public static let dimension = 64
    /// Number of rotation frequencies (two dimensions each).
    static let frequencies = 24
    /// a² = 3.2: a score of 3.2 · 24 / √64 = 9.6 at distance 0.
    static let amplitude = 3.2.squareRoot()
    /// sinkStrength² / √64 = 10.1 added to the sink keys' scores.
    public static let sinkStrength = 9.0

    /// Angular frequency t: wavelengths from 6 tokens growing by 1.35 per pair (to about 6,000).
    static func frequency(_ t: Int) -> Double {
        2 * Double.pi / (6 * pow(1.35, Double(t)))
    }

    /// Q and K, `[length, 64]` each; the first `sinks` keys are sinks.
    public static func queriesAndKeys(length n: Int, sinks: Int = 4, seed: UInt64 = 7) -> (q: Matrix, k: Matrix) {
        var generator = SeededGenerator(seed: seed)
        let d = dimension
        var q = [Double](repeating: 0, count: n * d), k = q
        for i in 0..<n {
            for t in 0..<frequencies {
                let angle = frequency(t) * Double(i)
                let (c, s) = (amplitude * cos(angle), amplitude * sin(angle))
                q[i * d + 2 * t] = c
                q[i * d + 2 * t + 1] = s
                k[i * d + 2 * t] = c
                k[i * d + 2 * t + 1] = s
            }
            q[i * d + 2 * frequencies] = sinkStrength
            if i < sinks { k[i * d + 2 * frequencies] = sinkStrength }
            for j in (2 * frequencies + 1)..<d {
                q[i * d + j] = generator.nextNormal() * 0.5
                k[i * d + j] = generator.nextNormal() * 0.5
            }
        }
        return (Matrix(rows: n, columns: d, values: q), Matrix(rows: n, columns: d, values: k))
    }
}
