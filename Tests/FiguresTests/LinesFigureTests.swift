import Figures
import Foundation
import Testing
import TransformerMath

/// A row-stochastic n × m matrix with distinct values; `seed` makes heads differ.
private func weights(_ n: Int, _ m: Int? = nil, seed: Int = 0) -> Matrix {
    let columns = m ?? n
    var values: [Double] = []
    for r in 0..<n {
        let row = (0..<columns).map { c in exp(sin(Double(r * 31 + c * 7 + seed * 13)) * 2.5) }
        let sum = row.reduce(0, +)
        values += row.map { $0 / sum }
    }
    return Matrix(rows: n, columns: columns, values: values)
}

/// One drawn attention line.
private struct Line {
    let from: Point
    let to: Point
    let stroke: Stroke
    var bounds: Rect {
        Rect(x: min(from.x, to.x), y: min(from.y, to.y), width: abs(to.x - from.x), height: abs(to.y - from.y))
    }
}

/// The band the lines are clipped to, and the lines in drawing order.
private func lineBand(_ scene: Scene) throws -> (band: Rect, lines: [Line]) {
    for case .clipped(let band, let items) in scene.items {
        var lines: [Line] = []
        for case .shape(let path, _, let stroke?) in items {
            guard path.elements.count == 2, case .move(let a) = path.elements[0], case .line(let b) = path.elements[1] else {
                Issue.record("a line is not one straight segment")
                continue
            }
            lines.append(Line(from: a, to: b, stroke: stroke))
        }
        return (band, lines)
    }
    throw FigureError.empty("no clipped group of lines in the scene")
}

private extension Rect {
    func shrunk(by d: Double) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}

@Suite struct LinesFigureTests {
    let measurer = FixedMeasurer()

    func twoHeads3x3() -> LinesFigure {
        var figure = LinesFigure(
            heads: [Matrix([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0, 0.5, 0.5]]), Matrix([[0.1, 0.1, 0.8], [0.6, 0.01, 0.39], [0.2, 0.2, 0.6]])],
            headNames: ["L0 H0", "L0 H1"])
        figure.queryTokens = ["<s>", "a&b", "\"q\""]
        figure.keyTokens = figure.queryTokens
        figure.caption = "snapshot"
        return figure
    }

    @Test func tinyTwoHeadFigureMatchesSnapshot() throws {
        let scene = try twoHeads3x3().layout(measurer: measurer, pixelsPerPoint: 1)
        #expect(matchesSnapshot(describe(scene), named: "lines-3x3-two-heads"))
    }

    @Test(arguments: [(2, 1), (16, 1), (16, 4), (64, 3), (256, 2)])
    func labelsNeverOverlapAndEverythingStaysOnThePage(n: Int, headCount: Int) throws {
        var figure = LinesFigure(heads: (0..<headCount).map { weights(n, seed: $0) }, headNames: (0..<headCount).map { "L3 H\($0)" })
        // Repeated and very long tokens: index prefixes and truncation must both hold up.
        figure.queryTokens = (0..<n).map { $0 % 5 == 0 ? "the" : $0 % 7 == 0 ? String(repeating: "supercalifragilistic", count: 4) : "tok\($0)" }
        figure.keyTokens = figure.queryTokens
        figure.title = "A title"
        figure.caption = String(repeating: "a long caption that has to wrap ", count: 12)
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
        let texts = scene.texts
        let (band, lines) = try lineBand(scene)
        #expect(page.contains(band))
        for text in texts {
            #expect(page.contains(text.bounds, tolerance: 0.01), "\(text.text) leaves the page")
            #expect(!text.bounds.shrunk(by: 0.01).intersects(band), "\(text.text) lies in the band of lines")
        }
        // No two texts overlap (labels, headers, legend, title, caption).
        let boxes = texts.map { $0.bounds.shrunk(by: 0.01) }
        var overlaps = 0
        for i in boxes.indices {
            for j in boxes.indices where j > i && boxes[i].intersects(boxes[j]) {
                overlaps += 1
                if overlaps < 5 { Issue.record("\(texts[i].text) overlaps \(texts[j].text)") }
            }
        }
        #expect(overlaps == 0)
        // The row pitch leaves air between labels: at least 1.3 line heights.
        let labels = texts.filter { $0.text.hasSuffix("tok1") || $0.text.hasSuffix("tok2") }
        let ys = Set(labels.map(\.position.y)).sorted()
        if ys.count >= 2 { #expect(ys[1] - ys[0] >= 1.3 * labels[0].extent.height) }
        for line in lines { #expect(band.contains(line.bounds, tolerance: 3), "a line leaves its band") }
        if n > 7 { #expect(texts.contains { $0.text.hasSuffix("…") }, "long tokens should be truncated") }
        #expect(texts.allSatisfy { $0.extent.width <= page.width })
    }

    @Test func theFigureGrowsWithTheTokens() throws {
        let small = try LinesFigure(heads: [weights(8)]).layout(measurer: measurer, pixelsPerPoint: 1)
        let large = try LinesFigure(heads: [weights(80)]).layout(measurer: measurer, pixelsPerPoint: 1)
        #expect(large.size.height > small.size.height + 72 * 18 * 0.9)
    }

    @Test(arguments: [0.0, 0.02, 0.1, 0.3])
    func oneLinePerWeightAtOrAboveTheThreshold(threshold: Double) throws {
        var figure = LinesFigure(heads: [weights(12, seed: 0), weights(12, seed: 1), weights(12, seed: 2)])
        figure.threshold = threshold
        let (_, lines) = try lineBand(try figure.layout(measurer: measurer, pixelsPerPoint: 1))
        let expected = figure.heads.reduce(0) { $0 + $1.values.filter { $0 >= threshold }.count }
        #expect(lines.count == expected)
        #expect(figure.links.count == expected)
        if threshold == 0 { #expect(lines.count == 3 * 144) }
        // Each head draws in its own colour.
        for head in 0..<3 {
            let count = lines.filter { $0.stroke.color.withAlpha(1) == LinesFigure.color(ofHead: head) }.count
            #expect(count == figure.heads[head].values.filter { $0 >= threshold }.count)
        }
    }

    @Test func widthAndOpacityGrowWithWeightAndStrongLinesAreDrawnLast() throws {
        let figure = LinesFigure(heads: [weights(10), weights(10, seed: 4)])
        let (_, lines) = try lineBand(try figure.layout(measurer: measurer, pixelsPerPoint: 1))
        let links = figure.links
        #expect(lines.count == links.count)
        for (line, link) in zip(lines, links) {
            #expect(abs(line.stroke.width - (0.4 + 3.6 * link.weight)) < 1e-9)
            #expect(abs(line.stroke.color.alpha - (0.15 + 0.85 * link.weight)) < 1e-9)
        }
        // Drawing order is weakest first, so widths and opacities never decrease along it.
        for (a, b) in zip(lines, lines.dropFirst()) {
            #expect(a.stroke.width <= b.stroke.width && a.stroke.color.alpha <= b.stroke.color.alpha)
        }
        #expect(LinesFigure.lineWidth(for: 0.2) < LinesFigure.lineWidth(for: 0.8))
        #expect(LinesFigure.lineOpacity(for: 0.2) < LinesFigure.lineOpacity(for: 0.8))
        #expect(LinesFigure.lineWidth(for: 1) == 4 && LinesFigure.lineOpacity(for: 1) == 1)
        // Out-of-range weights are clamped, never a negative width.
        #expect(LinesFigure.lineWidth(for: -3) == 0.4 && LinesFigure.lineWidth(for: 7) == 4 && LinesFigure.lineWidth(for: .nan) == 0.4)
    }

    @Test func linesRunFromTheQueryLabelToTheKeyLabel() throws {
        var figure = LinesFigure(heads: [Matrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]])])
        figure.threshold = 0.5
        figure.queryTokens = ["a", "b", "c"]
        figure.keyTokens = ["x", "y", "z"]
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let (_, lines) = try lineBand(scene)
        #expect(lines.count == 3)
        func label(_ s: String) throws -> TextItem { try #require(scene.texts.first { $0.text == s }) }
        for (q, k) in [("a", "y"), ("b", "z"), ("c", "x")] {
            let query = try label(q), key = try label(k)
            #expect(query.horizontal == .trailing && key.horizontal == .leading)
            let line = try #require(lines.first { abs($0.from.y - query.position.y) < 1e-9 })
            #expect(abs(line.to.y - key.position.y) < 1e-9)
            #expect(line.from.x > query.bounds.maxX && line.to.x < key.bounds.x)
        }
    }

    @Test func aChosenQueryKeepsOnlyItsLinksAndIsHighlighted() throws {
        var figure = LinesFigure(heads: [weights(8), weights(8, seed: 2)], headNames: ["H0", "H1"])
        figure.queryTokens = ["q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7"]
        figure.keyTokens = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"]
        figure.query = 5
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let (_, lines) = try lineBand(scene)
        let expected = figure.heads.reduce(0) { count, matrix in count + matrix.row(5).filter { $0 >= figure.threshold }.count }
        #expect(lines.count == expected)
        #expect(figure.links.allSatisfy { $0.query == 5 })
        let chosen = try #require(scene.texts.first { $0.text == "q5" })
        #expect(chosen.font.weight == .bold && chosen.color == .ink)
        // Every line leaves from the chosen row (heads are nudged by at most half a row).
        let pitch = try #require(scene.texts.first { $0.text == "q6" }).position.y - chosen.position.y
        #expect(lines.allSatisfy { abs($0.from.y - chosen.position.y) < pitch / 2 })
        for other in ["q0", "q4", "q7"] {
            let label = try #require(scene.texts.first { $0.text == other })
            #expect(label.font.weight == .regular && label.color != .ink)
        }
        // Its weights are written beside the keys, in the colour of their head.
        let written = scene.texts.filter { $0.text.hasPrefix("0.") || $0.text == "1.00" }.filter { $0.font.size == 9 && $0.horizontal == .trailing }
        #expect(written.count == expected)
        let caption = scene.texts.map(\.text).joined(separator: " ")
        #expect(caption.contains("query 5 “q5”"))

        // Without tokens the same works on indices, and with a window the query is a sequence position.
        var windowed = LinesFigure(heads: [weights(4)])
        windowed.firstQuery = 10
        windowed.firstKey = 10
        windowed.query = 12
        let scene2 = try windowed.layout(measurer: measurer, pixelsPerPoint: 1)
        #expect(windowed.links.allSatisfy { $0.query == 2 })
        #expect(scene2.texts.first { $0.text == "12" }?.font.weight == .bold)
    }

    @Test func theLegendNamesEveryHeadAndStaysClearOfTheLines() throws {
        let names = (0..<10).map { "L11 H\($0)" }
        var figure = LinesFigure(heads: (0..<10).map { weights(6, seed: $0) }, headNames: names)
        figure.threshold = 0
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let (band, lines) = try lineBand(scene)
        let legendTexts = scene.texts.filter { names.contains($0.text) || $0.text == "weight" }
        #expect(legendTexts.count == 11)
        var legendShapes: [Rect] = []
        for case .shape(let path, _, _) in scene.items { if let box = path.bounds { legendShapes.append(box) } }
        #expect(legendShapes.count == 10 + 3, "one swatch per head and three weight samples")
        // Above the band entirely, so it can never cover a line.
        for box in legendTexts.map(\.bounds) + legendShapes {
            #expect(box.maxY + 4 <= band.y)
            for line in lines { #expect(!box.intersects(line.bounds)) }
        }
        // Colours cycle after the eight Okabe–Ito colours.
        #expect(LinesFigure.color(ofHead: 8) == LinesFigure.color(ofHead: 0))
        #expect(Set(Palette.colors).count == 8)
        #expect(Palette.colors[0] == Color(hex: 0x0072B2))
    }

    @Test func oneUnnamedHeadHasNoHeadLegendButStillTheWeightKey() throws {
        let figure = LinesFigure(heads: [weights(4)], headNames: [""])
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        #expect(scene.texts.contains { $0.text == "weight" })
        let swatches = scene.items.filter { if case .shape = $0 { return true } else { return false } }
        #expect(swatches.count == 3)
        // The samples use the head's colour.
        for case .shape(_, _, let stroke?) in scene.items { #expect(stroke.color.withAlpha(1) == LinesFigure.color(ofHead: 0)) }
    }

    @Test func theCaptionSaysWhatIsShown() throws {
        var figure = twoHeads3x3()
        figure.threshold = 0.15
        let text = try figure.layout(measurer: measurer, pixelsPerPoint: 1).texts.map(\.text).joined(separator: " ")
        #expect(text.contains("snapshot"))
        #expect(text.contains("2 heads overlaid"))
        #expect(text.contains("weight ≥ 0.15"))
        #expect(text.contains("∝ weight"))
        #expect(text.contains("(13 of 18)"))
        #expect(text.contains("Attention lines"))
    }

    @Test func crossAttentionCentresTheShorterColumn() throws {
        var figure = LinesFigure(heads: [weights(3, 9)])
        figure.queryTokens = ["a", "b", "c"]
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let b = try #require(scene.texts.first { $0.text == "b" })
        let middleKey = try #require(scene.texts.first { $0.text == "4" && $0.horizontal == .leading })
        #expect(abs(b.position.y - middleKey.position.y) < 1e-9)
    }

    @Test func tooManyTokensIsAnErrorThatSaysWhatToDo() throws {
        let figure = LinesFigure(heads: [Matrix(rows: 257, columns: 257)])
        do {
            _ = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
            Issue.record("257 tokens should not be drawn")
        } catch let error as FigureError {
            #expect(error.description.contains("257"))
            #expect(error.description.contains("--window"))
            #expect(error.description.contains("heatmap"))
        }
        #expect(throws: Never.self) { try LinesFigure(heads: [Matrix(rows: 256, columns: 4)]).layout(measurer: measurer, pixelsPerPoint: 1) }
    }

    @Test func inconsistentInputIsAnErrorNotACrash() {
        func fails(_ figure: LinesFigure) -> Bool {
            (try? figure.layout(measurer: measurer, pixelsPerPoint: 1)) == nil
        }
        #expect(fails(LinesFigure(heads: [])))
        #expect(fails(LinesFigure(heads: [Matrix(rows: 0, columns: 3)])))
        #expect(fails(LinesFigure(heads: [weights(3), weights(4)])))
        #expect(fails(LinesFigure(heads: [weights(3)], headNames: ["a", "b"])))
        var tokens = LinesFigure(heads: [weights(3)])
        tokens.queryTokens = ["a"]
        #expect(fails(tokens))
        var keys = LinesFigure(heads: [weights(3)])
        keys.keyTokens = ["a", "b", "c", "d"]
        #expect(fails(keys))
        var query = LinesFigure(heads: [weights(3)])
        query.query = 3
        #expect(fails(query))
        query.query = -1
        #expect(fails(query))
    }

    @Test func theAttentionFactoryWindowsChecksTheQueryAndRejectsNonWeights() throws {
        let tensor = Tensor(shape: [2, 4, 4], values: weights(4).values + weights(4, seed: 1).values)
        let selections = try [0, 1].map { head throws(InputError) in
            try AttentionSelection.select(from: tensor, source: "a.npy", layer: nil, head: head)
        }
        let tokens = AttentionTokens(queries: ["w", "x", "y", "z"], querySource: "--tokens")
        let window = try IndexWindow(parsing: "1:3")
        let figure = try LinesFigure.attention(selections, names: ["head 0", "head 1"], source: "a.npy", tokens: tokens, window: window, query: 2)
        #expect(figure.heads == [weights(4).slice(rows: 1..<3, columns: 1..<3), weights(4, seed: 1).slice(rows: 1..<3, columns: 1..<3)])
        #expect(figure.queryTokens == ["x", "y"] && figure.keyTokens == ["x", "y"])
        #expect(figure.firstQuery == 1 && figure.query == 2)
        #expect(figure.caption?.contains("window 1..<3") == true)

        #expect(throws: InputError.option(name: "--query", reason: "0 is out of range; the window shows queries 1–2")) {
            try LinesFigure.attention(selections, names: ["a", "b"], source: "a.npy", tokens: tokens, window: window, query: 0)
        }
        let scores = Tensor(shape: [2, 2], values: [0.5, 2.5, 0.5, 0.5])
        let selection = try AttentionSelection.select(from: scores, source: "s.npy", layer: nil, head: nil)
        do {
            _ = try LinesFigure.attention([selection], names: [""], source: "s.npy", tokens: .none, window: nil, query: nil)
            Issue.record("2.5 is not an attention weight")
        } catch {
            #expect(error.description.contains("s.npy"))
            #expect(error.description.contains("[0, 1]"))
            #expect(error.description.contains("2.5"))
        }
    }
}
