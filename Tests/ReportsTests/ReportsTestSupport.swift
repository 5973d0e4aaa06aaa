import Foundation
import TestSupport
import Testing

/// Paths and scratch folders shared by the report tests.
enum ReportsTestSupport {
    /// The repository's `Templates/` folder, found from this file.
    static let templates: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // ReportsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Templates")

    static let htmlTemplate = "report.html.mustache"
    static let markdownTemplate = "report.md.mustache"

    /// Every file under `directory` with its bytes (nil for folders).
    static func snapshot(of directory: URL) -> [String: [UInt8]?] {
        var result: [String: [UInt8]?] = [:]
        for path in TemporaryDirectory.listing(of: directory) {
            result[path] = (try? Data(contentsOf: directory.appendingPathComponent(path))).map { Array($0) }
        }
        return result
    }

    /// Width and height from a PNG's IHDR chunk, or nil when the bytes are not a PNG.
    static func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func be32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 << 8 | Int(bytes[at + $1]) } }
        return (be32(16), be32(20))
    }

    /// All matches of `pattern` in `text`, each as its capture groups (group 1 onwards).
    static func matches(of pattern: String, in text: String) throws -> [[String]] {
        let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            (1..<max(match.numberOfRanges, 1)).map { i in
                let range = match.range(at: i)
                return range.location == NSNotFound ? "" : ns.substring(with: range)
            }
        }
    }
}
