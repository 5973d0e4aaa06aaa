import Foundation

/// Reads a tensor from JSON: rectangular nested arrays of numbers (any rank from 1), or an
/// object whose members are such arrays, one of which is picked by `--array NAME`.
public enum JSONMatrixReader {
    /// Reads the JSON file at `path`; `array` picks a member when the top level is an object.
    public static func read(path: String, array: String?) throws -> Tensor {
        try tensor(from: try JSONValue.read(path: path), source: path, array: array)
    }

    /// Parses and reads JSON bytes; `source` names them in error messages.
    public static func decode(_ bytes: UnsafeRawBufferPointer, source: String, array: String?) throws -> Tensor {
        try tensor(from: try JSONValue.parse(bytes: bytes, source: source), source: source, array: array)
    }

    /// Turns a parsed document into a tensor: an array is read as is (then `array` must be nil),
    /// an object's member is picked by `array` (nil: the only member).
    public static func tensor(from value: JSONValue, source: String, array: String?) throws -> Tensor {
        switch value {
        case .object(let members):
            let index = try ArraySelection.index(of: array, in: members.map(\.key), file: source)
            return try nestedArrays(members[index].value, source: source, context: "member '\(members[index].key)': ")
        case .array:
            if array != nil {
                throw InputError.option(
                    name: "--array",
                    reason: "\(source) holds a single array, not an object of named arrays, so there is nothing to pick")
            }
            return try nestedArrays(value, source: source, context: "")
        default:
            throw InputError.shape(file: source, reason: "holds \(value.kindDescription), not an array of numbers")
        }
    }

    private static func nestedArrays(_ value: JSONValue, source: String, context: String) throws -> Tensor {
        guard case .array = value else {
            throw InputError.shape(file: source, reason: "\(context)holds \(value.kindDescription), not an array of numbers")
        }
        // The first element at each depth sets the shape; every other array must match it.
        var shape: [Int] = []
        var probe = value
        while case .array(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var flattener = Flattener(shape: shape, source: source, context: context)
        try flattener.flatten(value, depth: 0)
        return Tensor(shape: shape, values: flattener.values)
    }
}

/// Walks nested arrays in C order, collecting numbers and checking the structure is rectangular.
private struct Flattener {
    let shape: [Int]
    let source: String
    let context: String
    var values: [Double] = []
    var path: [Int] = []

    mutating func flatten(_ value: JSONValue, depth: Int) throws {
        if depth == shape.count {
            switch value {
            case .number(let number):
                values.append(number)
            case .array:
                throw fail("item \(here) is an array, but item \(firstAt(depth)) is a number (the arrays are not rectangular)")
            case .bool:
                throw fail("value at \(here) is \(value.kindDescription); booleans are not numbers")
            default:
                throw fail("value at \(here) is \(value.kindDescription), not a number")
            }
            return
        }
        guard case .array(let items) = value else {
            throw fail("item \(here) is \(value.kindDescription), but item \(firstAt(depth)) is an array (the arrays are not rectangular)")
        }
        guard items.count == shape[depth] else {
            let isRow = depth == shape.count - 1
            let noun = isRow ? "value" : (depth == shape.count - 2 ? "row" : "array")
            let counted = items.count == 1 ? "1 \(noun)" : "\(items.count) \(noun)s"
            let label = isRow ? "row " : ""
            throw fail("\(label)\(here) has \(counted) but \(label)\(firstAt(depth)) has \(shape[depth])")
        }
        for (index, item) in items.enumerated() {
            path.append(index)
            try flatten(item, depth: depth + 1)
            path.removeLast()
        }
    }

    var here: String { "[" + path.map(String.init).joined(separator: ", ") + "]" }

    func firstAt(_ depth: Int) -> String { "[" + Array(repeating: "0", count: depth).joined(separator: ", ") + "]" }

    func fail(_ reason: String) -> InputError { .shape(file: source, reason: context + reason) }
}
