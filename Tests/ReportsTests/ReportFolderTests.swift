import Foundation
import TestSupport
import Testing
@testable import Reports

/// A report folder is replaced as a whole, or not at all.
@Suite("report folder")
struct ReportFolderTests {
    static let newFiles: [(path: String, bytes: [UInt8])] = [
        ("index.html", Array("<p>new</p>\n".utf8)),
        ("index.md", Array("new\n".utf8)),
        ("figures/a.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]),
    ]

    /// An old report: files the new one does not have, and different contents.
    static func plantOldReport(at folder: URL) throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("figures"), withIntermediateDirectories: true)
        try Data("<p>old</p>\n".utf8).write(to: folder.appendingPathComponent("index.html"))
        try Data("old only\n".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try Data([9, 9, 9]).write(to: folder.appendingPathComponent("figures/old.png"))
    }

    @Test("replacing an existing report swaps in exactly the new files and leaves nothing beside it")
    func replacesExisting() throws {
        try TemporaryDirectory.with { parent in
            let folder = parent.appendingPathComponent("report")
            try Self.plantOldReport(at: folder)
            try ReportFolder.replace(folder.path, with: Self.newFiles)
            #expect(TemporaryDirectory.listing(of: folder) == ["figures", "figures/a.png", "index.html", "index.md"])
            for file in Self.newFiles {
                #expect(ReportsTestSupport.snapshot(of: folder)[file.path] == .some(file.bytes), "\(file.path)")
            }
            // No staging or retired folder is left next to the report.
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["report"])
        }
    }

    @Test("writing into a folder that does not exist yet creates it and its parents")
    func createsNew() throws {
        try TemporaryDirectory.with { parent in
            let folder = parent.appendingPathComponent("deep/er/report")
            try ReportFolder.replace(folder.path, with: Self.newFiles)
            #expect(TemporaryDirectory.listing(of: folder) == ["figures", "figures/a.png", "index.html", "index.md"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.deletingLastPathComponent().path) == ["report"])
        }
    }

    @Test("when the target is a file, it fails, names the path and keeps the file")
    func targetIsAFile() throws {
        try TemporaryDirectory.with { parent in
            let target = parent.appendingPathComponent("report")
            let original = Array("not a folder\n".utf8)
            try Data(original).write(to: target)
            let error = #expect(throws: ReportError.self) { try ReportFolder.replace(target.path, with: Self.newFiles) }
            #expect(error?.description.contains(target.path) == true, "\(String(describing: error))")
            #expect(try Data(contentsOf: target) == Data(original))
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["report"])
        }
    }

    @Test("when writing the new files fails, the old report stays exactly as it was")
    func failedWriteKeepsOld() throws {
        try TemporaryDirectory.with { parent in
            let folder = parent.appendingPathComponent("report")
            try Self.plantOldReport(at: folder)
            let before = ReportsTestSupport.snapshot(of: folder)
            // "a" is written as a file, so "a/b" cannot be: the staging write fails midway.
            let clashing: [(path: String, bytes: [UInt8])] = [("index.html", [1]), ("a", [2]), ("a/b", [3])]
            let error = #expect(throws: ReportError.self) { try ReportFolder.replace(folder.path, with: clashing) }
            #expect(error?.description.contains(folder.path) == true, "\(String(describing: error))")
            #expect(ReportsTestSupport.snapshot(of: folder) == before)
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["report"])
        }
    }

    @Test("the writer's write puts the study report's files on disk")
    func writerWrites() throws {
        try TemporaryDirectory.with { parent in
            let folder = parent.appendingPathComponent("study")
            try StudyReport.write(to: folder.path, templates: ReportsTestSupport.templates.path)
            let files = try ReportWriter(templates: try TemplateSet(directory: ReportsTestSupport.templates.path)).files(for: try StudyReport.make())
            let snapshot = ReportsTestSupport.snapshot(of: folder)
            for file in files {
                #expect(snapshot[file.path] == .some(file.bytes), "\(file.path) on disk differs from the rendered bytes")
            }
            #expect(snapshot.values.compactMap { $0 }.count == files.count)
        }
    }
}
