import Foundation

/// Opens input files for the readers and turns every failure into an `InputError.unreadable`
/// whose reason is plain words ("no such file", "is a directory", "permission denied").
public enum MappedFile {
    /// The largest text input (JSON, CSV, token list, language-model table): 256 MiB. Parsed
    /// text takes several times its size in memory; large arrays belong in `.npy` files.
    public static let maximumTextBytes = 256 << 20

    /// The bytes of the text file at `path`, refused before parsing when larger than
    /// ``maximumTextBytes``.
    static func readText(path: String) throws -> Data {
        let data = try read(path: path)
        guard data.count <= maximumTextBytes else {
            throw InputError.unsupported(
                file: path,
                reason: "is \(data.count) bytes; text inputs (JSON, CSV, token lists) may be at most \(maximumTextBytes) bytes "
                    + "(256 MiB); save large arrays as .npy")
        }
        return data
    }

    /// The bytes of the file at `path`, memory-mapped so large arrays are not copied.
    /// `path` is also the name used in error messages.
    static func read(path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError.unreadable(file: path, reason: "no such file")
        }
        if isDirectory.boolValue {
            throw InputError.unreadable(file: path, reason: "is a directory, not a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw InputError.unreadable(file: path, reason: "permission denied")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            // The checks above cover the usual causes; what is left (an I/O error, a special
            // file that cannot be mapped) is reported with the system's own words.
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            throw InputError.unreadable(file: path, reason: "could not be read (\(reason))")
        }
    }
}
