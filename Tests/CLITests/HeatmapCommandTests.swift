import Foundation
import TestSupport
import Testing

/// `transfigure heatmap` run as a user runs it: a separate process, files in, files out.
@Suite("heatmap command")
struct HeatmapCommandTests {
    static let bert = CLIRunner.bert
    static let bertTokens = CLIRunner.bertTokens
    static let tokens = CLIRunner.bertTokenList
    /// The usual invocation: layer 3, head 1 of the BERT-shaped tensor, with its tokens.
    static let bertArguments = ["heatmap", bert, "--layer", "3", "--head", "1", "--tokens-file", bertTokens]

    // MARK: Helpers


    /// A JSON dump as a dictionary.
    func readJSON(_ url: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let data = try Data(contentsOf: url)
        let object = try JSONSerialization.jsonObject(with: data)
        return try #require(object as? [String: Any], "not a JSON object: \(url.path)", sourceLocation: sourceLocation)
    }

    /// The `weights` member of a dump, as rows of doubles. Decoded with `JSONDecoder`, which reads
    /// numbers exactly; `JSONSerialization` on Linux can be off in the last digit.
    func weights(of url: URL) throws -> [[Double]] {
        struct Dump: Decodable { let weights: [[Double]] }
        return try JSONDecoder().decode(Dump.self, from: Data(contentsOf: url)).weights
    }

    func integers(_ value: Any?) -> [Int]? {
        (value as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue }
    }

    // MARK: Figures

    @Test("writes each figure format", arguments: ["png", "svg", "pdf"])
    func figureFormats(ext: String) throws {
        try TemporaryDirectory.with { dir in
            let result = try CLIRunner.runSucceeding(Self.bertArguments + ["-o", "attn.\(ext)"], in: dir)
            #expect(result.stdout.isEmpty)
            let bytes = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("attn.\(ext)")))
            try CLIRunner.expectFigureFile(bytes, format: ext, minWidth: 100, minHeight: 100)
            // The atomic write leaves no temporary file behind.
            #expect(TemporaryDirectory.listing(of: dir) == ["attn.\(ext)"])
        }
    }

    @Test("a 2-D .npy needs no --layer or --head, and its dump holds the file's values")
    func twoDimensional() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(["heatmap", CLIRunner.fixture("causal.npy"), "-o", "causal.png", "--dump", "causal.json"], in: dir)
            #expect(pngSize(CLIRunner.bytes(at: dir.appendingPathComponent("causal.png")) ?? []) != nil)
            let json = try readJSON(dir.appendingPathComponent("causal.json"))
            let expected = try TestNpy(path: CLIRunner.fixture("causal.npy"))
            #expect(expected.shape == [8, 8])
            #expect(try weights(of: dir.appendingPathComponent("causal.json")) == expected.matrix())
            #expect(integers(json["tensor_shape"]) == [8, 8])
            #expect(json["layer"] is NSNull)
            #expect(json["head"] is NSNull)
            // The upper triangle is exactly 0, so the default mask choice detects a causal matrix.
            #expect(json["mask"] as? String == "causal")
        }
    }

    @Test("a 3-D .npy with --head picks that head")
    func threeDimensional() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(["heatmap", CLIRunner.fixture("heads.npy"), "--head", "2", "--dump", "h.json"], in: dir)
            let json = try readJSON(dir.appendingPathComponent("h.json"))
            let expected = try TestNpy(path: CLIRunner.fixture("heads.npy"))
            #expect(try weights(of: dir.appendingPathComponent("h.json")) == expected.matrix(at: [2]))
            #expect(integers(json["tensor_shape"]) == [4, 8, 8])
            #expect((json["head"] as? NSNumber)?.intValue == 2)
        }
    }

    @Test("--array picks a member of an .npz")
    func npzMember() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(["heatmap", CLIRunner.fixture("several.npz"), "--array", "second", "--dump", "s.json"], in: dir)
            _ = try readJSON(dir.appendingPathComponent("s.json"))
            #expect(try weights(of: dir.appendingPathComponent("s.json")) == [[0.5, 0.5], [0.5, 0.5]])
        }
    }

    @Test("--window 2:10 crops queries and keys, and the tokens with them")
    func window() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(Self.bertArguments + ["--window", "2:10", "-o", "w.png", "--dump", "w.json"], in: dir)
            let full = try TestNpy(path: Self.bert).matrix(at: [3, 1])
            let json = try readJSON(dir.appendingPathComponent("w.json"))
            let cropped = full[2..<10].map { Array($0[2..<10]) }
            #expect(try weights(of: dir.appendingPathComponent("w.json")) == cropped)
            #expect(integers(json["rows"]) == [2, 10])
            #expect(integers(json["columns"]) == [2, 10])
            #expect(json["row_tokens"] as? [String] == Array(Self.tokens[2..<10]))
            #expect(json["column_tokens"] as? [String] == Array(Self.tokens[2..<10]))

            try CLIRunner.runSucceeding(Self.bertArguments + ["-o", "full.png"], in: dir)
            let croppedSize = try #require(pngSize(CLIRunner.bytes(at: dir.appendingPathComponent("w.png")) ?? []))
            let fullSize = try #require(pngSize(CLIRunner.bytes(at: dir.appendingPathComponent("full.png")) ?? []))
            #expect(CLIRunner.bytes(at: dir.appendingPathComponent("w.png")) != CLIRunner.bytes(at: dir.appendingPathComponent("full.png")))
            #expect(croppedSize.width <= fullSize.width && croppedSize.height <= fullSize.height)
        }
    }

    @Test("--colormap rdbu draws a different picture from the default")
    func colormap() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(Self.bertArguments + ["--colormap", "rdbu", "-o", "rdbu.png"], in: dir)
            try CLIRunner.runSucceeding(Self.bertArguments + ["-o", "default.png"], in: dir)
            let rdbu = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("rdbu.png")))
            let plain = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("default.png")))
            #expect(pngSize(rdbu) != nil)
            #expect(rdbu != plain)
        }
    }

    @Test("--annotate never and always both work and differ")
    func annotate() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(Self.bertArguments + ["--annotate", "never", "-o", "never.svg"], in: dir)
            try CLIRunner.runSucceeding(Self.bertArguments + ["--annotate", "always", "-o", "always.svg"], in: dir)
            let never = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("never.svg")))
            let always = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("always.svg")))
            #expect(never != always)
            // 256 written values add glyphs: the annotated figure is the larger file.
            #expect(always.count > never.count)
        }
    }

    @Test("--scale 2 gives a PNG of twice the pixel size")
    func scale() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(Self.bertArguments + ["-o", "one.png"], in: dir)
            try CLIRunner.runSucceeding(Self.bertArguments + ["--scale", "2", "-o", "two.png"], in: dir)
            let one = try #require(pngSize(CLIRunner.bytes(at: dir.appendingPathComponent("one.png")) ?? []))
            let two = try #require(pngSize(CLIRunner.bytes(at: dir.appendingPathComponent("two.png")) ?? []))
            #expect(two.width == 2 * one.width)
            #expect(two.height == 2 * one.height)
        }
    }

    // MARK: Dumps

    @Test("--dump x.json holds the selected matrix, its tokens and where it came from")
    func dumpJSON() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(Self.bertArguments + ["-o", "attn.png", "--dump", "attn.json"], in: dir)
            let npy = try TestNpy(path: Self.bert)
            #expect(npy.shape == [6, 12, 16, 16])
            let json = try readJSON(dir.appendingPathComponent("attn.json"))
            let dumped = try weights(of: dir.appendingPathComponent("attn.json"))
            #expect(dumped == npy.matrix(at: [3, 1]))
            // The layer/head order matters: the neighbours hold different numbers.
            #expect(dumped != npy.matrix(at: [1, 3]))
            #expect(integers(json["tensor_shape"]) == [6, 12, 16, 16])
            #expect((json["layer"] as? NSNumber)?.intValue == 3)
            #expect((json["head"] as? NSNumber)?.intValue == 1)
            #expect(json["row_tokens"] as? [String] == Self.tokens)
            #expect(json["column_tokens"] as? [String] == Self.tokens)
            #expect(TemporaryDirectory.listing(of: dir) == ["attn.json", "attn.png"])
        }
    }

    @Test("--dump without -o writes the numbers and no figure")
    func dumpOnly() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(Self.bertArguments + ["--dump", "only.json"], in: dir)
            #expect(TemporaryDirectory.listing(of: dir) == ["only.json"])
            _ = try readJSON(dir.appendingPathComponent("only.json"))
            #expect(try weights(of: dir.appendingPathComponent("only.json")).count == 16)
        }
    }

    @Test("--dump x.npy writes the matrix as float64 .npy, and reading it back gives the same numbers")
    func dumpNpyRoundTrip() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(Self.bertArguments + ["--dump", "m.npy"], in: dir)
            let dumped = try TestNpy(path: dir.appendingPathComponent("m.npy").path)
            #expect(dumped.shape == [16, 16])
            #expect(dumped.matrix() == (try TestNpy(path: Self.bert)).matrix(at: [3, 1]))

            // Fed back to the CLI, the dumped file is a 2-D attention matrix with the same numbers.
            try CLIRunner.runSucceeding(["heatmap", "m.npy", "--dump", "again.json"], in: dir)
            #expect(try weights(of: dir.appendingPathComponent("again.json")) == dumped.matrix())
            try CLIRunner.runSucceeding(["heatmap", "m.npy", "--dump", "again.npy"], in: dir)
            #expect(CLIRunner.bytes(at: dir.appendingPathComponent("again.npy")) == CLIRunner.bytes(at: dir.appendingPathComponent("m.npy")))
        }
    }

    // MARK: Determinism and paths

    @Test("the same command writes byte-identical files", arguments: ["png", "svg", "pdf", "json", "npy"])
    func deterministic(ext: String) throws {
        let output = ext == "json" || ext == "npy" ? ["--dump", "out.\(ext)"] : ["-o", "out.\(ext)"]
        let first = try TemporaryDirectory.make()
        let second = try TemporaryDirectory.make()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        try CLIRunner.runSucceeding(Self.bertArguments + ["--window", "1:12"] + output, in: first)
        try CLIRunner.runSucceeding(Self.bertArguments + ["--window", "1:12"] + output, in: second)
        let a = try #require(CLIRunner.bytes(at: first.appendingPathComponent("out.\(ext)")))
        let b = try #require(CLIRunner.bytes(at: second.appendingPathComponent("out.\(ext)")))
        #expect(!a.isEmpty)
        #expect(a == b, "two runs wrote different .\(ext) files")
    }

    @Test("relative paths are resolved against the current folder")
    func relativePaths() throws {
        try TemporaryDirectory.with { dir in
            let input = dir.appendingPathComponent("in")
            let output = dir.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.bert, toPath: input.appendingPathComponent("attn.npy").path)
            try FileManager.default.copyItem(atPath: Self.bertTokens, toPath: input.appendingPathComponent("tokens.json").path)

            try CLIRunner.runSucceeding([
                "heatmap", "in/attn.npy", "--layer", "3", "--head", "1", "--tokens-file", "./in/tokens.json",
                "-o", "out/fig.png", "--dump", "out/../out/fig.json",
            ], in: dir)
            #expect(TemporaryDirectory.listing(of: output) == ["fig.json", "fig.png"])
            #expect(pngSize(CLIRunner.bytes(at: output.appendingPathComponent("fig.png")) ?? []) != nil)
            let json = try readJSON(output.appendingPathComponent("fig.json"))
            #expect(try weights(of: output.appendingPathComponent("fig.json")) == (try TestNpy(path: Self.bert)).matrix(at: [3, 1]))
            #expect(json["row_tokens"] as? [String] == Self.tokens)

            // Run from inside the output folder, reaching the input through "..".
            try CLIRunner.runSucceeding(["heatmap", "../in/attn.npy", "--layer", "0", "--head", "0", "--dump", "here.npy"], in: output)
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("here.npy").path))
        }
    }

    // MARK: Help

    @Test("--help prints the usage on stdout and exits 0", arguments: [["--help"], ["-h"], ["help"]])
    func rootHelp(arguments: [String]) throws {
        try TemporaryDirectory.with { dir in
            let result = try CLIRunner.runSucceeding(arguments, in: dir)
            #expect(result.stdout.contains("USAGE: transfigure"))
            #expect(result.stdout.contains("heatmap"))
            #expect(result.stdout.contains("report"))
            #expect(TemporaryDirectory.listing(of: dir).isEmpty)
        }
    }

    @Test("heatmap --help prints the heatmap usage and options on stdout and exits 0",
          arguments: [["heatmap", "--help"], ["heatmap", "-h"], ["help", "heatmap"]])
    func heatmapHelp(arguments: [String]) throws {
        try TemporaryDirectory.with { dir in
            let result = try CLIRunner.runSucceeding(arguments, in: dir)
            #expect(result.stdout.contains("USAGE: transfigure heatmap"))
            for option in ["--layer", "--head", "--tokens", "--tokens-file", "--window", "--colormap", "--output", "--dump", "--scale"] {
                #expect(result.stdout.contains(option), "help does not mention \(option)")
            }
            #expect(TemporaryDirectory.listing(of: dir).isEmpty)
        }
    }
}
