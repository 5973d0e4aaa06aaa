import Foundation
import Testing

@testable import TransformerMath

@Suite struct NpzReaderTests {
    @Test func everyMemberDecodesToTheExpectedValues() throws {
        let cases = try Fixture.expected("npz")
        #expect(cases.count >= 8)
        for (file, members) in cases {
            let path = try Fixture.path(file)
            for (member, expected) in try #require(members.object) {
                let tensor = try NpzReader.read(path: path, array: member.isEmpty ? nil : member)
                expectIdentical(tensor, try Fixture.tensor(expected), "\(file) \(member)")
            }
        }
    }

    @Test func membersArePickedWithOrWithoutTheNpySuffix() throws {
        let path = try Fixture.path("savez_compressed.npz")
        let bare = try NpzReader.read(path: path, array: "v")
        let suffixed = try NpzReader.read(path: path, array: "v.npy")
        #expect(bare == suffixed)
        #expect(bare.shape == [2, 3, 4])
        let loaded = try TensorFile.read(path: path, array: "k")
        #expect(loaded.tensor.shape == [3, 4])
    }

    @Test func arrayNamesAreListedInArchiveOrder() throws {
        let bytes = try Fixture.bytes("savez_stored.npz")
        let names = try bytes.withUnsafeBytes { try NpzReader.arrayNames($0, source: "savez_stored.npz") }
        #expect(names == ["q", "k", "v"])
        #expect(try NpzReader.arrayNames(path: try Fixture.path("with_text_member.npz")) == ["q", "notes.txt"])
    }

    @Test func theDynamicHuffmanFixtureReallyUsesDynamicBlocks() throws {
        let bytes = try Fixture.bytes("softmax_64.npz")
        try bytes.withUnsafeBytes { raw in
            let entries = try ZipDirectory.entries(raw, source: "softmax_64.npz")
            let attn = try #require(entries.first { $0.name == "attn.npy" })
            #expect(attn.method == 8)
            let start = Int(attn.localHeaderOffset) + 30 + Int(ZipDirectory.u16(raw, Int(attn.localHeaderOffset) + 26))
                + Int(ZipDirectory.u16(raw, Int(attn.localHeaderOffset) + 28))
            #expect((raw[start] >> 1) & 3 == 2)
        }
    }

    @Test func choosingAMemberIsExplainedWithTheNames() throws {
        let path = try Fixture.path("savez_stored.npz")
        let message = expectInputError("holds 3 arrays (q, k, v); pick one with --array NAME") {
            _ = try NpzReader.read(path: path, array: nil)
        }
        #expect(message == "\(path) holds 3 arrays (q, k, v); pick one with --array NAME")
        expectInputError("has no array 'x'; it holds q, k, v") { _ = try NpzReader.read(path: path, array: "x") }
        #expect(InputError.arrayChoice(file: "attn.npz", names: ["q", "k", "v"], requested: nil).description
            == "attn.npz holds 3 arrays (q, k, v); pick one with --array NAME")
    }

    @Test func damagedArchivesNameTheFileAndTheMember() throws {
        let cases: [(file: String, array: String?, fragments: [String])] = [
            ("bad_truncated.npz", nil, ["not a zip archive (.npz): no end-of-central-directory record", "truncated"]),
            ("bad_crc.npz", nil, [": member 'q.npy': CRC-32 check failed"]),
            ("bad_deflate.npz", nil, [": member 'v.npy': corrupt deflate data at compressed byte 0: invalid block type 3"]),
            ("bad_method.npz", nil, ["member 'q.npy' uses compression method 12 (bzip2)", "only stored (0) and deflate (8)"]),
            ("bad_bomb.npz", nil, ["member 'q.npy' declares 1099511627776 bytes", "largest array"]),
            ("bad_size.npz", nil, ["member 'q.npy': the deflate data expands to more than the 214 bytes declared"]),
            ("with_text_member.npz", "notes.txt", [": member 'notes.txt': not a .npy file"]),
            ("scalar_0d.npy", nil, ["not a zip archive: this is a .npy file"]),
            ("matrix.csv", nil, ["not a zip archive (.npz)"]),
        ]
        for (file, array, fragments) in cases {
            let path = try Fixture.path(file)
            let error = #expect(throws: InputError.self, "\(file)") { try NpzReader.read(path: path, array: array) }
            let text = error.map { String(describing: $0) } ?? ""
            #expect(text.hasPrefix(path), "\(file): \(text)")
            for fragment in fragments { #expect(text.contains(fragment), "\(file): \(text)") }
        }
    }

    @Test func aDeclaredSizeDeflateCannotReachIsRefusedBeforeInflating() throws {
        // A real member whose central directory claims 40 000 times the compressed size.
        var bytes = try Fixture.bytes("deflate_fixed.npz")
        try bytes.withUnsafeBytes { raw in
            let entries = try ZipDirectory.entries(raw, source: "x")
            #expect(entries.count == 1)
        }
        let directory = try #require(bytes.indices.last { bytes[$0] == 0x50 && bytes[$0 + 1] == 0x4B && bytes[$0 + 2] == 1 && bytes[$0 + 3] == 2 })
        let compressed = Int(bytes[directory + 20]) | Int(bytes[directory + 21]) << 8
        let claimed = UInt32(compressed * 40_000)
        for i in 0..<4 { bytes[directory + 24 + i] = UInt8(truncatingIfNeeded: claimed >> (8 * UInt32(i))) }
        expectInputError("more than deflate can produce") { _ = try NpzReader.decode(bytes, source: "forged.npz", array: nil) }
    }

    @Test func randomlyDamagedArchivesNeverTrap() throws {
        var generator = SplitMix64(seed: 2024)
        for file in ["savez_compressed.npz", "zip64_comment.npz", "softmax_64.npz"] {
            let original = try Fixture.bytes(file)
            for _ in 0..<300 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                for name in ["q", "k", "attn", "causal"] {
                    do { _ = try NpzReader.decode(bytes, source: file, array: name) } catch is InputError {} catch {
                        Issue.record("unexpected error type: \(error)")
                    }
                }
            }
        }
    }
}
