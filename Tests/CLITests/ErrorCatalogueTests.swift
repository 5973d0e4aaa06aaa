import Foundation
import TestSupport
import Testing

/// One invocation that must fail cleanly.
struct BadInvocation: Sendable, CustomTestStringConvertible {
    /// What is wrong, for the test name.
    let name: String
    /// Arguments; `@F/` stands for the fixtures folder. The run's current folder is a scratch
    /// workspace (see `ErrorCatalogueTests.prepareWorkspace`).
    let arguments: [String]
    /// Pieces the one `error:` line must contain: the file or option, and the problem.
    let fragments: [String]
    /// Output paths (relative to the workspace) the command would write if it succeeded.
    var outputs: [String] = []
    /// The exit status: 64 (EX_USAGE) when the command line itself is wrong, 1 when an input
    /// or an output is.
    var status: Int32 = 1

    var testDescription: String { name }

    /// The arguments with the fixtures folder filled in.
    var resolvedArguments: [String] {
        arguments.map { $0.replacingOccurrences(of: "@F/", with: CLIRunner.fixtures.path + "/") }
    }

    static let bert = "@F/bert_like.npy"
    static let multiHead = ["attention", "--x", "x.json", "--wq", "w.json", "--wk", "w.json", "--wv", "w.json"]
    static let causal = "@F/causal.npy"

    static let all: [BadInvocation] = [
        // Broken or misnamed input files.
        .init(name: "truncated .npy", arguments: ["heatmap", "@F/truncated.npy", "--layer", "0", "--head", "0", "-o", "x.png"],
              fragments: ["truncated.npy", "shape (6, 12, 16, 16)", "holds"], outputs: ["x.png"]),
        .init(name: "JSON file with a .npy name", arguments: ["heatmap", "@F/mislabelled.npy", "-o", "x.png"],
              fragments: ["mislabelled.npy", "not a .npy file"], outputs: ["x.png"]),
        .init(name: "NaN in the matrix", arguments: ["heatmap", "@F/nan.npy", "-o", "x.png", "--dump", "x.json"],
              fragments: ["nan.npy", "[2, 1]", "NaN"], outputs: ["x.png", "x.json"]),
        .init(name: "ragged JSON rows", arguments: ["heatmap", "ragged.json", "-o", "x.png"],
              fragments: ["ragged.json", "row"], outputs: ["x.png"]),
        .init(name: "CSV field that is not a number", arguments: ["heatmap", "bad.csv", "-o", "x.png"],
              fragments: ["bad.csv", "line 3", "'x'"], outputs: ["x.png"]),
        .init(name: "missing input file", arguments: ["heatmap", "missing.npy", "-o", "x.png"],
              fragments: ["missing.npy", "no such file"], outputs: ["x.png"]),
        .init(name: "a folder named like an .npy as input", arguments: ["heatmap", "d.npy", "-o", "x.png"],
              fragments: ["d.npy", "directory"], outputs: ["x.png"]),
        .init(name: "a folder as input", arguments: ["heatmap", "somefolder", "-o", "x.png"],
              fragments: ["somefolder", "directory"], outputs: ["x.png"]),
        .init(name: "no input file", arguments: ["heatmap", "-o", "x.png"],
              fragments: ["<file>", "missing"], outputs: ["x.png"], status: 64),

        // Picking the matrix.
        .init(name: "4-D without --layer/--head", arguments: ["heatmap", bert, "-o", "x.png"],
              fragments: ["bert_like.npy", "(6, 12, 16, 16)", "--layer", "--head"], outputs: ["x.png"]),
        .init(name: "4-D with --layer only", arguments: ["heatmap", bert, "--layer", "1", "-o", "x.png"],
              fragments: ["bert_like.npy", "(6, 12, 16, 16)", "--head"], outputs: ["x.png"]),
        .init(name: "3-D without --head", arguments: ["heatmap", "@F/heads.npy", "-o", "x.png"],
              fragments: ["heads.npy", "(4, 8, 8)", "--head"], outputs: ["x.png"]),
        .init(name: "3-D with --layer", arguments: ["heatmap", "@F/heads.npy", "--layer", "0", "--head", "0", "-o", "x.png"],
              fragments: ["--layer", "heads.npy", "no layers"], outputs: ["x.png"]),
        .init(name: "2-D with --layer", arguments: ["heatmap", causal, "--layer", "0", "-o", "x.png"],
              fragments: ["--layer", "causal.npy", "no layers"], outputs: ["x.png"]),
        .init(name: "--layer past the last layer", arguments: ["heatmap", bert, "--layer", "6", "--head", "0", "-o", "x.png"],
              fragments: ["--layer", "6", "out of range", "6 layers"], outputs: ["x.png"]),
        .init(name: "negative --layer", arguments: ["heatmap", bert, "--layer=-1", "--head", "0", "-o", "x.png"],
              fragments: ["--layer", "-1", "out of range"], outputs: ["x.png"]),
        .init(name: "--head past the last head", arguments: ["heatmap", bert, "--layer", "0", "--head", "12", "-o", "x.png"],
              fragments: ["--head", "12", "out of range", "12 heads"], outputs: ["x.png"]),
        .init(name: "--layer not a number", arguments: ["heatmap", bert, "--layer", "x", "--head", "0", "-o", "x.png"],
              fragments: ["--layer", "'x'"], outputs: ["x.png"], status: 64),
        .init(name: ".npz with several members and no --array", arguments: ["heatmap", "@F/several.npz", "-o", "x.png"],
              fragments: ["several.npz", "--array", "first", "second"], outputs: ["x.png"]),
        .init(name: ".npz without the --array member", arguments: ["heatmap", "@F/several.npz", "--array", "third", "-o", "x.png"],
              fragments: ["several.npz", "third", "first", "second"], outputs: ["x.png"]),
        .init(name: "--array on a .npy", arguments: ["heatmap", causal, "--array", "first", "-o", "x.png"],
              fragments: ["--array", "causal.npy"], outputs: ["x.png"]),

        // Tokens.
        .init(name: "--tokens count mismatch", arguments: ["heatmap", causal, "--tokens", "a b c", "-o", "x.png"],
              fragments: ["--tokens", "3 tokens", "8"], outputs: ["x.png"]),
        .init(name: "--tokens-file count mismatch", arguments: ["heatmap", causal, "--tokens-file", "@F/bert_tokens.json", "-o", "x.png"],
              fragments: ["bert_tokens.json", "16 tokens", "8"], outputs: ["x.png"]),
        .init(name: "--tokens and --tokens-file together",
              arguments: ["heatmap", causal, "--tokens", "a b c d e f g h", "--tokens-file", "eight.txt", "-o", "x.png"],
              fragments: ["--tokens", "--tokens-file", "not both"], outputs: ["x.png"], status: 64),
        .init(name: "missing tokens file", arguments: ["heatmap", causal, "--tokens-file", "missing-tokens.json", "-o", "x.png"],
              fragments: ["missing-tokens.json", "no such file"], outputs: ["x.png"]),
        .init(name: "empty tokens file", arguments: ["heatmap", causal, "--tokens-file", "empty.json", "-o", "x.png"],
              fragments: ["empty.json", "no tokens"], outputs: ["x.png"]),
        .init(name: "empty --tokens", arguments: ["heatmap", causal, "--tokens", " ", "-o", "x.png"],
              fragments: ["--tokens", "no tokens"], outputs: ["x.png"], status: 64),

        // Outputs.
        .init(name: "unknown output extension .jpg", arguments: ["heatmap", causal, "-o", "x.jpg"],
              fragments: ["x.jpg", "format", ".png"], outputs: ["x.jpg"]),
        .init(name: "output without extension", arguments: ["heatmap", causal, "-o", "figure"],
              fragments: ["figure", "format"], outputs: ["figure"]),
        .init(name: "unknown dump extension", arguments: ["heatmap", causal, "--dump", "x.csv"],
              fragments: ["--dump", "x.csv", ".json"], outputs: ["x.csv"]),
        .init(name: "no -o and no --dump", arguments: ["heatmap", causal],
              fragments: ["-o", "--dump"], status: 64),
        .init(name: "output folder that does not exist", arguments: ["heatmap", causal, "-o", "nodir/x.png"],
              fragments: ["nodir/x.png", "does not exist"], outputs: ["nodir/x.png"]),
        .init(name: "dump folder that does not exist, with a valid -o", arguments: ["heatmap", causal, "-o", "ok.png", "--dump", "nodir/x.json"],
              fragments: ["nodir/x.json", "does not exist"], outputs: ["ok.png", "nodir/x.json"]),
        .init(name: "output path is a folder", arguments: ["heatmap", causal, "-o", "folder.png"],
              fragments: ["folder.png", "folder"], outputs: ["folder.png"]),

        // Options.
        .init(name: "unknown option", arguments: ["heatmap", causal, "--bogus", "-o", "x.png"],
              fragments: ["--bogus"], outputs: ["x.png"], status: 64),
        .init(name: "misspelt subcommand", arguments: ["heatmp", causal, "-o", "x.png"],
              fragments: ["heatmp"], outputs: ["x.png"]),
        .init(name: "unknown colormap", arguments: ["heatmap", causal, "--colormap", "jet", "-o", "x.png"],
              fragments: ["--colormap", "jet"], outputs: ["x.png"], status: 64),
        .init(name: "unknown --annotate value", arguments: ["heatmap", causal, "--annotate", "sometimes", "-o", "x.png"],
              fragments: ["--annotate", "sometimes"], outputs: ["x.png"], status: 64),
        .init(name: "--vmin above --vmax", arguments: ["heatmap", causal, "--vmin", "0.8", "--vmax", "0.2", "-o", "x.png"],
              fragments: ["--vmin", "--vmax"], outputs: ["x.png"], status: 64),
        .init(name: "--vmin equal to --vmax", arguments: ["heatmap", causal, "--vmin", "0.5", "--vmax", "0.5", "-o", "x.png"],
              fragments: ["--vmin", "--vmax"], outputs: ["x.png"], status: 64),
        .init(name: "--vmin not finite", arguments: ["heatmap", causal, "--vmin", "nan", "-o", "x.png"],
              fragments: ["--vmin", "finite"], outputs: ["x.png"], status: 64),
        .init(name: "--window backwards 5:2", arguments: ["heatmap", causal, "--window", "5:2", "-o", "x.png"],
              fragments: ["--window", "5:2"], outputs: ["x.png"]),
        .init(name: "--window not numbers a:b", arguments: ["heatmap", causal, "--window", "a:b", "-o", "x.png"],
              fragments: ["--window", "a:b"], outputs: ["x.png"]),
        .init(name: "--window without a colon", arguments: ["heatmap", causal, "--window", "3", "-o", "x.png"],
              fragments: ["--window", "'3'", "START:END"], outputs: ["x.png"]),
        .init(name: "--window past the end", arguments: ["heatmap", causal, "--window", "0:20", "-o", "x.png", "--dump", "x.json"],
              fragments: ["--window", "20", "8"], outputs: ["x.png", "x.json"]),
        .init(name: "--scale 0", arguments: ["heatmap", causal, "--scale", "0", "-o", "x.png"],
              fragments: ["--scale", "0"], outputs: ["x.png"]),
        .init(name: "--scale too large", arguments: ["heatmap", causal, "--scale", "100", "-o", "x.png"],
              fragments: ["--scale", "100"], outputs: ["x.png"]),
        .init(name: "PNG compression outside 0–9", arguments: ["heatmap", causal, "--png-compression", "12", "-o", "x.png"],
              fragments: ["--png-compression", "12"], outputs: ["x.png"]),
        .init(name: "gallery long context too short", arguments: ["gallery", "--long-context", "5", "-o", "g"],
              fragments: ["--long-context", "5"], outputs: ["g"], status: 64),
        .init(name: "unknown pooling for long attention", arguments: ["attention", "--q", "x.json", "--k", "x.json", "--pool", "median", "-o", "x.png"],
              fragments: ["--pool", "median"], outputs: ["x.png"], status: 64),
        .init(name: "--scale not a number", arguments: ["heatmap", causal, "--scale", "nan", "-o", "x.png"],
              fragments: ["--scale", "nan"], outputs: ["x.png"]),

        // Compute commands: options that do not fit.
        .init(name: "Q and K widths differ", arguments: ["attention", "--q", "q.json", "--k", "k4.json", "--dump", "a.json"],
              fragments: ["q.json", "k4.json", "d_k = 3", "d_k = 4"], outputs: ["a.json"]),
        .init(name: "V rows differ from K rows", arguments: ["attention", "--q", "q.json", "--k", "k3.json", "--v", "v3.json", "--dump", "a.json"],
              fragments: ["v3.json", "V has 3 rows", "K has 2"], outputs: ["a.json"]),
        .init(name: "heads do not divide d_model", arguments: multiHead + ["--heads", "3", "--dump", "a.json"],
              fragments: ["x.json", "not divisible by 3 heads"], outputs: ["a.json"]),
        .init(name: "projection of the wrong shape", arguments: ["attention", "--x", "x.json", "--wq", "w43.json", "--wk", "w.json", "--wv", "w.json", "--dump", "a.json"],
              fragments: ["w43.json", "W_Q is 4 × 3"], outputs: ["a.json"]),
        .init(name: "NaN in Q", arguments: ["attention", "--q", "@F/nan.npy", "--k", "k4.json", "--dump", "a.json"],
              fragments: ["nan.npy", "[2, 1]", "NaN"], outputs: ["a.json"]),
        .init(name: "a number too large for a double", arguments: ["attention", "--q", "qnan.json", "--k", "k3.json", "--dump", "a.json"],
              fragments: ["qnan.json", "line 1, column 17", "too large"], outputs: ["a.json"]),
        .init(name: "every key masked", arguments: ["attention", "--q", "q.json", "--k", "k3.json", "--key-mask", "keymask.json", "--dump", "a.json"],
              fragments: ["q.json", "every key masked"], outputs: ["a.json"]),
        .init(name: "attention with two kinds of input", arguments: ["attention", "--q", "q.json", "--k", "k3.json", "--tokens", "a b", "--dump", "a.json"],
              fragments: ["exactly one input"], outputs: ["a.json"], status: 64),
        .init(name: "toy model with odd d_model", arguments: ["attention", "--tokens", "I am Chetan", "--d-model", "7", "--dump", "a.json"],
              fragments: ["--d-model", "7", "even"], outputs: ["a.json"]),
        .init(name: "PE with odd d_model", arguments: ["pe", "--positions", "4", "--d-model", "5", "--dump", "pe.npy"],
              fragments: ["--d-model", "5", "even"], outputs: ["pe.npy"]),
        .init(name: "PE with zero positions", arguments: ["pe", "--positions", "0", "--d-model", "4", "--dump", "pe.npy"],
              fragments: ["--positions", "0"], outputs: ["pe.npy"]),
        .init(name: "PE with a negative base", arguments: ["pe", "--positions", "4", "--d-model", "4", "--base", "-10", "--dump", "pe.npy"],
              fragments: ["--base", "-10"], outputs: ["pe.npy"]),
        .init(name: "RoPE on vectors of odd width", arguments: ["rope", "--x", "q.json", "--dump", "r.npy"],
              fragments: ["q.json", "d = 3", "even"], outputs: ["r.npy"]),
        .init(name: "RoPE with a negative offset", arguments: ["rope", "--x", "x.json", "--offset", "-1", "--dump", "r.npy"],
              fragments: ["--offset", "-1"], outputs: ["r.npy"]),
        .init(name: "LM whose probabilities do not sum to 1", arguments: ["beam", "--lm", "lm_sum.json", "--dump", "t.json"],
              fragments: ["lm_sum.json", "<s>", "sum to 0.9"], outputs: ["t.json"]),
        .init(name: "beam width 0", arguments: ["beam", "--demo", "--beam-width", "0", "--dump", "t.json"],
              fragments: ["--beam-width", "0"], outputs: ["t.json"]),
        .init(name: "beam tree as .npy", arguments: ["beam", "--demo", "--dump", "t.npy"],
              fragments: ["t.npy", ".json"], outputs: ["t.npy"]),
        .init(name: "beam figure in an unknown style", arguments: ["beam", "--demo", "--style", "forest", "-o", "t.png"],
              fragments: ["--style", "forest"], outputs: ["t.png"], status: 64),
        .init(name: "beam figure with an unknown extension", arguments: ["beam", "--demo", "-o", "t.gif"],
              fragments: ["t.gif"], outputs: ["t.gif"]),

        // Limits, refused before anything is allocated.
        .init(name: ".npy header claiming 10^10 values", arguments: ["heatmap", "@F/../../TransformerMathTests/Fixtures/bad_huge_shape.npy", "-o", "x.png"],
              fragments: ["bad_huge_shape.npy", "(100000, 100000)", "limit is 268435456 values"], outputs: ["x.png"]),
        .init(name: ".npz member declaring a terabyte (zip bomb)", arguments: ["heatmap", "@F/../../TransformerMathTests/Fixtures/bad_bomb.npz", "-o", "x.png"],
              fragments: ["bad_bomb.npz", "declares 1099511627776 bytes"], outputs: ["x.png"]),
        .init(name: "attention kept step by step beyond 4096 × 4096", arguments: ["attention", "--q", "long.json", "--k", "long.json", "--dump", "a.json"],
              fragments: ["--q long.json", "4100 queries × 4100 keys", "16777216"], outputs: ["a.json"]),
        .init(name: "multi-head attention beyond 4096 × 4096 in all heads",
              arguments: ["attention", "--x", "wide.json", "--wq", "w.json", "--wk", "w.json", "--wv", "w.json", "--heads", "4", "--steps", "-o", "m.png"],
              fragments: ["--x wide.json", "2100 queries × 2100 keys × 4 heads", "16777216"], outputs: ["m.png"]),

        .init(name: "beam figure from an LM missing a context", arguments: ["beam", "--lm", "lm_sum.json", "-o", "t.png"],
              fragments: ["lm_sum.json"], outputs: ["t.png"]),
    ]
}

/// Every bad invocation fails the same clean way: non-zero status, exactly one `error:` line on
/// stderr naming the culprit, no crash, nothing written, nothing damaged.
@Suite("error catalogue")
struct ErrorCatalogueTests {
    static let precious = Array("precious bytes that must survive\n".utf8)

    /// Files the bad invocations refer to, created fresh in each run's current folder.
    static func prepareWorkspace(_ dir: URL) throws {
        let manager = FileManager.default
        for folder in ["d.npy", "somefolder", "folder.png"] {
            try manager.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        var files = [
            "empty.json": "[]\n",
            "eight.txt": "a\nb\nc\nd\ne\nf\ng\nh\n",
            "ragged.json": "[[0.5, 0.5], [1.0]]\n",
            "bad.csv": "a,b\n0.5,0.5\n0.5,x\n",
            // Compute-command inputs: Q [2, 3], K [2, 4], K3 [2, 3], V [3, 2], X [2, 4], W [4, 4], W43 [4, 3], odd [2, 3].
            "q.json": "[[1, 0, 0], [0, 1, 0]]\n",
            "k4.json": "[[1, 0, 0, 0], [0, 1, 0, 0]]\n",
            "k3.json": "[[1, 0, 0], [0, 1, 0]]\n",
            "v3.json": "[[1, 2], [3, 4], [5, 6]]\n",
            "x.json": "[[1, 0, 0, 0], [0, 1, 0, 0]]\n",
            "w.json": "[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]\n",
            "w43.json": "[[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]]\n",
            "qnan.json": "[[1, 0, 0], [0, 1e999, 0]]\n",
            "keymask.json": "[0, 0]\n",
            "lm_sum.json": "{\"next\": {\"<s>\": {\"a\": 0.5, \"</s>\": 0.4}}}\n",
        ]
        // 4,100 one-dimensional queries, and 2,100 four-dimensional token vectors.
        files["long.json"] = "[" + Array(repeating: "[1]", count: 4100).joined(separator: ",") + "]\n"
        files["wide.json"] = "[" + Array(repeating: "[1, 0, 0, 0]", count: 2100).joined(separator: ",") + "]\n"
        for (name, text) in files {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        }
    }

    /// Every file under `dir` with its bytes (nil for folders).
    static func snapshot(_ dir: URL) -> [String: [UInt8]?] {
        var result: [String: [UInt8]?] = [:]
        for path in TemporaryDirectory.listing(of: dir) {
            result[path] = CLIRunner.bytes(at: dir.appendingPathComponent(path))
        }
        return result
    }

    /// The checks shared by both runs of a case.
    static func checkFailure(_ result: CLIResult, _ invocation: BadInvocation, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.timedOut, "timed out", sourceLocation: sourceLocation)
        #expect(!result.crashed, "ended by a signal: \(result)", sourceLocation: sourceLocation)
        #expect(result.status == invocation.status, "exit status \(result.status), expected \(invocation.status)", sourceLocation: sourceLocation)
        #expect(result.status < 128, "exit status \(result.status) looks like a crash", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "unexpected stdout: \(result.stdout)", sourceLocation: sourceLocation)

        let stderr = result.stderr
        #expect(stderr.hasPrefix("error: "), "stderr does not start with 'error: ': \(stderr)", sourceLocation: sourceLocation)
        #expect(stderr.hasSuffix("\n"), "stderr is not one terminated line: \(stderr)", sourceLocation: sourceLocation)
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1, "stderr has \(lines.count) lines: \(stderr)", sourceLocation: sourceLocation)
        for trace in ["Fatal error", "Stack dump", "Backtrace", "Current stack trace", "Swift runtime failure", "0x0000"] {
            #expect(!stderr.contains(trace), "stderr looks like a crash report: \(stderr)", sourceLocation: sourceLocation)
        }
        for fragment in invocation.fragments {
            #expect(stderr.contains(fragment), "stderr lacks '\(fragment)': \(stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test("fails cleanly and writes nothing", arguments: BadInvocation.all)
    func failsCleanly(_ invocation: BadInvocation) throws {
        try TemporaryDirectory.with { dir in
            try Self.prepareWorkspace(dir)
            let before = Self.snapshot(dir)
            let result = try CLIRunner.run(invocation.resolvedArguments, in: dir)
            Self.checkFailure(result, invocation)
            // No output, no temporary file, no new folder: the workspace is exactly as it was.
            let after = Self.snapshot(dir)
            #expect(after.keys.sorted() == before.keys.sorted(), "files changed: \(Set(after.keys).symmetricDifference(before.keys).sorted())")
            #expect(after == before)
        }
    }

    @Test("leaves existing outputs byte-for-byte unchanged",
          arguments: BadInvocation.all.filter { !$0.outputs.isEmpty })
    func keepsExistingOutputs(_ invocation: BadInvocation) throws {
        try TemporaryDirectory.with { dir in
            try Self.prepareWorkspace(dir)
            var planted: [String] = []
            for output in invocation.outputs {
                let url = dir.appendingPathComponent(output)
                var isDirectory: ObjCBool = false
                let parentExists = FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path, isDirectory: &isDirectory)
                guard parentExists, isDirectory.boolValue, !FileManager.default.fileExists(atPath: url.path) else { continue }
                try Data(Self.precious).write(to: url)
                planted.append(output)
            }
            let before = Self.snapshot(dir)
            let result = try CLIRunner.run(invocation.resolvedArguments, in: dir)
            Self.checkFailure(result, invocation)
            for output in planted {
                #expect(CLIRunner.bytes(at: dir.appendingPathComponent(output)) == Self.precious, "\(output) was changed")
            }
            let after = Self.snapshot(dir)
            #expect(after.keys.sorted() == before.keys.sorted(), "files changed: \(Set(after.keys).symmetricDifference(before.keys).sorted())")
            #expect(after == before)
        }
    }

    @Test("the catalogue is large enough and its names are unique")
    func catalogueShape() {
        #expect(BadInvocation.all.count >= 40)
        #expect(Set(BadInvocation.all.map(\.name)).count == BadInvocation.all.count)
    }
}
