import ArgumentParser
import Foundation
import Reports

/// `transfigure report`: the built-in Transformer study report.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the built-in Transformer study report to Output/study-report/ (index.html, index.md, figures/)."
    )

    @Option(name: [.short, .customLong("output")], help: "Report folder.")
    var output: String = "Output/study-report"

    func run() throws {
        try StudyReport.write(to: output)
    }
}
