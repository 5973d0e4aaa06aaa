import Foundation

/// Reads token lists: from a `--tokens` string, or from a token file holding a JSON array of
/// strings or one token per line.
public enum TokenReader {
    /// Splits `--tokens` text on spaces (and tabs and line breaks), dropping empty pieces.
    public static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init)
    }

    /// Reads the token file at `path`; `path` names the file in error messages.
    public static func read(path: String) throws -> [String] {
        let data = try MappedFile.readText(path: path)
        return try data.withUnsafeBytes { try decode($0, source: path) }
    }

    /// Reads token-file bytes: a JSON array of strings when the first non-blank character is
    /// `[`, else one token per line (`\n` or `\r\n`). Lines keep their spaces, since tokens
    /// such as " the" carry them. Blank lines at the end are ignored; an empty line between
    /// tokens is an error, because an empty token is almost certainly a mistake.
    public static func decode(_ bytes: UnsafeRawBufferPointer, source: String) throws -> [String] {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        let firstVisible = bytes[start...].firstIndex { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        let tokens: [String]
        if let firstVisible, bytes[firstVisible] == UInt8(ascii: "[") {
            tokens = try jsonTokens(JSONValue.parse(bytes: bytes, source: source), source: source)
        } else {
            tokens = try lineTokens(UnsafeRawBufferPointer(rebasing: bytes[start...]), source: source)
        }
        guard !tokens.isEmpty else { throw InputError.tokens(source: source, reason: "holds no tokens") }
        return tokens
    }

    private static func jsonTokens(_ value: JSONValue, source: String) throws -> [String] {
        guard let elements = value.array else {
            throw InputError.tokens(source: source, reason: "must be a JSON array of strings")
        }
        return try elements.enumerated().map { index, element in
            guard let token = element.string else {
                throw InputError.tokens(
                    source: source, reason: "element [\(index)] is \(element.kindDescription); every token must be a string")
            }
            guard !token.isEmpty else {
                throw InputError.tokens(source: source, reason: "element [\(index)] is an empty string; tokens cannot be empty")
            }
            return token
        }
    }

    private static func lineTokens(_ bytes: UnsafeRawBufferPointer, source: String) throws -> [String] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            // A '\r\n' line end leaves its '\r' on the line.
            line.last == 0x0D ? line.dropLast() : line
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return try lines.enumerated().map { index, line in
            guard !line.isEmpty else {
                throw InputError.tokens(
                    source: source, reason: "line \(index + 1) is empty; an empty token is almost certainly a mistake")
            }
            guard let token = String(validating: line, as: UTF8.self) else {
                throw InputError.tokens(source: source, reason: "line \(index + 1) is not valid UTF-8 text")
            }
            return token
        }
    }
}
