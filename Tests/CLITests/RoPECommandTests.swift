import Foundation
import TestSupport
import Testing

/// `transfigure rope` figures end to end: every style in every format, reruns byte-identical,
/// the numbers behind the figure, `--x` still rotating rows, and clean errors.
@Suite struct RoPECommandTests {
    static let styles: [[String]] = [
        ["--d-model", "64", "--style", "clock"],
        ["--d-model", "8", "--style", "pairing"],
        ["--d-model", "64", "--style", "pairing", "--convention", "interleaved"],
        ["--d-model", "64", "--style", "relative", "--base", "500000"],
        ["--d-model", "128", "--style", "spectrum"],
        ["--d-model", "64", "--style", "decay", "--positions", "300", "--convention", "interleaved"],
    ]

    @Test(arguments: ["png", "svg", "pdf"])
    func everyStyleRendersIdenticallyTwice(format: String) throws {
        try TemporaryDirectory.with { dir in
            for (k, options) in Self.styles.enumerated() {
                for round in ["a", "b"] {
                    try CLIRunner.runSucceeding(["rope"] + options + ["-o", "\(k)-\(round).\(format)"], in: dir)
                }
                let a = CLIRunner.bytes(at: dir.appendingPathComponent("\(k)-a.\(format)"))
                #expect(a != nil && (a?.count ?? 0) > 1000, "\(options) wrote nothing")
                #expect(a == CLIRunner.bytes(at: dir.appendingPathComponent("\(k)-b.\(format)")), "\(options) differs run to run")
            }
            if format == "png", let png = CLIRunner.bytes(at: dir.appendingPathComponent("0-a.png")) {
                #expect((pngSize(png)?.width ?? 0) > 600, "four clocks side by side")
            }
        }
    }

    @Test func clockIsTheDefaultStyleAndDumpsItsAngles() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(["rope", "--d-model", "16", "--pairs", "0,7", "--positions", "5", "-o", "c.png", "--dump", "c.json"], in: dir)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("c.json"))) as? [String: Any])
            #expect(json["style"] as? String == "clock" && json["convention"] as? String == "half")
            let pairs = try #require(json["pairs"] as? [[String: Any]])
            #expect(pairs.map { $0["pair"] as? Int } == [0, 7])
            #expect(pairs[1]["coordinates"] as? [Int] == [7, 15])
            let angles = try #require(pairs[1]["angles"] as? [Double])
            let theta = pow(10_000.0, -14.0 / 16.0)
            #expect(angles.count == 5 && zip(angles, 0..<5).allSatisfy { abs($0 - Double($1) * theta) < 1e-15 })

            try CLIRunner.runSucceeding(["rope", "--d-model", "16", "--positions", "5", "--dump", "c.npy"], in: dir)
            let npy = try TestNpy(path: dir.appendingPathComponent("c.npy").path)
            #expect(npy.shape == [4, 5], "4 default pairs × 5 positions")
        }
    }

    @Test func relativeDumpIsConstantAlongDiagonals() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(
                ["rope", "--d-model", "32", "--style", "relative", "--positions", "12", "--convention", "interleaved", "--seed", "3",
                 "--dump", "r.json"], in: dir)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("r.json"))) as? [String: Any])
            let scores = try #require(json["with_rope"] as? [[Double]])
            let plain = try #require(json["without_position"] as? [[Double]])
            let q = try #require(json["q"] as? [Double]), k = try #require(json["k"] as? [Double])
            let qk = zip(q, k).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(scores.count == 12 && json["seed"] as? Int == 3)
            for m in 0..<11 {
                for n in 0..<11 { #expect(abs(scores[m][n] - scores[m + 1][n + 1]) < 1e-9) }
            }
            #expect(abs(scores[4][4] - qk) < 1e-9)
            #expect(plain.allSatisfy { row in row.allSatisfy { abs($0 - qk) < 1e-12 } })
        }
    }

    @Test func rowsOfXStillRotateAndCanBeDrawn() throws {
        try TemporaryDirectory.with { dir in
            try Data("[[1, 0, 0, 0], [0, 0, 1, 0], [1, 1, 1, 1]]".utf8).write(to: dir.appendingPathComponent("x.json"))
            try CLIRunner.runSucceeding(["rope", "--x", "x.json", "--offset", "1", "--dump", "r.npy"], in: dir)
            let rotated = try TestNpy(path: dir.appendingPathComponent("r.npy").path)
            // Row 0 at position 1: pair 0 (x0, x2) turns by 1 rad.
            #expect(rotated.shape == [3, 4] && abs(rotated.values[0] - cos(1)) < 1e-12 && abs(rotated.values[2] - sin(1)) < 1e-12)

            try CLIRunner.runSucceeding(["rope", "--x", "x.json", "-o", "x.png", "--dump", "x.npy"], in: dir)
            #expect(CLIRunner.bytes(at: dir.appendingPathComponent("x.png")) != nil)
            #expect(CLIRunner.bytes(at: dir.appendingPathComponent("x.npy")) != nil)

            try Data("[[1, 0, 0, 0]]".utf8).write(to: dir.appendingPathComponent("one.json"))
            let one = try CLIRunner.run(["rope", "--x", "one.json", "-o", "one.png"], in: dir)
            expectOneError(one, mentioning: ["one.json", "two rows"])
            #expect(CLIRunner.bytes(at: dir.appendingPathComponent("one.png")) == nil)
        }
    }

    /// Each bad invocation: exit status non-zero, exactly one `error:` line naming the option, no file.
    static let badInvocations: [(arguments: [String], fragments: [String])] = [
        (["--d-model", "7", "--style", "clock"], ["--d-model", "7", "even"]),
        (["--d-model", "8", "--style", "sundial"], ["--style", "sundial", "clock"]),
        (["--d-model", "8", "--style", "spectrum", "--positions", "5"], ["--positions", "spectrum"]),
        (["--d-model", "8", "--style", "decay", "--positions", "70000"], ["--positions", "70000"]),
        (["--d-model", "8", "--base", "0"], ["--base", "0"]),
        (["--d-model", "8", "--base", "-5"], ["--base", "-5"]),
        (["--d-model", "8", "--positions", "0"], ["--positions", "0"]),
        (["--d-model", "8", "--style", "relative", "--positions", "100000"], ["--positions", "100000"]),
        (["--d-model", "8", "--pairs", "4"], ["--pairs", "4", "out of range"]),
        (["--d-model", "8", "--style", "pairing", "--positions", "4"], ["--positions", "pairing"]),
        (["--d-model", "8", "--seed", "3"], ["--seed", "relative"]),
        (["--style", "clock"], ["--d-model"]),
        (["--x", "x.json", "--style", "clock"], ["--style", "--x"]),
    ]

    @Test func badInvocationsFailWithOneLineAndNoFile() throws {
        try TemporaryDirectory.with { dir in
            try Data("[[1, 0, 0, 0], [0, 1, 0, 0]]".utf8).write(to: dir.appendingPathComponent("x.json"))
            for (arguments, fragments) in Self.badInvocations {
                let result = try CLIRunner.run(["rope"] + arguments + ["-o", "out.png", "--dump", "out.json"], in: dir)
                expectOneError(result, mentioning: fragments)
                #expect(CLIRunner.bytes(at: dir.appendingPathComponent("out.png")) == nil, "\(arguments) left out.png")
                #expect(CLIRunner.bytes(at: dir.appendingPathComponent("out.json")) == nil, "\(arguments) left out.json")
            }
            let npy = try CLIRunner.run(["rope", "--d-model", "8", "--style", "pairing", "--dump", "p.npy"], in: dir)
            expectOneError(npy, mentioning: ["--dump", "p.npy", ".json"])
        }
    }

    func expectOneError(_ result: CLIResult, mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 0 && !result.crashed, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("error: ") && result.stderr.hasSuffix("\n"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "more than one line: \(result.stderr)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(result.stderr.contains(fragment), "'\(fragment)' missing from \(result.stderr)", sourceLocation: sourceLocation)
        }
    }
}
