import Foundation

/// Reads NumPy `.npy` files (format versions 1.0, 2.0 and 3.0) into a ``Tensor`` in C order.
///
/// Every supported dtype (float16/32/64, int8…int64, uint8…uint64, bool, either byte order) is
/// converted to `Double` in one pass over the bytes; Fortran-ordered data is reordered.
public enum NpyReader {
    /// The largest number of elements a file may declare. Larger (or overflowing) shapes are
    /// refused from the header alone, before anything is allocated.
    public static let maxElements = 1 << 31

    /// Reads the `.npy` file at `path`, memory-mapped; `path` names the file in error messages.
    public static func read(path: String) throws -> Tensor {
        let data = try MappedFile.read(path: path)
        return try decode(data, source: path)
    }

    /// Decodes the bytes of a `.npy` file; `source` names them in error messages.
    public static func decode(_ data: Data, source: String) throws -> Tensor {
        try data.withUnsafeBytes { try decode($0, source: source) }
    }

    /// Decodes the bytes of a `.npy` file; `source` names them in error messages.
    public static func decode(_ bytes: [UInt8], source: String) throws -> Tensor {
        try bytes.withUnsafeBytes { try decode($0, source: source) }
    }

    /// Decodes the bytes of a `.npy` file (for example an `.npz` member); `source` names them
    /// in error messages, such as `attn.npz: member 'q.npy'`.
    public static func decode(_ bytes: UnsafeRawBufferPointer, source: String) throws -> Tensor {
        let header = try NpyHeader.parse(bytes, source: source)
        let dtype = header.dtype
        let shapeText = Tensor.describe(header.shape)

        // Checked before anything is allocated, so a forged header cannot ask for terabytes.
        var count = 1
        var overflow = false
        for dimension in header.shape where !overflow {
            (count, overflow) = count.multipliedReportingOverflow(by: dimension)
        }
        if header.shape.contains(0) {
            count = 0
            overflow = false
        }
        guard !overflow, count <= maxElements else {
            let total = overflow ? "more values than a 64-bit count can hold" : "\(count) values"
            throw InputError.unsupported(
                file: source, reason: "header says shape \(shapeText), which is \(total); the limit is \(maxElements) values")
        }

        let expectedBytes = count * dtype.size
        let availableBytes = bytes.count - header.dataOffset
        guard availableBytes == expectedBytes else {
            let values = plural(count, "\(dtype.name) value")
            var reason = "header says shape \(shapeText) (\(values), \(plural(expectedBytes, "byte"))) "
                + "but the file holds \(plural(availableBytes, "byte")) of data"
            if availableBytes % dtype.size == 0 {
                reason += " (\(plural(availableBytes / dtype.size, "value")))"
            }
            throw InputError.malformed(file: source, reason: reason)
        }

        let data = UnsafeRawBufferPointer(rebasing: bytes[header.dataOffset...])
        let fileOrder = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            convert(data, into: buffer, dtype: dtype)
            initialized = count
        }
        guard header.fortranOrder && header.shape.count > 1 && count > 0 else {
            return Tensor(shape: header.shape, values: fileOrder)
        }
        let cOrder = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            fileOrder.withUnsafeBufferPointer { reorderFortranToC($0, shape: header.shape, into: buffer) }
            initialized = count
        }
        return Tensor(shape: header.shape, values: cOrder)
    }

    /// Converts an IEEE 754 half-precision bit pattern to `Double` exactly (subnormals, infinities
    /// and NaN included).
    public static func double(fromHalfBits bits: UInt16) -> Double {
        let sign = UInt64(bits >> 15) << 63
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = UInt64(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero and subnormals: fraction × 2⁻²⁴, exact in Double.
            let magnitude = Double(fraction) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            // Infinity (fraction 0) or NaN; the NaN payload moves to the top of Double's fraction.
            return Double(bitPattern: sign | 0x7FF0_0000_0000_0000 | (fraction << 42))
        default:
            return Double(bitPattern: sign | (UInt64(exponent - 15 + 1023) << 52) | (fraction << 42))
        }
    }

    // MARK: - Conversion

    private static func convert(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Double>, dtype: NpyDType) {
        let little = dtype.littleEndian
        switch (dtype.kind, dtype.size) {
        case (.float, 2): load(data, into: out, UInt16.self, little) { double(fromHalfBits: $0) }
        case (.float, 4): load(data, into: out, UInt32.self, little) { Double(Float(bitPattern: $0)) }
        case (.float, 8): load(data, into: out, UInt64.self, little) { Double(bitPattern: $0) }
        case (.signed, 1): load(data, into: out, Int8.self, little) { Double($0) }
        case (.signed, 2): load(data, into: out, Int16.self, little) { Double($0) }
        case (.signed, 4): load(data, into: out, Int32.self, little) { Double($0) }
        case (.signed, 8): load(data, into: out, Int64.self, little) { Double($0) }
        case (.unsigned, 1): load(data, into: out, UInt8.self, little) { Double($0) }
        case (.unsigned, 2): load(data, into: out, UInt16.self, little) { Double($0) }
        case (.unsigned, 4): load(data, into: out, UInt32.self, little) { Double($0) }
        case (.unsigned, 8): load(data, into: out, UInt64.self, little) { Double($0) }
        case (.bool, _): load(data, into: out, UInt8.self, little) { $0 == 0 ? 0 : 1 }
        default:
            // NpyDType.parse only produces the combinations above.
            preconditionFailure("unexpected dtype \(dtype)")
        }
    }

    /// One pass over the raw elements; inlined per type so the loop has no calls or allocations.
    @inline(__always)
    private static func load<T: FixedWidthInteger>(
        _ data: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Double>, _: T.Type, _ littleEndian: Bool,
        _ transform: (T) -> Double
    ) {
        let stride = MemoryLayout<T>.size
        if littleEndian {
            for i in 0..<out.count {
                out[i] = transform(T(littleEndian: data.loadUnaligned(fromByteOffset: i &* stride, as: T.self)))
            }
        } else {
            for i in 0..<out.count {
                out[i] = transform(T(bigEndian: data.loadUnaligned(fromByteOffset: i &* stride, as: T.self)))
            }
        }
    }

    /// Copies column-major (`source`) values into row-major order (`target`).
    private static func reorderFortranToC(
        _ source: UnsafeBufferPointer<Double>, shape: [Int], into target: UnsafeMutableBufferPointer<Double>
    ) {
        let rank = shape.count
        // In Fortran order axis 0 varies fastest: its stride is 1, the next axis's is shape[0], …
        var strides = Array(repeating: 1, count: rank)
        for axis in 1..<rank { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        let innerCount = shape[rank - 1], innerStride = strides[rank - 1]
        var outer = Array(repeating: 0, count: rank - 1)
        var base = 0
        var written = 0
        while true {
            for j in 0..<innerCount { target[written + j] = source[base + j * innerStride] }
            written += innerCount
            var axis = rank - 2
            while axis >= 0 {
                outer[axis] += 1
                base += strides[axis]
                if outer[axis] < shape[axis] { break }
                base -= strides[axis] * shape[axis]
                outer[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }

    private static func plural(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }
}
