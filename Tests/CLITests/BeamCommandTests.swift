import Foundation
import TestSupport
import Testing

/// `transfigure beam -o` end to end: both styles in every format, reruns byte-identical, the
/// dump next to the figure unchanged, the numbers of the figure equal to the dump's.
@Suite struct BeamCommandTests {
    static let lm = """
        { "bos": "<s>", "eos": "</s>",
          "next": { "<s>": {"rain": 0.3, "sun": 0.3, "snow": 0.2, "wind": 0.15, "fog": 0.05},
                    "rain": {"today": 0.4, "tonight": 0.3, "later": 0.2, "</s>": 0.1},
                    "sun": {"today": 0.5, "tomorrow": 0.3, "</s>": 0.2},
                    "snow": {"tonight": 0.5, "later": 0.25, "tomorrow": 0.15, "</s>": 0.1},
                    "today": {"and": 0.35, "then": 0.3, "</s>": 0.35},
                    "and": {"rain": 0.3, "sun": 0.3, "snow": 0.4},
                    "then": {"sun": 0.4, "rain": 0.6},
                    "": {"</s>": 1.0} } }
        """

    static let runs: [[String]] = [
        ["--demo"],
        ["--demo", "--style", "compare"],
        ["--lm", "lm.json", "--beam-width", "5", "--max-length", "8", "--length-penalty", "0.7"],
        ["--lm", "lm.json", "--beam-width", "1", "--max-length", "8"],
        ["--lm", "lm.json", "--beam-width", "2", "--style", "compare", "--title", "Weather <report> & \"more\""],
    ]

    @Test(arguments: ["png", "svg", "pdf"])
    func everyStyleRendersIdenticallyTwice(format: String) throws {
        try TemporaryDirectory.with { dir in
            try Self.lm.write(to: dir.appendingPathComponent("lm.json"), atomically: true, encoding: .utf8)
            for (k, options) in Self.runs.enumerated() {
                for round in ["a", "b"] {
                    try CLIRunner.runSucceeding(["beam"] + options + ["-o", "\(k)-\(round).\(format)"], in: dir)
                }
                let a = CLIRunner.bytes(at: dir.appendingPathComponent("\(k)-a.\(format)"))
                #expect(a != nil && (a?.count ?? 0) > 1000, "\(options) wrote nothing")
                #expect(a == CLIRunner.bytes(at: dir.appendingPathComponent("\(k)-b.\(format)")), "\(options) differs run to run")
            }
            if format == "svg", let svg = CLIRunner.bytes(at: dir.appendingPathComponent("4-a.svg")) {
                // Cairo draws text as glyphs, so the title is not in the SVG as text, and nothing in it is markup.
                #expect(!String(decoding: svg, as: UTF8.self).contains("<report>"))
            }
        }
    }

    @Test func theFigureDoesNotChangeTheDump() throws {
        try TemporaryDirectory.with { dir in
            try Self.lm.write(to: dir.appendingPathComponent("lm.json"), atomically: true, encoding: .utf8)
            for style in ["tree", "compare"] {
                let options = ["beam", "--lm", "lm.json", "--beam-width", "3", "--style", style]
                try CLIRunner.runSucceeding(options + ["--dump", "\(style)-only.json"], in: dir)
                try CLIRunner.runSucceeding(options + ["-o", "\(style).png", "--dump", "\(style)-with.json"], in: dir)
                let only = CLIRunner.bytes(at: dir.appendingPathComponent("\(style)-only.json"))
                #expect(only != nil && only == CLIRunner.bytes(at: dir.appendingPathComponent("\(style)-with.json")))
                let png = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("\(style).png")))
                try CLIRunner.expectFigureFile(png, format: "png", minWidth: 500, minHeight: 300)
            }
        }
    }

    @Test func aMissingContextIsAnErrorAndNoFigureIsWritten() throws {
        try TemporaryDirectory.with { dir in
            // "sun" has no successor and there is no "" fallback.
            let lm = #"{"next": {"<s>": {"sun": 1.0}}}"#
            try lm.write(to: dir.appendingPathComponent("lm.json"), atomically: true, encoding: .utf8)
            let result = try CLIRunner.run(["beam", "--lm", "lm.json", "-o", "t.png"], in: dir)
            #expect(result.status != 0)
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains("lm.json") && result.stderr.contains("sun"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.png").path))
        }
    }
}
