// Benchmarks of the heatmap pipeline: in-process render times and whole-process times with peak
// memory of the real CLI, for 8×8 (annotated), 64×64, 512×512 and 4096×4096 float32 matrices.
// Then the same figures side by side with the matplotlib/seaborn peer scripts (../shared/bench),
// whole process, in the same run.
// Usage: transfigure-bench PATH/TO/transfigure [PEER-SCRIPTS-FOLDER]   (release builds; `make bench`)
// BENCH_SECTIONS=heatmaps,attention,peers (the default: all three) runs only the sections named.
import AttentionKernels
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
func float32Npy(_ m: Matrix) -> Data { float32Npy(m.values, shape: [m.rows, m.columns]) }

/// Values in C order as a float32 little-endian `.npy` file of `shape`.
func float32Npy(_ values: [Double], shape: [Int]) -> Data {
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", ")),), }"
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(contentsOf: Array(header.utf8))
    var floats = values.map { Float($0).bitPattern.littleEndian }
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
///
/// The peak comes from GNU time (`/usr/bin/time -f %M`) when it is installed: on Linux a spawned
/// child's own `ru_maxrss` also counts the memory of this process from before the exec, which
/// would credit every command with the benchmark's own matrices.
func runProcess(_ arguments: [String], stdout: String = "/dev/null") -> (seconds: Double, peakMB: Double, status: Int32) {
    let gnuTime = "/usr/bin/time"
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("transfigure-bench-rss-\(getpid()).txt").path
    let viaTime = FileManager.default.isExecutableFile(atPath: gnuTime)
    let command = viaTime ? [gnuTime, "-f", "%M", "-o", report] + arguments : arguments
    var pid: pid_t = 0
    let argv = command.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let start = DispatchTime.now().uptimeNanoseconds
    // The child's standard output goes to `stdout`: the peer scripts print a JSON line of timings.
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard posix_spawn(&pid, command[0], &actions, nil, argv, environ) == 0 else { return (0, 0, -1) }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var peakKB = Double(usage.ru_maxrss)
    if viaTime, let text = try? String(contentsOfFile: report, encoding: .utf8),
       let kb = text.split(separator: "\n").last(where: { !$0.isEmpty }).flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) {
        peakKB = kb
    }
    return (elapsed, peakKB / 1024, status)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 || arguments.count == 3 else {
    print("usage: transfigure-bench PATH/TO/transfigure [PEER-SCRIPTS-FOLDER]")
    exit(2)
}
let cli = URL(fileURLWithPath: arguments[1]).standardizedFileURL.path
let work = FileManager.default.temporaryDirectory.appendingPathComponent("transfigure-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }

/// Whether BENCH_SECTIONS asks for `section` (or is not set).
func wanted(_ section: String) -> Bool {
    guard let list = ProcessInfo.processInfo.environment["BENCH_SECTIONS"] else { return true }
    return list.split(separator: ",").contains { $0 == section }
}

// The peer table uses these files too.
let matrices = [8, 64, 512, 4096].map { n in (n, attentionMatrix(n, seed: UInt64(n))) }
for (n, matrix) in matrices { try float32Npy(matrix).write(to: work.appendingPathComponent("attn\(n).npy")) }

if wanted("heatmaps") {
print("Transfigure heatmap benchmark (release build; median of repeated runs)")
print("")
print("size       format  in-process render  whole process  peak memory  file size")
print("---------  ------  -----------------  -------------  -----------  ---------")
let renderer = Renderer()
for (n, matrix) in matrices {
    let input = work.appendingPathComponent("attn\(n).npy")
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
}

// MARK: Attention compute

/// The best of `repeats` timings of `body` after one warm-up run, as attention.py reports its own.
func best(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    return try (0..<repeats).map { _ in try seconds(body) }.min() ?? 0
}

/// Float32 matrix-multiply FLOP/s of this machine: OpenBLAS sgemm on 2,048² matrices, all cores.
func matmulPeak() -> Double {
    let n = 2048
    let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
    var c = [Float](repeating: 0, count: n * n)
    BLASThreads.set(ProcessInfo.processInfo.activeProcessorCount)
    let time = best(3) {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    Float.multiply(
                        m: n, n: n, k: n, alpha: 1, a: pa.baseAddress!, lda: n, b: pb.baseAddress!, ldb: n,
                        transposeB: false, beta: 0, c: pc.baseAddress!, ldc: n)
                }
            }
        }
    }
    return 2 * Double(n) * Double(n) * Double(n) / time
}

/// NumPy's own float32 causal attention (attention.py, best of 5) in GFLOP/s, or nil without numpy.
func numpyAttention(_ n: Int, folder: String) -> Double? {
    let log = work.appendingPathComponent("attention-\(n).json").path
    let run = runProcess(["/usr/bin/env", "python3", folder + "/attention.py", String(n), "64", "5"], stdout: log)
    guard run.status == 0, let text = try? String(contentsOfFile: log, encoding: .utf8),
          let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
    return object["gflops"] as? Double
}

let peerFolder = URL(fileURLWithPath: arguments.count == 3 ? arguments[2] : "../shared/bench").standardizedFileURL.path
if wanted("attention") {
print("")
print("Causal attention softmax(QKᵀ/√d)·V, d = 64, both cores, best of 5. GFLOP/s count 4·n²·d FLOPs, as")
print("attention.py does; row blocks skip the masked half, so the share of peak is of the FLOPs done")
print("")
let peak = matmulPeak()
print(String(format: "measured matmul peak (OpenBLAS sgemm, 2,048², all cores): %.1f GFLOP/s", peak / 1e9))
print("")
print("n      float32 time  GFLOP/s  share of peak  float64 GFLOP/s  NumPy float32 GFLOP/s  ratio")
print("-----  ------------  -------  -------------  ---------------  ---------------------  -----")
for n in [512, 2048, 4096] {
    let (qd, kd) = SyntheticLongContext.queriesAndKeys(length: n, seed: 1)
    let vd = SyntheticLongContext.queriesAndKeys(length: n, seed: 2).k
    let (q, k, v) = (DenseMatrix<Float>(qd), DenseMatrix<Float>(kd), DenseMatrix<Float>(vd))
    let (q64, k64, v64) = (DenseMatrix<Double>(qd), DenseMatrix<Double>(kd), DenseMatrix<Double>(vd))
    let flops = 4 * Double(n) * Double(n) * 64
    let done = BlockedAttention.performedFlops(queries: n, keys: n, keyDimension: 64, valueDimension: 64, causal: true)
    let single = try best(5) { _ = try BlockedAttention.output(q: q, k: k, v: v, mask: .causal) }
    let double = try best(5) { _ = try BlockedAttention.output(q: q64, k: k64, v: v64, mask: .causal) }
    let numpy = numpyAttention(n, folder: peerFolder)
    print([
        String(n).padding(toLength: 5, withPad: " ", startingAt: 0), String(format: "%9.2f ms", single * 1000),
        String(format: "%7.1f", flops / single / 1e9), String(format: "%12.0f%%", 100 * done / single / peak),
        String(format: "%15.1f", flops / double / 1e9),
        numpy.map { String(format: "%21.1f", $0) } ?? "      (numpy missing)",
        numpy.map { String(format: "%4.1f×", flops / single / 1e9 / $0) } ?? "    —",
    ].joined(separator: "  "))
}

}

// MARK: Side by side with the peer scripts

/// The interpreter behind `python3` (not a version-manager shim, which adds start-up time) if it
/// can import matplotlib and seaborn; nil otherwise.
func peerPython() -> String? {
    let probe = work.appendingPathComponent("python.txt").path
    let script = "import sys, matplotlib, seaborn; open(sys.argv[1], 'w').write(sys.executable)"
    let run = runProcess(["/usr/bin/env", "python3", "-c", script, probe])
    guard run.status == 0, let path = try? String(contentsOfFile: probe, encoding: .utf8), !path.isEmpty else { return nil }
    return path
}

/// Median wall time and largest peak memory of `repeats` runs, and the median `render_save_s` of
/// the JSON lines the command printed (the peer scripts' in-process render and save); nil if any run fails.
func measure(_ command: [String], repeats: Int) -> (seconds: Double, peakMB: Double, renderSave: Double?)? {
    let log = work.appendingPathComponent("stdout-\(UUID().uuidString).txt").path
    let runs = (0..<repeats).map { _ in runProcess(command, stdout: log) }
    guard runs.allSatisfy({ $0.status == 0 }) else { return nil }
    let lines = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
    let renderSave = lines.compactMap { line -> Double? in
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return object["render_save_s"] as? Double
    }
    return (median(runs.map(\.seconds)), runs.map(\.peakMB).max() ?? 0, renderSave.isEmpty ? nil : median(renderSave))
}

if wanted("peers") {
print("")
print("Side by side with the matplotlib/seaborn scripts of ../shared/bench (whole process, median, same run)")
print("")
let benchFolder = peerFolder
let python = FileManager.default.fileExists(atPath: benchFolder + "/heatmap.py") ? peerPython() : nil
if python == nil {
    print("(peer scripts or matplotlib/seaborn not found: pip install matplotlib seaborn; expected the scripts in \(benchFolder))")
}
// Twelve heads of 32×32 causal attention, as multihead_grid.py draws them.
var heads: [Double] = []
for h in 0..<12 {
    let m = attentionMatrix(32, seed: UInt64(100 + h))
    for r in 0..<32 {
        for c in 0..<32 {
            let causal: Double = c > r ? 0 : m[r, c]
            heads.append(causal)
        }
    }
}
let headsFile = work.appendingPathComponent("heads12.npy")
try float32Npy(heads, shape: [12, 32, 32]).write(to: headsFile)
func npy(_ n: Int) -> String { work.appendingPathComponent("attn\(n).npy").path }
// Q and K of a 32,768-token context (local window + sinks) for the long-context case.
let longContext = SyntheticLongContext.queriesAndKeys(length: 32_768)
try float32Npy(longContext.q).write(to: work.appendingPathComponent("q32k.npy"))
try float32Npy(longContext.k).write(to: work.appendingPathComponent("k32k.npy"))
func out(_ name: String) -> String { work.appendingPathComponent(name).path }
let cases: [(name: String, ours: [String], peer: [String], repeats: Int)] = [
    ("heatmap 8×8 annotated, PNG", [cli, "heatmap", npy(8), "-o", out("t8.png")], ["heatmap.py", "8", "png", out("p8.png")], 5),
    ("heatmap 64×64 labelled, PNG", [cli, "heatmap", npy(64), "-o", out("t64.png")], ["heatmap.py", "64", "png", out("p64.png")], 5),
    ("heatmap 512×512, PNG", [cli, "heatmap", npy(512), "-o", out("t512.png")], ["heatmap.py", "512", "png", out("p512.png")], 5),
    ("heatmap 512×512, SVG (seaborn)", [cli, "heatmap", npy(512), "-o", out("t512.svg")], ["heatmap_sns.py", "512", "svg", out("p512.svg")], 1),
    ("heatmap 4096×4096, PNG", [cli, "heatmap", npy(4096), "-o", out("t4096.png")], ["heatmap.py", "4096", "png", out("p4096.png")], 3),
    ("PE plot, PNG", [cli, "pe", "--positions", "100", "--d-model", "128", "--style", "waves", "-o", out("tpe.png")], ["pe_plot.py", out("ppe.png"), "png"], 5),
    ("12-head grid, PNG", [cli, "heads", headsFile.path, "-o", out("theads.png")], ["multihead_grid.py", out("pheads.png"), "png"], 5),
    ("beam tree, PNG", [cli, "beam", "--demo", "-o", out("tbeam.png")], ["beam_tree.py", out("pbeam.png"), "png"], 5),
    ("study report (no peer)", [cli, "report", "-o", out("report")], [], 3),
    // NumPy would need the 4 GiB float32 score matrix (attention.py builds it whole).
    ("32k-token causal attention (no peer)", [cli, "attention", "--q", out("q32k.npy"), "--k", out("k32k.npy"), "--mask", "causal", "-o", out("t32k.png")], [], 3),
]
print("case                                  Transfigure     peer   ratio  peer render+save  Transfigure peak  peer peak")
print("------------------------------------  -----------  -------  ------  ----------------  ----------------  ---------")
for c in cases {
    guard let ours = measure(c.ours, repeats: c.repeats) else {
        print("\(c.name): the Transfigure run failed")
        exit(1)
    }
    var peerTime = "      —", ratio = "     —", renderSave = "               —", peerPeak = "        —"
    if let python, !c.peer.isEmpty, let peer = measure([python, benchFolder + "/" + c.peer[0]] + c.peer.dropFirst(), repeats: min(c.repeats, 3)) {
        peerTime = String(format: "%5.2f s", peer.seconds)
        ratio = String(format: "%5.1f×", peer.seconds / ours.seconds)
        renderSave = peer.renderSave.map { String(format: "%14.2f s", $0) } ?? renderSave
        peerPeak = String(format: "%6.0f MB", peer.peakMB)
    }
    print([
        c.name.padding(toLength: 36, withPad: " ", startingAt: 0), String(format: "%9.3f s", ours.seconds), peerTime, ratio,
        renderSave, String(format: "%13.0f MB", ours.peakMB), peerPeak,
    ].joined(separator: "  "))
}
}
