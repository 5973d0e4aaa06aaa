import Canvas
import Figures
import Foundation
import Testing
import TransformerMath
@testable import Reports

/// The study sections on scaling, softmax, normalisation, the Transformer block, the cost of
/// attention and the model families: every number checked against a value derived here
/// independently (a closed form or a separate computation), with the tolerance stated.
@Suite("study sections")
struct StudySectionsTests {
    // MARK: Reading a section

    /// Plain text of a table cell or an inline list (cells are strings or inline content).
    static func plain(_ cell: Any) -> String {
        if let text = cell as? String { return text }
        if let inlines = cell as? [Inline] { return inlines.map(plain(inline:)).joined() }
        return String(describing: cell)
    }

    static func plain(inline: Inline) -> String {
        if case .text(let s) = inline { return s }
        if case .emphasis(let s) = inline { return s }
        if case .strong(let s) = inline { return s }
        if case .code(let s) = inline { return s }
        if case .math(let formula) = inline { return formula.tex }
        return ""
    }

    /// The section's tables as plain-text rows, in order.
    static func tables(_ section: ReportSection) -> [(header: [String], rows: [[String]], caption: String)] {
        section.blocks.compactMap { block in
            guard case .table(let table) = block else { return nil }
            return (table.header.map { plain($0) }, table.rows.map { $0.map { plain($0) } }, table.caption)
        }
    }

    /// Every paragraph and list item of the section as plain text (formulas as TeX), joined.
    static func prose(_ section: ReportSection) -> String {
        section.blocks.compactMap { block -> String? in
            if case .paragraph(let inlines) = block { return inlines.map(plain(inline:)).joined() }
            if case .list(let items) = block { return items.map { $0.map(plain(inline:)).joined() }.joined(separator: "\n") }
            return nil
        }.joined(separator: "\n")
    }

    static func figures(_ section: ReportSection) -> [ReportFigure] {
        section.blocks.compactMap { block in
            guard case .figure(let figure) = block else { return nil }
            return figure
        }
    }

    /// Every formula of the section, displayed or inline.
    static func formulas(_ section: ReportSection) -> [Formula] {
        section.blocks.flatMap { block -> [Formula] in
            switch block {
            case .formula(let formula): return [formula]
            case .paragraph(let inlines):
                return inlines.compactMap { inline in
                    guard case .math(let formula) = inline else { return nil }
                    return formula
                }
            case .list(let items):
                return items.flatMap { $0.compactMap { inline in
                    guard case .math(let formula) = inline else { return nil }
                    return formula
                } }
            default: return []
            }
        }
    }

    /// Fixed decimals with a real minus sign, and no sign on a value that rounds to zero.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        guard text.hasPrefix("-") else { return text }
        let digits = text.dropFirst()
        return digits.allSatisfy { $0 == "0" || $0 == "." } ? String(digits) : "−" + digits
    }

    /// `1234567` as `1,234,567`, written independently of the sections' helper.
    static func grouped(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: NSNumber(value: value)) ?? "?"
    }

    /// `1649.28` as `1,649.3`: one decimal, the whole part grouped.
    static func groupedOneDecimal(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        let point = text.firstIndex(of: ".") ?? text.endIndex
        return grouped(Int(text[..<point]) ?? -1) + text[point...]
    }

    /// GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces to -.
    static func slug(_ title: String) -> String {
        String(title.lowercased().compactMap { c -> Character? in
            if c == " " { return "-" }
            return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
        })
    }

    static func sections() throws -> [ReportSection] {
        [try ScalingSection.make(), try SoftmaxSection.make(), try NormalisationSection.make(),
         try BlockSection.make(), try CostSection.make(), try ModelFamiliesSection.make(),
         try PerceptronSection.make(), try GradientSection.make(), try RecurrentSection.make(), try EmbeddingSection.make()]
    }

    // MARK: All sections

    @Test("ids are unique, match GitHub's heading anchors and each section has a computed table or figure")
    func structure() throws {
        let all = try Self.sections()
        #expect(all.map(\.id) == [
            "why-divide-by-d_k", "the-softmax-function", "normalisation-layers",
            "residual-connections-and-the-feed-forward-block", "the-quadratic-cost-of-attention", "gpt-bert-and-encoder-decoder-models",
            "perceptrons-xor-and-nonlinearity", "vanishing-gradients", "what-recurrent-networks-struggle-with", "token-embeddings",
        ])
        let existing = ["scaled-dot-product-attention", "multi-head-attention", "positional-encodings", "rotary-position-embeddings-rope", "greedy-decoding-and-beam-search"]
        for section in all {
            #expect(Self.slug(section.title) == section.id, "'\(section.title)' has anchor \(Self.slug(section.title))")
            #expect(!existing.contains(section.id))
            #expect(!Self.tables(section).isEmpty || !Self.figures(section).isEmpty, "\(section.id) has neither table nor figure")
            for table in Self.tables(section) {
                for row in table.rows { #expect(row.count == table.header.count, "ragged row in '\(table.caption)'") }
            }
        }
        let names = all.flatMap { Self.figures($0).map(\.name) }
        #expect(Set(names).count == names.count, "duplicate figure names: \(names)")
    }

    @Test("every formula's TeX is plain ASCII with balanced braces, no comment sign, and parses as TeX")
    func texIsValid() throws {
        // Every section of the report, including those tested in StudyReportTests.
        for section in try StudyReport.make().sections {
            for formula in Self.formulas(section) {
                let tex = formula.tex
                #expect(tex.allSatisfy { $0.isASCII }, "non-ASCII TeX in \(section.id): \(tex)")
                #expect(!tex.contains("%"), "\(tex)")
                var depth = 0
                for c in tex {
                    if c == "{" { depth += 1 }
                    if c == "}" { depth -= 1 }
                    #expect(depth >= 0, "unbalanced braces: \(tex)")
                }
                #expect(depth == 0, "unbalanced braces: \(tex)")
                // The notes' TeX reader accepts it too, so the Markdown page's $…$ is TeX that tools understand.
                #expect(throws: Never.self, "\(section.id): \(tex)") { _ = try TeX.formula(tex) }
                #expect(!formula.mathML(display: true).isEmpty)
                // Formulas written as TeX are shown through the converter, never as their source text.
                if case .text = formula.math { Issue.record("\(section.id): '\(tex)' did not convert") }
            }
        }
    }

    @Test("each section goes through the report writer: valid PNGs of a real size, formulas in the Markdown")
    func rendersThroughTheWriter() throws {
        let writer = ReportWriter(templates: try TemplateSet(directory: ReportsTestSupport.templates.path))
        let folder = ProcessInfo.processInfo.environment["STUDY_FIGURES_DIR"]
        for section in try Self.sections() {
            let files = try writer.files(for: Report(title: "Test", subtitle: "One section", sections: [section]))
            let markdown = try #require(files.first { $0.path == "index.md" }.flatMap { String(bytes: $0.bytes, encoding: .utf8) })
            #expect(markdown.contains(section.title.replacingOccurrences(of: "_", with: "\\_")))
            for formula in Self.formulas(section) { #expect(markdown.contains(formula.tex), "\(section.id): \(formula.tex)") }
            let pngs = files.filter { $0.path.hasPrefix("figures/") }
            #expect(pngs.count == Self.figures(section).count)
            for png in pngs {
                let size = try #require(ReportsTestSupport.pngSize(png.bytes), "\(png.path) is not a PNG")
                #expect(size.width > 300 && size.height > 200 && size.width < 4000, "\(png.path): \(size)")
                let image = try PNGDecoder.decode(png.bytes)
                // Not blank: a good share of the pixels are not the background.
                var inked = 0
                for y in stride(from: 0, to: image.height, by: 3) {
                    for x in stride(from: 0, to: image.width, by: 3) {
                        let c = image.color(x: x, y: y)
                        if c.red + c.green + c.blue < 2.7 { inked += 1 }
                    }
                }
                #expect(inked > 500, "\(png.path) is nearly blank")
                if let folder {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    try Data(png.bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent(URL(fileURLWithPath: png.path).lastPathComponent))
                }
            }
            if let folder {
                try Data(markdown.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent("\(section.id).md"))
            }
        }
    }

    // MARK: Why divide by √d_k

    /// q·k for `pairs` pairs drawn in the section's order (q₁, k₁, q₂, k₂, …), summed here
    /// separately, and their unbiased variance by the shortcut formula.
    static func independentVariance(dimension d: Int) -> (mean: Double, variance: Double) {
        var generator = SeededGenerator(seed: ScalingSection.seed &+ 1 &* 1_000_003 &+ UInt64(d))
        let n = ScalingSection.pairs
        var sum = 0.0, sumOfSquares = 0.0
        for _ in 0..<n {
            var q = [Double](), k = [Double]()
            for _ in 0..<d {
                q.append(generator.nextNormal())
                k.append(generator.nextNormal())
            }
            let dot = zip(q, k).map { $0 * $1 }.reduce(0, +)
            sum += dot
            sumOfSquares += dot * dot
        }
        let mean = sum / Double(n)
        return (mean, (sumOfSquares - Double(n) * mean * mean) / Double(n - 1))
    }

    @Test("the measured variance of q·k is the sample's, grows like d_k within sampling error, and is about 1 after scaling")
    func scalingVariance() throws {
        let section = try ScalingSection.make()
        let table = try #require(Self.tables(section).first)
        let n = Double(ScalingSection.pairs)
        #expect(ScalingSection.samples.map(\.dimension) == [4, 16, 64, 256, 1024])
        for (row, sample) in zip(table.rows, ScalingSection.samples) {
            let d = Double(sample.dimension)
            let mine = Self.independentVariance(dimension: sample.dimension)
            #expect(abs(mine.variance - sample.variance) <= 1e-9 * d, "d_k = \(sample.dimension)")
            #expect(abs(mine.mean - sample.mean) <= 1e-9 * d)
            // q·k sums d_k products of variance 1 and fourth moment 9, so its excess kurtosis is 6/d_k and
            // the sample variance has relative standard error √(2/(N−1) + 6/(d_k·N)). Allow 4 of them.
            let tolerance = 4 * (2 / (n - 1) + 6 / (d * n)).squareRoot()
            #expect(abs(sample.variance / d - 1) < tolerance, "Var = \(sample.variance) for d_k = \(d), tolerance \(tolerance)")
            #expect(abs(sample.scaledVariance - 1) < tolerance)
            // The mean is 0 within 4 standard errors √(d_k/N).
            #expect(abs(sample.mean) < 4 * (d / n).squareRoot())
            #expect(row == [String(sample.dimension), String(sample.dimension), Self.fixed(mine.variance, 2), Self.fixed(mine.mean, 2), Self.fixed(mine.variance / d, 3)])
        }
        let text = Self.prose(section)
        let first = Self.independentVariance(dimension: 4), last = Self.independentVariance(dimension: 1024)
        #expect(text.contains("it comes out at \(Self.fixed(first.variance, 2)); at 1024 it is \(Self.fixed(last.variance, 0))"), "\(text)")
        #expect(text.contains("a standard deviation of about \(Self.fixed(last.variance.squareRoot(), 1))"))
    }

    @Test("softmax saturation: the largest weight and the Jacobian norm match a separate computation")
    func scalingSaturation() throws {
        // The Jacobian norm in closed form: uniform p = 1/n gives √(n(1/n − 1/n²)² + n(n − 1)/n⁴); one-hot gives 0.
        let n = Double(ScalingSection.keysPerRow)
        let uniform = (n * pow(1 / n - 1 / (n * n), 2) + n * (n - 1) / pow(n, 4)).squareRoot()
        #expect(abs(ScalingSection.jacobianNorm([Double](repeating: 1 / n, count: Int(n))) - uniform) < 1e-12)
        #expect(ScalingSection.jacobianNorm([1, 0, 0, 0]) == 0)

        // One dimension redone here: the same draws, softmax written out without the max shift.
        let d = 64
        var generator = SeededGenerator(seed: ScalingSection.seed &+ 2 &* 1_000_003 &+ UInt64(d))
        var largest = 0.0, largestScaled = 0.0
        for _ in 0..<ScalingSection.rows {
            let q = (0..<d).map { _ in generator.nextNormal() }
            var scores: [Double] = []
            for _ in 0..<ScalingSection.keysPerRow {
                var dot = 0.0
                for c in 0..<d { dot += q[c] * generator.nextNormal() }
                scores.append(dot)
            }
            let e = scores.map { exp($0) }, es = scores.map { exp($0 / 8) }  // √64 = 8
            largest += (e.max() ?? 0) / e.reduce(0, +)
            largestScaled += (es.max() ?? 0) / es.reduce(0, +)
        }
        let measured = try #require(ScalingSection.saturations.first { $0.dimension == d })
        #expect(abs(measured.largestUnscaled - largest / Double(ScalingSection.rows)) < 1e-9)
        #expect(abs(measured.largestScaled - largestScaled / Double(ScalingSection.rows)) < 1e-9)

        // The shape of the result: unscaled rows sharpen towards one-hot, scaled rows do not.
        let table = ScalingSection.saturations.filter { ScalingSection.dimensions.contains($0.dimension) }
        #expect(zip(table, table.dropFirst()).allSatisfy { $0.largestUnscaled < $1.largestUnscaled })
        let widest = try #require(table.last)
        #expect(widest.largestUnscaled > 0.9 && widest.nearlyOneHotUnscaled > 0.8)
        #expect(widest.gradientUnscaled < 0.5 * uniform)
        let scaled = ScalingSection.saturations.map(\.largestScaled)
        // With 200 rows the mean largest weight has a standard error near 0.01; the scaled rows must agree
        // with each other to well within 0.1 and stay far from both uniform and one-hot.
        #expect((scaled.max() ?? 1) - (scaled.min() ?? 0) < 0.1, "\(scaled)")
        #expect(scaled.allSatisfy { $0 > 2 / n && $0 < 0.6 })

        let rows = try #require(Self.tables(try ScalingSection.make()).dropFirst().first).rows
        for (row, s) in zip(rows, table) {
            #expect(row[0] == String(s.dimension))
            #expect(row[1] == Self.fixed(s.largestUnscaled, 3) && row[2] == Self.fixed(s.largestScaled, 3))
            #expect(row[5] == Self.fixed(s.gradientUnscaled, 3) && row[6] == Self.fixed(s.gradientScaled, 3))
        }
    }

    // MARK: Softmax

    @Test("softmax of [2, 1, 0]: e², e¹, e⁰, their sum 11.107 and the probabilities, in table and text")
    func softmaxWorked() throws {
        let worked = SoftmaxSection.naive([2, 1, 0])
        // e = 2.718281828459045, e² = 7.38905609893065.
        #expect(abs(worked.exponentials[0] - 7.38905609893065) < 1e-12)
        #expect(abs(worked.exponentials[1] - 2.718281828459045) < 1e-12)
        #expect(worked.exponentials[2] == 1)
        #expect(abs(worked.sum - 11.107) < 1e-3)
        // Closed form: p₀ = 1 / (1 + e⁻¹ + e⁻²), and each next one e⁻¹ times the one before.
        let p0 = 1 / (1 + exp(-1.0) + exp(-2.0))
        let expected = [p0, p0 / M_E, p0 / (M_E * M_E)]
        for (a, b) in zip(worked.probabilities, expected) { #expect(abs(a - b) < 1e-12) }
        #expect(abs(expected[0] - 0.6652) < 1e-4 && abs(expected[1] - 0.2447) < 1e-4 && abs(expected[2] - 0.0900) < 1e-4)
        // Subtracting the maximum: same probabilities.
        for (a, b) in zip(try SoftmaxSection.stable([2, 1, 0]), expected) { #expect(abs(a - b) < 1e-15) }

        let section = try SoftmaxSection.make()
        let table = try #require(Self.tables(section).first)
        #expect(table.rows.map { $0[1] } == ["7.389", "2.718", "1.000", "11.107"])
        #expect(table.rows.prefix(3).map { $0[2] } == ["0.665", "0.245", "0.090"])
        #expect(table.rows.prefix(3).map { $0[5] } == ["0.665", "0.245", "0.090"])
        #expect(table.rows.prefix(3).map { $0[4] } == ["1.000", "0.368", "0.135"])
        let text = Self.prose(section)
        #expect(text.contains("7.389 + 2.718 + 1.000 = 11.107"), "\(text)")
        let formulas = Self.formulas(section).map(\.tex)
        #expect(formulas.contains { $0.contains("\\frac{7.389}{11.107}") && $0.contains("(0.665, 0.245, 0.090)") })
        // Dividing by the plain sum would give 2/3, 1/3, 0.
        #expect(text.contains("gives 0.667, 0.333, 0.000"))
    }

    @Test("overflow: exp(1000) is infinite, the shifted softmax is not, and the limits are ln(max double) and ln(max float)")
    func softmaxOverflow() throws {
        let huge = SoftmaxSection.naive([1000, 999, 998])
        #expect(huge.exponentials.allSatisfy { $0.isInfinite })
        #expect(huge.probabilities.allSatisfy { $0.isNaN })
        let stable = try SoftmaxSection.stable([1000, 999, 998])
        for (a, b) in zip(stable, try SoftmaxSection.stable([2, 1, 0])) { #expect(abs(a - b) < 1e-15) }
        let text = Self.prose(try SoftmaxSection.make())
        // ln(1.7977e308) = 709.78, ln(3.4028e38) = 88.72.
        #expect(text.contains("above 709.78, a single-precision (float32) one above 88.72"), "\(text)")
        #expect(text.contains("the probabilities NaN, NaN, NaN"))
    }

    @Test("temperature table: softmax(z / T) and its entropy in bits, computed here from the closed form")
    func softmaxTemperature() throws {
        let table = try #require(Self.tables(try SoftmaxSection.make()).dropFirst().first)
        #expect(table.rows.count == SoftmaxSection.temperatures.count)
        for (row, t) in zip(table.rows, SoftmaxSection.temperatures) {
            let e = [2.0, 1, 0].map { exp($0 / t) }
            let p = e.map { $0 / e.reduce(0, +) }
            let bits = -p.map { $0 * log($0) / log(2) }.reduce(0, +)
            #expect(row == [row[0]] + p.map { Self.fixed($0, 3) } + [Self.fixed(bits, 3)], "T = \(t)")
        }
        // T = 0.25: the largest score takes 1 / (1 + e⁻⁴ + e⁻⁸) = 0.9817; T = 10 is close to uniform.
        #expect(table.rows[0][1] == "0.982")
        #expect(abs(try SoftmaxSection.tempered([2, 1, 0], temperature: 10)[0] - 1.0 / 3) < 0.1)
        #expect(abs(SoftmaxSection.entropy([1.0 / 3, 1.0 / 3, 1.0 / 3]) - log2(3)) < 1e-12)
    }

    // MARK: Normalisation

    @Test("the seeded batch, and what each normalisation makes 0 and 1, against closed forms")
    func normalisation() throws {
        let x = NormalisationSection.batch
        #expect(x.rows == 4 && x.columns == 6)
        // Entries are rounded to one decimal.
        #expect(x.values.allSatisfy { abs($0 * 10 - ($0 * 10).rounded()) < 1e-9 })
        let eps = NormalisationSection.epsilon
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
        func variance(_ v: [Double]) -> Double { let m = mean(v); return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count) }

        let ln = NormalisationSection.layerNorm(x), bn = NormalisationSection.batchNorm(x), rms = NormalisationSection.rmsNorm(x)
        for r in 0..<x.rows {
            let row = x.row(r)
            // Layer norm: mean 0 and variance σ²/(σ² + ε) exactly, per row.
            #expect(abs(mean(ln.row(r))) < 1e-12)
            #expect(abs(variance(ln.row(r)) - variance(row) / (variance(row) + eps)) < 1e-12)
            // RMSNorm: x / √(mean(x²) + ε), so its mean square is ms/(ms + ε); the mean is not removed.
            let ms = mean(row.map { $0 * $0 })
            #expect(abs(mean(rms.row(r).map { $0 * $0 }) - ms / (ms + eps)) < 1e-12)
            #expect(abs(mean(rms.row(r)) - mean(row) / (ms + eps).squareRoot()) < 1e-12)
        }
        for c in 0..<x.columns {
            let column = (0..<x.rows).map { x[$0, c] }, out = (0..<x.rows).map { bn[$0, c] }
            #expect(abs(mean(out)) < 1e-12)
            #expect(abs(variance(out) - variance(column) / (variance(column) + eps)) < 1e-12)
        }

        let section = try NormalisationSection.make()
        let tables = Self.tables(section)
        let input = try #require(tables.first), output = try #require(tables.dropFirst().first)
        let first = x.row(0)
        #expect(input.rows[0] == ["token 1"] + first.map { Self.fixed($0, 1) } + [
            Self.fixed(mean(first), 2), Self.fixed(variance(first), 2), Self.fixed(mean(first.map { $0 * $0 }).squareRoot(), 2),
        ])
        #expect(input.rows[4] == ["mean over the batch"] + (0..<6).map { c in Self.fixed(mean((0..<4).map { x[$0, c] }), 2) } + ["", "", ""])
        // Token 1 after layer norm, by hand: (x − μ)/√(σ² + ε).
        let lnFirst = first.map { ($0 - mean(first)) / (variance(first) + eps).squareRoot() }
        #expect(output.rows[1] == ["layer norm"] + lnFirst.map { Self.fixed($0, 2) } + [Self.fixed(mean(lnFirst), 2), Self.fixed(variance(lnFirst), 2), Self.fixed(mean(lnFirst.map { $0 * $0 }).squareRoot(), 2)])
        #expect(output.rows[1][8] == "1.00" && output.rows[2][9] == "1.00", "layer-norm variance and RMSNorm RMS are 1")

        // The worked mean is in the text as a formula with the result to 3 decimals.
        let tex = Self.formulas(section).map(\.tex)
        #expect(tex.contains { $0.hasPrefix("\\mu = \\frac{") && $0.hasSuffix("{6} = \(Self.fixed(mean(first), 3).replacingOccurrences(of: "−", with: "-"))") }, "\(tex)")
        #expect(tex.contains { $0.hasSuffix("= \(Self.fixed(lnFirst[0], 3).replacingOccurrences(of: "−", with: "-"))") })
        let text = Self.prose(section)
        #expect(text.contains("\(Self.grouped(2 * 768)) for d = 768") && text.contains("only d, 768"))
    }

    // MARK: Residuals and the feed-forward block

    @Test("parameter counts: the FFN is 768·3072 + 3072 + 3072·768 + 768, and BERT-base adds up to 109,482,240")
    func blockCounts() throws {
        let ffn = BlockSection.feedForwardCounts(modelDimension: 768, hiddenDimension: 3072)
        #expect(ffn.total == 768 * 3072 + 3072 + 3072 * 768 + 768)
        #expect(ffn.total == 4_722_432)
        let attention = MultiHeadAttention.parameterCounts(modelDimension: 768).total
        #expect(attention == 4 * 768 * 768 + 4 * 768)
        let layer = BlockSection.layerCounts(modelDimension: 768, hiddenDimension: 3072)
        #expect(layer.total == 4 * 768 * 768 + 4 * 768 + 4_722_432 + 4 * 768)
        // The parameter count of bert-base-uncased as published (embeddings, 12 layers, pooler).
        let bert = 12 * layer.total + BlockSection.embeddingCount(modelDimension: 768) + BlockSection.poolerCount(modelDimension: 768)
        #expect(bert == 109_482_240)

        let section = try BlockSection.make()
        let tables = Self.tables(section)
        let ffnTable = try #require(tables.first { $0.header == ["part", "shape", "parameters"] })
        #expect(ffnTable.rows.map { $0[2] } == ["2,359,296", "3,072", "2,359,296", "768", Self.grouped(4_722_432)])
        let layerTable = try #require(tables.first { $0.header.first == "part of one BERT-base layer" })
        let total = Double(layer.total)
        #expect(layerTable.rows.map { $0[1] } == [Self.grouped(attention), Self.grouped(4_722_432), Self.grouped(3072), Self.grouped(layer.total)])
        // 2,362,368 / 7,087,872 = 33.3%, 4,722,432 / 7,087,872 = 66.6%, 3,072 / 7,087,872 = 0.04%.
        #expect(layerTable.rows.map { $0[2] } == [Self.fixed(100 * Double(attention) / total, 1) + "%", Self.fixed(100 * 4_722_432 / total, 1) + "%", "0.04%", "100.0%"])
        #expect(layerTable.rows[0][2] == "33.3%" && layerTable.rows[1][2] == "66.6%")
        let text = Self.prose(section)
        #expect(text.contains("gives 109,482,240, about 109.5 million"), "\(text)")
        #expect(Self.formulas(section).contains { $0.tex == "768 \\times 3072 + 3072 + 3072 \\times 768 + 768 = 4{,}722{,}432" })
    }

    @Test("residual toy: |Π aₗ| vanishes while Π(1 + aₗ) stays near 1, within a stated spread")
    func blockGradients() throws {
        var generator = SeededGenerator(seed: BlockSection.seed)
        let a = (0..<24).map { _ in generator.nextNormal() * BlockSection.derivativeSpread }
        let factors = BlockSection.gradientFactors()
        #expect(factors.map(\.depth) == [1, 2, 4, 8, 12, 24])
        for f in factors {
            var plain = 1.0, residual = 1.0
            for l in 0..<f.depth {
                plain *= a[l]
                residual *= 1 + a[l]
            }
            #expect(abs(f.plain - abs(plain)) <= 1e-12 * abs(plain))
            #expect(abs(f.residual - residual) < 1e-12)
            // log Π(1 + aₗ) has a standard deviation of about σ√L; allow 4 of them.
            #expect(abs(log(residual)) < 4 * BlockSection.derivativeSpread * Double(f.depth).squareRoot())
        }
        // |aₗ| averages σ·√(2/π) ≈ 0.08, so 24 factors give far less than 2⁻²⁴.
        #expect((factors.last?.plain ?? 1) < pow(0.5, 24))
        let table = try #require(Self.tables(try BlockSection.make()).first)
        #expect(table.rows.map { $0[2] } == factors.map { Self.fixed($0.residual, 3) })
    }

    @Test("GELU is x·Φ(x): GELU(1) = Φ(1), its minimum is −0.170 at x = −0.752, and the tanh form stays within 10⁻³")
    func gelu() throws {
        // Φ(1) = 0.841344746, Φ(−1) = 0.158655254.
        #expect(abs(BlockSection.gelu(1) - 0.841344746) < 1e-8)
        #expect(abs(BlockSection.gelu(-1) + 0.158655254) < 1e-8)
        #expect(BlockSection.relu(-2) == 0 && BlockSection.relu(3) == 3)
        for x in stride(from: -4.0, through: 4, by: 0.01) {
            #expect(abs(BlockSection.gelu(x) - BlockSection.geluTanh(x)) < 1e-3)
        }
        // The minimum of xΦ(x) solves Φ(x) + xφ(x) = 0: x ≈ −0.7518, value ≈ −0.16997.
        let text = Self.prose(try BlockSection.make())
        #expect(text.contains("its minimum is −0.170, near x = −0.75)"), "\(text)")
    }

    // MARK: Cost

    @Test("cost table: n², MiB of float32 scores, 2n²d FLOPs, and the crossovers at 2d and 6d")
    func cost() throws {
        let section = try CostSection.make()
        let tables = Self.tables(section)
        let cost = try #require(tables.first), latent = try #require(tables.dropFirst().first)
        #expect(CostSection.lengths == [512, 1024, 2048, 4096, 8192, 16384, 32768])
        for (row, n) in zip(cost.rows, CostSection.lengths) {
            // 4 bytes per entry and 2²⁰ bytes per MiB: (n / 512)² MiB per head.
            let mib = pow(Double(n) / 512, 2)
            #expect(CostSection.scoreMebibytes(length: n) == mib)
            #expect(row[0] == Self.grouped(n) && row[1] == Self.grouped(n * n))
            #expect(row[2] == (mib >= 10 ? Self.grouped(Int(mib)) : String(Int(mib))))
            #expect(row[3] == Self.grouped(Int(12 * mib)) || (12 * mib < 10 && row[3] == String(Int(12 * mib))))
            #expect(row[4] == Self.groupedOneDecimal(2.0 * Double(n) * Double(n) * 768 / 1e9))
            #expect(row[5] == Self.groupedOneDecimal(8.0 * Double(n) * 768 * 768 / 1e9))
        }
        #expect(cost.rows.last?[3] == "49,152", "12 heads × 4,096 MiB at 32,768 tokens")
        #expect(cost.rows.last?[4] == "1,649.3", "2 · 32768² · 768 = 1.6493 · 10¹² operations")
        // 4n²d = 8nd² at n = 2d; 4n²d = 8nd² + 16nd² at n = 6d.
        let text = Self.prose(section)
        #expect(text.contains("catches up with the projections at n = 1,536 tokens"), "\(text)")
        #expect(text.contains("feed-forward block together at n = 4,608"))
        #expect(text.contains("it grows 4,096-fold"))
        #expect(text.contains("would take 49,152 MiB (48 GiB)"))

        for (row, n) in zip(latent.rows, CostSection.lengths) {
            #expect(row[1] == Self.grouped(n * n) && row[2] == Self.grouped(256 * n))
            #expect(row[3] == String(n / 256))
            #expect(row[4] == (n == 512 ? "0.5" : String(n * 256 * 4 / (1 << 20))))
        }
        #expect(text.contains("\(Self.grouped(256 * 256)) scores per head whatever the input length"))
        let plot = try #require(Self.figures(section).first?.figure as? LinePlotFigure)
        #expect(plot.xScale == .log && plot.yScale == .log)
    }

    // MARK: Model families

    @Test("the causal toy layer is the bidirectional one cut at the diagonal and renormalised")
    func causalIsRenormalisedBidirectional() throws {
        let (open, causal) = try ModelFamiliesSection.toyLayers()
        let n = ModelFamiliesSection.sentence.count
        for i in 0..<n {
            #expect(abs(open.row(i).reduce(0, +) - 1) < 1e-12)
            let visible = (0...i).map { open[i, $0] }.reduce(0, +)
            for j in 0..<n {
                let expected = j <= i ? open[i, j] / visible : 0
                #expect(abs(causal[i, j] - expected) < 1e-12, "(\(i), \(j))")
            }
        }
        #expect(causal[0, 0] == 1)
        let section = try ModelFamiliesSection.make()
        let figures = Self.figures(section)
        let causalFigure = try #require(figures.first { $0.name == "families-causal" }?.figure as? HeatmapFigure)
        #expect(causalFigure.mask == .causal)
        let openFigure = try #require(figures.first { $0.name == "families-bidirectional" }?.figure as? HeatmapFigure)
        #expect(openFigure.mask == .none)

        let text = Self.prose(section)
        let w = (open[1, 0], open[1, 1])
        #expect(text.contains("are \(Self.fixed(w.0, 2)) and \(Self.fixed(w.1, 2)), together \(Self.fixed(w.0 + w.1, 2))"), "\(text)")
        #expect(text.contains("they become \(Self.fixed(w.0 / (w.0 + w.1), 2)) and \(Self.fixed(w.1 / (w.0 + w.1), 2))"))
        // n(n + 1)/2 = 21 of 36 pairs for 6 tokens; 511 next-token targets and 15% of 512 ≈ 77 masked ones.
        #expect(text.contains("uses 21 of the 36 query–key pairs"))
        #expect(text.contains("yields 511 predictions") && text.contains("about 77 per 512-token sequence"))
    }

    @Test("cross-attention: decoder queries over encoder keys, softmax(QKᵀ/4) recomputed from the toy projections")
    func crossAttention() throws {
        let weights = try ModelFamiliesSection.crossWeights()
        let target = ModelFamiliesSection.target, source = ModelFamiliesSection.source
        #expect(weights.rows == target.count && weights.columns == source.count)
        let q = try ToyAttention(tokens: target, modelDimension: 16, seed: ModelFamiliesSection.crossSeed).attention.q
        let k = try ToyAttention(tokens: source, modelDimension: 16, seed: ModelFamiliesSection.crossSeed).attention.k
        for i in 0..<target.count {
            let scores = (0..<source.count).map { j in (0..<16).map { q[i, $0] * k[j, $0] }.reduce(0, +) / 4 }  // √16 = 4
            let e = scores.map { exp($0) }
            for j in 0..<source.count { #expect(abs(weights[i, j] - e[j] / e.reduce(0, +)) < 1e-12) }
        }
        let figure = try #require(Self.figures(try ModelFamiliesSection.make()).first { $0.name == "families-cross" }?.figure as? HeatmapFigure)
        #expect(figure.rowTokens == target && figure.columnTokens == source && figure.mask == .none)
    }
}
