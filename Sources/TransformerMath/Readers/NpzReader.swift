import Foundation

/// Reads NumPy `.npz` archives (zip files of `.npy` members written by `np.savez` and
/// `np.savez_compressed`), including ZIP64 records, and decodes one member into a ``Tensor``.
///
/// The central directory is the source of truth for member sizes and offsets. Members may be
/// stored or deflated; each one's CRC-32 is checked before it is decoded.
public enum NpzReader {
    /// Reads the member picked by `array` (`q` or `q.npy`; nil: the only member) from the `.npz`
    /// file at `path`, memory-mapped; `path` names the file in error messages.
    public static func read(path: String, array: String?) throws -> Tensor {
        let data = try MappedFile.read(path: path)
        return try data.withUnsafeBytes { try decode($0, source: path, array: array) }
    }

    /// Decodes the member picked by `array` from the bytes of an `.npz` file; `source` names
    /// the file in error messages.
    public static func decode(_ bytes: UnsafeRawBufferPointer, source: String, array: String?) throws -> Tensor {
        let entries = try ZipDirectory.entries(bytes, source: source)
        let names = entries.map(\.arrayName)
        let entry = entries[try ArraySelection.index(of: array, in: names, suffix: ".npy", file: source)]
        return try decode(entry, in: bytes, source: source)
    }

    /// Decodes the member picked by `array` from the bytes of an `.npz` file; `source` names
    /// the file in error messages.
    public static func decode(_ bytes: [UInt8], source: String, array: String?) throws -> Tensor {
        try bytes.withUnsafeBytes { try decode($0, source: source, array: array) }
    }

    /// The names of the arrays in the `.npz` file at `path`, in archive order, without `.npy`.
    public static func arrayNames(path: String) throws -> [String] {
        let data = try MappedFile.read(path: path)
        return try data.withUnsafeBytes { try arrayNames($0, source: path) }
    }

    /// The names of the arrays in an `.npz` file, in archive order, without the `.npy` suffix.
    public static func arrayNames(_ bytes: UnsafeRawBufferPointer, source: String) throws -> [String] {
        try ZipDirectory.entries(bytes, source: source).map(\.arrayName)
    }

    /// The largest member accepted: the largest array `NpyReader` accepts, plus room for a header.
    static let maxMemberBytes = NpyReader.maxElements * 8 + (1 << 20)

    private static func decode(_ entry: ZipEntry, in bytes: UnsafeRawBufferPointer, source: String) throws -> Tensor {
        let member = "member '\(entry.name)'"
        func malformed(_ reason: String) -> InputError { .malformed(file: source, reason: "\(member): \(reason)") }

        if entry.flags & 1 != 0 {
            throw InputError.unsupported(file: source, reason: "\(member) is encrypted")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw InputError.unsupported(
                file: source,
                reason: "\(member) uses compression method \(entry.method)\(methodName(entry.method)); "
                    + "only stored (0) and deflate (8) members can be read")
        }
        guard entry.uncompressedSize <= UInt64(maxMemberBytes) else {
            throw InputError.unsupported(
                file: source,
                reason: "\(member) declares \(entry.uncompressedSize) bytes, more than the largest array "
                    + "this reader accepts (\(NpyReader.maxElements) values)")
        }

        // The local header repeats name and extra field with lengths of its own; only those
        // lengths are needed, to find where the data starts.
        let offset = entry.localHeaderOffset
        guard offset <= UInt64(bytes.count), bytes.count - Int(offset) >= 30 else {
            throw malformed("the local header at byte \(offset) lies past the end of the file (is the file truncated?)")
        }
        let headerStart = Int(offset)
        guard ZipDirectory.u32(bytes, headerStart) == 0x0403_4B50 else {
            throw malformed("no local header signature at byte \(headerStart)")
        }
        let dataStart = headerStart + 30 + Int(ZipDirectory.u16(bytes, headerStart + 26)) + Int(ZipDirectory.u16(bytes, headerStart + 28))
        guard dataStart <= bytes.count, entry.compressedSize <= UInt64(bytes.count - dataStart) else {
            throw malformed(
                "its \(entry.compressedSize) bytes of data starting at byte \(dataStart) run past the end of the file "
                    + "(\(bytes.count) bytes; is the file truncated?)")
        }
        let compressed = UnsafeRawBufferPointer(rebasing: bytes[dataStart..<(dataStart + Int(entry.compressedSize))])
        let expectedSize = Int(entry.uncompressedSize)
        let memberSource = "\(source): \(member)"

        if entry.method == 0 {
            guard entry.compressedSize == entry.uncompressedSize else {
                throw malformed("stored member has \(entry.compressedSize) bytes but declares \(entry.uncompressedSize)")
            }
            try checkCRC(compressed, entry: entry, malformed: malformed)
            return try NpyReader.decode(compressed, source: memberSource)
        }

        // Deflate cannot expand data by more than about 1032:1, so a larger declared size is a lie,
        // and refusing it keeps a forged header from making us allocate gigabytes.
        guard entry.uncompressedSize <= entry.compressedSize * 1032 + 1024 else {
            throw malformed(
                "declares \(entry.uncompressedSize) bytes from \(entry.compressedSize) compressed bytes, "
                    + "more than deflate can produce")
        }
        let inflated: [UInt8]
        do {
            inflated = try Inflate.decompress(compressed, maxOutputCount: expectedSize)
        } catch let error as InflateError {
            throw malformed(error.reason)
        }
        guard inflated.count == expectedSize else {
            throw malformed("decompresses to \(inflated.count) bytes but the archive declares \(expectedSize)")
        }
        return try inflated.withUnsafeBytes { raw in
            try checkCRC(raw, entry: entry, malformed: malformed)
            return try NpyReader.decode(raw, source: memberSource)
        }
    }

    private static func checkCRC(
        _ bytes: UnsafeRawBufferPointer, entry: ZipEntry, malformed: (String) -> InputError
    ) throws {
        let computed = CRC32.checksum(bytes)
        guard computed == entry.crc32 else {
            throw malformed(
                "CRC-32 check failed (the archive says \(hex(entry.crc32)), the data gives \(hex(computed))); the file is corrupt")
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    private static func methodName(_ method: UInt16) -> String {
        switch method {
        case 1: " (shrink)"
        case 6: " (implode)"
        case 9: " (deflate64)"
        case 12: " (bzip2)"
        case 14: " (LZMA)"
        case 93: " (Zstandard)"
        case 95: " (xz)"
        case 99: " (AES encryption)"
        default: ""
        }
    }
}

/// One member as described by the zip central directory.
struct ZipEntry: Equatable {
    /// The member's file name inside the archive (`q.npy`).
    var name: String
    /// General-purpose flags; bit 0 means encrypted.
    var flags: UInt16
    /// Compression method: 0 stored, 8 deflate.
    var method: UInt16
    /// CRC-32 of the uncompressed data.
    var crc32: UInt32
    /// Bytes of data in the archive.
    var compressedSize: UInt64
    /// Bytes after decompression.
    var uncompressedSize: UInt64
    /// Where the member's local header starts.
    var localHeaderOffset: UInt64

    /// The name users pick the member by: `q` for `q.npy`.
    var arrayName: String { name.hasSuffix(".npy") ? String(name.dropLast(4)) : name }
}

/// Locates and parses the zip central directory (with ZIP64 records when present).
enum ZipDirectory {
    /// Every file member of the archive `bytes`, in central-directory order.
    static func entries(_ bytes: UnsafeRawBufferPointer, source: String) throws -> [ZipEntry] {
        func malformed(_ reason: String) -> InputError { .malformed(file: source, reason: reason) }

        let end = try findEndRecord(bytes, source: source)
        guard u16(bytes, end + 4) == 0 && u16(bytes, end + 6) == 0 else {
            throw InputError.unsupported(file: source, reason: "the zip archive is split across several disks")
        }
        var entryCount = UInt64(u16(bytes, end + 10))
        var directorySize = UInt64(u32(bytes, end + 12))
        var directoryOffset = UInt64(u32(bytes, end + 16))
        var directoryLimit = end

        // NumPy writes with ZIP64 forced; the locator sits right before the classic end record.
        if end >= 20 && u32(bytes, end - 20) == 0x0706_4B50 {
            let recordOffset = u64(bytes, end - 20 + 8)
            guard recordOffset <= UInt64(end - 20), end - 20 - Int(recordOffset) >= 56,
                u32(bytes, Int(recordOffset)) == 0x0606_4B50
            else {
                throw malformed("the ZIP64 end-of-central-directory record is missing or damaged (locator points to byte \(recordOffset))")
            }
            let record = Int(recordOffset)
            entryCount = u64(bytes, record + 32)
            directorySize = u64(bytes, record + 40)
            directoryOffset = u64(bytes, record + 48)
            directoryLimit = record
        }

        guard directoryOffset <= UInt64(directoryLimit), directorySize <= UInt64(directoryLimit) - directoryOffset else {
            throw malformed(
                "the central directory (\(directorySize) bytes at byte \(directoryOffset)) lies outside the file "
                    + "(is the file truncated?)")
        }
        // Every entry takes at least 46 bytes, which bounds a forged entry count.
        guard entryCount <= directorySize / 46 else {
            throw malformed("the archive claims \(entryCount) members but its central directory has room for \(directorySize / 46)")
        }

        var entries: [ZipEntry] = []
        var position = Int(directoryOffset)
        let directoryEnd = Int(directoryOffset + directorySize)
        for index in 0..<Int(entryCount) {
            guard directoryEnd - position >= 46, u32(bytes, position) == 0x0201_4B50 else {
                throw malformed("central directory entry \(index + 1) at byte \(position) is damaged")
            }
            let nameLength = Int(u16(bytes, position + 28))
            let extraLength = Int(u16(bytes, position + 30))
            let commentLength = Int(u16(bytes, position + 32))
            let nameStart = position + 46
            guard directoryEnd - nameStart >= nameLength + extraLength + commentLength else {
                throw malformed("central directory entry \(index + 1) at byte \(position) runs past the directory")
            }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<(nameStart + nameLength)]), as: UTF8.self)
            var entry = ZipEntry(
                name: name, flags: u16(bytes, position + 8), method: u16(bytes, position + 10), crc32: u32(bytes, position + 16),
                compressedSize: UInt64(u32(bytes, position + 20)), uncompressedSize: UInt64(u32(bytes, position + 24)),
                localHeaderOffset: UInt64(u32(bytes, position + 42)))
            let extraStart = nameStart + nameLength
            try applyZip64Extra(
                UnsafeRawBufferPointer(rebasing: bytes[extraStart..<(extraStart + extraLength)]), to: &entry, malformed: malformed)
            if !name.hasSuffix("/") { entries.append(entry) }
            position = extraStart + extraLength + commentLength
        }
        return entries
    }

    private static func findEndRecord(_ bytes: UnsafeRawBufferPointer, source: String) throws -> Int {
        let count = bytes.count
        if count >= 6 && Array(bytes.prefix(6)) == NpyHeader.magic {
            throw InputError.malformed(file: source, reason: "not a zip archive: this is a .npy file (rename it to .npy)")
        }
        // The end record is 22 bytes plus a comment of up to 65535 bytes, so it is searched for
        // backwards from the end; a record whose comment ends exactly at the end of file wins.
        var fallback: Int?
        if count >= 22 {
            var position = count - 22
            let lowest = max(0, count - 22 - 65535)
            while position >= lowest {
                if u32(bytes, position) == 0x0605_4B50 {
                    let commentEnd = position + 22 + Int(u16(bytes, position + 20))
                    if commentEnd == count { return position }
                    if commentEnd < count && fallback == nil { fallback = position }
                }
                position -= 1
            }
        }
        if let fallback { return fallback }
        let reason =
            count == 0
            ? "not a zip archive (.npz): the file is empty"
            : "not a zip archive (.npz): no end-of-central-directory record in its \(count) bytes (is the file truncated?)"
        throw InputError.malformed(file: source, reason: reason)
    }

    private static func applyZip64Extra(
        _ extra: UnsafeRawBufferPointer, to entry: inout ZipEntry, malformed: (String) -> InputError
    ) throws {
        var position = 0
        while extra.count - position >= 4 {
            let id = u16(extra, position)
            let size = Int(u16(extra, position + 2))
            let fieldStart = position + 4
            guard extra.count - fieldStart >= size else { break }
            if id == 0x0001 {
                // Only the values whose 32-bit field is saturated are present, in this order.
                var cursor = fieldStart
                let fieldEnd = fieldStart + size
                func next(_ what: String) throws -> UInt64 {
                    guard fieldEnd - cursor >= 8 else {
                        throw malformed("member '\(entry.name)': its ZIP64 extra field is too short to hold the \(what)")
                    }
                    defer { cursor += 8 }
                    return u64(extra, cursor)
                }
                if entry.uncompressedSize == 0xFFFF_FFFF { entry.uncompressedSize = try next("uncompressed size") }
                if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = try next("compressed size") }
                if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = try next("local header offset") }
            }
            position = fieldStart + size
        }
    }

    /// A little-endian 16-bit value at `offset`; callers check bounds first.
    static func u16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// A little-endian 32-bit value at `offset`; callers check bounds first.
    static func u32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// A little-endian 64-bit value at `offset`; callers check bounds first.
    static func u64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
