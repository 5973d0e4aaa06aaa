import Foundation
import Testing

@testable import TransformerMath

@Suite struct NpyReaderTests {
    @Test func everyFixtureDecodesToTheExpectedValues() throws {
        let cases = try Fixture.expected("npy")
        #expect(cases.count >= 90)
        for (file, expected) in cases {
            let tensor = try NpyReader.read(path: try Fixture.path(file))
            expectIdentical(tensor, try Fixture.tensor(expected), file)
        }
    }

    @Test func theSameFixturesDecodeThroughTensorFile() throws {
        for (file, expected) in try Fixture.expected("npy") where file.hasPrefix("float32") || file.hasPrefix("version") {
            let path = try Fixture.path(file)
            let loaded = try TensorFile.read(path: path, array: nil)
            #expect(loaded.source == path)
            #expect(loaded.labels == nil)
            expectIdentical(loaded.tensor, try Fixture.tensor(expected), file)
        }
    }

    @Test func fortranOrderOfRankFourIsReorderedIntoCOrder() throws {
        let shape = [2, 3, 4, 5]
        // Value of index (a, b, c, d) is its C-order position; the file lists them in Fortran order.
        var fortran: [Double] = []
        for d in 0..<5 { for c in 0..<4 { for b in 0..<3 { for a in 0..<2 { fortran.append(Double(((a * 3 + b) * 4 + c) * 5 + d)) } } } }
        let bytes = npyBytes(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4, 5), }", data: float64Bytes(fortran))
        let tensor = try NpyReader.decode(bytes, source: "f.npy")
        #expect(tensor.shape == shape)
        #expect(tensor.values == (0..<120).map(Double.init))
    }

    @Test func halfPrecisionConversionMatchesFloat16ForEveryBitPattern() {
        #if !(os(macOS) && arch(x86_64))
            for bits in 0...UInt16.max {
                let mine = NpyReader.double(fromHalfBits: bits)
                let reference = Double(Float16(bitPattern: bits))
                #expect(mine.bitPattern == reference.bitPattern || (mine.isNaN && reference.isNaN), "bits 0x\(String(bits, radix: 16))")
            }
        #endif
        #expect(NpyReader.double(fromHalfBits: 0x0001) == 0x1p-24)
        #expect(NpyReader.double(fromHalfBits: 0x7C00) == .infinity)
        #expect(NpyReader.double(fromHalfBits: 0xFC00) == -.infinity)
        #expect(NpyReader.double(fromHalfBits: 0x7E00).isNaN)
    }

    @Test func headerSyntaxVariantsAreAccepted() throws {
        let data = float64Bytes([1, 2])
        for header in [
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
            "{\"shape\": (2,), \"descr\": \"<f8\", \"fortran_order\": False}",
            "{ 'fortran_order' : False ,\n 'shape' : ( 2 , ) , 'descr' : '<f8' , }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2L,), 'extra': [1, (2, 'x'), None], }",
        ] {
            let tensor = try NpyReader.decode(npyBytes(header: header, data: data), source: "h.npy")
            #expect(tensor == Tensor(shape: [2], values: [1, 2]), "\(header)")
        }
        let scalar = try NpyReader.decode(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", data: float64Bytes([7])), source: "s.npy")
        #expect(scalar == Tensor(shape: [], values: [7]))
        let version2 = try NpyReader.decode(npyBytes(header: "{'descr': '>i2', 'fortran_order': False, 'shape': (1,), }", data: [0xFF, 0xFE], version: 2), source: "v.npy")
        #expect(version2.values == [-2])
    }

    // MARK: Errors

    @Test func malformedFixturesGiveErrorsThatSayWhatIsWrong() throws {
        let cases: [(String, [String])] = [
            ("bad_truncated_data.npy", ["header says shape (4, 4) (16 float32 values, 64 bytes) but the file holds 48 bytes of data (12 values)"]),
            ("bad_magic.npy", ["not a .npy file", "68 65 6C 6C 6F 2C 20 77", "\"hello, w\""]),
            ("bad_huge_shape.npy", ["header says shape (100000, 100000)", "10000000000", "limit is 268435456"]),
            ("bad_overflow_shape.npy", ["shape (4294967296, 4294967296, 4294967296)", "more values than a 64-bit count can hold"]),
            ("bad_negative_shape.npy", ["shape (3, -4)", "negative dimension"]),
            ("bad_object.npy", ["dtype '|O' (Python objects) is not supported", "supported dtypes: float16"]),
            ("bad_complex.npy", ["dtype '<c16' (complex numbers) is not supported"]),
            ("bad_unicode.npy", ["dtype '<U5' (Unicode strings) is not supported"]),
            ("bad_version.npy", ["format version 4.0 is not supported", "1.0, 2.0, 3.0"]),
            ("bad_header_truncated.npy", ["header is truncated", "ends after 40 bytes"]),
            ("bad_header_not_dict.npy", ["header is not a Python dict literal"]),
            ("bad_header_missing_shape.npy", ["header has no 'shape' key"]),
            ("bad_header_shape_literal.npy", ["'shape' must be a tuple of whole numbers", "(4, 'four')"]),
            ("bad_header_syntax.npy", ["header is not a valid Python literal", "expected ',' or '}'"]),
        ]
        for (file, fragments) in cases {
            let path = try Fixture.path(file)
            let error = #expect(throws: InputError.self, "\(file)") { try NpyReader.read(path: path) }
            let text = error.map { String(describing: $0) } ?? ""
            #expect(text.hasPrefix(path + ": "), "\(file): \(text)")
            for fragment in fragments {
                #expect(text.contains(fragment), "\(file): \(text)")
            }
        }
    }

    @Test func shortAndOddFilesAreErrorsNotCrashes() {
        expectInputError("the file is empty") { _ = try NpyReader.decode([UInt8](), source: "e.npy") }
        expectInputError("header is truncated") { _ = try NpyReader.decode([0x93, 0x4E, 0x55], source: "t.npy") }
        expectInputError("header is truncated") { _ = try NpyReader.decode([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 0x10], source: "t.npy") }
        expectInputError("looks like a zip archive") { _ = try NpyReader.decode([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0], source: "z.npy") }
        expectInputError("structured dtype") {
            _ = try NpyReader.decode(npyBytes(header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0]), source: "s.npy")
        }
        expectInputError("'fortran_order' must be True or False") {
            _ = try NpyReader.decode(npyBytes(header: "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", data: [0, 0, 0, 0]), source: "s.npy")
        }
        expectInputError("must be a tuple") {
            _ = try NpyReader.decode(npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1), }", data: [0, 0, 0, 0]), source: "s.npy")
        }
        expectInputError("absurdly large") {
            _ = try NpyReader.decode(npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", data: []), source: "s.npy")
        }
        expectInputError("nesting deeper") {
            _ = try NpyReader.decode(npyBytes(header: String(repeating: "(", count: 100), data: []), source: "s.npy")
        }
        expectInputError("only whole numbers") {
            _ = try NpyReader.decode(npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1.5,), }", data: []), source: "s.npy")
        }
        expectInputError("but the file holds 5 bytes of data") {
            _ = try NpyReader.decode(npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0, 0]), source: "s.npy")
        }
    }

    @Test func anElementCountAboveTheLimitIsRefusedFromTheHeaderAlone() throws {
        let limit = NpyReader.maxElements
        expectInputError("the limit is \(limit) values") {
            _ = try NpyReader.decode(npyBytes(header: "{'descr': '|u1', 'fortran_order': False, 'shape': (\(limit + 1),), }", data: []), source: "big.npy")
        }
        expectInputError("more values than a 64-bit count can hold") {
            _ = try NpyReader.decode(npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 0), }", data: []), source: "z.npy")
        }
        let empty = try NpyReader.decode(npyBytes(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (0, 4294967296, 4294967296), }", data: []), source: "z.npy")
        #expect(empty.shape == [0, 4_294_967_296, 4_294_967_296] && empty.values.isEmpty)
        expectInputError("header says shape (0, 4) (0 float32 values, 0 bytes) but the file holds 4 bytes") {
            _ = try NpyReader.decode(npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", data: [1, 2, 3, 4]), source: "z.npy")
        }
    }

    @Test func randomlyDamagedHeadersNeverTrap() throws {
        let original = try Fixture.bytes("float64_be_F_2x3x4.npy")
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<128, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if Bool.random(using: &generator) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator)) }
            do { _ = try NpyReader.decode(bytes, source: "fuzz.npy") } catch is InputError {} catch { Issue.record("unexpected error type: \(error)") }
        }
    }
}
