/// Why a DEFLATE stream could not be decompressed.
public struct InflateError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, with the compressed byte offset where it was found.
    public var reason: String

    /// Creates an error with the given reason.
    public init(_ reason: String) { self.reason = reason }

    /// The reason, as shown to users after the file and member name.
    public var description: String { reason }
}

/// A decoder for raw DEFLATE streams (RFC 1951): stored, fixed-Huffman and dynamic-Huffman
/// blocks, as found in zip members (method 8).
///
/// Decoding is table driven and bounded: it never writes more than the caller's limit, and a
/// malformed stream always ends in an ``InflateError``, never a trap or an endless loop.
public enum Inflate {
    /// Decompresses the raw DEFLATE stream `input`, refusing to produce more than `maxOutputCount`
    /// bytes (the zip-bomb guard). Bytes after the final block are ignored.
    /// Throws ``InflateError``.
    public static func decompress(_ input: UnsafeRawBufferPointer, maxOutputCount: Int) throws -> [UInt8] {
        precondition(maxOutputCount >= 0, "negative output limit")
        return try [UInt8](unsafeUninitializedCapacity: maxOutputCount) { buffer, initialized in
            var decoder = Decoder(input: input, output: buffer)
            // Even when the stream turns out to be corrupt, what was written so far is initialized.
            defer { initialized = decoder.outCount }
            try decoder.run()
        }
    }

    /// Decompresses the raw DEFLATE stream `input`, refusing to produce more than `maxOutputCount`
    /// bytes. Throws ``InflateError``.
    public static func decompress(_ input: [UInt8], maxOutputCount: Int) throws -> [UInt8] {
        try input.withUnsafeBytes { try decompress($0, maxOutputCount: maxOutputCount) }
    }
}

// MARK: - Decoder

private struct Decoder {
    let input: UnsafeRawBufferPointer
    var inPos = 0
    /// Pending input bits, least significant first; bits above `bitCount` are either zero or
    /// copies of the next input bits, so refilling by OR is always consistent.
    var bitBuffer: UInt64 = 0
    var bitCount = 0
    let output: UnsafeMutableBufferPointer<UInt8>
    var outCount = 0

    init(input: UnsafeRawBufferPointer, output: UnsafeMutableBufferPointer<UInt8>) {
        self.input = input
        self.output = output
    }

    mutating func run() throws {
        while true {
            let isFinal = try bits(1) == 1
            let type = try bits(2)
            switch type {
            case 0: try storedBlock()
            case 1: try huffmanBlock(literals: FixedTables.literals, distances: FixedTables.distances)
            case 2:
                let (literals, distances) = try dynamicTables()
                try huffmanBlock(literals: literals, distances: distances)
            default: throw failure("invalid block type 3")
            }
            if isFinal { return }
        }
    }

    // MARK: Bits

    @inline(__always)
    mutating func refill() {
        Self.refill(input, &inPos, &bitBuffer, &bitCount)
    }

    @inline(__always)
    mutating func bits(_ count: Int) throws -> Int {
        if bitCount < count {
            refill()
            guard bitCount >= count else { throw failure("the compressed data ends in the middle of a block") }
        }
        let value = Int(truncatingIfNeeded: bitBuffer & ((1 << UInt64(count)) &- 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    @inline(__always)
    mutating func symbol(_ table: HuffmanTable) throws -> Int {
        if bitCount < 15 { refill() }
        var entry = table.entries[Int(truncatingIfNeeded: bitBuffer) & table.primaryMask]
        if entry & HuffmanTable.subtableFlag != 0 {
            let subBits = Int(entry & 0x0F)
            let index = Int(truncatingIfNeeded: bitBuffer >> UInt64(table.primaryBits)) & ((1 << subBits) - 1)
            entry = table.entries[Int(entry >> 8) + index]
        }
        let length = Int(entry & 0x0F)
        guard length != 0 else { throw failure("invalid Huffman code") }
        guard length <= bitCount else { throw failure("the compressed data ends in the middle of a block") }
        bitBuffer >>= UInt64(length)
        bitCount -= length
        return Int(entry >> 8)
    }

    /// The offset of the compressed byte holding the next unread bit, for messages.
    var position: Int { inPos - (bitCount + 7) / 8 }

    func failure(_ what: String) -> InflateError {
        InflateError("corrupt deflate data at compressed byte \(position): \(what)")
    }

    func tooLarge() -> InflateError {
        InflateError("the deflate data expands to more than the \(output.count) bytes declared for it")
    }

    // MARK: Blocks

    mutating func storedBlock() throws {
        // Stored blocks start on a byte boundary: drop the partial byte, then hand the whole
        // bytes still buffered back to the input so the block can be copied directly.
        bitBuffer >>= UInt64(bitCount % 8)
        bitCount -= bitCount % 8
        inPos -= bitCount / 8
        bitBuffer = 0
        bitCount = 0
        guard input.count - inPos >= 4 else { throw failure("the stored block header is cut off") }
        let length = Int(input[inPos]) | Int(input[inPos + 1]) << 8
        let complement = Int(input[inPos + 2]) | Int(input[inPos + 3]) << 8
        guard length == complement ^ 0xFFFF else {
            throw failure("stored block length \(length) does not match its complement")
        }
        inPos += 4
        guard input.count - inPos >= length else { throw failure("the stored block is cut off") }
        guard output.count - outCount >= length else { throw tooLarge() }
        if length > 0, let source = input.baseAddress, let target = output.baseAddress {
            (target + outCount).update(from: source.assumingMemoryBound(to: UInt8.self) + inPos, count: length)
        }
        inPos += length
        outCount += length
    }

    mutating func dynamicTables() throws -> (HuffmanTable, HuffmanTable) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286 else { throw failure("\(literalCount) literal/length codes (at most 286)") }
        guard distanceCount <= 30 else { throw failure("\(distanceCount) distance codes (at most 30)") }

        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengthLengths[order[i]] = UInt8(try bits(3)) }
        let codeLengthTable = try HuffmanTable.checked(lengths: codeLengthLengths[...], primaryBits: 7, what: "code length", decoder: self)

        let total = literalCount + distanceCount
        var lengths = [UInt8](repeating: 0, count: total)
        var i = 0
        while i < total {
            let code = try symbol(codeLengthTable)
            if code < 16 {
                lengths[i] = UInt8(code)
                i += 1
                continue
            }
            let value: UInt8
            let repeats: Int
            switch code {
            case 16:
                guard i > 0 else { throw failure("a repeat code with no previous code length") }
                value = lengths[i - 1]
                repeats = 3 + (try bits(2))
            case 17:
                value = 0
                repeats = 3 + (try bits(3))
            default:
                value = 0
                repeats = 11 + (try bits(7))
            }
            guard repeats <= total - i else { throw failure("code lengths run past the end of the table") }
            for j in i..<(i + repeats) { lengths[j] = value }
            i += repeats
        }
        guard lengths[256] != 0 else { throw failure("the block has no end-of-block code") }
        let literals = try HuffmanTable.checked(lengths: lengths[0..<literalCount], primaryBits: 10, what: "literal/length", decoder: self)
        let distances = try HuffmanTable.checked(lengths: lengths[literalCount...], primaryBits: 8, what: "distance", decoder: self)
        return (literals, distances)
    }

    /// Decodes one Huffman block. This is the hot loop, so the bit state lives in locals and the
    /// tables are read through buffer pointers; every index into them is in range by construction
    /// of `HuffmanTable`, and every output write is checked against the limit first.
    mutating func huffmanBlock(literals: HuffmanTable, distances: HuffmanTable) throws {
        let lengthBase = Lengths.lengthBase, lengthExtra = Lengths.lengthExtra
        let distanceBase = Lengths.distanceBase, distanceExtra = Lengths.distanceExtra
        let input = self.input, output = self.output
        let limit = output.count
        var buffer = bitBuffer, count = bitCount, position = inPos, written = outCount
        defer {
            bitBuffer = buffer
            bitCount = count
            inPos = position
            outCount = written
        }
        func failure(_ what: String) -> InflateError {
            InflateError("corrupt deflate data at compressed byte \(position - (count + 7) / 8): \(what)")
        }
        let truncated = "the compressed data ends in the middle of a block"

        try literals.entries.withUnsafeBufferPointer { literalTable in
            try distances.entries.withUnsafeBufferPointer { distanceTable in
                let literalBits = UInt64(literals.primaryBits), literalMask = literals.primaryMask
                let distanceBits = UInt64(distances.primaryBits), distanceMask = distances.primaryMask
                while true {
                    // 48 bits cover the longest length code with its extra bits plus the longest
                    // distance code with its extra bits (15 + 5 + 15 + 13).
                    if count < 48 { Self.refill(input, &position, &buffer, &count) }
                    var entry = literalTable[Int(truncatingIfNeeded: buffer) & literalMask]
                    if entry & HuffmanTable.subtableFlag != 0 {
                        let index = Int(truncatingIfNeeded: buffer >> literalBits) & ((1 << Int(entry & 0x0F)) - 1)
                        entry = literalTable[Int(entry >> 8) + index]
                    }
                    var length = Int(entry & 0x0F)
                    guard length != 0 else { throw failure("invalid Huffman code") }
                    guard length <= count else { throw failure(truncated) }
                    buffer >>= UInt64(length)
                    count -= length
                    let code = Int(entry >> 8)

                    if code < 256 {
                        guard written < limit else { throw tooLarge() }
                        output[written] = UInt8(truncatingIfNeeded: code)
                        written += 1
                        continue
                    }
                    if code == 256 { return }
                    let lengthCode = code - 257
                    guard lengthCode < 29 else { throw failure("invalid length code \(code)") }
                    let lengthBits = lengthExtra[lengthCode]
                    guard lengthBits <= count else { throw failure(truncated) }
                    length = lengthBase[lengthCode] + Int(truncatingIfNeeded: buffer & ((1 << UInt64(lengthBits)) - 1))
                    buffer >>= UInt64(lengthBits)
                    count -= lengthBits

                    entry = distanceTable[Int(truncatingIfNeeded: buffer) & distanceMask]
                    if entry & HuffmanTable.subtableFlag != 0 {
                        let index = Int(truncatingIfNeeded: buffer >> distanceBits) & ((1 << Int(entry & 0x0F)) - 1)
                        entry = distanceTable[Int(entry >> 8) + index]
                    }
                    let codeLength = Int(entry & 0x0F)
                    guard codeLength != 0 else { throw failure("invalid Huffman code") }
                    guard codeLength <= count else { throw failure(truncated) }
                    buffer >>= UInt64(codeLength)
                    count -= codeLength
                    let distanceCode = Int(entry >> 8)
                    guard distanceCode < 30 else { throw failure("invalid distance code \(distanceCode)") }
                    let distanceBitCount = distanceExtra[distanceCode]
                    guard distanceBitCount <= count else { throw failure(truncated) }
                    let distance = distanceBase[distanceCode] + Int(truncatingIfNeeded: buffer & ((1 << UInt64(distanceBitCount)) - 1))
                    buffer >>= UInt64(distanceBitCount)
                    count -= distanceBitCount

                    guard distance <= written else {
                        throw failure("a match at distance \(distance) reaches before the start of the output (\(written) bytes so far)")
                    }
                    guard length <= limit - written else { throw tooLarge() }
                    // Matches may overlap their own output (distance < length), so copy forward byte by byte.
                    var from = written - distance
                    for to in written..<(written + length) {
                        output[to] = output[from]
                        from += 1
                    }
                    written += length
                }
            }
        }
    }

    /// Tops up `buffer` to at least 56 bits while input lasts (see `refill()`).
    @inline(__always)
    static func refill(_ input: UnsafeRawBufferPointer, _ position: inout Int, _ buffer: inout UInt64, _ count: inout Int) {
        if input.count - position >= 8 {
            let word = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            buffer |= word << UInt64(count)
            position += (63 - count) >> 3
            count |= 56
        } else {
            while count <= 56 && position < input.count {
                buffer |= UInt64(input[position]) << UInt64(count)
                position += 1
                count += 8
            }
        }
    }
}

// MARK: - Tables

/// A canonical Huffman code as a two-level lookup table indexed by the next input bits.
///
/// Entries are `symbol << 8 | codeLength` for a leaf, `offset << 8 | subtableFlag | subtableBits`
/// for a pointer to a second-level table, and 0 for a bit pattern no code uses.
private struct HuffmanTable: Sendable {
    static let subtableFlag: UInt32 = 0x80

    var entries: [UInt32]
    let primaryBits: Int
    let primaryMask: Int

    /// Builds the table after checking the lengths describe a prefix code (Kraft inequality).
    static func checked(lengths: ArraySlice<UInt8>, primaryBits: Int, what: String, decoder: Decoder) throws -> HuffmanTable {
        var available = 1
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        for length in 1...15 {
            available = available * 2 - counts[length]
            guard available >= 0 else { throw decoder.failure("the \(what) code lengths are over-subscribed") }
        }
        return HuffmanTable(lengths: lengths, primaryBits: primaryBits)
    }

    /// Builds the table. Lengths must be at most 15; incomplete codes leave entries at 0, which the
    /// decoder rejects when it meets them.
    init(lengths: ArraySlice<UInt8>, primaryBits: Int) {
        self.primaryBits = primaryBits
        primaryMask = (1 << primaryBits) - 1
        let primarySize = 1 << primaryBits

        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            nextCode[length] = code
        }

        // Codes are read least significant bit first, so each canonical code is stored reversed.
        var reversedCodes = [Int](repeating: 0, count: lengths.count)
        var subtableBits = [Int](repeating: 0, count: primarySize)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let length = Int(length)
            var reversed = 0
            var value = nextCode[length]
            for _ in 0..<length {
                reversed = (reversed << 1) | (value & 1)
                value >>= 1
            }
            nextCode[length] += 1
            reversedCodes[symbol] = reversed
            if length > primaryBits {
                let prefix = reversed & primaryMask
                subtableBits[prefix] = max(subtableBits[prefix], length - primaryBits)
            }
        }

        var total = primarySize
        for bits in subtableBits where bits > 0 { total += 1 << bits }
        var entries = [UInt32](repeating: 0, count: total)
        var offset = primarySize
        for prefix in 0..<primarySize where subtableBits[prefix] > 0 {
            entries[prefix] = UInt32(offset) << 8 | Self.subtableFlag | UInt32(subtableBits[prefix])
            offset += 1 << subtableBits[prefix]
        }

        for (symbol, length) in lengths.enumerated() where length > 0 {
            let length = Int(length)
            let reversed = reversedCodes[symbol]
            let leaf = UInt32(symbol) << 8 | UInt32(length)
            if length <= primaryBits {
                var index = reversed
                while index < primarySize {
                    entries[index] = leaf
                    index += 1 << length
                }
            } else {
                let prefix = reversed & primaryMask
                let base = Int(entries[prefix] >> 8)
                let size = 1 << subtableBits[prefix]
                var index = reversed >> primaryBits
                while index < size {
                    entries[base + index] = leaf
                    index += 1 << (length - primaryBits)
                }
            }
        }
        self.entries = entries
    }
}

/// The fixed Huffman codes of block type 1 (RFC 1951 §3.2.6).
private enum FixedTables {
    static let literals: HuffmanTable = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        return HuffmanTable(lengths: lengths[...], primaryBits: 10)
    }()

    static let distances = HuffmanTable(lengths: [UInt8](repeating: 5, count: 32)[...], primaryBits: 8)
}

/// Base values and extra-bit counts of the length and distance codes (RFC 1951 §3.2.5).
private enum Lengths {
    static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
        8193, 12289, 16385, 24577,
    ]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
}
