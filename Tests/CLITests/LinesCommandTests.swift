import Foundation
import TestSupport
import Testing

/// `transfigure lines` run as a user runs it: a separate process, files in, files out.
@Suite("lines command")
struct LinesCommandTests {
    static let bert = CLIRunner.bert
    static let bertTokens = CLIRunner.bertTokens
    static let tokens = CLIRunner.bertTokenList
    /// Three heads of layer 3 overlaid, with tokens.
    static let threeHeads = ["lines", bert, "--layer", "3", "--heads", "0-2", "--tokens-file", bertTokens]

    // MARK: Helpers


    /// What a `--dump x.json` holds, decoded with `JSONDecoder` (exact numbers).
    struct Dump: Decodable {
        let tensor_shape: [Int]
        let layer: Int?
        let heads: [Int?]
        let queries: [Int]
        let keys: [Int]
        let threshold: Double
        let query: Int?
        let query_tokens: [String]?
        let key_tokens: [String]?
        let weights: [[[Double]]]
        let link_fields: [String]
        let links: [[Double?]]
    }

    func dump(_ url: URL) throws -> Dump {
        try JSONDecoder().decode(Dump.self, from: Data(contentsOf: url))
    }

    // MARK: Figures

    @Test("writes each figure format", arguments: ["png", "svg", "pdf"])
    func figureFormats(ext: String) throws {
        try TemporaryDirectory.with { dir in
            let result = try CLIRunner.runSucceeding(Self.threeHeads + ["-o", "lines.\(ext)"], in: dir)
            #expect(result.stdout.isEmpty)
            let bytes = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("lines.\(ext)")))
            try CLIRunner.expectFigureFile(bytes, format: ext, minWidth: 300, minHeight: 16 * 17)
            #expect(TemporaryDirectory.listing(of: dir) == ["lines.\(ext)"])
        }
    }

    @Test("the same command writes byte-identical files", arguments: ["png", "svg", "pdf", "json", "npy"])
    func deterministic(ext: String) throws {
        let output = ext == "json" || ext == "npy" ? ["--dump", "out.\(ext)"] : ["-o", "out.\(ext)"]
        let first = try TemporaryDirectory.make()
        let second = try TemporaryDirectory.make()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        try CLIRunner.runSucceeding(Self.threeHeads + output, in: first)
        try CLIRunner.runSucceeding(Self.threeHeads + output, in: second)
        let a = try #require(CLIRunner.bytes(at: first.appendingPathComponent("out.\(ext)")))
        let b = try #require(CLIRunner.bytes(at: second.appendingPathComponent("out.\(ext)")))
        #expect(!a.isEmpty)
        #expect(a == b, "two runs wrote different .\(ext) files")
    }

    @Test("--dump x.json holds each head's weights, the tokens and every drawn link")
    func dumpJSON() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(Self.threeHeads + ["-o", "l.png", "--dump", "l.json"], in: dir)
            let npy = try TestNpy(path: Self.bert)
            let d = try dump(dir.appendingPathComponent("l.json"))
            #expect(d.tensor_shape == [6, 12, 16, 16])
            #expect(d.layer == 3)
            #expect(d.heads == [0, 1, 2])
            #expect(d.queries == [0, 16] && d.keys == [0, 16])
            #expect(d.threshold == 0.02 && d.query == nil)
            #expect(d.query_tokens == Self.tokens && d.key_tokens == Self.tokens)
            #expect(d.weights == [npy.matrix(at: [3, 0]), npy.matrix(at: [3, 1]), npy.matrix(at: [3, 2])])
            #expect(d.link_fields == ["head", "query", "key", "weight"])
            let expected = d.weights.reduce(0) { $0 + $1.joined().filter { $0 >= 0.02 }.count }
            #expect(d.links.count == expected)
            for link in d.links {
                let head = try #require(link[0].map(Int.init)), q = try #require(link[1].map(Int.init)), k = try #require(link[2].map(Int.init))
                #expect(link[3] == npy.matrix(at: [3, head])[q][k])
            }
            #expect(TemporaryDirectory.listing(of: dir) == ["l.json", "l.png"])
        }
    }

    @Test("--dump x.npy holds the shown weights as [heads, queries, keys]")
    func dumpNpy() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(Self.threeHeads + ["--window", "2:10", "--dump", "l.npy"], in: dir)
            let dumped = try TestNpy(path: dir.appendingPathComponent("l.npy").path)
            #expect(dumped.shape == [3, 8, 8])
            let full = try TestNpy(path: Self.bert).matrix(at: [3, 2])
            #expect(dumped.matrix(at: [2]) == full[2..<10].map { Array($0[2..<10]) })
        }
    }

    @Test("--query 10 draws only that query's links, and a different picture")
    func query() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(Self.threeHeads + ["--query", "10", "-o", "q.png", "--dump", "q.json"], in: dir)
            try CLIRunner.runSucceeding(Self.threeHeads + ["-o", "all.png"], in: dir)
            let d = try dump(dir.appendingPathComponent("q.json"))
            #expect(d.query == 10)
            #expect(!d.links.isEmpty && d.links.allSatisfy { $0[1] == 10 })
            let q = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("q.png")))
            #expect(pngSize(q) != nil)
            #expect(q != CLIRunner.bytes(at: dir.appendingPathComponent("all.png")))
        }
    }

    @Test("--head, --threshold, --window, --title and a 3-D input work together")
    func otherOptions() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(["lines", Self.bert, "--layer", "3", "--head", "1", "--tokens-file", Self.bertTokens,
                               "--threshold", "0.1", "--window", "4:12", "--query", "10", "--title", "it → ?",
                               "-o", "w.svg", "--dump", "w.json"], in: dir)
            let d = try dump(dir.appendingPathComponent("w.json"))
            #expect(d.heads == [1] && d.queries == [4, 12] && d.threshold == 0.1)
            #expect(d.query_tokens == Array(Self.tokens[4..<12]))
            #expect(d.links.allSatisfy { ($0[3] ?? 0) >= 0.1 && $0[1] == 10 })
            let svg = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("w.svg")))
            #expect(String(decoding: svg, as: UTF8.self).contains("<svg"))

            try CLIRunner.runSucceeding(["lines", CLIRunner.fixture("heads.npy"), "--heads", "1,3", "--dump", "h.json"], in: dir)
            let h = try dump(dir.appendingPathComponent("h.json"))
            #expect(h.heads == [1, 3] && h.layer == nil && h.query_tokens == nil)
            #expect(h.weights == [try TestNpy(path: CLIRunner.fixture("heads.npy")).matrix(at: [1]),
                                  try TestNpy(path: CLIRunner.fixture("heads.npy")).matrix(at: [3])])
        }
    }

    @Test("lines --help names the options")
    func help() throws {
        try TemporaryDirectory.with { dir in
            let result = try CLIRunner.runSucceeding(["lines", "--help"], in: dir)
            #expect(result.stdout.contains("USAGE: transfigure lines"))
            for option in ["--layer", "--head", "--heads", "--tokens-file", "--threshold", "--query", "--window", "--output", "--dump"] {
                #expect(result.stdout.contains(option), "help does not mention \(option)")
            }
        }
    }

    // MARK: Errors

    /// Bad invocations of `lines`: each fails with one `error:` line holding every fragment.
    static let badInvocations: [(arguments: [String], fragments: [String])] = [
        (["lines", bert, "-o", "x.png"], ["bert_like.npy", "(6, 12, 16, 16)", "--layer", "--heads"]),
        (["lines", bert, "--layer", "3", "-o", "x.png"], ["bert_like.npy", "--head H (0–11)", "--heads LIST"]),
        (["lines", CLIRunner.fixture("heads.npy"), "-o", "x.png"], ["heads.npy", "(4, 8, 8)", "--head", "--heads"]),
        (["lines", bert, "--layer", "3", "--heads", "2-x", "-o", "x.png"], ["--heads: '2-x' is not a list like 3, 0,2,5 or 0-5"]),
        (["lines", bert, "--layer", "3", "--heads", "10-12", "-o", "x.png"], ["--heads", "12 is out of range", "12 heads"]),
        (["lines", bert, "--layer", "6", "--heads", "0", "-o", "x.png"], ["--layer", "6", "out of range"]),
        (["lines", bert, "--layer", "3", "--head", "1", "--heads", "0-2", "-o", "x.png"], ["--heads", "--head", "not both"]),
        (["lines", bert, "--layer", "3", "--head", "1", "--threshold", "1", "-o", "x.png"], ["--threshold", "below 1"]),
        (["lines", bert, "--layer", "3", "--head", "1", "--threshold", "-0.5", "-o", "x.png"], ["--threshold", "-0.5"]),
        (["lines", bert, "--layer", "3", "--head", "1", "--query", "16", "-o", "x.png"], ["--query", "16 is out of range", "16 queries"]),
        (["lines", bert, "--layer", "3", "--head", "1", "--query", "-1", "-o", "x.png"], ["--query", "-1"]),
        (["lines", bert, "--layer", "3", "--head", "1", "--window", "2:8", "--query", "9", "-o", "x.png"], ["--query", "9", "window", "2–7"]),
        (["lines", CLIRunner.fixture("causal.npy"), "--heads", "0", "-o", "x.png"], ["--heads", "causal.npy", "no heads"]),
        (["lines", bert, "--layer", "3", "--head", "1", "--tokens", "a b c", "-o", "x.png"], ["--tokens", "3 tokens", "16"]),
        (["lines", "scores.json", "-o", "x.png", "--dump", "x.json"], ["scores.json", "[0, 1]", "2.5", "between 0 and 1"]),
        (["lines", "wide.json", "-o", "x.png"], ["wide.json", "300", "--window", "heatmap"]),
        (["lines", bert, "--layer", "3", "--head", "1", "-o", "x.jpg"], ["x.jpg"]),
    ]

    @Test("bad invocations fail with one error line and write nothing", arguments: badInvocations.indices)
    func failsCleanly(index: Int) throws {
        let (arguments, fragments) = Self.badInvocations[index]
        try TemporaryDirectory.with { dir in
            try Data("[[0.5, 2.5], [0.5, 0.5]]\n".utf8).write(to: dir.appendingPathComponent("scores.json"))
            let row = "[" + Array(repeating: "0.0033", count: 300).joined(separator: ", ") + "]"
            try Data(("[" + Array(repeating: row, count: 300).joined(separator: ",\n") + "]\n").utf8)
                .write(to: dir.appendingPathComponent("wide.json"))
            let before = TemporaryDirectory.listing(of: dir)
            let result = try CLIRunner.run(arguments, in: dir)
            #expect(!result.crashed && !result.timedOut, "\(result)")
            #expect(result.status != 0 && result.status < 128, "\(result)")
            #expect(result.stdout.isEmpty)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && result.stderr.hasPrefix("error: ") && result.stderr.hasSuffix("\n"), "stderr: \(result.stderr)")
            for fragment in fragments {
                #expect(result.stderr.contains(fragment), "stderr lacks '\(fragment)': \(result.stderr)")
            }
            #expect(TemporaryDirectory.listing(of: dir) == before, "a failed command left files behind")
        }
    }
}
