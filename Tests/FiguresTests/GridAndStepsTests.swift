import Figures
import Foundation
import Testing
import TransformerMath

@Suite struct GridAndStepsTests {
    let measurer = FixedMeasurer()

    func panels(layers: Int, heads: Int, size n: Int) -> [[HeadGridFigure.Panel]] {
        (0..<layers).map { l in (0..<heads).map { h in HeadGridFigure.Panel(matrix: stochastic(n + 0 * (l + h)), layer: l, head: h) } }
    }

    func images(_ scene: Scene) -> [(RasterImage, Rect)] {
        scene.items.compactMap { item in
            if case .image(let image, let rect, _) = item, image.width > 1 { return (image, rect) }
            return nil
        }
    }

    @Test func overviewHasOnePanelPerHeadTitledByLayerAndHead() throws {
        let figure = HeadGridFigure(rows: panels(layers: 6, heads: 12, size: 16), title: "Overview")
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let cells = images(scene)
        #expect(cells.count == 72)
        let titles = Set(scene.texts.map(\.text))
        for l in 0..<6 { for h in 0..<12 { #expect(titles.contains("L\(l) H\(h)")) } }
        // Panels never overlap and all sit on the page.
        let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
        for (i, a) in cells.enumerated() {
            #expect(page.contains(a.1))
            for b in cells[(i + 1)...] { #expect(!a.1.intersects(b.1)) }
        }
        // At this size token labels are dropped, and the caption says so.
        #expect(!titles.contains("0") && scene.texts.map(\.text).joined(separator: " ").contains("left out"))
        // One colour bar for all panels.
        #expect(scene.items.filter { if case .image(let image, _, _) = $0 { return image.width == 1 }; return false }.count == 1)
    }

    @Test func aLayerGridKeepsLabelsOnTheSharedAxesOnly() throws {
        var figure = HeadGridFigure(rows: panels(layers: 2, heads: 2, size: 6), title: "Layer")
        figure.rowTokens = ["a", "b", "c", "d", "e", "f"]
        figure.columnTokens = figure.rowTokens
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        // Row labels on the left column's 2 panels, column labels under the bottom row's 2 panels.
        #expect(scene.texts.filter { $0.text == "c" }.count == 4)
        for text in scene.texts {
            #expect(Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height).contains(text.bounds, tolerance: 0.01), "\(text.text)")
        }
    }

    @Test func panelsShareOneColourScale() throws {
        let low = HeadGridFigure.Panel(matrix: Matrix([[0.1, 0.1], [0.1, 0.1]]), layer: 0, head: 0)
        let high = HeadGridFigure.Panel(matrix: Matrix([[0.9, 0.9], [0.9, 0.9]]), layer: 0, head: 1)
        let scene = try HeadGridFigure(rows: [[low, high]], title: "").layout(measurer: measurer, pixelsPerPoint: 1)
        let cells = images(scene)
        #expect(cells[0].0.color(x: 0, y: 0) == Colormap.viridis.color(at: 0.1))
        #expect(cells[1].0.color(x: 0, y: 0) == Colormap.viridis.color(at: 0.9))
    }

    @Test func stepsFigureShowsEveryStageWithItsFormula() throws {
        let q = Matrix([[1, 0], [0, 1], [1, 1]]), k = Matrix([[1, 0], [0, 1], [1, -1]]), v = Matrix([[1, 0], [2, 1], [3, 2]])
        let steps = try AttentionSteps(q: q, k: k, v: v, mask: .causal)
        var figure = AttentionStepsFigure(steps: steps)
        figure.queryTokens = ["x", "y", "z"]
        figure.keyTokens = ["x", "y", "z"]
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let texts = scene.texts.map(\.text)
        for title in ["1  Scores  Q·Kᵀ", "2  Scaled  Q·Kᵀ / √2", "3  Masked  (causal) → −∞", "4  Weights  softmax per row", "5  Output  weights·V"] {
            #expect(texts.contains(title), "missing \(title)")
        }
        // Masked cells say −∞ in the masked panel (3 cells above the diagonal), not in the weights.
        #expect(texts.filter { $0 == "−∞" }.count == 3)
        // Scores use the diverging map centred on 0; weights the sequential one.
        let cells = images(scene)
        #expect(cells.count == 5, "\(cells.map { "\($0.0.width)x\($0.0.height)" })")
        let scoreScale = ColorScale.fitted(to: steps.scores.values, colormap: .rdbu)
        #expect(cells[0].0.color(x: 0, y: 0) == scoreScale.color(of: steps.scores[0, 0]))
        #expect(cells[3].0.color(x: 0, y: 0) == Colormap.viridis.color(at: 1))
        #expect(cells[3].0.color(x: 2, y: 0) == Color(hex: 0xE4E4E4))
        let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
        for text in scene.texts { #expect(page.contains(text.bounds, tolerance: 0.01), "\(text.text)") }
    }

    @Test func stepsWithoutMaskOrValuesHaveThreePanels() throws {
        let steps = try AttentionSteps(q: Matrix([[1, 0]]), k: Matrix([[1, 0], [0, 1]]))
        let scene = try AttentionStepsFigure(steps: steps).layout(measurer: measurer, pixelsPerPoint: 1)
        #expect(images(scene).count == 3)
        #expect(scene.texts.contains { $0.text == "3  Weights  softmax per row" })
    }

    @Test func tokenMarkersAreShownReadably() {
        #expect(TokenLabels.readable("Ġthe") == "the")
        #expect(TokenLabels.readable("▁cat") == "cat")
        #expect(TokenLabels.readable("##ing") == "·ing")
        #expect(TokenLabels.readable("low</w>") == "low")
        #expect(TokenLabels.readable("Ċ") == "↵")
        #expect(TokenLabels.readable("[CLS]") == "[CLS]")
        #expect(TokenLabels.readable("<s>") == "<s>")
        #expect(TokenLabels.labels(for: ["Ġthe", "the"]) == ["0:the", "1:the"])
        #expect(TokenLabels.labels(for: ["Ġthe", "the"], display: .raw) == ["Ġthe", "the"])
    }

    @Test func crossAttentionTokensAreCheckedPerAxis() throws {
        let pair = AttentionTokens(queries: ["a", "b"], keys: ["x", "y", "z"], querySource: "--tokens", keySource: "--key-tokens")
        let resolved = try pair.resolved(rows: 2, columns: 3, source: "m.npy")
        #expect(resolved.rows == ["a", "b"] && resolved.columns == ["x", "y", "z"])
        #expect(throws: InputError.self) {
            try AttentionTokens(queries: ["a", "b"], querySource: "--tokens").resolved(rows: 2, columns: 3, source: "m.npy")
        }
        #expect(throws: InputError.self) { try pair.resolved(rows: 2, columns: 4, source: "m.npy") }
        let square = try AttentionTokens(queries: ["a", "b"], querySource: "--tokens").resolved(rows: 2, columns: 2, source: "m.npy")
        #expect(square.columns == ["a", "b"])
    }

    @Test func indexListsParseAndCheck() throws {
        #expect(try IndexList(parsing: "3", option: "--heads").indices == [3])
        #expect(try IndexList(parsing: "0,2,5", option: "--heads").indices == [0, 2, 5])
        #expect(try IndexList(parsing: "0-3,7,2", option: "--heads").indices == [0, 1, 2, 3, 7])
        for bad in ["", "a", "3-1", "1,,2", "-1", "0-x"] {
            #expect(throws: InputError.self, "\(bad)") { try IndexList(parsing: bad, option: "--heads") }
        }
        #expect(throws: InputError.self) { try IndexList(parsing: "0-12", option: "--heads").check(below: 12, option: "--heads", what: "heads", source: "a.npy") }
    }
}
