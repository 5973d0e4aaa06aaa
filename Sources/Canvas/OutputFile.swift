import Foundation

/// Writes output files atomically: bytes go to a temporary file in the same folder, which is
/// then renamed into place, so a failure never leaves a partial file or damages an existing one.
public enum OutputFile {
    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws(CanvasError) {
        try checkWritable(path)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        unlink(temporary.path)
        if let failure = createFile(temporary.path, holding: bytes) {
            throw CanvasError.write(path: path, reason: "cannot write: \(failure)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw CanvasError.write(path: path, reason: "cannot replace the file: \(reason)")
        }
    }

    /// Checks, before any work, that `path` could be written: its folder exists and is writable, and
    /// `path` is not a folder.
    public static func checkWritable(_ path: String) throws(CanvasError) {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CanvasError.write(path: path, reason: "the folder '\(folder)' does not exist")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CanvasError.write(path: path, reason: "is a folder, not a file")
        }
        // A read-only or forbidden folder is reported now, before the figure is computed.
        guard access(folder, W_OK) == 0 else {
            throw CanvasError.write(path: path, reason: "cannot write in '\(folder)': \(String(cString: strerror(errno)))")
        }
    }

    /// Creates the file `path`, which must not exist yet, holding `bytes`. Returns nil on success,
    /// else the system's reason ("No space left on device", "Read-only file system", "File too
    /// large" past `ulimit -f`), and then no file is left behind. The mode is 0666 less the umask,
    /// as for any new file.
    public static func createFile(_ path: String, holding bytes: [UInt8]) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        // Some file systems report a full disk only when the file is closed.
        if close(descriptor) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure != nil { unlink(path) }
        return failure
    }

    /// A file-system error in plain words: the system's own when there is one ("No space left
    /// on device", "Read-only file system", "Permission denied").
    public static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        if nsError.domain == NSCocoaErrorDomain {
            // Foundation on Linux keeps the Cocoa code but not the errno behind it.
            switch nsError.code {
            case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file"
            case NSFileWriteOutOfSpaceError: return String(cString: strerror(ENOSPC))
            case NSFileWriteVolumeReadOnlyError: return String(cString: strerror(EROFS))
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return String(cString: strerror(EACCES))
            default: break
            }
        }
        return nsError.localizedDescription
    }
}
