import Canvas
import Foundation

/// Replaces a report folder as a whole.
enum ReportFolder {
    /// Writes `files` into a fresh temporary folder beside `folder`, then swaps it into place.
    static func replace(_ folder: String, with files: [(path: String, bytes: [UInt8])]) throws(ReportError) {
        let manager = FileManager.default
        let target = URL(fileURLWithPath: folder)
        let parent = target.deletingLastPathComponent()
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw .write(path: parent.path, reason: "cannot create the folder: \(OutputFile.reason(error))")
        }
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(getpid())")
        try? manager.removeItem(at: staging)
        for file in files {
            let url = staging.appendingPathComponent(file.path)
            var failure: String?
            do {
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                failure = OutputFile.createFile(url.path, holding: file.bytes)
            } catch {
                failure = OutputFile.reason(error)
            }
            if let failure {
                try? manager.removeItem(at: staging)
                throw .write(path: folder, reason: "cannot write the report: \(failure)")
            }
        }
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: target.path, isDirectory: &isDirectory)
        if exists, !isDirectory.boolValue {
            try? manager.removeItem(at: staging)
            throw .write(path: folder, reason: "is a file, not a folder")
        }
        // Linux swaps the two folders in one step, so there is no moment without a report.
        if exists, Self.exchange(staging.path, target.path) {
            try? manager.removeItem(at: staging)
            return
        }
        if exists, rename(target.path, retired.path) != 0 {
            try? manager.removeItem(at: staging)
            throw .write(path: folder, reason: "cannot replace the old report: \(String(cString: strerror(errno)))")
        }
        guard rename(staging.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if exists { _ = rename(retired.path, target.path) }
            try? manager.removeItem(at: staging)
            throw .write(path: folder, reason: "cannot move the new report into place: \(reason)")
        }
        if exists { try? manager.removeItem(at: retired) }
    }

    /// Atomically exchanges two paths (`renameat2` with `RENAME_EXCHANGE`); false where the
    /// system or the file system cannot, and the caller falls back to two renames.
    static func exchange(_ first: String, _ second: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(nil, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let atCurrentDirectory: Int32 = -100  // AT_FDCWD
        let renameExchange: UInt32 = 1 << 1  // RENAME_EXCHANGE
        return renameat2(atCurrentDirectory, first, atCurrentDirectory, second, renameExchange) == 0
        #else
        return false
        #endif
    }
}
