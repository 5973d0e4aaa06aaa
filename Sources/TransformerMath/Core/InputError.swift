/// Everything that can be wrong with an input file or an input value.
/// The description is the text of the CLI's `error:` line: file or option first, then the problem.
public enum InputError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The file breaks its format; `reason` says what and where (byte offset, line, entry).
    case malformed(file: String, reason: String)
    /// The file is well formed but uses something Transfigure does not read.
    case unsupported(file: String, reason: String)
    /// The data has the wrong shape for what it is used for.
    case shape(file: String, reason: String)
    /// A value is NaN or infinite; `index` is its position in the array.
    case nonFinite(file: String, index: [Int], value: Double)
    /// Tokens do not fit the data (count, empty list, bad token file).
    case tokens(source: String, reason: String)
    /// An option has a value that cannot be used.
    case option(name: String, reason: String)
    /// The file holds several named arrays (`.npz`, a JSON object) and `--array` did not pick one:
    /// `requested` is the name given (nil when `--array` was missing), `names` what the file holds.
    case arrayChoice(file: String, names: [String], requested: String?)

    /// The message shown after `error: `, naming the file or option first.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason), .malformed(let file, let reason),
            .unsupported(let file, let reason), .shape(let file, let reason):
            return "\(file): \(reason)"
        case .nonFinite(let file, let index, let value):
            let what = value.isNaN ? "NaN" : (value > 0 ? "+infinity" : "-infinity")
            let at = "[" + index.map(String.init).joined(separator: ", ") + "]"
            return "\(file): value at \(at) is \(what); values must be finite numbers"
        case .tokens(let source, let reason):
            return "\(source): \(reason)"
        case .option(let name, let reason):
            return "\(name): \(reason)"
        case .arrayChoice(let file, let names, let requested):
            let list = names.joined(separator: ", ")
            if let requested {
                let holds = names.isEmpty ? "it holds no arrays" : "it holds \(list)"
                return "\(file) has no array '\(requested)'; \(holds)"
            }
            if names.isEmpty { return "\(file) holds no arrays" }
            return "\(file) holds \(names.count) arrays (\(list)); pick one with --array NAME"
        }
    }
}
