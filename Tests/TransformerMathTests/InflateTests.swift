import Foundation
import Testing

@testable import TransformerMath

@Suite struct InflateTests {
    @Test func storedBlocksAreCopied() throws {
        let stream: [UInt8] = [0x01, 0x05, 0x00, 0xFA, 0xFF] + Array("hello".utf8)
        #expect(try Inflate.decompress(stream, maxOutputCount: 5) == Array("hello".utf8))
    }

    @Test func fixedHuffmanBlocksDecode() throws {
        // zlib.compressobj(9, DEFLATED, -15, 9, Z_FIXED) of "hello hello hello world" (a match of length 12).
        let stream: [UInt8] = [0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x57, 0xC8, 0x40, 0x22, 0xCB, 0xF3, 0x8B, 0x72, 0x52, 0x00]
        #expect(try Inflate.decompress(stream, maxOutputCount: 100) == Array("hello hello hello world".utf8))
    }

    @Test func outputBeyondTheLimitIsRefused() throws {
        let stream: [UInt8] = [0x01, 0x05, 0x00, 0xFA, 0xFF] + Array("hello".utf8)
        #expect(throws: InflateError.self) { try Inflate.decompress(stream, maxOutputCount: 4) }
        let fixed: [UInt8] = [0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x57, 0xC8, 0x40, 0x22, 0xCB, 0xF3, 0x8B, 0x72, 0x52, 0x00]
        let error = #expect(throws: InflateError.self) { try Inflate.decompress(fixed, maxOutputCount: 10) }
        #expect(error?.reason.contains("more than the 10 bytes declared") == true)
    }

    @Test func truncatedAndInvalidStreamsThrow() {
        let fixed: [UInt8] = [0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x57, 0xC8, 0x40, 0x22, 0xCB, 0xF3, 0x8B, 0x72, 0x52, 0x00]
        for length in 0..<fixed.count - 1 {
            #expect(throws: InflateError.self, "prefix \(length)") { try Inflate.decompress(Array(fixed.prefix(length)), maxOutputCount: 100) }
        }
        #expect(throws: InflateError.self) { try Inflate.decompress([0x07], maxOutputCount: 10) }  // block type 3
        #expect(throws: InflateError.self) { try Inflate.decompress([0x01, 0x05, 0x00, 0xFA, 0xFE, 0, 0, 0, 0, 0], maxOutputCount: 10) }
        // A fixed block whose first symbol is a match reaching back before the start of the output.
        let error = #expect(throws: InflateError.self) { try Inflate.decompress([0x03, 0x02], maxOutputCount: 10) }
        #expect(error?.reason.contains("a match at distance 1 reaches before the start of the output (0 bytes so far)") == true)
    }

    @Test func randomInputsThrowOrReturnButNeverTrap() {
        var generator = SplitMix64(seed: 0x5EED)
        var returned = 0
        for round in 0..<4000 {
            let count = Int.random(in: 0...(round % 10 == 0 ? 2000 : 64), using: &generator)
            var input = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Also steer a share of the inputs into dynamic blocks, the most intricate path.
            if round % 2 == 0, !input.isEmpty { input[0] = (input[0] & ~0x06) | 0x04 }
            do {
                let output = try Inflate.decompress(input, maxOutputCount: 1 << 16)
                #expect(output.count <= 1 << 16)
                returned += 1
            } catch is InflateError {} catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(returned < 4000)
    }

    @Test func damagedRealStreamsThrowOrReturnButNeverTrap() throws {
        let bytes = try Fixture.bytes("softmax_64.npz")
        let (stream, size) = try bytes.withUnsafeBytes { raw -> ([UInt8], Int) in
            let entry = try #require(try ZipDirectory.entries(raw, source: "s").first)
            let start = Int(entry.localHeaderOffset) + 30 + Int(ZipDirectory.u16(raw, Int(entry.localHeaderOffset) + 26))
                + Int(ZipDirectory.u16(raw, Int(entry.localHeaderOffset) + 28))
            return (Array(raw[start..<(start + Int(entry.compressedSize))]), Int(entry.uncompressedSize))
        }
        let intact = try Inflate.decompress(stream, maxOutputCount: size)
        #expect(intact.count == size)
        var generator = SplitMix64(seed: 99)
        for _ in 0..<1000 {
            var damaged = stream
            let position = Int.random(in: 0..<min(damaged.count, 200), using: &generator)
            damaged[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
            do { _ = try Inflate.decompress(damaged, maxOutputCount: size) } catch is InflateError {} catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        let text = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(CRC32.checksum(text) == 0x414F_A339)
        let split = CRC32.checksum(Array(text[13...]), continuing: CRC32.checksum(Array(text[..<13])))
        #expect(split == 0x414F_A339)
    }
}
