import Foundation
import Testing

@testable import TransformerMath

@Suite struct JSONMatrixReaderTests {
    @Test func fixturesDecodeToTheExpectedValues() throws {
        let cases = try Fixture.expected("json")
        #expect(cases.count >= 5)
        for (file, members) in cases {
            for (member, expected) in try #require(members.object) {
                let loaded = try TensorFile.read(path: try Fixture.path(file), array: member.isEmpty ? nil : member)
                #expect(loaded.labels == nil)
                expectIdentical(loaded.tensor, try Fixture.tensor(expected), "\(file) \(member)")
            }
        }
    }

    @Test func structureErrorsSayWhere() throws {
        let ragged = try Fixture.path("bad_ragged.json")
        let message = expectInputError("row [2] has 3 values but row [0] has 4") { _ = try JSONMatrixReader.read(path: ragged, array: nil) }
        #expect(message == "\(ragged): row [2] has 3 values but row [0] has 4")
        let bool = try Fixture.path("bad_bool.json")
        expectInputError("value at [1, 0] is true; booleans are not numbers") { _ = try JSONMatrixReader.read(path: bool, array: nil) }
        let syntax = try Fixture.path("bad_syntax.json")
        expectInputError("\(syntax): line 3, column 8: expected ',' or ']'") { _ = try JSONMatrixReader.read(path: syntax, array: nil) }

        let cases: [(String, String)] = [
            ("[[1, 2], [3, \"x\"]]", "a.json: value at [1, 1] is the string \"x\", not a number"),
            ("[[1, 2], [3, null]]", "value at [1, 1] is null, not a number"),
            ("[[1, 2], 3]", "item [1] is the number 3.0, but item [0] is an array"),
            ("[[1, 2], [3, [4]]]", "item [1, 1] is an array, but item [0, 0] is a number"),
            ("[[[1], [2]], [[1]]]", "[1] has 1 row but [0] has 2"),
            ("7", "a.json: holds the number 7.0, not an array of numbers"),
            ("{\"q\": \"text\"}", "a.json: member 'q': holds the string \"text\", not an array of numbers"),
            ("{\"q\": [[1], [1, 2]]}", "a.json: member 'q': row [1] has 2 values but row [0] has 1"),
        ]
        for (text, fragment) in cases {
            expectInputError(fragment) { _ = try Self.decode(text) }
        }
    }

    @Test func objectMembersArePickedByName() throws {
        let named = try Fixture.path("named.json")
        expectInputError("\(named) holds 2 arrays (q, k); pick one with --array NAME") { _ = try TensorFile.read(path: named, array: nil) }
        expectInputError("has no array 'v'; it holds q, k") { _ = try TensorFile.read(path: named, array: "v") }
        let matrix = try Fixture.path("matrix.json")
        expectInputError("--array: \(matrix) holds a single array") { _ = try TensorFile.read(path: matrix, array: "q") }
    }

    @Test func emptyArraysGiveEmptyTensors() throws {
        #expect(try JSONMatrixReader.tensor(from: .array([]), source: "e", array: nil).shape == [0])
        let twoEmpty = try JSONMatrixReader.tensor(from: JSONValue.parse("[[], []]", source: "e"), source: "e", array: nil)
        #expect(twoEmpty.shape == [2, 0])
    }

    private static func decode(_ text: String) throws -> Tensor {
        try Array(text.utf8).withUnsafeBytes { try JSONMatrixReader.decode($0, source: "a.json", array: nil) }
    }
}
