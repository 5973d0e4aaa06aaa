import Foundation
import Testing

@testable import TransformerMath

@Suite struct NpyWriterTests {
    @Test func float64FilesAreByteIdenticalToNumPy() throws {
        for file in ["version_1_0.npy", "scalar_0d.npy", "float64_le_C_3x4.npy", "float64_le_C_2x3x4.npy"] {
            let numpy = try Fixture.bytes(file)
            let tensor = try NpyReader.decode(numpy, source: file)
            #expect(NpyWriter.encode(tensor) == numpy, "\(file)")
        }
    }

    @Test func encodedTensorsRoundTripThroughTheReader() throws {
        var generator = SplitMix64(seed: 3)
        let shapes: [[Int]] = [[], [1], [7], [3, 4], [0, 5], [2, 3, 4], [2, 1, 3, 2], [1_000_000_000_000, 0]]
        for shape in shapes {
            let count = shape.reduce(1, *)
            var values = (0..<count).map { _ in Double.random(in: -1e6...1e6, using: &generator) }
            if count > 2 { values[1] = -0.0; values[2] = .infinity }
            let tensor = Tensor(shape: shape, values: values)
            let bytes = NpyWriter.encode(tensor)
            let headerEnd = try #require(bytes.firstIndex(of: 0x0A))
            #expect((headerEnd + 1) % 64 == 0, "\(shape)")
            let back = try NpyReader.decode(bytes, source: "round.npy")
            expectIdentical(back, tensor, "\(shape)")
        }
        let nan = try NpyReader.decode(NpyWriter.encode(Tensor(shape: [1], values: [.nan])), source: "nan.npy")
        #expect(nan.values[0].isNaN)
    }

    @Test func theHeaderReadsLikeNumPysOwn() {
        let bytes = NpyWriter.encode(Tensor(shape: [2, 3], values: Array(repeating: 0, count: 6)))
        let header = String(decoding: bytes[10..<128], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"))
        #expect(header.hasSuffix(" \n"))
        #expect(Array(bytes[0..<10]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 118, 0])
    }
}
