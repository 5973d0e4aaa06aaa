import Foundation

/// A parsed JSON document. Objects keep their keys in file order.
///
/// Parse with `parse(bytes:source:)`, `parse(_:source:)` or `read(path:)`; syntax
/// errors are `InputError.malformed` values that give the line and column:
/// `tokens.json: line 3, column 7: expected ',' or ']' after an array element, found '}'`.
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number; JSON has one number type, read as `Double`.
    case number(Double)
    /// A string, with escapes resolved.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object's members in file order. Keys are unique (the parser rejects duplicates).
    case object([(key: String, value: JSONValue)])

    /// Deepest nesting of arrays and objects accepted; deeper documents are an error, not a crash.
    public static let maxDepth = 512

    /// Compares values; objects are equal when they have the same members in the same order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    // MARK: Accessors

    /// The elements, if this is an array.
    public var array: [JSONValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// The members in file order, if this is an object.
    public var object: [(key: String, value: JSONValue)]? {
        if case .object(let members) = self { members } else { nil }
    }

    /// The number, if this is a number.
    public var number: Double? {
        if case .number(let value) = self { value } else { nil }
    }

    /// The string, if this is a string.
    public var string: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The Boolean, if this is `true` or `false`.
    public var bool: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// True if this is `null`.
    public var isNull: Bool { self == .null }

    /// The value of member `key`, if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        object?.first { $0.key == key }?.value
    }

    /// What kind of value this is, for messages: "a number", "an array", "the string \"abc\"".
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return "the number \(value)"
        case .string(let value):
            let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
            return "the string \"\(shown)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    // MARK: Parsing

    /// Parses a complete JSON document from UTF-8 bytes (a leading byte-order mark is skipped);
    /// `source` names the document in error messages.
    public static func parse(bytes: UnsafeRawBufferPointer, source: String) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes, source: source)
        return try parser.parseDocument()
    }

    /// Parses a complete JSON document from UTF-8 bytes; `source` names it in error messages.
    public static func parse(bytes: [UInt8], source: String) throws -> JSONValue {
        try bytes.withUnsafeBytes { try parse(bytes: $0, source: source) }
    }

    /// Parses a complete JSON document from UTF-8 bytes; `source` names it in error messages.
    public static func parse(bytes: Data, source: String) throws -> JSONValue {
        try bytes.withUnsafeBytes { try parse(bytes: $0, source: source) }
    }

    /// Parses a complete JSON document from text; `source` names it in error messages.
    public static func parse(_ text: String, source: String) throws -> JSONValue {
        try parse(bytes: Array(text.utf8), source: source)
    }

    /// Reads and parses the JSON file at `path`; `path` names the file in error messages.
    public static func read(path: String) throws -> JSONValue {
        try parse(bytes: try MappedFile.readText(path: path), source: path)
    }
}

// MARK: - Parser

/// An iterative JSON parser: containers live on explicit stacks, so nesting depth costs heap,
/// never call stack, and the depth limit is a policy rather than a crash guard.
private struct JSONParser {
    let bytes: UnsafeRawBufferPointer
    let source: String
    var position = 0

    init(bytes: UnsafeRawBufferPointer, source: String) {
        self.bytes = bytes
        self.source = source
    }

    mutating func parseDocument() throws -> JSONValue {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        if position == bytes.count { throw failure("the file holds no JSON value (it is empty)") }

        // One stack entry per open container; arrays and objects keep separate element stacks so
        // appending mutates in place instead of copying the container.
        var isObject: [Bool] = []
        var arrays: [[JSONValue]] = []
        var objects: [[(key: String, value: JSONValue)]] = []
        var keySets: [Set<String>] = []
        var pendingKeys: [String] = []

        var value: JSONValue
        parsing: while true {
            // Parse one value, opening containers until a complete value is in hand.
            skipWhitespace()
            guard position < bytes.count else { throw failure("expected a value, found the end of the file") }
            switch bytes[position] {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                let opensObject = bytes[position] == UInt8(ascii: "{")
                guard isObject.count < JSONValue.maxDepth else {
                    throw failure("arrays and objects are nested more than \(JSONValue.maxDepth) levels deep")
                }
                position += 1
                skipWhitespace()
                if opensObject {
                    if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
                        position += 1
                        value = .object([])
                    } else {
                        isObject.append(true)
                        objects.append([])
                        var keys = Set<String>()
                        pendingKeys.append(try parseKey(into: &keys))
                        keySets.append(keys)
                        continue parsing
                    }
                } else {
                    if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
                        position += 1
                        value = .array([])
                    } else {
                        isObject.append(false)
                        arrays.append([])
                        continue parsing
                    }
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try parseNumber())
            case UInt8(ascii: "t"):
                try expectWord("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectWord("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectWord("null")
                value = .null
            default:
                throw failure("expected a value, found \(describeHere())")
            }

            // Hand the value to its container; close containers whose last element this was.
            while let inObject = isObject.last {
                skipWhitespace()
                let next: UInt8? = position < bytes.count ? bytes[position] : nil
                if inObject {
                    objects[objects.count - 1].append((pendingKeys.removeLast(), value))
                    if next == UInt8(ascii: ",") {
                        position += 1
                        skipWhitespace()
                        pendingKeys.append(try parseKey(into: &keySets[keySets.count - 1]))
                        continue parsing
                    }
                    guard next == UInt8(ascii: "}") else {
                        throw failure("expected ',' or '}' after an object member, found \(describeHere())")
                    }
                    position += 1
                    isObject.removeLast()
                    keySets.removeLast()
                    value = .object(objects.removeLast())
                } else {
                    arrays[arrays.count - 1].append(value)
                    if next == UInt8(ascii: ",") {
                        position += 1
                        continue parsing
                    }
                    guard next == UInt8(ascii: "]") else {
                        throw failure("expected ',' or ']' after an array element, found \(describeHere())")
                    }
                    position += 1
                    isObject.removeLast()
                    value = .array(arrays.removeLast())
                }
            }
            break parsing
        }

        skipWhitespace()
        guard position == bytes.count else {
            throw failure("unexpected \(describeHere()) after the end of the JSON value")
        }
        return value
    }

    /// Parses `"key" :` and records the key, refusing duplicates.
    mutating func parseKey(into keys: inout Set<String>) throws -> String {
        guard position < bytes.count && bytes[position] == UInt8(ascii: "\"") else {
            throw failure("expected a string key in double quotes, found \(describeHere())")
        }
        let keyStart = position
        let key = try parseString()
        guard keys.insert(key).inserted else {
            position = keyStart
            throw failure("the key \"\(key)\" appears twice in the same object")
        }
        skipWhitespace()
        guard position < bytes.count && bytes[position] == UInt8(ascii: ":") else {
            throw failure("expected ':' after the key \"\(key)\", found \(describeHere())")
        }
        position += 1
        return key
    }

    mutating func parseString() throws -> String {
        let start = position
        position += 1
        var scan = position
        // Fast path: no escapes, so the string is a slice of the input.
        while scan < bytes.count {
            let byte = bytes[scan]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            scan += 1
        }
        if scan < bytes.count && bytes[scan] == UInt8(ascii: "\"") {
            let text = try validated(UnsafeRawBufferPointer(rebasing: bytes[position..<scan]), start: start)
            position = scan + 1
            return text
        }

        var buffer = Array(bytes[position..<scan])
        position = scan
        while true {
            guard position < bytes.count else {
                position = start
                throw failure("the string is not closed: no '\"' before the end of the file")
            }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return try buffer.withUnsafeBytes { try validated($0, start: start) }
            case UInt8(ascii: "\\"):
                try parseEscape(into: &buffer)
            case 0..<0x20:
                throw failure(
                    byte == 0x0A
                        ? "a line break inside a string (write it as \\n, or close the string)"
                        : "a control character (byte 0x\(String(byte, radix: 16))) inside a string; write it as an escape")
            default:
                buffer.append(byte)
                position += 1
            }
        }
    }

    mutating func parseEscape(into buffer: inout [UInt8]) throws {
        guard position + 1 < bytes.count else { throw failure("the string ends inside an escape") }
        let escaped = bytes[position + 1]
        let simple: UInt8?
        switch escaped {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default:
            throw failure("unknown escape '\\\(describe(position + 1, quoted: false))' in a string")
        }
        if let simple {
            buffer.append(simple)
            position += 2
            return
        }
        let escapeStart = position
        var scalar = try hexQuad(at: position + 2)
        position += 6
        if (0xD800...0xDBFF).contains(scalar) {
            // A high surrogate must be followed by an escaped low surrogate; together they are one scalar.
            guard position + 1 < bytes.count && bytes[position] == UInt8(ascii: "\\") && bytes[position + 1] == UInt8(ascii: "u"),
                case let low = try hexQuad(at: position + 2), (0xDC00...0xDFFF).contains(low)
            else {
                position = escapeStart
                throw failure("the escape \\u\(hex4(scalar)) is a high surrogate without a low surrogate after it")
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            position += 6
        } else if (0xDC00...0xDFFF).contains(scalar) {
            position = escapeStart
            throw failure("the escape \\u\(hex4(scalar)) is a low surrogate without a high surrogate before it")
        }
        guard let unicode = Unicode.Scalar(scalar) else {
            position = escapeStart
            throw failure("the escape \\u\(hex4(scalar)) is not a Unicode scalar")
        }
        buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
    }

    func hexQuad(at offset: Int) throws -> UInt32 {
        guard bytes.count - offset >= 4 else { throw failure("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for i in offset..<(offset + 4) {
            let byte = bytes[i]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape needs four hex digits, found \(describe(i))")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    mutating func parseNumber() throws -> Double {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw failure("expected a digit after '-', found \(describeHere())")
        }
        // Up to 15 significant digits and a power of ten up to 22 convert exactly with one
        // correctly rounded multiply or divide; anything else goes through `Double(String)`.
        var mantissa: UInt64 = 0
        var digitCount = 0
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count && isDigit(bytes[position]) {
                let shown = describe(start, quoted: false, length: position + 1 - start)
                throw failure("numbers cannot start with 0 followed by more digits (found \(shown)…)")
            }
        } else {
            while position < bytes.count && isDigit(bytes[position]) {
                mantissa = mantissa &* 10 &+ UInt64(bytes[position] - UInt8(ascii: "0"))
                digitCount += 1
                position += 1
            }
        }
        var fractionDigits = 0
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw failure("expected a digit after the decimal point, found \(describeHere())")
            }
            while position < bytes.count && isDigit(bytes[position]) {
                if mantissa != 0 || bytes[position] != UInt8(ascii: "0") { digitCount += 1 }
                mantissa = mantissa &* 10 &+ UInt64(bytes[position] - UInt8(ascii: "0"))
                fractionDigits += 1
                position += 1
            }
        }
        var exponent = 0
        var exponentTooLong = false
        if position < bytes.count && (bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")) {
            position += 1
            var exponentNegative = false
            if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) {
                exponentNegative = bytes[position] == UInt8(ascii: "-")
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw failure("expected a digit in the exponent, found \(describeHere())")
            }
            while position < bytes.count && isDigit(bytes[position]) {
                if exponent < 100_000 {
                    exponent = exponent * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                } else {
                    exponentTooLong = true
                }
                position += 1
            }
            if exponentNegative { exponent = -exponent }
        }

        let power = exponent - fractionDigits
        if digitCount <= 15 && fractionDigits <= 15 + 22 && !exponentTooLong && abs(power) <= 22 {
            let magnitude = power >= 0 ? Double(mantissa) * Self.powersOfTen[power] : Double(mantissa) / Self.powersOfTen[-power]
            return negative ? -magnitude : magnitude
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            position = start
            throw failure("the number \(text.count > 40 ? String(text.prefix(40)) + "…" : text) is too large for a 64-bit float")
        }
        return value
    }

    static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    mutating func expectWord(_ word: String) throws {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count, Array(bytes[position..<(position + expected.count)]) == expected else {
            throw failure("expected a value, found \(describeHere())")
        }
        position += expected.count
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    func validated(_ text: UnsafeRawBufferPointer, start: Int) throws -> String {
        guard let string = String(validating: text, as: UTF8.self) else {
            var copy = self
            copy.position = start
            throw copy.failure("the string is not valid UTF-8")
        }
        return string
    }

    func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    // MARK: Messages

    func describeHere() -> String { describe(position) }

    /// The character at `offset` (one UTF-8 sequence), quoted, or "the end of the file".
    func describe(_ offset: Int, quoted: Bool = true, length: Int? = nil) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        var end = offset + 1
        if let length {
            end = min(bytes.count, offset + length)
        } else {
            while end < bytes.count && end - offset < 4 && bytes[end] & 0xC0 == 0x80 { end += 1 }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
        let shown = text.unicodeScalars.allSatisfy { $0.value >= 0x20 } ? text : "byte 0x\(String(bytes[offset], radix: 16))"
        return quoted && !shown.hasPrefix("byte") ? "'\(shown)'" : shown
    }

    /// An error at the current position, as `line L, column C: what`.
    func failure(_ what: String) -> InputError {
        var line = 1
        var lineStart = 0
        let end = min(position, bytes.count)
        for i in 0..<end where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        // Columns count characters (UTF-8 lead bytes), not bytes.
        var column = 1
        for i in lineStart..<end where bytes[i] & 0xC0 != 0x80 { column += 1 }
        return InputError.malformed(file: source, reason: "line \(line), column \(column): \(what)")
    }
}
