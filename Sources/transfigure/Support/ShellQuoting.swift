import Foundation

/// Quoting for a POSIX shell, so a recorded command line can be pasted back.
enum ShellQuoting {
    /// Characters that never need quoting.
    static let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,+@%")

    /// `argument` as is when it is plain, else in single quotes (a quote inside becomes '\'').
    static func quoted(_ argument: String) -> String {
        if !argument.isEmpty, argument.allSatisfy({ plain.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
