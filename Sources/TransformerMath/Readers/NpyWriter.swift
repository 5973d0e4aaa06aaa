/// Writes tensors as NumPy `.npy` files: little-endian float64 (`<f8`), C order, with the header
/// laid out byte for byte as `numpy.save` writes it.
public enum NpyWriter {
    /// The bytes of a `.npy` file holding `tensor` (format 1.0, or 2.0 if the header is too long
    /// for 1.0, as NumPy does).
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let shape = tensor.shape
        var dictionary = "{'descr': '<f8', 'fortran_order': False, 'shape': \(Tensor.describe(shape)), }"
        // NumPy leaves room to grow the first axis in place (GROWTH_AXIS_MAX_DIGITS = 21).
        if let first = shape.first { dictionary += String(repeating: " ", count: max(0, 21 - String(first).count)) }

        let text = Array(dictionary.utf8)
        var lengthSize = 2
        var headerLength = paddedLength(text.count, prefix: 8 + lengthSize)
        if headerLength > Int(UInt16.max) {
            lengthSize = 4
            headerLength = paddedLength(text.count, prefix: 8 + lengthSize)
        }

        var bytes: [UInt8] = NpyHeader.magic + [lengthSize == 2 ? 1 : 2, 0]
        bytes.reserveCapacity(8 + lengthSize + headerLength + tensor.values.count * 8)
        for shift in stride(from: 0, to: lengthSize * 8, by: 8) { bytes.append(UInt8(truncatingIfNeeded: headerLength >> shift)) }
        bytes += text
        bytes += Array(repeating: 0x20, count: headerLength - text.count - 1)
        bytes.append(0x0A)
        for value in tensor.values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// The header length (dictionary, spaces and the final newline) that makes the data start
    /// at a multiple of 64 bytes; like NumPy, at least one space is added (64 when already aligned).
    private static func paddedLength(_ dictionaryLength: Int, prefix: Int) -> Int {
        let unpadded = prefix + dictionaryLength + 1
        return dictionaryLength + 1 + (64 - unpadded % 64)
    }
}
