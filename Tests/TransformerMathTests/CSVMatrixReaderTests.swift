import Foundation
import Testing

@testable import TransformerMath

@Suite struct CSVMatrixReaderTests {
    @Test func fixturesDecodeToTheExpectedValuesAndLabels() throws {
        let cases = try Fixture.expected("csv")
        #expect(cases.count >= 3)
        for (file, expected) in cases {
            let loaded = try TensorFile.read(path: try Fixture.path(file), array: nil)
            expectIdentical(loaded.tensor, try Fixture.tensor(expected), file)
            #expect(loaded.labels == expected["labels"]?.array?.compactMap(\.string), "\(file)")
        }
    }

    @Test func errorsNameLineAndField() throws {
        let bad = try Fixture.path("bad_field.csv")
        let message = expectInputError("line 4, field 3: 'abc' is not a number") { _ = try CSVMatrixReader.read(path: bad) }
        #expect(message == "\(bad): line 4, field 3: 'abc' is not a number")
        let ragged = try Fixture.path("bad_ragged.csv")
        expectInputError("line 2 has 2 fields but line 1 has 3") { _ = try CSVMatrixReader.read(path: ragged) }

        let cases: [(String, String)] = [
            ("a,b\n1,2,3\n", "line 2 has 3 fields but the header (line 1) has 2"),
            ("1,2\n\n3,4\n", "line 2 is blank, but rows of numbers follow it"),
            ("1,,3\n", "line 1, field 2: the field is empty; a number is needed"),
            ("1,\"2\n", "line 1, field 2: the quoted field is not closed"),
            ("1,\"2\"x\n", "line 1, field 2: unexpected text after the closing quote"),
            ("1,2\"3\n", "line 1, field 2: a quote inside an unquoted field"),
            ("", "holds no rows of numbers (the file is empty)"),
            ("\n\n", "holds no rows of numbers"),
            ("x,y\n", "it has a header row but no rows of numbers"),
        ]
        for (text, fragment) in cases {
            expectInputError(fragment) { _ = try Self.decode(text) }
        }
    }

    @Test func layoutDetailsAreAccepted() throws {
        let quotedNumbers = try Self.decode("\"1\", \"2\" \r\n 3 ,\t4\r\n")
        #expect(quotedNumbers.tensor == Tensor(shape: [2, 2], values: [1, 2, 3, 4]))
        #expect(quotedNumbers.labels == nil)
        let multiline = try Self.decode("\"two\nlines\",\" padded \"\n1,2")
        #expect(multiline.labels == ["two\nlines", " padded "])
        let single = try Self.decode("5")
        #expect(single.tensor.shape == [1, 1])
        let special = try Self.decode("nan,inf,-1e-3")
        #expect(special.labels == nil)
        #expect(special.tensor.firstNonFinite()?.index == [0, 0])
    }

    private static func decode(_ text: String) throws -> LoadedTensor {
        try Array(text.utf8).withUnsafeBytes { try CSVMatrixReader.decode($0, source: "t.csv") }
    }
}
