import Foundation

/// A deliberately small, independent `.npy` reader for checking the CLI's numbers: it shares no
/// code with `TransformerMath`. It reads versions 1–3, little-endian float32/float64, C order.
struct TestNpy: Equatable {
    let shape: [Int]
    /// All values in C order, widened to Double.
    let values: [Double]

    enum Failure: Error, CustomStringConvertible {
        case bad(String)
        var description: String {
            switch self { case .bad(let why): return "test .npy reader: \(why)" }
        }
    }

    init(path: String) throws {
        try self.init(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    init(bytes: [UInt8]) throws {
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw Failure.bad("no NUMPY magic")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            guard bytes.count >= 12 else { throw Failure.bad("short header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        }
        guard bytes.count >= headerStart + headerLength,
            let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8)
        else { throw Failure.bad("header cut short") }

        func value(of key: String) throws -> Substring {
            guard let range = header.range(of: "'\(key)':") else { throw Failure.bad("no \(key) in \(header)") }
            return header[range.upperBound...].drop { $0 == " " }
        }
        let descrText = try value(of: "descr")
        guard descrText.first == "'", let close = descrText.dropFirst().firstIndex(of: "'") else {
            throw Failure.bad("descr in \(header)")
        }
        let descr = String(descrText[descrText.index(after: descrText.startIndex)..<close])
        guard try value(of: "fortran_order").hasPrefix("False") else { throw Failure.bad("Fortran order not supported") }
        let shapeText = try value(of: "shape")
        guard shapeText.first == "(", let end = shapeText.firstIndex(of: ")") else { throw Failure.bad("shape in \(header)") }
        let shape = shapeText[shapeText.index(after: shapeText.startIndex)..<end]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .compactMap { Int($0) }
        let count = shape.reduce(1, *)
        let data = Array(bytes[(headerStart + headerLength)...])

        switch descr {
        case "<f4":
            guard data.count == count * 4 else { throw Failure.bad("expected \(count * 4) data bytes, found \(data.count)") }
            values = (0..<count).map { i in
                let bits = (0..<4).reduce(UInt32(0)) { $0 | UInt32(data[4 * i + $1]) << (8 * UInt32($1)) }
                return Double(Float(bitPattern: bits))
            }
        case "<f8":
            guard data.count == count * 8 else { throw Failure.bad("expected \(count * 8) data bytes, found \(data.count)") }
            values = (0..<count).map { i in
                let bits = (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[8 * i + $1]) << (8 * UInt64($1)) }
                return Double(bitPattern: bits)
            }
        default:
            throw Failure.bad("dtype \(descr) not supported")
        }
        self.shape = shape
    }

    /// The `[rows, columns]` matrix at `leading` indices (empty for a 2-D array), as nested rows.
    func matrix(at leading: [Int] = []) -> [[Double]] {
        let rows = shape[shape.count - 2], columns = shape[shape.count - 1]
        var offset = 0
        for (axis, index) in leading.enumerated() {
            offset = offset * shape[axis] + index
        }
        offset *= rows * columns
        return (0..<rows).map { r in Array(values[(offset + r * columns)..<(offset + (r + 1) * columns)]) }
    }
}

/// Width and height of a PNG, read straight from its IHDR chunk.
func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
    func be32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 << 8 | Int(bytes[at + $1]) } }
    return (be32(16), be32(20))
}
