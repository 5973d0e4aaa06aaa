import Figures
import Foundation
import Testing
import TransformerMath

/// Layout of the RoPE figures: nothing overlaps or leaves the page, the clocks turn by pos·θ_i,
/// the pairing diagram joins the right coordinates, and the relative heatmap is constant along diagonals.
@Suite struct RoPEFigureTests {
    let measurer = FixedMeasurer()

    static let widths = [8, 64, 128]
    static let conventions: [RotaryEmbedding.Convention] = [.half, .interleaved]

    /// θ_i = base^(−2i/d), written out here rather than taken from the code under test.
    static func theta(_ i: Int, dimension d: Int, base: Double = 10_000) -> Double {
        pow(base, -2 * Double(i) / Double(d))
    }

    func figures(dimension d: Int, convention: RotaryEmbedding.Convention) throws -> [(String, any Figure)] {
        let embedding = try RotaryEmbedding(dimension: d, convention: convention)
        return [
            ("clock", RoPEClockFigure(embedding: embedding)),
            ("clock, 24 positions, 8 pairs", RoPEClockFigure(embedding: embedding, pairs: Array(0..<min(8, d / 2)), positions: 24)),
            ("pairing", RoPEPairingFigure(dimension: d, highlighted: convention)),
            ("relative", RoPERelativeFigure.seeded(embedding: embedding)),
        ]
    }

    /// Every shape's bounds, clipped groups included.
    func shapeBounds(_ items: [SceneItem]) -> [Rect] {
        items.flatMap { item -> [Rect] in
            switch item {
            case .shape(let path, _, _): return path.bounds.map { [$0] } ?? []
            case .image(_, let rect, _): return [rect]
            case .clipped(_, let inner): return shapeBounds(inner)
            case .text: return []
            }
        }
    }

    @Test(arguments: widths, conventions)
    func noTextOverlapsAndEverythingIsOnThePage(dimension: Int, convention: RotaryEmbedding.Convention) throws {
        for (name, figure) in try figures(dimension: dimension, convention: convention) {
            let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
            let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
            let texts = scene.texts
            #expect(texts.count > 5, "\(name): too little text")
            for text in texts {
                #expect(page.contains(text.bounds, tolerance: 0.01), "\(name), d = \(dimension): '\(text.text)' leaves the page")
            }
            for box in shapeBounds(scene.items) {
                #expect(page.contains(box, tolerance: 0.01), "\(name), d = \(dimension): a shape at \(box) leaves the page")
            }
            for (i, a) in texts.enumerated() {
                // Shrink by a hair: boxes that only touch do not overlap.
                let inner = Rect(x: a.bounds.x + 0.01, y: a.bounds.y + 0.01, width: a.bounds.width - 0.02, height: a.bounds.height - 0.02)
                for b in texts[(i + 1)...] where inner.intersects(b.bounds) {
                    Issue.record("\(name), d = \(dimension), \(convention): '\(a.text)' overlaps '\(b.text)'")
                }
            }
        }
    }

    @Test(arguments: widths, conventions)
    func everyCaptionStatesConventionAndBase(dimension: Int, convention: RotaryEmbedding.Convention) throws {
        for (name, figure) in try figures(dimension: dimension, convention: convention) {
            let words = try figure.layout(measurer: measurer, pixelsPerPoint: 1).texts.map(\.text).joined(separator: " ")
            #expect(words.contains("base 10000"), "\(name)")
            if name == "pairing" {
                #expect(words.contains("half") && words.contains("interleaved"), "\(name)")
            } else {
                #expect(words.contains("\(convention.rawValue) pairing"), "\(name)")
            }
        }
    }

    // MARK: - Clock

    /// One clock read back from the scene: its circle and its arrow tips in drawing order.
    struct Clock {
        let center: Point
        let radius: Double
        var tips: [Point] = []
    }

    /// The big guide circle (stroked, four curves) starts a clock; each filled triangle after it is an arrow head, tip first.
    func clocks(in scene: Scene) -> [Clock] {
        var clocks: [Clock] = []
        for case .shape(let path, let fill, let stroke) in scene.items {
            guard let box = path.bounds else { continue }
            if fill == nil, stroke != nil, path.elements.count == 6, box.width > 40 {
                clocks.append(Clock(center: Point(box.midX, box.midY), radius: box.width / 2))
            } else if fill != nil, path.elements.count == 4, case .move(let tip) = path.elements[0], !clocks.isEmpty {
                clocks[clocks.count - 1].tips.append(tip)
            }
        }
        return clocks
    }

    @Test(arguments: [(8, 10_000.0), (64, 10_000.0), (128, 500_000.0)])
    func arrowTipsLieOnTheCircleAtPosTimesTheta(dimension d: Int, base: Double) throws {
        let embedding = try RotaryEmbedding(dimension: d, base: base)
        let figure = RoPEClockFigure(embedding: embedding, positions: 12)
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let found = clocks(in: scene)
        #expect(found.count == figure.pairs.count)
        #expect(figure.pairs.first == 0 && figure.pairs.last == d / 2 - 1, "default pairs span fastest to slowest: \(figure.pairs)")
        for (clock, i) in zip(found, figure.pairs) {
            #expect(clock.tips.count == 12)
            for (position, tip) in clock.tips.enumerated() {
                let dx = tip.x - clock.center.x, dy = clock.center.y - tip.y  // y grows downwards on the page
                #expect(abs((dx * dx + dy * dy).squareRoot() - clock.radius) < 1e-9, "pair \(i), position \(position) is off the circle")
                let expected = Double(position) * Self.theta(i, dimension: d, base: base)
                var difference = (atan2(dy, dx) - expected).truncatingRemainder(dividingBy: 2 * Double.pi)
                if difference > Double.pi { difference -= 2 * Double.pi }
                if difference < -Double.pi { difference += 2 * Double.pi }
                #expect(abs(difference) < 1e-9, "pair \(i), position \(position): angle off by \(difference) rad")
            }
        }
    }

    @Test func clockTitlesNameThePairItsThetaAndWavelength() throws {
        let scene = try RoPEClockFigure(embedding: try RotaryEmbedding(dimension: 64)).layout(measurer: measurer, pixelsPerPoint: 1)
        let texts = Set(scene.texts.map(\.text))
        #expect(texts.contains("pair 0 (x0, x32)"))
        #expect(texts.contains("θ = 1 rad/pos · λ = 2π/θ = 6.28 positions"))
        #expect(texts.contains("pair 31 (x31, x63)"))
        // After 7 positions pair 0 has turned 7 rad = 401°.
        #expect(texts.contains("after 7 positions: 401° = 1.11 turns"))
        #expect(texts.contains("7: 401°"))
        let interleaved = RoPEClockFigure(embedding: try RotaryEmbedding(dimension: 64, convention: .interleaved), pairs: [3])
        #expect(try interleaved.layout(measurer: measurer, pixelsPerPoint: 1).texts.contains { $0.text == "pair 3 (x6, x7)" })
    }

    @Test func clockRejectsPairsAndPositionsOutOfRange() throws {
        let embedding = try RotaryEmbedding(dimension: 8)
        #expect(throws: InputError.option(name: "--pairs", reason: "4 is out of range; d = 8 has 4 pairs (0–3)")) {
            try RoPEClockFigure(embedding: embedding, pairs: [4]).layout(measurer: measurer, pixelsPerPoint: 1)
        }
        #expect(throws: InputError.self) { try RoPEClockFigure(embedding: embedding, positions: 0).validate() }
        #expect(throws: InputError.self) { try RoPEClockFigure(embedding: embedding, pairs: []).validate() }
        #expect(RoPEClockFigure.spreadPairs(pairCount: 32) == [0, 10, 21, 31])
        #expect(RoPEClockFigure.spreadPairs(pairCount: 1) == [0])
    }

    // MARK: - Pairing

    /// The coordinate pairs joined by arcs, row by row, read from the scene: an arc's two ends sit
    /// above the centres of the boxes whose labels are `x<j>`.
    func arcPairs(in scene: Scene) -> [[(Int, Int)]] {
        let boxes: [(x: Double, y: Double, index: Int)] = scene.texts.compactMap { text in
            guard text.text.hasPrefix("x"), let j = Int(text.text.dropFirst()) else { return nil }
            return (text.position.x, text.position.y, j)
        }
        var rows: [[(Int, Int)]] = []
        var rowY: Double?
        for case .shape(let path, nil, .some(_)) in scene.items where path.elements.count == 2 {
            guard case .move(let a) = path.elements[0], case .curve(_, _, let b) = path.elements[1] else { continue }
            func coordinate(at x: Double) -> Int? {
                boxes.first { abs($0.x - x) < 1e-9 && $0.y > a.y && $0.y - a.y < 30 }?.index
            }
            guard let first = coordinate(at: a.x), let second = coordinate(at: b.x) else { continue }
            if rowY != a.y {
                rows.append([])
                rowY = a.y
            }
            rows[rows.count - 1].append((first, second))
        }
        return rows
    }

    @Test(arguments: widths)
    func pairingJoinsTheRightCoordinates(dimension d: Int) throws {
        let figure = RoPEPairingFigure(dimension: d)
        let rows = arcPairs(in: try figure.layout(measurer: measurer, pixelsPerPoint: 1))
        #expect(rows.count == 2)
        let shown = d <= 16 ? Array(0..<(d / 2)) : [0, 1, 2, d / 2 - 1]
        // Half first, then interleaved.
        #expect(rows.first?.map { [$0.0, $0.1] } == shown.map { [$0, $0 + d / 2] })
        #expect(rows.last?.map { [$0.0, $0.1] } == shown.map { [2 * $0, 2 * $0 + 1] })
    }

    @Test func pairingColoursEachPairTheSameInBothRowsAndNamesTheModels() throws {
        let scene = try RoPEPairingFigure(dimension: 8).layout(measurer: measurer, pixelsPerPoint: 1)
        var arcColors: [[Color]] = []
        var rowY: Double?
        for case .shape(let path, nil, .some(let stroke)) in scene.items where path.elements.count == 2 {
            guard case .move(let a) = path.elements[0] else { continue }
            if rowY != a.y { arcColors.append([]); rowY = a.y }
            arcColors[arcColors.count - 1].append(stroke.color)
        }
        #expect(arcColors.count == 2 && arcColors[0] == arcColors[1] && Set(arcColors[0]).count == 4)
        let words = scene.texts.map(\.text).joined(separator: " ")
        for name in ["GPT-NeoX", "rotate_half", "RoFormer", "GPT-J", "Meta's original Llama"] {
            #expect(words.contains(name), "missing \(name)")
        }
        // θ of each pair written once: the same in both conventions.
        #expect(scene.texts.filter { $0.text.hasPrefix("pair 1: θ = 0.1") }.count == 1)
    }

    // MARK: - Relative

    func cellImages(_ scene: Scene) -> [RasterImage] {
        scene.items.compactMap { item in
            if case .image(let image, _, _) = item, image.width > 1 { return image }
            return nil
        }
    }

    func close(_ a: Color, _ b: Color) -> Bool {
        abs(a.red - b.red) <= 1.0 / 255 && abs(a.green - b.green) <= 1.0 / 255 && abs(a.blue - b.blue) <= 1.0 / 255
    }

    @Test(arguments: conventions)
    func ropePanelIsConstantAlongDiagonalsAndThePlainPanelIsUniform(convention: RotaryEmbedding.Convention) throws {
        let figure = RoPERelativeFigure.seeded(embedding: try RotaryEmbedding(dimension: 64, convention: convention))
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        let images = cellImages(scene)
        #expect(images.count == 2)
        let (rope, plain) = (try #require(images.first), try #require(images.last))
        #expect(rope.width == 32 && rope.height == 32, "one pixel per cell")
        var distinct = Set<[UInt8]>()
        for m in 0..<31 {
            for n in 0..<31 {
                #expect(close(rope.color(x: n, y: m), rope.color(x: n + 1, y: m + 1)), "cells (\(m), \(n)) and (\(m + 1), \(n + 1)) differ")
            }
        }
        for y in 0..<32 {
            for x in 0..<32 {
                let c = rope.color(x: x, y: y)
                distinct.insert([UInt8(c.red * 255), UInt8(c.green * 255), UInt8(c.blue * 255)])
                #expect(plain.color(x: x, y: y) == plain.color(x: 0, y: 0))
            }
        }
        #expect(distinct.count > 10, "the RoPE panel should vary with m − n")
        // On the main diagonal the RoPE score is q·k: the colour of the plain panel.
        #expect(close(rope.color(x: 5, y: 5), plain.color(x: 0, y: 0)))
        let titles = Set(scene.texts.map(\.text))
        #expect(titles.contains("with RoPE: depends only on m − n") && titles.contains("without position: the same for every m, n"))
        #expect(titles.contains("q·k score"))
    }

    @Test func relativeScoresMatchAHandComputation() throws {
        let embedding = try RotaryEmbedding(dimension: 4, base: 100)
        let figure = RoPERelativeFigure(embedding: embedding, query: [1, 0, 0, 0], key: [1, 0, 0, 0], positions: 3, source: "unit vectors")
        let (rotated, plain) = try figure.scores()
        // Half pairing: x0 pairs with x2 and turns by pos·θ_0 = pos rad, so the score is cos(m − n).
        for m in 0..<3 {
            for n in 0..<3 { #expect(abs(rotated[m, n] - cos(Double(m - n))) < 1e-12) }
        }
        #expect(plain.values.allSatisfy { $0 == 1 })
        #expect(throws: InputError.self) {
            try RoPERelativeFigure(embedding: embedding, query: [1, 0, 0, 0], key: [1, 0, 0, 0], positions: 0, source: "").scores()
        }
    }
}
