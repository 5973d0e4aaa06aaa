import Foundation

/// One axis of a line plot: its range (rounded out to nice ticks unless fixed), ticks and labels.
struct PlotAxis {
    let scale: LinePlotFigure.Scale
    let lower: Double
    let upper: Double
    let ticks: [Double]
    let labels: [String]

    init(values: [Double], scale: LinePlotFigure.Scale, fixed: ClosedRange<Double>?, name: String) throws {
        self.scale = scale
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        var low = fixed?.lowerBound ?? usable.min() ?? 0
        var high = fixed?.upperBound ?? usable.max() ?? 1
        switch scale {
        case .linear:
            if !(high > low) {
                let pad = max(abs(low) * 0.1, 1)
                (low, high) = (low - pad, high + pad)
            }
            let candidate = NiceTicks.ticks(lower: low, upper: high, target: 6)
            let step = candidate.count > 1 ? candidate[1] - candidate[0] : NiceTicks.niceStep(for: (high - low) / 5)
            if fixed == nil {
                // Round the range out to whole steps so the axis starts and ends on a tick.
                low = (low / step).rounded(.down) * step
                high = (high / step).rounded(.up) * step
            }
            let ticks = NiceTicks.ticks(lower: low, upper: high, target: 6)
            self.ticks = ticks
            labels = NiceTicks.labels(for: ticks)
        case .log:
            guard low > 0, high > 0 else { throw FigureError.empty("the \(name) axis is logarithmic but has no positive values") }
            if fixed == nil {
                low = pow(10, floor(log10(low)))
                high = pow(10, ceil(log10(high)))
            }
            if !(high > low) { high = low * 10 }
            let first = Int(ceil(log10(low) - 1e-9)), last = Int(floor(log10(high) + 1e-9))
            // At most about eight labelled decades; skip some when the range is wide.
            let every = max(1, (last - first + 7) / 8)
            let decades = stride(from: first, through: last, by: every).map { $0 }
            ticks = decades.map { pow(10, Double($0)) }
            labels = decades.map(Self.powerOfTen)
        }
        lower = low
        upper = high
    }

    /// Position of `v` along the axis, 0 at `lower` and 1 at `upper`.
    func fraction(_ v: Double) -> Double {
        switch scale {
        case .linear: return (v - lower) / (upper - lower)
        case .log: return (log10(v) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// Whether `v` can be drawn on this axis.
    func accepts(_ v: Double) -> Bool {
        v.isFinite && (scale == .linear || v > 0)
    }

    /// `1`, `10`, `100`, `0.1` for nearby decades, `10⁻⁴`, `10⁶` beyond.
    static func powerOfTen(_ exponent: Int) -> String {
        if (-2...3).contains(exponent) { return NumberFormat.short(pow(10, Double(exponent))) }
        let digits: [Character: Character] = ["0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻"]
        return "10" + String(String(exponent).compactMap { digits[$0] })
    }
}
