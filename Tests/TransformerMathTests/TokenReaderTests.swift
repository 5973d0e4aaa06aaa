import Foundation
import Testing

@testable import TransformerMath

@Suite struct TokenReaderTests {
    @Test func tokenFilesDecodeToTheExpectedTokens() throws {
        let cases = try Fixture.expected("tokens")
        #expect(cases.count >= 3)
        for (file, expected) in cases {
            let tokens = try TokenReader.read(path: try Fixture.path(file))
            #expect(tokens == expected.array?.compactMap(\.string), "\(file)")
        }
    }

    @Test func splitDropsEmptyPieces() {
        #expect(TokenReader.split("I am Chetan") == ["I", "am", "Chetan"])
        #expect(TokenReader.split("  I   am\tChetan \n") == ["I", "am", "Chetan"])
        #expect(TokenReader.split("   ").isEmpty)
        #expect(TokenReader.split("<s> 猫 😀 &") == ["<s>", "猫", "😀", "&"])
    }

    @Test func badTokenFilesAreExplained() throws {
        let number = try Fixture.path("bad_tokens_number.json")
        expectInputError("\(number): element [2] is the number 3.0; every token must be a string") { _ = try TokenReader.read(path: number) }
        let emptyLine = try Fixture.path("bad_tokens_empty_line.txt")
        expectInputError("line 3 is empty") { _ = try TokenReader.read(path: emptyLine) }
        let empty = try Fixture.path("bad_tokens_empty.json")
        expectInputError("\(empty): holds no tokens") { _ = try TokenReader.read(path: empty) }
        expectInputError("no such file") { _ = try TokenReader.read(path: "/nonexistent/tokens.txt") }

        let cases: [(String, String)] = [
            ("", "holds no tokens"),
            ("\n\n", "holds no tokens"),
            ("  [\"a\", ", "line 1, column 9: expected a value, found the end of the file"),
            ("[\"a\", \"\"]", "element [1] is an empty string"),
        ]
        for (text, fragment) in cases {
            expectInputError(fragment) { _ = try Self.decode(text) }
        }
        expectInputError("line 2 is not valid UTF-8") { _ = try [0x61, 0x0A, 0xFF, 0x0A].withUnsafeBytes { try TokenReader.decode($0, source: "t") } }
    }

    @Test func linesKeepTheirSpacesAndTrailingBlankLinesAreIgnored() throws {
        #expect(try Self.decode(" the\nend \n\n\n") == [" the", "end "])
        #expect(try Self.decode("a") == ["a"])
        #expect(try Self.decode("\u{FEFF}a\r\nb\r\n") == ["a", "b"])
    }

    private static func decode(_ text: String) throws -> [String] {
        try Array(text.utf8).withUnsafeBytes { try TokenReader.decode($0, source: "t.txt") }
    }
}
