import Foundation

/// Reads NumPy `.npy` files (format versions 1.0, 2.0 and 3.0) into a ``Tensor`` in C order.
///
/// Every supported dtype (float16/32/64, int8…int64, uint8…uint64, bool, either byte order) is
/// converted to `Double` in one pass over the bytes; Fortran-ordered data is reordered.
public enum NpyReader {
    /// The largest number of elements a file may declare: 268,435,456 (2 GiB as float64, which
    /// is how every value is held). Larger (or overflowing) shapes are refused from the header
    /// alone, before anything is allocated.
    public static let maxElements = 1 << 28

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

        // Checked before anything is allocated, so a forged header cannot ask for terabytes. The
        // product is taken in the order `Tensor` takes it, so a zero after huge dimensions is
        // refused too rather than overflowing later.
        var count = 1
        var overflow = false
        for dimension in header.shape where !overflow {
            (count, overflow) = count.multipliedReportingOverflow(by: dimension)
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
        switch dtype.element {
        case .float16: load(data, into: out, UInt16.self, little) { double(fromHalfBits: $0) }
        case .float32: load(data, into: out, UInt32.self, little) { Double(Float(bitPattern: $0)) }
        case .float64: load(data, into: out, UInt64.self, little) { Double(bitPattern: $0) }
        case .int8: load(data, into: out, Int8.self, little) { Double($0) }
        case .int16: load(data, into: out, Int16.self, little) { Double($0) }
        case .int32: load(data, into: out, Int32.self, little) { Double($0) }
        case .int64: load(data, into: out, Int64.self, little) { Double($0) }
        case .uint8: load(data, into: out, UInt8.self, little) { Double($0) }
        case .uint16: load(data, into: out, UInt16.self, little) { Double($0) }
        case .uint32: load(data, into: out, UInt32.self, little) { Double($0) }
        case .uint64: load(data, into: out, UInt64.self, little) { Double($0) }
        // NumPy stores True as 1, but any non-zero byte reads as true, as NumPy itself does.
        case .bool: load(data, into: out, UInt8.self, little) { $0 == 0 ? 0 : 1 }
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
    ///
    /// In Fortran order the flat index is `i0 + n0 * rest`, where `rest` is the Fortran index of
    /// the remaining axes. Viewing the data as a `rest × n0` matrix, one transpose puts `i0`
    /// first; each resulting row is then a Fortran-ordered array of the remaining axes, reordered
    /// the same way. Tiled transposes keep both sides cache friendly.
    private static func reorderFortranToC(
        _ source: UnsafeBufferPointer<Double>, shape: [Int], into target: UnsafeMutableBufferPointer<Double>
    ) {
        guard shape.count > 1, !source.isEmpty else {
            _ = target.initialize(fromContentsOf: source)
            return
        }
        let leading = shape[0]
        let rest = source.count / leading
        transpose(source, rows: rest, columns: leading, into: target)
        guard shape.count > 2 else { return }
        let restShape = Array(shape.dropFirst())
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: rest)
        defer { scratch.deallocate() }
        for row in 0..<leading {
            let slice = UnsafeMutableBufferPointer(rebasing: target[(row * rest)..<((row + 1) * rest)])
            _ = scratch.initialize(fromContentsOf: slice)
            reorderFortranToC(UnsafeBufferPointer(scratch), shape: restShape, into: slice)
        }
    }

    /// `target[c * rows + r] = source[r * columns + c]`, in tiles.
    private static func transpose(
        _ source: UnsafeBufferPointer<Double>, rows: Int, columns: Int, into target: UnsafeMutableBufferPointer<Double>
    ) {
        let tile = 32
        for rowStart in stride(from: 0, to: rows, by: tile) {
            let rowEnd = min(rowStart + tile, rows)
            for columnStart in stride(from: 0, to: columns, by: tile) {
                let columnEnd = min(columnStart + tile, columns)
                for r in rowStart..<rowEnd {
                    for c in columnStart..<columnEnd { target[c * rows + r] = source[r * columns + c] }
                }
            }
        }
    }

    private static func plural(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }
}
