import Foundation

/// Tick values at "nice" numbers (1, 2, 2.5 or 5 times a power of ten) covering a range.
public enum NiceTicks {
    /// About `target` ticks within `lower...upper`, at nice steps, inside the range.
    public static func ticks(lower: Double, upper: Double, target: Int = 5) -> [Double] {
        guard upper > lower, lower.isFinite, upper.isFinite else { return [lower] }
        let step = niceStep(for: (upper - lower) / Double(max(target - 1, 1)))
        let first = (lower / step).rounded(.up) * step
        var ticks: [Double] = []
        var k = 0
        while true {
            let value = first + Double(k) * step
            if value > upper + step * 1e-9 { break }
            // Snap values like 0.30000000000000004 and -0.0 to what they mean.
            let snapped = (value / step).rounded() * step
            ticks.append(snapped == 0 ? 0 : snapped)
            k += 1
        }
        return ticks
    }

    /// The nice step closest above `raw`.
    public static func niceStep(for raw: Double) -> Double {
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Labels for `ticks` with just enough decimals to tell them apart.
    public static func labels(for ticks: [Double]) -> [String] {
        guard ticks.count > 1 else { return ticks.map { NumberFormat.short($0) } }
        let step = abs(ticks[1] - ticks[0])
        let decimals = max(0, min(6, Int((-log10(step)).rounded(.up)) + (isQuarterStep(step) ? 1 : 0)))
        return ticks.map { NumberFormat.fixed($0, decimals: decimals) }
    }

    private static func isQuarterStep(_ step: Double) -> Bool {
        let scaled = step / pow(10, floor(log10(step)))
        return abs(scaled - 2.5) < 1e-9
    }
}

/// Number formatting shared by tick labels, cell values and captions; locale-independent.
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point, using a real minus sign.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-") {
            // "-0.00" is not a value a reader should see.
            let digits = text.dropFirst()
            text = digits.allSatisfy { $0 == "0" || $0 == "." } ? String(digits) : "−" + digits
        }
        return text
    }

    /// One number of decimals for a whole set of values, so a table of cells reads evenly:
    /// 2 for probabilities, else enough for 3 significant digits of the largest magnitude.
    public static func sharedDecimals(for values: [Double]) -> Int {
        var largest = 0.0, isProbability = true
        for v in values where v.isFinite {
            largest = max(largest, abs(v))
            if v < 0 || v > 1 { isProbability = false }
        }
        if isProbability || largest == 0 { return 2 }
        return min(6, max(0, 2 - Int(floor(log10(largest)))))
    }

    /// A parameter as a user writes it: whole numbers in full (`10000`, `500000`), others short (`2.5`).
    public static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : short(value)
    }

    /// A probability with up to 4 significant digits and no trailing zeros (`1`, `0.35`,
    /// `0.1225`, `0.000412`), below 10⁻⁴ in scientific notation (`3.2e−7`).
    public static func probability(_ p: Double) -> String {
        guard p.isFinite, p > 0 else { return p == 0 ? "0" : "\(p)" }
        func trimmed(_ text: String) -> String {
            guard text.contains(".") else { return text }
            var out = text
            while out.hasSuffix("0") { out.removeLast() }
            if out.hasSuffix(".") { out.removeLast() }
            return out
        }
        if p >= 1e-4 {
            return trimmed(fixed(p, decimals: min(12, max(0, 3 - Int(floor(log10(p)))))))
        }
        var exponent = Int(floor(log10(p)))
        var mantissa = p / pow(10, Double(exponent))
        if (mantissa * 100).rounded() >= 1000 { mantissa /= 10; exponent += 1 }
        return trimmed(String(format: "%.2f", mantissa)) + "e−" + String(-exponent)
    }

    /// A compact rendering with up to 3 significant digits (`0.125`, `12.5`, `1.2e+04`).
    public static func short(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e4 || magnitude < 1e-3 {
            return String(format: "%.2g", value).replacingOccurrences(of: "-", with: "−")
        }
        let decimals = max(0, 2 - Int(floor(log10(magnitude))))
        var text = fixed(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
