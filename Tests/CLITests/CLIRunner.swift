import Foundation
import TestSupport
import Testing

/// What one run of the `transfigure` executable did.
struct CLIResult: Sendable, CustomStringConvertible {
    /// Exit status, or the signal number when `crashed`.
    let status: Int32
    /// True when the process ended by a signal (a crash) instead of calling `exit`.
    let crashed: Bool
    /// True when the process did not finish within the time limit and was killed.
    let timedOut: Bool
    let stdout: String
    let stderr: String

    var description: String {
        "status \(status)\(crashed ? " (signal)" : "")\(timedOut ? " (timed out)" : "")\nstdout: \(stdout)\nstderr: \(stderr)"
    }
}

/// Runs the `transfigure` executable built next to the test bundle, and makes scratch folders.
enum CLIRunner {
    /// Longest a single run may take before it is killed and reported as timed out.
    static let timeout: TimeInterval = 60

    /// The folder holding the test fixtures (`Tests/CLITests/Fixtures`).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Absolute path of a fixture file.
    /// The BERT-shaped `[6, 12, 16, 16]` fixture, its token file, and its tokens.
    static let bert = fixture("bert_like.npy")
    static let bertTokens = fixture("bert_tokens.json")
    static let bertTokenList = ["[CLS]", "the", "animal", "didn", "'", "t", "cross", "the", "street",
                                "because", "it", "was", "too", "tire", "##d", "[SEP]"]

    /// Checks that `bytes` are a complete file of `format` (png, svg or pdf); a PNG must be
    /// wider than `minWidth` and taller than `minHeight` pixels.
    static func expectFigureFile(
        _ bytes: [UInt8], format: String, minWidth: Int, minHeight: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        switch format {
        case "png":
            let size = try #require(pngSize(bytes), "not a PNG", sourceLocation: sourceLocation)
            #expect(size.width > minWidth && size.height > minHeight, sourceLocation: sourceLocation)
        case "svg":
            let text = try #require(String(bytes: bytes, encoding: .utf8), sourceLocation: sourceLocation)
            #expect(text.contains("<svg"), sourceLocation: sourceLocation)
            #expect(text.hasSuffix("</svg>\n") || text.hasSuffix("</svg>"), sourceLocation: sourceLocation)
        default:
            #expect(Array(bytes.prefix(5)) == Array("%PDF-".utf8), sourceLocation: sourceLocation)
            #expect(String(decoding: bytes.suffix(8), as: UTF8.self).contains("%%EOF"), sourceLocation: sourceLocation)
        }
    }

    /// Runs the command and checks it succeeded quietly.
    @discardableResult
    static func runSucceeding(_ arguments: [String], in directory: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
        let result = try run(arguments, in: directory)
        #expect(result.status == 0 && !result.crashed, "\(arguments.joined(separator: " ")) failed: \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.isEmpty, "unexpected stderr: \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    static func fixture(_ name: String) -> String {
        fixtures.appendingPathComponent(name).path
    }

    /// The `transfigure` executable: it sits in the products folder beside the test bundle.
    /// Candidates are searched from `Bundle.main` and from `argv[0]`, walking up a few folders
    /// (on macOS the test binary is inside `X.xctest/Contents/MacOS/`).
    static let executable: URL? = {
        var starts: [URL] = [Bundle.main.bundleURL, Bundle.main.executableURL?.deletingLastPathComponent()].compactMap { $0 }
        if let first = CommandLine.arguments.first {
            starts.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for start in starts {
            var folder = start
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("transfigure")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    FileManager.default.isExecutableFile(atPath: candidate.path)
                {
                    return candidate
                }
                folder.deleteLastPathComponent()
            }
        }
        return nil
    }()

    /// Runs `transfigure arguments…` in `directory` and waits for it (at most `timeout`).
    static func run(_ arguments: [String], in directory: URL) throws -> CLIResult {
        guard let executable else {
            Issue.record("""
                the transfigure executable was not found next to the test bundle \
                (looked from \(Bundle.main.bundleURL.path) and \(CommandLine.arguments.first ?? "?")); \
                build it with `swift build` first
                """)
            throw CLIRunnerError.executableMissing
        }
        // Output goes to files, not pipes: a chatty process can never block on a full pipe.
        let capture = try TemporaryDirectory.make(prefix: "capture")
        defer { try? FileManager.default.removeItem(at: capture) }
        let outURL = capture.appendingPathComponent("stdout")
        let errURL = capture.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()

        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                break
            }
            usleep(2_000)
        }
        process.waitUntilExit()

        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? "<not UTF-8>"
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? "<not UTF-8>"
        return CLIResult(
            status: process.terminationStatus,
            crashed: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut,
            stdout: stdout, stderr: stderr)
    }

    /// The bytes of a file, or nil when it does not exist.
    static func bytes(at url: URL) -> [UInt8]? {
        (try? Data(contentsOf: url)).map { Array($0) }
    }
}

/// Why the runner could not start the executable.
enum CLIRunnerError: Error {
    case executableMissing
}
