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
            throw .write(path: parent.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(getpid())")
        try? manager.removeItem(at: staging)
        do {
            for file in files {
                let url = staging.appendingPathComponent(file.path)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url)
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw .write(path: folder, reason: "cannot write the report: \(error.localizedDescription)")
        }
        var isDirectory: ObjCBool = false
        let exists = manager.fileExists(atPath: target.path, isDirectory: &isDirectory)
        if exists, !isDirectory.boolValue {
            try? manager.removeItem(at: staging)
            throw .write(path: folder, reason: "is a file, not a folder")
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
}
