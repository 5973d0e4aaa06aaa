import Figures
import Foundation
import Testing
import TransformerMath

/// A row-stochastic n × m matrix with distinct values.
func stochastic(_ n: Int, _ m: Int? = nil) -> Matrix {
    let columns = m ?? n
    var values: [Double] = []
    for r in 0..<n {
        let row = (0..<columns).map { c in exp(sin(Double(r * 31 + c * 7)) * 2) }
        let sum = row.reduce(0, +)
        values += row.map { $0 / sum }
    }
    return Matrix(rows: n, columns: columns, values: values)
}

@Suite struct HeatmapLayoutTests {
    let measurer = FixedMeasurer()

    func cells(in scene: Scene) -> (RasterImage, Rect)? {
        for case .image(let image, let rect, _) in scene.items where image.width > 1 { return (image, rect) }
        return nil
    }

    @Test func smallHeatmapMatchesSnapshot() throws {
        var figure = HeatmapFigure(matrix: Matrix([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0, 0.5, 0.5]]))
        figure.rowTokens = ["<s>", "a&b", "\"q\""]
        figure.columnTokens = figure.rowTokens
        figure.caption = "snapshot"
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        #expect(matchesSnapshot(describe(scene), named: "heatmap-3x3"))
    }

    @Test(arguments: [2, 8, 16, 64, 200, 600])
    func labelsNeverOverlapAndNothingIsClipped(n: Int) throws {
        var figure = HeatmapFigure(matrix: stochastic(n))
        figure.rowTokens = (0..<n).map { "token\($0)" }
        figure.columnTokens = figure.rowTokens
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
        let texts = scene.texts
        for text in texts {
            #expect(page.contains(text.bounds, tolerance: 0.01), "\(text.text) leaves the page")
        }
        // Labels (the 9 pt tick labels, value annotations excluded) must not overlap one another.
        let labels = texts.filter { $0.text.hasPrefix("token") }
        for i in labels.indices {
            for j in labels.indices where j > i {
                #expect(!labels[i].bounds.insetBy(0.01).intersects(labels[j].bounds.insetBy(0.01)),
                        "\(labels[i].text) overlaps \(labels[j].text)")
            }
        }
    }

    @Test func shortLabelsStayHorizontalLongOnesRotate() throws {
        var figure = HeatmapFigure(matrix: stochastic(4))
        figure.columnTokens = ["a", "b", "c", "d"]
        figure.rowTokens = figure.columnTokens
        var scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        #expect(scene.texts.filter { ["a", "b", "c", "d"].contains($0.text) }.allSatisfy { $0.rotation == 0 })
        figure.columnTokens = ["interpretability", "attention", "transformer", "tokenisation"]
        figure.rowTokens = figure.columnTokens
        scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let columnLabels = scene.texts.filter { $0.text == "attention" }
        #expect(columnLabels.contains { $0.rotation == 90 })
    }

    @Test func labelsAreThinnedWithAStatedStep() throws {
        let figure = HeatmapFigure(matrix: stochastic(300))
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let numeric = scene.texts.filter { Int($0.text) != nil && $0.font.size < 11 }
        #expect(numeric.count < 2 * 300)
        #expect(numeric.contains { $0.text == "0" })
        let title = scene.texts.first { $0.text.hasPrefix("key (every") }
        #expect(title != nil)
        let step = try #require(title.map { $0.text.filter(\.isNumber) }.flatMap { Int($0) })
        #expect([2, 5, 10, 20, 50].contains(step))
        #expect(numeric.allSatisfy { Int($0.text)! % step == 0 })
    }

    @Test func repeatedTokensAreIndexPrefixed() {
        #expect(TokenLabels.labels(for: ["the", "cat", "the"]) == ["0:the", "1:cat", "2:the"])
        #expect(TokenLabels.labels(for: ["a", "b"]) == ["a", "b"])
        #expect(TokenLabels.labels(for: ["x", "x"], firstIndex: 10) == ["10:x", "11:x"])
        #expect(TokenLabels.makeVisible("a\nb") == "a↵b")
        #expect(TokenLabels.makeVisible("") == "∅")
    }

    @Test func longTokensAreEllipsised() {
        let font = Font(size: 10)
        let cut = TokenLabels.truncated(String(repeating: "w", count: 100), maxWidth: 60, font: font, measurer: measurer)
        #expect(cut.hasSuffix("…"))
        #expect(measurer.measure(cut, font: font).width <= 60)
    }

    @Test func cellPixelsHaveTheColormapColourOfTheirValue() throws {
        let matrix = stochastic(5)
        let figure = HeatmapFigure(matrix: matrix)
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let (image, _) = try #require(cells(in: scene))
        #expect(image.width == 5 && image.height == 5)
        for r in 0..<5 {
            for c in 0..<5 {
                let expected = Colormap.viridis.color(at: matrix[r, c])
                let actual = image.color(x: c, y: r)
                #expect(abs(actual.red - expected.red) < 1e-9 && abs(actual.green - expected.green) < 1e-9)
            }
        }
    }

    @Test func largeMatricesArePooledToThePixelBudget() throws {
        var values = [Double](repeating: 0, count: 4096 * 4096)
        values[4095 * 4096 + 4095] = 1  // one hot cell must survive max pooling
        var figure = HeatmapFigure(matrix: Matrix(rows: 4096, columns: 4096, values: values))
        figure.lower = 0
        figure.upper = 1
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let (image, rect) = try #require(cells(in: scene))
        #expect(image.width == 512 && image.height == 512)
        #expect(rect.width == 512)
        let corner = image.color(x: 511, y: 511)
        #expect(corner == Colormap.viridis.color(at: 1))
        #expect(scene.texts.map(\.text).joined(separator: " ").contains("8 × 8 block"))
        var mean = figure
        mean.pooling = .mean
        let (meanImage, _) = try #require(cells(in: try mean.layout(measurer: measurer, pixelsPerPoint: 1)))
        #expect(meanImage.color(x: 511, y: 511) == Colormap.viridis.color(at: 1.0 / 64))
    }

    @Test func prePooledMatricesLabelPositionsAndSayHowTheyWerePooled() throws {
        // A 4,000-token causal pattern already pooled 8 × 8 into 500 × 500 values.
        var figure = HeatmapFigure(matrix: stochastic(500))
        figure.pooledSource = HeatmapFigure.PooledSource(rows: 4000, columns: 4000, factor: 8)
        figure.mask = .causal
        figure.upperQuantile = 0.99
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let (image, plot) = try #require(cells(in: scene))
        #expect(image.width == 500 && plot.width == 500)
        // Round positions of the full sequence, each centred on its own position, not on a pooled cell.
        let labels = scene.texts.filter { Int($0.text) != nil }
        let positions = Set(labels.map(\.text))
        #expect(positions.isSuperset(of: ["0", "1000", "2000", "3000"]))
        #expect(labels.allSatisfy { (Int($0.text) ?? 1) % 500 == 0 })
        let label1000 = try #require(labels.first { $0.text == "1000" && $0.position.y > plot.maxY })
        #expect(abs(label1000.position.x - (plot.x + 1000.5 / 8)) < 1e-9)
        let caption = scene.texts.map(\.text).joined(separator: " ")
        #expect(caption.contains("query (4000)") && caption.contains("8 × 8 block"))
        #expect(caption.contains("pooled while computing"))
        #expect(caption.contains("99th percentile") && caption.contains("hatched: causal mask"))
        // The top of the scale is the 99th percentile (nearest rank) of the values on and below the diagonal.
        let unmasked = (0..<500).flatMap { r in (0...r).map { c in figure.matrix[r, c] } }.sorted()
        let expected = unmasked[Int((Double(unmasked.count - 1) * 0.99).rounded())]
        #expect(expected < unmasked.last ?? 0)
        #expect(caption.contains("colours clipped at \(NumberFormat.short(expected)),"))
    }

    @Test func fineCausalGridsHatchOneTriangleAboveTheDiagonal() throws {
        var figure = HeatmapFigure(matrix: stochastic(300))
        figure.mask = .causal
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let (_, plot) = try #require(cells(in: scene))
        var hatch: [Point] = []
        // The hatch over the cells, not the legend's swatch beside them.
        for case .shape(let path, nil, let stroke?) in scene.items where stroke.color == .maskHatch && (path.bounds?.x ?? 0) < plot.maxX {
            for case .move(let p) in path.elements { hatch.append(p) }
            for case .line(let p) in path.elements { hatch.append(p) }
        }
        // Roughly one line per 4 pt across the triangle, not one per masked run of every row.
        #expect(hatch.count > 100 && hatch.count < 600)
        let pitch = plot.width / 300
        for p in hatch {
            #expect(p.x - plot.x >= p.y - plot.y + pitch - 1e-9, "hatch point \(p) below the diagonal")
            #expect(p.x <= plot.maxX + 1e-9 && p.y >= plot.y - 1e-9)
        }
    }

    @Test func annotationsAppearWhenTheyFitInContrastingColours() throws {
        let matrix = Matrix([[0.9, 0.1], [0.05, 0.95]])
        let figure = HeatmapFigure(matrix: matrix)
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let values = scene.texts.filter { $0.text.hasPrefix("0.") && $0.text.count == 4 }
        #expect(Set(values.map(\.text)) == ["0.90", "0.10", "0.05", "0.95"])
        // viridis is bright at 0.9 (black text) and dark at 0.1 (white text).
        #expect(values.first { $0.text == "0.90" }?.color == .black)
        #expect(values.first { $0.text == "0.10" }?.color == .white)
        var never = figure
        never.annotation = .never
        #expect(try never.layout(measurer: measurer, pixelsPerPoint: 1).texts.filter { $0.text == "0.90" }.isEmpty)
        let big = try HeatmapFigure(matrix: stochastic(64)).layout(measurer: measurer, pixelsPerPoint: 1)
        #expect(big.texts.filter { $0.text.hasPrefix("0.") && $0.text.count == 4 }.isEmpty)
    }

    @Test func causalCellsAreMaskedNotData() throws {
        var figure = HeatmapFigure(matrix: Matrix([[1, 0, 0], [0.5, 0.5, 0], [0.2, 0.3, 0.5]]))
        #expect(HeatmapFigure.looksCausal(figure.matrix))
        #expect(!HeatmapFigure.looksCausal(stochastic(3)))
        figure.mask = .causal
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let (image, _) = try #require(cells(in: scene))
        #expect(image.color(x: 2, y: 0) == Color(hex: 0xE4E4E4))
        #expect(image.color(x: 0, y: 2) == Colormap.viridis.color(at: 0.2))
        #expect(scene.texts.contains { $0.text == "masked" })
        #expect(!scene.texts.contains { $0.text == "0.00" })
        #expect(scene.texts.map(\.text).joined(separator: " ").contains("hatched: causal mask"))
    }

    @Test func emptyMatrixIsAnError() {
        #expect(throws: FigureError.self) {
            try HeatmapFigure(matrix: Matrix(rows: 0, columns: 0)).layout(measurer: measurer, pixelsPerPoint: 1)
        }
    }
}

extension Rect {
    func insetBy(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}
