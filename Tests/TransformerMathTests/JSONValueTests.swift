import Foundation
import Testing

@testable import TransformerMath

@Suite struct JSONValueTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" { "a": [1, -2.5e3, 0, -0, 1E-2], "b": {"t": true, "f": false, "n": null}, "s": "x" } "#, source: "t.json")
        #expect(value["a"] == .array([.number(1), .number(-2500), .number(0), .number(-0.0), .number(0.01)]))
        #expect(value["b"]?["t"]?.bool == true)
        #expect(value["b"]?["f"]?.bool == false)
        #expect(value["b"]?["n"]?.isNull == true)
        #expect(value["s"]?.string == "x")
        #expect(value["missing"] == nil)
        #expect(value["a"]?.array?.count == 5)
        #expect(value.number == nil && value.string == nil && value.array == nil)
        #expect(try JSONValue.parse("[]", source: "e") == .array([]))
        #expect(try JSONValue.parse("{}", source: "e") == .object([]))
        #expect(try JSONValue.parse("\"\"", source: "e") == .string(""))
        #expect(try JSONValue.parse("\u{FEFF}7", source: "bom") == .number(7))
    }

    @Test func objectsKeepTheirKeyOrder() throws {
        let value = try JSONValue.parse(#"{"zeta": 1, "alpha": 2, "mid": 3}"#, source: "o.json")
        #expect(value.object?.map(\.key) == ["zeta", "alpha", "mid"])
        #expect(value != (try JSONValue.parse(#"{"alpha": 2, "zeta": 1, "mid": 3}"#, source: "o.json")))
    }

    @Test func stringEscapesIncludingSurrogatePairsAreResolved() throws {
        let value = try JSONValue.parse(#"["\"\\\/\b\f\n\r\t", "\u00e9\u732B", "\ud83d\ude00", "Ġthe ▁x 😀", "\u0000"]"#, source: "s.json")
        #expect(value.array?.compactMap(\.string) == ["\"\\/\u{8}\u{C}\n\r\t", "é猫", "😀", "Ġthe ▁x 😀", "\u{0}"])
    }

    @Test func numbersAreCorrectlyRounded() throws {
        var generator = SplitMix64(seed: 42)
        var texts = ["0.1", "0.2", "0.3", "1e22", "1e23", "9007199254740993", "2.2250738585072014e-308", "4.9e-324",
                     "1.7976931348623157e308", "123456789012345678901234567890", "0.000001234", "1.5e-10", "-123.456e-7"]
        for _ in 0..<3000 {
            let mantissa = UInt64.random(in: 0...999_999_999_999_999_999, using: &generator)
            let exponent = Int.random(in: -40...40, using: &generator)
            texts.append("\(mantissa)e\(exponent)")
            let digits = String(mantissa)
            let point = Int.random(in: 0...digits.count, using: &generator)
            texts.append((point == 0 ? "0" : String(digits.prefix(point))) + "." + (point == digits.count ? "0" : String(digits.dropFirst(point))))
        }
        for text in texts {
            let parsed = try JSONValue.parse(text, source: "n").number
            #expect(parsed == Double(text), "\(text)")
        }
    }

    @Test func syntaxErrorsGiveLineAndColumn() {
        let cases: [(String, String)] = [
            ("[1, 2\n  3]", "t.json: line 2, column 3: expected ',' or ']' after an array element, found '3'"),
            ("[\n  [1, 2],\n  [3, 4}\n]", "t.json: line 3, column 8: expected ',' or ']' after an array element, found '}'"),
            ("{\"a\" 1}", "t.json: line 1, column 6: expected ':' after the key \"a\", found '1'"),
            ("{\"a\": 1,}", "t.json: line 1, column 9: expected a string key in double quotes, found '}'"),
            ("[1,]", "line 1, column 4: expected a value, found ']'"),
            ("", "line 1, column 1: the file holds no JSON value (it is empty)"),
            ("  \n ", "the file holds no JSON value"),
            ("[1] 2", "line 1, column 5: unexpected '2' after the end of the JSON value"),
            ("[01]", "numbers cannot start with 0 followed by more digits"),
            ("[-]", "expected a digit after '-'"),
            ("[1.]", "expected a digit after the decimal point"),
            ("[1e]", "expected a digit in the exponent"),
            ("[1e999]", "line 1, column 2: the number 1e999 is too large"),
            ("[NaN]", "expected a value, found 'N'"),
            ("[tru]", "expected a value, found 't'"),
            ("\"abc", "line 1, column 1: the string is not closed"),
            ("\"a\nb\"", "a line break inside a string"),
            ("\"\\x\"", "unknown escape '\\x'"),
            ("\"\\u12G4\"", "four hex digits"),
            ("\"\\ud83d\"", "high surrogate without a low surrogate"),
            ("\"\\ude00\"", "low surrogate without a high surrogate"),
            ("{\"a\": 1, \"a\": 2}", "line 1, column 10: the key \"a\" appears twice"),
            ("[\"猫\", x]", "line 1, column 7: expected a value, found 'x'"),
        ]
        for (text, fragment) in cases {
            expectInputError(fragment) { _ = try JSONValue.parse(text, source: "t.json") }
        }
        expectInputError("line 1, column 2: the string is not valid UTF-8") {
            _ = try JSONValue.parse(bytes: [0x5B, 0x22, 0xFF, 0x22, 0x5D], source: "u.json")
        }
    }

    @Test func nestingIsLimitedWithAnErrorNotACrash() throws {
        let deepest = String(repeating: "[", count: JSONValue.maxDepth) + String(repeating: "]", count: JSONValue.maxDepth)
        #expect(throws: Never.self) { try JSONValue.parse(deepest, source: "d.json") }
        let tooDeep = String(repeating: "[", count: JSONValue.maxDepth + 1) + String(repeating: "]", count: JSONValue.maxDepth + 1)
        expectInputError("column 513: arrays and objects are nested more than 512 levels deep") {
            _ = try JSONValue.parse(tooDeep, source: "d.json")
        }
        expectInputError("nested more than 512") { _ = try JSONValue.parse(String(repeating: "{\"a\":", count: 100_000), source: "d.json") }
    }

    @Test func kindDescriptionsReadWellInMessages() {
        #expect(JSONValue.string("abc").kindDescription == "the string \"abc\"")
        #expect(JSONValue.bool(true).kindDescription == "true")
        #expect(JSONValue.array([]).kindDescription == "an array")
        #expect(JSONValue.null.kindDescription == "null")
    }

    @Test func randomTextNeverTraps() {
        var generator = SplitMix64(seed: 11)
        let alphabet = Array("[]{}\",:0123456789.eE+-tfnrue\\ \n\u{00e9}".utf8)
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            do { _ = try JSONValue.parse(bytes: bytes, source: "r.json") } catch is InputError {} catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
    }
}
