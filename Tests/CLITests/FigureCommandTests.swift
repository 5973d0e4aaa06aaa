import Foundation
import TestSupport
import Testing

/// `heads`, `attention --steps` and `gallery`, end to end.
@Suite struct FigureCommandTests {
    @Test(arguments: ["png", "svg", "pdf"])
    func headGridAndOverviewRenderIdenticallyTwice(format: String) throws {
        try TemporaryDirectory.with { dir in
            let bert = CLIRunner.fixture("bert_like.npy"), tokens = CLIRunner.fixture("bert_tokens.json")
            for round in ["a", "b"] {
                try CLIRunner.runSucceeding(["heads", bert, "--layers", "3", "--tokens-file", tokens, "-o", "layer-\(round).\(format)"], in: dir)
                try CLIRunner.runSucceeding(["heads", bert, "-o", "overview-\(round).\(format)"], in: dir)
            }
            for name in ["layer", "overview"] {
                let a = CLIRunner.bytes(at: dir.appendingPathComponent("\(name)-a.\(format)"))
                #expect(a != nil && a == CLIRunner.bytes(at: dir.appendingPathComponent("\(name)-b.\(format)")), "\(name).\(format)")
            }
        }
    }

    @Test func headsDumpHoldsTheChosenPanels() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(["heads", CLIRunner.fixture("bert_like.npy"), "--layers", "1-2", "--heads", "0,5", "--dump", "h.json"], in: dir)
            let data = try Data(contentsOf: dir.appendingPathComponent("h.json"))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let panels = try #require(json["panels"] as? [[String: Any]])
            #expect(panels.map { $0["layer"] as? Int } == [1, 1, 2, 2])
            #expect(panels.map { $0["head"] as? Int } == [0, 5, 0, 5])
            let npy = try TestNpy(path: CLIRunner.fixture("bert_like.npy"))
            let weights = try #require(panels[1]["weights"] as? [[Double]])
            // Layer 1, head 5, row 0, column 3 of the [6, 12, 16, 16] tensor.
            #expect(abs(weights[0][3] - npy.values[((1 * 12 + 5) * 16 + 0) * 16 + 3]) < 1e-12)
        }
    }

    @Test func stepsFigureRendersForFilesAndForText() throws {
        try TemporaryDirectory.with { dir in
            try Data("[[1, 0], [0, 1], [1, 1]]".utf8).write(to: dir.appendingPathComponent("q.json"))
            try Data("[[1, 0], [0, 1], [1, -1]]".utf8).write(to: dir.appendingPathComponent("k.json"))
            try Data("[[1, 2], [3, 4], [5, 6]]".utf8).write(to: dir.appendingPathComponent("v.json"))
            try Data("[\"a\", \"b\", \"c\"]".utf8).write(to: dir.appendingPathComponent("t.json"))
            try CLIRunner.runSucceeding(["attention", "--q", "q.json", "--k", "k.json", "--v", "v.json", "--mask", "causal", "--steps", "--tokens-file", "t.json", "-o", "s.png"], in: dir)
            try CLIRunner.runSucceeding(["attention", "--tokens", "I am Chetan", "--d-model", "8", "--heads", "2", "--head", "1", "--steps", "-o", "toy.svg"], in: dir)
            let png = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("s.png")))
            #expect((pngSize(png)?.width ?? 0) > 400)
            let bad = try CLIRunner.run(["attention", "--q", "q.json", "--k", "k.json", "--steps", "--tokens-file", "t.json", "--key-tokens-file", "q.json", "-o", "x.png"], in: dir)
            #expect(bad.status != 0 && bad.stderr.hasPrefix("error: "))
        }
    }

    @Test func peStylesRenderAndRejectWhatDoesNotFit() throws {
        try TemporaryDirectory.with { dir in
            for style in ["heatmap", "waves", "similarity"] {
                for format in ["png", "svg", "pdf"] {
                    try CLIRunner.runSucceeding(["pe", "--positions", "50", "--d-model", "32", "--style", style, "-o", "\(style).\(format)"], in: dir)
                }
            }
            try CLIRunner.runSucceeding(["pe", "--positions", "50", "--d-model", "32", "--style", "waves", "--dims", "0-3", "-o", "d.png"], in: dir)
            for (arguments, fragment) in [
                (["--style", "waves", "--dims", "40"], "--dims"), (["--style", "heatmap", "--dims", "1"], "--dims"),
                (["--style", "spiral"], "--style"), (["--style", "waves", "--dims", "3-1"], "--dims"),
            ] {
                let result = try CLIRunner.run(["pe", "--positions", "50", "--d-model", "32"] + arguments + ["-o", "bad.png"], in: dir)
                #expect(result.status != 0 && result.stderr.hasPrefix("error: ") && result.stderr.contains(fragment), "\(arguments)")
                #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.png").path))
            }
        }
    }

    @Test func ropeSpectrumNumbersFollowTheFormula() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(["rope", "--d-model", "16", "--base", "500000", "--style", "spectrum", "--dump", "s.npy"], in: dir)
            let wavelengths = try TestNpy(path: dir.appendingPathComponent("s.npy").path).values
            #expect(wavelengths.count == 8)
            for (i, value) in wavelengths.enumerated() {
                let expected = 2 * Double.pi * pow(500_000, Double(2 * i) / 16)
                #expect(abs(value - expected) <= 1e-12 * expected)
            }
        }
    }

    @Test func longQueryKeyPairsArePooledWhileComputed() throws {
        try TemporaryDirectory.with { dir in
            // 1,200 tokens: more than the 560-pt plot has pixels at scale 1, so the row-block path runs.
            let n = 1200
            func rows(_ phase: Double) -> String {
                "[" + (0..<n).map { i in
                    let t = Double(i) / 9 + phase
                    return "[\(cos(t)), \(sin(t)), \(cos(t / 7)), \(sin(t / 7))]"
                }.joined(separator: ",") + "]"
            }
            try rows(0).write(to: dir.appendingPathComponent("q.json"), atomically: true, encoding: .utf8)
            try rows(0.1).write(to: dir.appendingPathComponent("k.json"), atomically: true, encoding: .utf8)
            for (mask, file) in [("causal", "c.png"), ("none", "n.svg")] {
                let result = try CLIRunner.runSucceeding(["attention", "--q", "q.json", "--k", "k.json", "--mask", mask, "-o", file], in: dir)
                #expect(result.stderr.isEmpty)
            }
            let png = try Data(contentsOf: dir.appendingPathComponent("c.png"))
            try CLIRunner.expectFigureFile(Array(png), format: "png", minWidth: 400, minHeight: 400)
            try CLIRunner.runSucceeding(["attention", "--q", "q.json", "--k", "k.json", "--mask", "causal", "-o", "again.png"], in: dir)
            #expect(try Data(contentsOf: dir.appendingPathComponent("again.png")) == png)

            try "[\"a\", \"b\"]".write(to: dir.appendingPathComponent("t.json"), atomically: true, encoding: .utf8)
            let tokens = try CLIRunner.run(["attention", "--q", "q.json", "--k", "k.json", "--tokens-file", "t.json", "-o", "t.png"], in: dir)
            #expect(tokens.status != 0 && tokens.stderr.contains("t.json") && tokens.stderr.contains("1200"))
            let head = try CLIRunner.run(["attention", "--q", "q.json", "--k", "k.json", "--head", "1", "-o", "h.png"], in: dir)
            #expect(head.status != 0 && head.stderr.contains("--head"))
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.png").path))
        }
    }

    @Test func pngsRecordTheCommandThatMadeThemButNotWhereTheyWent() throws {
        try TemporaryDirectory.with { dir in
            try CLIRunner.runSucceeding(["pe", "--positions", "10", "--d-model", "8", "--png-compression", "9", "-o", "a.png"], in: dir)
            try CLIRunner.runSucceeding(["pe", "--positions", "10", "--d-model", "8", "--png-compression", "9", "--output", "b.png"], in: dir)
            let a = try Data(contentsOf: dir.appendingPathComponent("a.png"))
            #expect(try Data(contentsOf: dir.appendingPathComponent("b.png")) == a)
            let chunk = Data("tEXtDescription".utf8) + Data([0]) + Data("transfigure pe --positions 10 --d-model 8 --png-compression 9".utf8)
            #expect(a.range(of: chunk) != nil)
            let bad = try CLIRunner.run(["pe", "--positions", "10", "--d-model", "8", "--png-compression", "12", "-o", "c.png"], in: dir)
            #expect(bad.status != 0 && bad.stderr.contains("--png-compression"))
        }
    }

    @Test func galleryWritesOneFilePerKind() throws {
        try TemporaryDirectory.with { dir in
            // The long-context entry at 2,048 tokens: the same row-block path as 32,768, in a debug build's time.
            try CLIRunner.runSucceeding(["gallery", "-o", "g", "--long-context", "2048"], in: dir)
            let files = TemporaryDirectory.listing(of: dir.appendingPathComponent("g"))
            for name in ["heatmap-annotated.png", "heatmap-causal.png", "heatmap-cross.png", "heatmap-long.png", "heads-layer.png",
                         "heads-overview.png", "attention-steps.png", "pe-heatmap.png", "pe-waves.png", "pe-similarity.png",
                         "lines-heads.png", "lines-query.png", "beam-tree.png", "beam-compare.png", "xor-regions.png", "attention-long-context.png"] {
                #expect(files.contains(name), "missing \(name)")
            }
            let file = try CLIRunner.run(["gallery", "-o", "g/heatmap-causal.png"], in: dir)
            #expect(file.status != 0 && file.stderr.contains("is a file"))
        }
    }
}
