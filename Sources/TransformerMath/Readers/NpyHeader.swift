/// The parsed header of a `.npy` file: element type, memory order and shape, plus where the data starts.
struct NpyHeader: Equatable {
    /// The element type and byte order of the data.
    var dtype: NpyDType
    /// True when the data is stored in Fortran (column-major) order.
    var fortranOrder: Bool
    /// Extent of each axis; not yet checked against `NpyReader.maxElements`.
    var shape: [Int]
    /// Byte offset of the first data byte.
    var dataOffset: Int

    /// The six bytes every `.npy` file starts with.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Reads the magic, version, header length and header dictionary at the start of `bytes`.
    static func parse(_ bytes: UnsafeRawBufferPointer, source: String) throws -> NpyHeader {
        try checkMagic(bytes, source: source)
        guard bytes.count >= 8 else {
            throw InputError.malformed(file: source, reason: "header is truncated: the file has only \(bytes.count) bytes")
        }
        let major = bytes[6], minor = bytes[7]
        let lengthSize: Int
        switch (major, minor) {
        case (1, 0): lengthSize = 2
        case (2, 0), (3, 0): lengthSize = 4
        default:
            throw InputError.unsupported(
                file: source,
                reason: ".npy format version \(major).\(minor) is not supported (supported: 1.0, 2.0, 3.0)")
        }
        let headerStart = 8 + lengthSize
        guard bytes.count >= headerStart else {
            throw InputError.malformed(file: source, reason: "header is truncated: the file has only \(bytes.count) bytes")
        }
        let headerLength =
            lengthSize == 2
            ? Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
            : Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        guard headerLength <= bytes.count - headerStart else {
            throw InputError.malformed(
                file: source,
                reason: "header is truncated: it declares \(headerLength) bytes after byte \(headerStart) "
                    + "but the file ends after \(bytes.count) bytes")
        }
        let text = Array(bytes[headerStart..<(headerStart + headerLength)])
        // Version 3.0 exists only to allow UTF-8 in the header; 1.0 and 2.0 are Latin-1.
        var parser = PythonLiteralParser(text: text, utf8: major == 3)
        let literal: PythonLiteral
        do {
            literal = try parser.parseHeader()
        } catch {
            throw InputError.malformed(file: source, reason: "header is not a valid Python literal: \(error.message)")
        }
        return try interpret(literal, dataOffset: headerStart + headerLength, source: source)
    }

    private static func checkMagic(_ bytes: UnsafeRawBufferPointer, source: String) throws {
        let prefix = Array(bytes.prefix(6))
        if prefix == magic { return }
        if bytes.isEmpty {
            throw InputError.malformed(file: source, reason: "not a .npy file: the file is empty")
        }
        if prefix.count < 6 && Array(magic.prefix(prefix.count)) == prefix {
            throw InputError.malformed(file: source, reason: "header is truncated: the file has only \(bytes.count) bytes")
        }
        let shown = Array(bytes.prefix(8))
        let hex = shown.map { hexByte($0) }.joined(separator: " ")
        let printable = String(shown.map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "." })
        var reason = "not a .npy file: it starts with bytes \(hex) (\"\(printable)\") instead of 93 4E 55 4D 50 59 (\"\\x93NUMPY\")"
        if shown.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            reason += "; it looks like a zip archive, which NumPy writes as .npz"
        }
        throw InputError.malformed(file: source, reason: reason)
    }

    private static func interpret(_ literal: PythonLiteral, dataOffset: Int, source: String) throws -> NpyHeader {
        guard case .dict(let entries) = literal.kind else {
            throw InputError.malformed(
                file: source, reason: "header is not a Python dict literal: it reads \(quoted(literal.text))")
        }
        func value(for key: String) throws -> PythonLiteral {
            // NumPy writes each key once; if a hand-made header repeats one, Python keeps the last.
            guard let entry = entries.last(where: { if case .string(key) = $0.key.kind { true } else { false } }) else {
                throw InputError.malformed(file: source, reason: "header has no '\(key)' key: it reads \(quoted(literal.text))")
            }
            return entry.value
        }

        let descr = try value(for: "descr")
        let dtype: NpyDType
        switch descr.kind {
        case .string(let text):
            dtype = try NpyDType.parse(text, source: source)
        case .sequence(_, isTuple: false):
            throw InputError.unsupported(
                file: source,
                reason: "structured dtype \(quoted(descr.text)) (an array of records) is not supported; "
                    + "supported dtypes: \(NpyDType.supportedList)")
        default:
            throw InputError.malformed(file: source, reason: "header 'descr' must be a string like '<f4', found \(quoted(descr.text))")
        }

        let order = try value(for: "fortran_order")
        guard case .boolean(let fortranOrder) = order.kind else {
            throw InputError.malformed(
                file: source, reason: "header 'fortran_order' must be True or False, found \(quoted(order.text))")
        }

        let shapeLiteral = try value(for: "shape")
        let shapeProblem = "header 'shape' must be a tuple of whole numbers like (4, 4) or (5,), found \(quoted(shapeLiteral.text))"
        guard case .sequence(let items, isTuple: true) = shapeLiteral.kind else {
            throw InputError.malformed(file: source, reason: shapeProblem)
        }
        var shape: [Int] = []
        for item in items {
            guard case .integer(let dimension) = item.kind else {
                throw InputError.malformed(file: source, reason: shapeProblem)
            }
            guard let dimension else {
                throw InputError.unsupported(
                    file: source,
                    reason: "header says shape \(shapeLiteral.text), whose dimension \(item.text) is absurdly large "
                        + "(the limit is \(NpyReader.maxElements) values)")
            }
            guard dimension >= 0 else {
                throw InputError.malformed(file: source, reason: "header says shape \(shapeLiteral.text), which has a negative dimension")
            }
            shape.append(dimension)
        }
        return NpyHeader(dtype: dtype, fortranOrder: fortranOrder, shape: shape, dataOffset: dataOffset)
    }

    private static func quoted(_ text: String) -> String {
        let limit = 80
        return text.count > limit ? "\"\(text.prefix(limit))…\"" : "\"\(text)\""
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}

/// The element type of a `.npy` file, as named by its `descr` string (`<f4`, `>i8`, `|b1`).
struct NpyDType: Equatable {
    /// The element types this reader converts to `Double`.
    enum Element: String, CaseIterable, Equatable {
        case float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool

        /// Bytes per element.
        var size: Int {
            switch self {
            case .int8, .uint8, .bool: 1
            case .float16, .int16, .uint16: 2
            case .float32, .int32, .uint32: 4
            case .float64, .int64, .uint64: 8
            }
        }
    }

    /// What the bytes of one element mean.
    var element: Element
    /// True when multi-byte elements are stored least significant byte first.
    var littleEndian: Bool

    /// Bytes per element.
    var size: Int { element.size }

    /// The NumPy name of the type, used in messages: `float32`, `uint8`, `bool`.
    var name: String { element.rawValue }

    /// The readable types, listed in error messages.
    static let supportedList = Element.allCases.map(\.rawValue).joined(separator: ", ")

    /// Parses a NumPy type string such as `<f4`, `>i2`, `|u1`, `|b1` or `?`.
    static func parse(_ descr: String, source: String) throws -> NpyDType {
        var rest = Substring(descr)
        var littleEndian = hostIsLittleEndian
        if let first = rest.first, "<>|=".contains(first) {
            // `|` means byte order does not apply and `=` means native; both read as the host order.
            if first == "<" { littleEndian = true }
            if first == ">" { littleEndian = false }
            rest = rest.dropFirst()
        }
        let codes: [String: Element] = [
            "f2": .float16, "f4": .float32, "f8": .float64,
            "i1": .int8, "i2": .int16, "i4": .int32, "i8": .int64,
            "u1": .uint8, "u2": .uint16, "u4": .uint32, "u8": .uint64,
            "b1": .bool, "?": .bool,
        ]
        if let element = codes[String(rest)] {
            return NpyDType(element: element, littleEndian: littleEndian)
        }
        let what: String
        switch rest.first {
        case "U": what = "Unicode strings"
        case "S", "a": what = "byte strings"
        case "O": what = "Python objects"
        case "c": what = "complex numbers"
        case "M": what = "datetimes"
        case "m": what = "time deltas"
        case "V": what = "raw bytes (void)"
        case "f": what = "floating point of this size"
        case "i", "u": what = "integers of this size"
        default: what = "an unknown type"
        }
        throw InputError.unsupported(
            file: source, reason: "dtype '\(descr)' (\(what)) is not supported; supported dtypes: \(supportedList)")
    }

    private static let hostIsLittleEndian = 1.littleEndian == 1
}

/// A Python literal from a `.npy` header, with the text it was parsed from (for messages).
struct PythonLiteral {
    /// The literal's value.
    enum Kind {
        case string(String)
        /// A whole number; nil when it does not fit in `Int`.
        case integer(Int?)
        case boolean(Bool)
        case none
        case sequence([PythonLiteral], isTuple: Bool)
        case dict([(key: PythonLiteral, value: PythonLiteral)])
    }

    /// The literal's value.
    var kind: Kind
    /// The source text of the literal, trimmed.
    var text: String
}

/// A recursive-descent parser for the subset of Python literals NumPy writes in `.npy` headers:
/// dicts, tuples, lists, strings, whole numbers, `True`, `False` and `None`.
struct PythonLiteralParser {
    /// A syntax error, with the header position it was found at.
    struct Failure: Error {
        /// What is wrong and where.
        var message: String
    }

    private let text: [UInt8]
    private let utf8: Bool
    private var position = 0
    private var depth = 0
    private static let maxDepth = 32

    /// Prepares to parse `text`, decoding strings as UTF-8 (`utf8`) or Latin-1.
    init(text: [UInt8], utf8: Bool) {
        self.text = text
        self.utf8 = utf8
    }

    /// Parses the whole header: one literal, then only whitespace (NumPy pads with spaces and `\n`).
    mutating func parseHeader() throws(Failure) -> PythonLiteral {
        let value = try parseValue()
        skipSpace()
        if position < text.count && text[position] != 0 {
            throw fail("unexpected \(describe(position)) after the end of the literal")
        }
        return value
    }

    private mutating func parseValue() throws(Failure) -> PythonLiteral {
        skipSpace()
        guard position < text.count else { throw fail("the header ends where a value was expected") }
        let start = position
        let kind: PythonLiteral.Kind
        switch text[position] {
        case UInt8(ascii: "{"):
            kind = try parseDict()
        case UInt8(ascii: "("):
            kind = try parseSequence(close: UInt8(ascii: ")"))
        case UInt8(ascii: "["):
            kind = try parseSequence(close: UInt8(ascii: "]"))
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            kind = .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            kind = .integer(try parseInteger())
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"):
            let word = parseWord()
            switch word {
            case "True": kind = .boolean(true)
            case "False": kind = .boolean(false)
            case "None": kind = .none
            default:
                position = start
                throw fail("unexpected name '\(word)' at header position \(start)")
            }
        default:
            throw fail("unexpected \(describe(position)) at header position \(position)")
        }
        return PythonLiteral(kind: kind, text: decode(text[start..<position]))
    }

    private mutating func parseDict() throws(Failure) -> PythonLiteral.Kind {
        try enter()
        defer { depth -= 1 }
        position += 1
        var entries: [(key: PythonLiteral, value: PythonLiteral)] = []
        while true {
            skipSpace()
            if position < text.count && text[position] == UInt8(ascii: "}") {
                position += 1
                return .dict(entries)
            }
            let key = try parseValue()
            skipSpace()
            guard position < text.count && text[position] == UInt8(ascii: ":") else {
                throw fail("expected ':' after the key \(key.text) at header position \(position), found \(describe(position))")
            }
            position += 1
            let value = try parseValue()
            entries.append((key, value))
            skipSpace()
            guard position < text.count else { throw fail("the dict is not closed with '}'") }
            if text[position] == UInt8(ascii: ",") {
                position += 1
            } else if text[position] != UInt8(ascii: "}") {
                throw fail("expected ',' or '}' at header position \(position), found \(describe(position))")
            }
        }
    }

    private mutating func parseSequence(close: UInt8) throws(Failure) -> PythonLiteral.Kind {
        try enter()
        defer { depth -= 1 }
        let isTuple = close == UInt8(ascii: ")")
        position += 1
        var items: [PythonLiteral] = []
        var sawComma = false
        while true {
            skipSpace()
            if position < text.count && text[position] == close {
                position += 1
                // `(5)` is only a parenthesized 5 in Python; a one-element tuple needs the comma.
                if isTuple && items.count == 1 && !sawComma { return items[0].kind }
                return .sequence(items, isTuple: isTuple)
            }
            items.append(try parseValue())
            skipSpace()
            guard position < text.count else { throw fail("the \(isTuple ? "tuple" : "list") is not closed") }
            if text[position] == UInt8(ascii: ",") {
                sawComma = true
                position += 1
            } else if text[position] != close {
                let closing = Character(UnicodeScalar(close))
                throw fail("expected ',' or '\(closing)' at header position \(position), found \(describe(position))")
            }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        let quote = text[position]
        let start = position
        position += 1
        var bytes: [UInt8] = []
        while position < text.count {
            let byte = text[position]
            if byte == quote {
                position += 1
                return decode(bytes[...])
            }
            if byte == UInt8(ascii: "\\") && position + 1 < text.count {
                let escaped = text[position + 1]
                switch escaped {
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): bytes.append(escaped)
                default: bytes.append(contentsOf: [byte, escaped])
                }
                position += 2
                continue
            }
            if byte == 0x0A { break }
            bytes.append(byte)
            position += 1
        }
        throw fail("the string starting at header position \(start) is not closed")
    }

    private mutating func parseInteger() throws(Failure) -> Int? {
        let start = position
        var negative = false
        if text[position] == UInt8(ascii: "-") || text[position] == UInt8(ascii: "+") {
            negative = text[position] == UInt8(ascii: "-")
            position += 1
        }
        var value: Int? = 0
        var digits = 0
        while position < text.count, let digit = digitValue(text[position]) {
            if let current = value {
                let (scaled, overflow1) = current.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = scaled.addingReportingOverflow(negative ? -digit : digit)
                value = overflow1 || overflow2 ? nil : sum
            }
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw fail("expected digits at header position \(start)") }
        // Python 2 wrote long integers with an `L` suffix, and old files still carry it.
        if position < text.count && (text[position] == UInt8(ascii: "L") || text[position] == UInt8(ascii: "l")) {
            position += 1
        }
        if position < text.count,
            [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "j")].contains(text[position])
        {
            let marker = Character(UnicodeScalar(text[position]))
            throw fail("only whole numbers are allowed, found a number with '\(marker)' at header position \(position)")
        }
        return value
    }

    private mutating func parseWord() -> String {
        let start = position
        while position < text.count {
            let byte = text[position]
            let isWordByte =
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
            guard isWordByte else { break }
            position += 1
        }
        return decode(text[start..<position])
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func skipSpace() {
        while position < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[position]) { position += 1 }
    }

    private func digitValue(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private func describe(_ offset: Int) -> String {
        guard offset < text.count else { return "the end of the header" }
        let byte = text[offset]
        return byte >= 0x20 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private func decode(_ bytes: ArraySlice<UInt8>) -> String {
        utf8 ? String(decoding: bytes, as: UTF8.self) : String(bytes.map { Character(UnicodeScalar($0)) })
    }

    private func fail(_ message: String) -> Failure { Failure(message: message) }
}
