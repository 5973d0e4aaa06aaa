import Foundation
import Testing

@testable import TransformerMath

/// Access to the files written by `Fixtures/make_fixtures.py` and to `expected.json`.
enum Fixture {
    /// The path of fixture `name`.
    static func path(_ name: String) throws -> String {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent(name).path
    }

    /// The bytes of fixture `name`.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path(name))))
    }

    /// One group of `expected.json` (`npy`, `npz`, `json`, `csv`, `tokens`), in file order.
    static func expected(_ group: String) throws -> [(key: String, value: JSONValue)] {
        let document = try JSONValue.read(path: try path("expected.json"))
        return try #require(document[group]?.object, "expected.json has no group \(group)")
    }

    /// An expected tensor: `{shape, values}` with "nan", "inf" and "-inf" for non-finite values.
    static func tensor(_ value: JSONValue) throws -> Tensor {
        let shape = try #require(value["shape"]?.array).map { Int(try #require($0.number)) }
        let values = try #require(value["values"]?.array).map { element -> Double in
            switch element {
            case .number(let number): return number
            case .string("nan"): return .nan
            case .string("inf"): return .infinity
            case .string("-inf"): return -.infinity
            default:
                Issue.record("unexpected value \(element) in expected.json")
                return 0
            }
        }
        return Tensor(shape: shape, values: values)
    }
}

/// Expects identical tensors: same shape, and every value the same bit pattern (any NaN matches NaN).
func expectIdentical(
    _ actual: Tensor, _ expected: Tensor, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.shape == expected.shape, "\(what): shape", sourceLocation: sourceLocation)
    guard actual.values.count == expected.values.count else {
        Issue.record("\(what): \(actual.values.count) values, expected \(expected.values.count)", sourceLocation: sourceLocation)
        return
    }
    let mismatch = zip(actual.values, expected.values).enumerated().first { _, pair in
        !(pair.0.isNaN && pair.1.isNaN) && pair.0.bitPattern != pair.1.bitPattern
    }
    #expect(mismatch == nil, "\(what): value \(mismatch?.offset ?? -1) is \(mismatch?.element.0 ?? 0), expected \(mismatch?.element.1 ?? 0)", sourceLocation: sourceLocation)
}

/// Expects `body` to throw an `InputError` whose message contains every fragment; returns the message.
@discardableResult
func expectInputError(
    _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> String? {
    let error = #expect(throws: InputError.self, sourceLocation: sourceLocation) { try body() }
    guard let error else { return nil }
    let message = String(describing: error)
    for fragment in fragments {
        #expect(message.contains(fragment), "message was: \(message)", sourceLocation: sourceLocation)
    }
    return message
}

/// A small deterministic generator (SplitMix64), so randomized tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The bytes of a `.npy` file with a hand-written header dictionary (version 1.0, padded like NumPy).
func npyBytes(header: String, data: [UInt8], version: UInt8 = 1) -> [UInt8] {
    let text = Array(header.utf8)
    let lengthSize = version == 1 ? 2 : 4
    let padding = 64 - (8 + lengthSize + text.count + 1) % 64
    let length = text.count + padding + 1
    var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
    for shift in stride(from: 0, to: lengthSize * 8, by: 8) { bytes.append(UInt8(truncatingIfNeeded: length >> shift)) }
    bytes += text + Array(repeating: 0x20, count: padding) + [0x0A]
    return bytes + data
}

/// Little-endian bytes of `values` as float64.
func float64Bytes(_ values: [Double]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
}
