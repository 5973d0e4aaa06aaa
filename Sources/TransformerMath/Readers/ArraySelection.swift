/// The `--array NAME` rule shared by every format that holds several named arrays (`.npz`, a JSON
/// object): the named array, or the only one when no name is given, else an error listing the names.
enum ArraySelection {
    /// The position in `names` of the array to read.
    /// - Parameters:
    ///   - names: the arrays the file holds, as shown to users (`q`, not `q.npy`).
    ///   - requested: the `--array` value; `suffix` may be added or left off (`q` or `q.npy`).
    ///   - file: the file, for messages.
    static func index(of requested: String?, in names: [String], suffix: String = "", file: String) throws -> Int {
        guard let requested else {
            guard names.count == 1 else { throw InputError.arrayChoice(file: file, names: names, requested: nil) }
            return 0
        }
        if let exact = names.firstIndex(of: requested) { return exact }
        if !suffix.isEmpty && requested.hasSuffix(suffix), let bare = names.firstIndex(of: String(requested.dropLast(suffix.count))) {
            return bare
        }
        throw InputError.arrayChoice(file: file, names: names, requested: requested)
    }
}
