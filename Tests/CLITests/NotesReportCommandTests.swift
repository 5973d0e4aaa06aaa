import Foundation
import TestSupport
import Testing

/// `transfigure report NOTES.md` end to end: figure blocks drawn by the real subcommands, the
/// pages referencing only files in the folder, errors at the block's line, and nothing written on failure.
@Suite struct NotesReportCommandTests {
    static let notes = """
        # Attention notes

        Scores are scaled by $\\sqrt{d_k}$ before the softmax.

        ## A head of BERT

        ```transfigure
        figure: heatmap
        file: data/bert_like.npy
        layer: 3
        head: 1
        tokens-file: data/bert_tokens.json
        caption: Layer 3, head 1
        ```

        ## Positions

        $$
        \\mathrm{PE}_{(p, 2i)} = \\sin\\left(\\frac{p}{10000^{2i/d}}\\right)
        $$

        ```transfigure
        figure: pe
        positions: 40
        d-model: 16
        style: waves
        caption: Waves
        ```

        ## Decoding

        ```transfigure
        figure: beam
        demo: true
        style: compare
        beam-width: 2
        ```
        """

    /// A scratch folder with the notes and their data under `data/`.
    func workspace(_ dir: URL, notes: String = Self.notes) throws {
        let data = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for name in ["bert_like.npy", "bert_tokens.json"] {
            try FileManager.default.copyItem(atPath: CLIRunner.fixture(name), toPath: data.appendingPathComponent(name).path)
        }
        try notes.write(to: dir.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
    }

    @Test func notesWithThreeFiguresBecomeAReportTwiceTheSame() throws {
        try TemporaryDirectory.with { dir in
            try workspace(dir)
            try CLIRunner.runSucceeding(["report", "notes.md", "-o", "a"], in: dir)
            try CLIRunner.runSucceeding(["report", "notes.md", "-o", "b"], in: dir)
            let files = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("a").path).sorted()
            #expect(files == ["figures", "figures/figure-1-heatmap.png", "figures/figure-2-pe.png", "figures/figure-3-beam.png", "index.html", "index.md"])
            for file in files where file.contains(".") {
                #expect(CLIRunner.bytes(at: dir.appendingPathComponent("a/\(file)")) == CLIRunner.bytes(at: dir.appendingPathComponent("b/\(file)")), "\(file)")
            }
            let html = String(decoding: CLIRunner.bytes(at: dir.appendingPathComponent("a/index.html")) ?? [], as: UTF8.self)
            #expect(html.contains("<figcaption><strong>Figure 1.</strong> Layer 3, head 1</figcaption>"))
            #expect(!html.contains(dir.path), "no absolute path of the build machine in the page")
            // Every src and href that is not a link to elsewhere names a file of the report.
            for reference in html.matches(of: /(?:src|href)="([^"#][^"]*)"/).map({ String($0.1) }) where !reference.hasPrefix("https:") {
                #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("a/\(reference)").path), "\(reference)")
            }
            // The default folder is Output/<notes name>.
            try CLIRunner.runSucceeding(["report", "notes.md"], in: dir)
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Output/notes/index.html").path))
        }
    }

    @Test func selfContainedAndSVGFigures() throws {
        try TemporaryDirectory.with { dir in
            try workspace(dir)
            try CLIRunner.runSucceeding(["report", "notes.md", "-o", "one", "--self-contained"], in: dir)
            let html = String(decoding: CLIRunner.bytes(at: dir.appendingPathComponent("one/index.html")) ?? [], as: UTF8.self)
            #expect(html.components(separatedBy: "src=\"data:image/png;base64,").count == 4)
            #expect(!html.contains("src=\"figures/"))
            try CLIRunner.runSucceeding(["report", "notes.md", "-o", "svg", "--figure-format", "svg"], in: dir)
            // An image of the notes is embedded too, and still copied for the Markdown page.
            let png = try #require(CLIRunner.bytes(at: dir.appendingPathComponent("one/figures/figure-1-heatmap.png")))
            try Data(png).write(to: dir.appendingPathComponent("data/picture.png"))
            try (Self.notes + "\n![A picture](data/picture.png)\n").write(to: dir.appendingPathComponent("pictured.md"), atomically: true, encoding: .utf8)
            try CLIRunner.runSucceeding(["report", "pictured.md", "-o", "pictured", "--self-contained"], in: dir)
            let pictured = String(decoding: CLIRunner.bytes(at: dir.appendingPathComponent("pictured/index.html")) ?? [], as: UTF8.self)
            #expect(pictured.contains("<img src=\"data:image/png;base64,\(Data(png).base64EncodedString())\" alt=\"A picture\">"))
            #expect(!pictured.contains("src=\"images/"))
            #expect(CLIRunner.bytes(at: dir.appendingPathComponent("pictured/images/1-picture.png")) == png)
            let svg = CLIRunner.bytes(at: dir.appendingPathComponent("svg/figures/figure-2-pe.svg")) ?? []
            #expect(String(decoding: svg.prefix(200), as: UTF8.self).contains("<svg"))
        }
    }

    @Test(arguments: [
        ("figure: heatmap\nfile: data/missing.npy", "missing.npy"),
        ("figure: heatmap\nfile: data/bert_like.npy", "--layer"),
        ("figure: pe\npositions: 0\nd-model: 8", "--positions"),
        ("figure: pe\npositions: 4\nd-model: 8\nsparkle: 3", "sparkle"),
        ("figure: sparkline", "unknown figure 'sparkline'"),
        ("figure: heatmap\nfile: ../outside.npy", "outside the notes' folder"),
    ])
    func aBrokenBlockNamesTheNotesAndTheLineAndWritesNothing(block: String, fragment: String) throws {
        try TemporaryDirectory.with { dir in
            try workspace(dir, notes: "# Notes\n\nText.\n\n```transfigure\n\(block)\n```\n")
            let result = try CLIRunner.run(["report", "notes.md", "-o", "out"], in: dir)
            #expect(result.status != 0 && !result.crashed)
            #expect(result.stderr.hasPrefix("error: notes.md:5: figure block: "), "\(result.stderr)")
            #expect(result.stderr.contains(fragment), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        }
    }

    @Test func aFailedRunLeavesThePreviousReportAsItWas() throws {
        try TemporaryDirectory.with { dir in
            try workspace(dir)
            try CLIRunner.runSucceeding(["report", "notes.md", "-o", "out"], in: dir)
            let before = CLIRunner.bytes(at: dir.appendingPathComponent("out/index.html"))
            try "# Broken\n\n```transfigure\nfigure: pe\n```\n".write(to: dir.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
            let result = try CLIRunner.run(["report", "notes.md", "-o", "out"], in: dir)
            #expect(result.status != 0)
            #expect(CLIRunner.bytes(at: dir.appendingPathComponent("out/index.html")) == before)
        }
    }
}
