import Foundation

/// A list of layer or head indices as users type it: `3`, `0,2,5`, `0-5`, or a mix (`0-2,7`).
public struct IndexList: Sendable, Equatable {
    /// The indices, in the order given, without repeats.
    public let indices: [Int]

    /// Parses `text`; `option` names the option in errors.
    public init(parsing text: String, option: String) throws(InputError) {
        var indices: [Int] = []
        let bad = InputError.option(name: option, reason: "'\(text)' is not a list like 3, 0,2,5 or 0-5")
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let piece = part.trimmingCharacters(in: .whitespaces)
            let bounds = piece.split(separator: "-", omittingEmptySubsequences: false)
            switch bounds.count {
            case 1:
                guard let value = Int(bounds[0]), value >= 0 else { throw bad }
                indices.append(value)
            case 2:
                guard let low = Int(bounds[0]), let high = Int(bounds[1]), low >= 0 else { throw bad }
                guard low <= high else {
                    throw .option(name: option, reason: "'\(piece)' runs backwards; write the smaller index first, as in 0-5")
                }
                guard high - low < 100_000 else { throw .option(name: option, reason: "'\(piece)' is too long a range") }
                indices.append(contentsOf: low...high)
            default:
                throw bad
            }
        }
        var seen = Set<Int>()
        self.indices = indices.filter { seen.insert($0).inserted }
    }

    /// Checks every index against an axis of `count` entries.
    public func check(below count: Int, option: String, what: String, source: String) throws(InputError) {
        if let bad = indices.first(where: { $0 >= count }) {
            throw .option(name: option, reason: "\(bad) is out of range; \(source) has \(count) \(what) (0–\(count - 1))")
        }
    }
}
