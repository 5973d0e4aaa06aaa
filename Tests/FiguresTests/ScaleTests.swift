import Figures
import Testing

@Suite struct ScaleTests {
    /// Reference colours printed by matplotlib 3.11 (`matplotlib.colormaps[name](v)[:3]`).
    static let references: [(Colormap, Double, (Double, Double, Double))] = [
        (.viridis, 0.0, (0.267, 0.0049, 0.3294)), (.viridis, 0.5, (0.1276, 0.5669, 0.5506)), (.viridis, 1.0, (0.9932, 0.9062, 0.1439)),
        (.magma, 0.25, (0.3167, 0.0717, 0.4854)), (.magma, 1.0, (0.9871, 0.9914, 0.7495)),
        (.cividis, 0.5, (0.4887, 0.4853, 0.471)), (.cividis, 0.0, (0.0, 0.1351, 0.3048)),
        (.greys, 0.0, (1, 1, 1)), (.greys, 0.5, (0.5861, 0.5861, 0.5861)), (.greys, 1.0, (0, 0, 0)),
        (.rdbu, 0.0, (0.4039, 0.0, 0.1216)), (.rdbu, 0.5, (0.9657, 0.9672, 0.9681)), (.rdbu, 1.0, (0.0196, 0.1882, 0.3804)),
    ]

    @Test func colormapsMatchMatplotlib() {
        for (map, t, (r, g, b)) in Self.references {
            let c = map.color(at: t)
            // One 8-bit step, plus matplotlib's 256-entry quantisation of interpolated maps.
            let tolerance = 2.5 / 255
            #expect(abs(c.red - r) < tolerance && abs(c.green - g) < tolerance && abs(c.blue - b) < tolerance, "\(map.name) at \(t)")
        }
        #expect(Colormap.named("RdBu") == .rdbu)
        #expect(Colormap.named("gray") == .greys)
        #expect(Colormap.named("jet") == nil)
    }

    @Test func divergingScalesAreCentredOnZero() {
        let scale = ColorScale.fitted(to: [-0.5, 2, 1], colormap: .rdbu)
        #expect(scale.lower == -2 && scale.upper == 2)
        #expect(scale.fraction(of: 0) == 0.5)
    }

    @Test func probabilitiesUseAFixedUnitScale() {
        let scale = ColorScale.fitted(to: [0.1, 0.3], colormap: .viridis)
        #expect(scale.lower == 0 && scale.upper == 1)
        let explicit = ColorScale.fitted(to: [0.1, 0.3], colormap: .viridis, lower: 0.1, upper: 0.2)
        #expect(explicit.lower == 0.1 && explicit.upper == 0.2)
        let constant = ColorScale.fitted(to: [5, 5], colormap: .viridis)
        #expect(constant.upper > constant.lower)
    }

    @Test func ticksAreNiceAndInsideTheRange() {
        #expect(NiceTicks.ticks(lower: 0, upper: 1, target: 5) == [0, 0.25, 0.5, 0.75, 1])
        #expect(NiceTicks.ticks(lower: -3.7, upper: 3.7, target: 5) == [-2, 0, 2] || NiceTicks.ticks(lower: -3.7, upper: 3.7, target: 5) == [-3, -2, -1, 0, 1, 2, 3])
        #expect(NiceTicks.ticks(lower: 0, upper: 100, target: 6) == [0, 20, 40, 60, 80, 100])
        #expect(NiceTicks.labels(for: [0, 0.25, 0.5, 0.75, 1]) == ["0.00", "0.25", "0.50", "0.75", "1.00"])
        #expect(NiceTicks.labels(for: [0, 0.2, 0.4]) == ["0.0", "0.2", "0.4"])
        #expect(NiceTicks.labels(for: [-2, 0, 2]) == ["−2", "0", "2"])
        for (lo, hi) in [(0.0, 0.0037), (-17.0, 4.0), (1e-3, 1e5)] {
            let ticks = NiceTicks.ticks(lower: lo, upper: hi, target: 5)
            #expect(ticks.count >= 2 && ticks.count <= 11)
            #expect(ticks.allSatisfy { $0 >= lo - 1e-12 && $0 <= hi + 1e-12 })
        }
    }

    @Test func numbersFormatWithoutNegativeZero() {
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(-1.5, decimals: 1) == "−1.5")
        #expect(NumberFormat.short(0.125) == "0.125")
        #expect(NumberFormat.short(12.5) == "12.5")
        #expect(NumberFormat.short(2) == "2")
    }

    @Test func contrastingTextFollowsLuminance() {
        #expect(Color.white.contrastingText == .black)
        #expect(Color.black.contrastingText == .white)
        #expect(Colormap.viridis.color(at: 0).contrastingText == .white)
        #expect(Colormap.viridis.color(at: 1).contrastingText == .black)
    }
}

@Suite struct CellFormatTests {
    @Test func oneNumberOfDecimalsPerFigure() {
        #expect(NumberFormat.sharedDecimals(for: [0.0637, 1, 0.218]) == 2)
        #expect(NumberFormat.sharedDecimals(for: [-3.2, 12.5, 0.01]) == 1)
        #expect(NumberFormat.sharedDecimals(for: [250, -3]) == 0)
        #expect(NumberFormat.sharedDecimals(for: [-0.004, 0.002]) == 5)
        #expect(NumberFormat.sharedDecimals(for: [0, 0]) == 2)
    }
}
