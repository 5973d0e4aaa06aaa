import Foundation

/// Reads a matrix from CSV: rows of comma-separated numbers, with an optional first row of
/// labels (used as tokens).
///
/// The first row is a header when any of its fields is text that is not a number. Fields may be
/// quoted (`"a,b"`, `""` for a quote); spaces around unquoted fields are ignored; `\r\n` line ends
/// and blank lines at the end are accepted. Quoted labels are kept exactly, unquoted ones trimmed.
public enum CSVMatrixReader {
    /// Reads the CSV file at `path`; `path` names the file in error messages.
    public static func read(path: String) throws -> LoadedTensor {
        let data = try MappedFile.readText(path: path)
        return try data.withUnsafeBytes { try decode($0, source: path) }
    }

    /// Reads CSV bytes; `source` names them in error messages. The result is a `[rows, columns]`
    /// tensor and the header labels, if there is a header.
    public static func decode(_ bytes: UnsafeRawBufferPointer, source: String) throws -> LoadedTensor {
        var parser = CSVParser(bytes: bytes, source: source)
        var labels: [String]?
        var columns = 0
        var firstLine = 0
        var values: [Double] = []
        var rows = 0
        var blankLine: Int?

        while let (line, fields) = try parser.nextRecord() {
            if fields.count == 1 && !fields[0].quoted && fields[0].text.isEmpty {
                // Blank lines are fine at the end of a file, but not between rows.
                if blankLine == nil { blankLine = line }
                continue
            }
            if let blank = blankLine {
                throw InputError.malformed(file: source, reason: "line \(blank) is blank, but rows of numbers follow it")
            }
            if firstLine == 0 {
                firstLine = line
                columns = fields.count
                let isHeader = fields.contains { !$0.text.isEmpty && number(in: $0.text) == nil }
                if isHeader {
                    labels = fields.map(\.text)
                    continue
                }
            } else if fields.count != columns {
                let reference = labels == nil ? "line \(firstLine)" : "the header (line \(firstLine))"
                throw InputError.malformed(
                    file: source, reason: "line \(line) has \(fields.count) fields but \(reference) has \(columns)")
            }
            for (index, field) in fields.enumerated() {
                guard let value = number(in: field.text) else {
                    let problem = field.text.isEmpty ? "the field is empty; a number is needed" : "'\(field.text)' is not a number"
                    throw InputError.malformed(file: source, reason: "line \(line), field \(index + 1): \(problem)")
                }
                values.append(value)
            }
            rows += 1
        }
        guard rows > 0 else {
            let what = labels == nil ? "the file is empty" : "it has a header row but no rows of numbers"
            throw InputError.shape(file: source, reason: "holds no rows of numbers (\(what))")
        }
        return LoadedTensor(tensor: Tensor(shape: [rows, columns], values: values), labels: labels, source: source)
    }

    /// The number a trimmed field holds: decimal or scientific notation, `nan` and `inf` included
    /// (finiteness is the caller's business).
    private static func number(in text: String) -> Double? {
        Double(text)
    }
}

/// Splits CSV bytes into records of fields.
private struct CSVParser {
    struct Field {
        var text: String
        var quoted: Bool
    }

    let bytes: UnsafeRawBufferPointer
    let source: String
    var position = 0
    var line = 1

    init(bytes: UnsafeRawBufferPointer, source: String) {
        self.bytes = bytes
        self.source = source
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    /// The next record and the line it starts on, or nil at the end of the input.
    mutating func nextRecord() throws -> (line: Int, fields: [Field])? {
        guard position < bytes.count else { return nil }
        let recordLine = line
        var fields: [Field] = []
        while true {
            let field = try nextField(recordLine: recordLine, number: fields.count + 1)
            fields.append(field)
            if position < bytes.count && bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if position < bytes.count {
                // Only a line feed can be here: nextField stops at ',' or '\n'.
                position += 1
                line += 1
            }
            return (recordLine, fields)
        }
    }

    private mutating func nextField(recordLine: Int, number: Int) throws -> Field {
        skipBlanks()
        if position < bytes.count && bytes[position] == UInt8(ascii: "\"") {
            return try quotedField(recordLine: recordLine, number: number)
        }
        let start = position
        while position < bytes.count && bytes[position] != UInt8(ascii: ",") && bytes[position] != 0x0A {
            if bytes[position] == UInt8(ascii: "\"") {
                throw InputError.malformed(
                    file: source,
                    reason: "line \(line), field \(number): a quote inside an unquoted field "
                        + "(quote the whole field and double the quote: \"a\"\"b\")")
            }
            position += 1
        }
        var end = position
        // Trailing blanks and the '\r' of a '\r\n' line end are not part of the field.
        while end > start && [0x20, 0x09, 0x0D].contains(bytes[end - 1]) { end -= 1 }
        return Field(text: try text(start..<end, number: number), quoted: false)
    }

    private mutating func quotedField(recordLine: Int, number: Int) throws -> Field {
        let openLine = line
        position += 1
        var buffer: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw InputError.malformed(
                    file: source, reason: "line \(openLine), field \(number): the quoted field is not closed before the end of the file")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\"") {
                    buffer.append(byte)
                    position += 2
                    continue
                }
                position += 1
                break
            }
            if byte == 0x0A { line += 1 }
            buffer.append(byte)
            position += 1
        }
        skipBlanks()
        if position < bytes.count && bytes[position] == 0x0D && position + 1 < bytes.count && bytes[position + 1] == 0x0A {
            position += 1
        }
        guard position == bytes.count || bytes[position] == UInt8(ascii: ",") || bytes[position] == 0x0A else {
            throw InputError.malformed(
                file: source, reason: "line \(line), field \(number): unexpected text after the closing quote")
        }
        let text = try buffer.withUnsafeBytes { raw in
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw InputError.malformed(file: source, reason: "line \(recordLine), field \(number): the text is not valid UTF-8")
            }
            return text
        }
        return Field(text: text, quoted: true)
    }

    private func text(_ range: Range<Int>, number: Int) throws -> String {
        guard let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) else {
            throw InputError.malformed(file: source, reason: "line \(line), field \(number): the text is not valid UTF-8")
        }
        return text
    }

    private mutating func skipBlanks() {
        while position < bytes.count && (bytes[position] == 0x20 || bytes[position] == 0x09) { position += 1 }
    }
}
