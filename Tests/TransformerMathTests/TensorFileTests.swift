import Foundation
import Testing

@testable import TransformerMath

@Suite struct TensorFileTests {
    @Test func extensionsAreMatchedWithoutRegardToCase() throws {
        let folder = try TemporaryFolder()
        let upper = folder.path("ATTN.NPY")
        try FileManager.default.copyItem(atPath: try Fixture.path("float32_le_C_3x4.npy"), toPath: upper)
        let loaded = try TensorFile.read(path: upper, array: nil)
        #expect(loaded.tensor.shape == [3, 4])
        #expect(loaded.source == upper)
        let csv = folder.path("Labels.Csv")
        try FileManager.default.copyItem(atPath: try Fixture.path("labeled.csv"), toPath: csv)
        #expect(try TensorFile.read(path: csv, array: nil).labels?.first == "<s>")
    }

    @Test func unreadablePathsAreExplainedInPlainWords() throws {
        let folder = try TemporaryFolder()
        expectInputError("\(folder.path("missing.npy")): no such file") { _ = try TensorFile.read(path: folder.path("missing.npy"), array: nil) }
        let directory = folder.path("dir.npy")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        expectInputError("dir.npy: is a directory") { _ = try TensorFile.read(path: directory, array: nil) }

        let locked = folder.path("locked.npy")
        try FileManager.default.copyItem(atPath: try Fixture.path("scalar_0d.npy"), toPath: locked)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked)
        // Root reads anything, so the check only means something for ordinary users.
        if !FileManager.default.isReadableFile(atPath: locked) {
            expectInputError("locked.npy: permission denied") { _ = try TensorFile.read(path: locked, array: nil) }
        }

        let empty = folder.path("empty.npy")
        try Data().write(to: URL(fileURLWithPath: empty))
        expectInputError("empty.npy: not a .npy file: the file is empty") { _ = try TensorFile.read(path: empty, array: nil) }
    }

    @Test func unknownExtensionsAndMisplacedOptionsAreErrors() throws {
        expectInputError("attn.txt: files ending in '.txt' cannot be read; accepted: .npy, .npz, .json, .csv") {
            _ = try TensorFile.read(path: "attn.txt", array: nil)
        }
        expectInputError("data/attn: has no file extension") { _ = try TensorFile.read(path: "data/attn", array: nil) }
        expectInputError(".hidden: has no file extension") { _ = try TensorFile.read(path: ".hidden", array: nil) }
        let npy = try Fixture.path("scalar_0d.npy")
        expectInputError("--array: \(npy) is a .npy file, which holds a single array") { _ = try TensorFile.read(path: npy, array: "q") }
        let csv = try Fixture.path("matrix.csv")
        expectInputError("--array: \(csv) is a .csv file") { _ = try TensorFile.read(path: csv, array: "q") }
    }

    @Test func firstNonFiniteNamesTheIndex() throws {
        let special = try TensorFile.read(path: try Fixture.path("float16_special.npy"), array: nil).tensor
        let found = try #require(special.firstNonFinite())
        #expect(found.index == [10])
        #expect(found.value == .infinity)
        let nested = Tensor(shape: [2, 2, 3], values: [0, 1, 2, 3, 4, 5, 6, 7, .nan, 9, 10, 11])
        #expect(nested.firstNonFinite()?.index == [1, 0, 2])
        #expect(Tensor(shape: [2], values: [1, 2]).firstNonFinite() == nil)
        #expect(InputError.nonFinite(file: "a.npy", index: [1, 0, 2], value: .nan).description == "a.npy: value at [1, 0, 2] is NaN; values must be finite numbers")
    }
}

/// A folder under the system temporary directory, removed when the value goes away.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("transfigure-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
