import Foundation

/// Opens input files for the readers and turns every failure into an `InputError.unreadable`
/// whose reason is plain words ("no such file", "is a directory", "permission denied").
enum MappedFile {
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
