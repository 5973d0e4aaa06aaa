import Foundation

/// Scratch folders for tests that write files.
public enum TemporaryDirectory {
    /// A fresh, empty folder under the system temporary folder. Symlinks are resolved so that
    /// paths compare equal to what a child process sees as its current folder.
    public static func make(prefix: String = "transfigure-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.resolvingSymlinksInPath()
    }

    /// Runs `body` with a fresh temporary folder, removed afterwards.
    public static func with<T>(_ body: (URL) throws -> T) throws -> T {
        let url = try make()
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url)
    }

    /// Every file and folder under `directory`, as relative paths, sorted.
    public static func listing(of directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.sorted()
    }
}
