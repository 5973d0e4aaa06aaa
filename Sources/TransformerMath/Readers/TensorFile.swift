import Foundation

/// A tensor read from a file, with what the file says about it.
public struct LoadedTensor: Sendable, Equatable {
    /// The numbers, in C order.
    public var tensor: Tensor
    /// Column labels from a CSV header row (usable as tokens); nil for other formats.
    public var labels: [String]?
    /// The path as given, used in messages.
    public var source: String

    /// Creates a loaded tensor.
    public init(tensor: Tensor, labels: [String]? = nil, source: String) {
        self.tensor = tensor
        self.labels = labels
        self.source = source
    }
}

/// The entry point for matrix and tensor inputs: picks the reader by file extension
/// (`.npy`, `.npz`, `.json`, `.csv`, in any letter case).
public enum TensorFile {
    /// The extensions `read(path:array:)` accepts, lowercase and without the dot.
    public static let acceptedExtensions = ["npy", "npz", "json", "csv"]

    /// Reads the tensor in the file at `path`. `array` picks a member of an `.npz` file or of a
    /// JSON object (nil: the only one); giving it for a `.npy` or `.csv` file is an error.
    /// Values are not checked for NaN or infinity; see ``Tensor/firstNonFinite()``.
    public static func read(path: String, array: String?) throws -> LoadedTensor {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError.unreadable(file: path, reason: "is a directory, not a file")
        }
        let fileExtension = self.fileExtension(of: path)
        let accepted = acceptedExtensions.map { "." + $0 }.joined(separator: ", ")
        guard let fileExtension else {
            throw InputError.unsupported(file: path, reason: "has no file extension; accepted: \(accepted)")
        }
        switch fileExtension.lowercased() {
        case "npy":
            try rejectArrayOption(array, path: path, kind: ".npy")
            return LoadedTensor(tensor: try NpyReader.read(path: path), source: path)
        case "npz":
            return LoadedTensor(tensor: try NpzReader.read(path: path, array: array), source: path)
        case "json":
            return LoadedTensor(tensor: try JSONMatrixReader.read(path: path, array: array), source: path)
        case "csv":
            try rejectArrayOption(array, path: path, kind: ".csv")
            return try CSVMatrixReader.read(path: path)
        default:
            throw InputError.unsupported(
                file: path, reason: "files ending in '.\(fileExtension)' cannot be read; accepted: \(accepted)")
        }
    }

    private static func rejectArrayOption(_ array: String?, path: String, kind: String) throws {
        guard array != nil else { return }
        throw InputError.option(
            name: "--array",
            reason: "\(path) is a \(kind) file, which holds a single array; --array applies to .npz files and JSON objects")
    }

    /// The text after the last dot of the last path component, if there is one (a leading dot,
    /// as in `.hidden`, does not start an extension).
    private static func fileExtension(of path: String) -> String? {
        let name = path.split(separator: "/", omittingEmptySubsequences: true).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let suffix = name[name.index(after: dot)...]
        return suffix.isEmpty ? nil : String(suffix)
    }
}
