/// A JSON document to write: deterministic key order, shortest round-trip numbers, one matrix row per line.
public indirect enum JSONOutput: Sendable, Equatable {
    /// A number (must be finite).
    case number(Double)
    /// An integer.
    case integer(Int)
    /// A string, escaped on output.
    case string(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// An array.
    case array([JSONOutput])
    /// An object; keys keep the given order.
    case object([(String, JSONOutput)])

    public static func == (lhs: JSONOutput, rhs: JSONOutput) -> Bool {
        lhs.rendered() == rhs.rendered()
    }

    /// A matrix as an array of row arrays.
    public static func matrix(_ matrix: Matrix) -> JSONOutput {
        .array((0..<matrix.rows).map { r in .array(matrix.row(r).map(JSONOutput.number)) })
    }

    /// An optional value, `null` when absent.
    public static func optional(_ value: Int?) -> JSONOutput {
        value.map(JSONOutput.integer) ?? .null
    }

    /// The document as UTF-8 text ending in a newline.
    public func rendered() -> String {
        var out = ""
        write(to: &out, indent: "")
        return out + "\n"
    }

    private var isFlat: Bool {
        switch self {
        case .array(let items): return items.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
        case .object: return false
        default: return true
        }
    }

    private func write(to out: inout String, indent: String) {
        switch self {
        case .number(let v):
            // Swift's description is the shortest text that reads back to the same Double.
            out += v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
        case .integer(let v): out += String(v)
        case .string(let s): out += Self.quoted(s)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            if isFlat {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    item.write(to: &out, indent: indent)
                }
                out += "]"
                return
            }
            let inner = indent + "  "
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += inner
                item.write(to: &out, indent: inner)
                out += i < items.count - 1 ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let members):
            let inner = indent + "  "
            out += "{\n"
            for (i, (key, value)) in members.enumerated() {
                out += inner + Self.quoted(key) + ": "
                value.write(to: &out, indent: inner)
                out += i < members.count - 1 ? ",\n" : "\n"
            }
            out += indent + "}"
        }
    }

    /// `s` as a JSON string literal.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
