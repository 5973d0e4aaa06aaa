import Foundation
import TestSupport
import Testing

/// `transfigure report` (the built-in study report) run as a separate process.
@Suite("report command")
struct ReportCommandTests {
    @Test("with no argument it writes Output/study-report/ under the current folder")
    func defaultFolder() throws {
        try TemporaryDirectory.with { dir in
            let result = try CLIRunner.run(["report"], in: dir)
            #expect(result.status == 0 && !result.crashed, "\(result)")
            #expect(result.stderr.isEmpty)
            let report = dir.appendingPathComponent("Output/study-report")
            let files = TemporaryDirectory.listing(of: report)
            #expect(files.contains("index.html"))
            #expect(files.contains("index.md"))
            let figures = files.filter { $0.hasPrefix("figures/") && $0.hasSuffix(".png") }
            #expect(!figures.isEmpty)
            for figure in figures {
                #expect(pngSize(CLIRunner.bytes(at: report.appendingPathComponent(figure)) ?? []) != nil, "\(figure) is not a PNG")
            }
            // Only the report folder, no staging or retired folders left beside it.
            #expect(TemporaryDirectory.listing(of: dir.appendingPathComponent("Output")).filter { !$0.contains("/") } == ["study-report"])
        }
    }

    @Test("two runs write byte-identical reports, and a second run replaces the first")
    func deterministic() throws {
        try TemporaryDirectory.with { dir in
            let first = try CLIRunner.run(["report", "-o", "a"], in: dir)
            #expect(first.status == 0, "\(first)")
            // A stray file in the old report folder disappears when the report is replaced.
            try Data("stale".utf8).write(to: dir.appendingPathComponent("a/stale.txt"))
            let second = try CLIRunner.run(["report", "-o", "b"], in: dir)
            #expect(second.status == 0, "\(second)")
            let again = try CLIRunner.run(["report", "-o", "a"], in: dir)
            #expect(again.status == 0, "\(again)")

            let a = TemporaryDirectory.listing(of: dir.appendingPathComponent("a"))
            let b = TemporaryDirectory.listing(of: dir.appendingPathComponent("b"))
            #expect(a == b)
            #expect(!a.contains("stale.txt"))
            for path in a {
                #expect(CLIRunner.bytes(at: dir.appendingPathComponent("a/\(path)")) == CLIRunner.bytes(at: dir.appendingPathComponent("b/\(path)")),
                        "\(path) differs between runs")
            }
        }
    }

    @Test("a report folder path that is a file fails cleanly and keeps the file")
    func targetIsAFile() throws {
        try TemporaryDirectory.with { dir in
            let target = dir.appendingPathComponent("taken")
            try Data("keep me".utf8).write(to: target)
            let result = try CLIRunner.run(["report", "-o", "taken"], in: dir)
            #expect(result.status != 0 && !result.crashed)
            #expect(result.stderr.hasPrefix("error: "))
            #expect(result.stderr.contains("taken"))
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(CLIRunner.bytes(at: target) == Array("keep me".utf8))
            #expect(TemporaryDirectory.listing(of: dir) == ["taken"])
        }
    }
}
