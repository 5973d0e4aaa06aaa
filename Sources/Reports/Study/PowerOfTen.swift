import Figures
import Foundation

/// Very small or very large numbers for the study sections' prose and tables, written as powers
/// of ten (`10⁻⁵`, `3.6 × 10⁻⁷`) rather than in computer notation (`1e−05`).
enum PowerOfTen {
    /// `value` as a mantissa with up to `digits` significant digits times a power of ten; a
    /// mantissa of exactly 1 is left out. Zero is `0`.
    static func text(_ value: Double, digits: Int = 2) -> String {
        guard value != 0, value.isFinite else { return value == 0 ? "0" : "\(value)" }
        var exponent = Int(floor(log10(abs(value))))
        var mantissa = abs(value) / pow(10, Double(exponent))
        let decimals = max(0, digits - 1)
        // 9.96 rounds to 10.0: move to the next power instead.
        if NumberFormat.fixed(mantissa, decimals: decimals).hasPrefix("10") {
            mantissa /= 10
            exponent += 1
        }
        var digitsText = NumberFormat.fixed(mantissa, decimals: decimals)
        if digitsText.contains(".") {
            while digitsText.hasSuffix("0") { digitsText.removeLast() }
            if digitsText.hasSuffix(".") { digitsText.removeLast() }
        }
        let superscripts: [Character: Character] = [
            "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻",
        ]
        let power = "10" + String(String(exponent).compactMap { superscripts[$0] })
        return (value < 0 ? "−" : "") + (digitsText == "1" ? power : digitsText + " × " + power)
    }

    /// `value` with `digits` significant digits, in plain decimals between 0.01 and 10 000 and as a
    /// power of ten outside that range.
    static func readable(_ value: Double, digits: Int = 3) -> String {
        let magnitude = abs(value)
        guard magnitude >= 0.01, magnitude < 10_000 else { return text(value, digits: digits) }
        let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
        return NumberFormat.fixed(value, decimals: decimals)
    }

    /// `readable(value)` in TeX: `9.54 \times 10^{-7}`.
    static func tex(_ value: Double, digits: Int = 3) -> String {
        var result = ""
        var exponent = ""
        var inExponent = false
        let plain: [Character: Character] = [
            "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-",
        ]
        for character in readable(value, digits: digits) {
            if let digit = plain[character] {
                inExponent = true
                exponent.append(digit)
                continue
            }
            switch character {
            case "×": result += "\\times"
            case "−": result += "-"
            default: result.append(character)
            }
        }
        if inExponent { result += "^{" + exponent + "}" }
        return result
    }
}
