// Benchmarks of the heatmap pipeline: in-process render times and whole-process times with peak
// memory of the real CLI, for 8×8 (annotated), 64×64, 512×512 and 4096×4096 float32 matrices.
// Usage: transfigure-bench PATH/TO/transfigure   (release builds of both; see `make bench`)
import Canvas
import Figures
import Foundation
import TransformerMath

/// A row-stochastic matrix: softmax of seeded normal scores, as the peer scripts build it.
func attentionMatrix(_ n: Int, seed: UInt64) -> Matrix {
    var generator = SeededGenerator(seed: seed)
    var values = [Double](repeating: 0, count: n * n)
    for r in 0..<n {
        var maximum = -Double.infinity
        for c in 0..<n {
            values[r * n + c] = generator.nextNormal() * 2
            maximum = max(maximum, values[r * n + c])
        }
        var sum = 0.0
        for c in 0..<n {
            values[r * n + c] = exp(values[r * n + c] - maximum)
            sum += values[r * n + c]
        }
        for c in 0..<n { values[r * n + c] /= sum }
    }
    return Matrix(rows: n, columns: n, values: values)
}

/// The matrix as a float32 little-endian `.npy` file, as `np.save` writes it.
func float32Npy(_ m: Matrix) -> Data {
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(m.rows), \(m.columns)), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(contentsOf: Array(header.utf8))
    var floats = m.values.map { Float($0).bitPattern.littleEndian }
    data.append(Data(bytes: &floats, count: floats.count * 4))
    return data
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ xs: [Double]) -> Double {
    let sorted = xs.sorted()
    return sorted[sorted.count / 2]
}

/// Runs a command to completion; returns wall seconds and the child's peak resident memory in MB.
func runProcess(_ arguments: [String]) -> (seconds: Double, peakMB: Double, status: Int32) {
    var pid: pid_t = 0
    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, arguments[0], nil, nil, argv, environ) == 0 else { return (0, 0, -1) }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (elapsed, Double(usage.ru_maxrss) / 1024, status)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    print("usage: transfigure-bench PATH/TO/transfigure")
    exit(2)
}
let cli = URL(fileURLWithPath: arguments[1]).standardizedFileURL.path
let work = FileManager.default.temporaryDirectory.appendingPathComponent("transfigure-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }

print("Transfigure heatmap benchmark (release build; median of repeated runs)")
print("")
print("size       format  in-process render  whole process  peak memory  file size")
print("---------  ------  -----------------  -------------  -----------  ---------")
let renderer = Renderer()
for n in [8, 64, 512, 4096] {
    let matrix = attentionMatrix(n, seed: UInt64(n))
    let input = work.appendingPathComponent("attn\(n).npy")
    try float32Npy(matrix).write(to: input)
    var figure = HeatmapFigure(matrix: matrix)
    figure.annotation = n <= 16 ? .always : .auto
    for format in [OutputFormat.png, .svg] {
        let repeats = n >= 4096 ? 3 : 7
        var bytes: [UInt8] = []
        let inProcess = median(try (0..<repeats).map { _ in try seconds { bytes = try renderer.render(figure, as: format) } })
        let output = work.appendingPathComponent("out\(n).\(format.rawValue)").path
        var runs: [(seconds: Double, peakMB: Double, status: Int32)] = []
        for _ in 0..<(n >= 4096 ? 3 : 5) { runs.append(runProcess([cli, "heatmap", input.path, "-o", output])) }
        if let failed = runs.first(where: { $0.status != 0 }) {
            print("whole-process run failed for \(n)×\(n) \(format.rawValue) (status \(failed.status))")
            exit(1)
        }
        let label = "\(n)×\(n)".padding(toLength: 9, withPad: " ", startingAt: 0)
        let line = [
            label, format.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0),
            String(format: "%14.1f ms", inProcess * 1000), String(format: "%10.1f ms", median(runs.map(\.seconds)) * 1000),
            String(format: "%8.1f MB", runs.map(\.peakMB).max() ?? 0), String(format: "%6d KB", bytes.count / 1024),
        ]
        print(line.joined(separator: "  "))
    }
}

// MARK: Attention compute

/// Double-precision FLOP/s one core sustains in a loop of independent multiply-adds (SSE2, the
/// baseline x86-64 code Swift emits without target flags; fused multiply-add would call libm):
/// the ceiling our single-threaded kernels are measured against.
func measuredPeak() -> Double {
    // Eight independent accumulators in registers hide the FMA latency.
    var c0 = SIMD4<Double>(repeating: 1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0
    let a = SIMD4<Double>(repeating: 0.999_999), b = SIMD4<Double>(repeating: 1e-9)
    let iterations = 50_000_000
    let time = seconds {
        for _ in 0..<iterations {
            c0 = c0 + a * b; c1 = c1 + a * b; c2 = c2 + a * b; c3 = c3 + a * b
            c4 = c4 + a * b; c5 = c5 + a * b; c6 = c6 + a * b; c7 = c7 + a * b
        }
    }
    // Use the result so the loop is not removed.
    if (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7).sum() == 0 { print("") }
    return Double(iterations * 8 * 4 * 2) / time
}

print("")
print("Scaled dot-product attention, double precision, causal mask, d = 64 (one thread; FLOPs counted as 4·n²·d)")
print("")
let peak = measuredPeak()
print(String(format: "measured peak of one core (multiply-add loop): %.1f GFLOP/s", peak / 1e9))
print("")
print("n      time        GFLOP/s  share of peak")
print("-----  ----------  -------  -------------")
for n in [512, 2048, 4096] {
    let q = attentionMatrix(n, seed: 1).slice(rows: 0..<n, columns: 0..<64)
    let k = attentionMatrix(n, seed: 2).slice(rows: 0..<n, columns: 0..<64)
    let v = attentionMatrix(n, seed: 3).slice(rows: 0..<n, columns: 0..<64)
    let repeats = n >= 4096 ? 2 : 3
    let time = median(try (0..<repeats).map { _ in try seconds { _ = try AttentionSteps(q: q, k: k, v: v, mask: .causal) } })
    let flops = 4 * Double(n) * Double(n) * 64
    print(String(format: "%-5d  %7.1f ms  %7.2f  %12.1f%%", n, time * 1000, flops / time / 1e9, 100 * flops / time / peak))
}
