import Figures
import Foundation
import Testing
import TransformerMath
@testable import Reports

/// The sections before attention: perceptrons and XOR, vanishing gradients, recurrent networks
/// and token embeddings. Numbers are derived here independently, with the tolerance stated.
@Suite("foundation sections")
struct FoundationSectionsTests {
    typealias S = StudySectionsTests

    @Test func perceptronSectionStatesTheTrainingRunAndTheCollapse() throws {
        let section = try PerceptronSection.make()
        let prose = S.prose(section)
        // Hand-traced in FoundationsTests: OR converges in epoch 4; XOR cycles from epoch 2 with
        // the weights (−1, 0 | 1), which get 2 of 4 right.
        #expect(prose.contains("On OR it makes no mistake in epoch 4 and stops."))
        #expect(prose.contains("repeat every epoch from epoch 2 on, and the best of them classifies 2 of the 4 inputs"))
        #expect(prose.contains("gets 3 right and only (1, 1) wrong"))
        // w₂ᵀW₁ = (−1, −1), w₂·b₁ + b₂ = 2.
        #expect(prose.contains("y = -x_1 - x_2 + 2"))
        #expect(prose.contains("misclassifies (0, 0)"))
        let relu = try #require(S.tables(section).last)
        #expect(relu.rows.map { $0[4] } == ["0", "1", "1", "0"])
        #expect(relu.rows.map { $0[3] } == ["(0, 0)", "(1, 0)", "(1, 0)", "(2, 1)"])
    }

    @Test func decisionRegionsAgreeWithTheNetworks() throws {
        let figure = PerceptronSection.decisionRegions()
        #expect(figure.panels.map(\.predictions) == [[0, 1, 1, 1], [1, 1, 1, 0], [0, 1, 1, 0]])
        // Away from the drawn boundaries, each panel's shading is on the side its lines say.
        let n = figure.panels[0].classes.rows
        let step = 2.0 / Double(n)
        for (index, panel) in figure.panels.enumerated() {
            for r in stride(from: 0, to: n, by: 7) {
                for c in stride(from: 0, to: n, by: 7) {
                    let x = -0.5 + (Double(c) + 0.5) * step, y = 1.5 - (Double(r) + 0.5) * step
                    let s = x + y
                    let expected: Int
                    switch index {
                    case 0: expected = s > 0.5 ? 1 : 0
                    case 1: expected = s < 1.5 ? 1 : 0
                    default: expected = s > 0.5 && s < 1.5 ? 1 : 0
                    }
                    #expect(Int(panel.classes[r, c]) == expected, "panel \(index) at (\(x), \(y))")
                }
            }
        }
    }

    @Test func gradientSectionNumbersAreClosedForms() throws {
        let section = try GradientSection.make()
        let prose = S.prose(section)
        // 0.25¹⁰ = 9.5367…·10⁻⁷.
        #expect(prose.contains("0.25^{10} \\approx 9.54 \\times 10^{-7}"))
        let table = try #require(S.tables(section).first)
        #expect(table.rows.map { $0[1] } == ["9.77 × 10⁻⁴", "9.54 × 10⁻⁷", "9.09 × 10⁻¹³", "8.67 × 10⁻¹⁹"])
        // The random columns: products of σ′ and tanh′ at the seeded draws, computed here directly.
        var generator = SeededGenerator(seed: GradientSection.seed)
        let z = (0..<30).map { _ in generator.nextNormal() }
        func sigmoidPrime(_ v: Double) -> Double { let s = 1 / (1 + exp(-v)); return s * (1 - s) }
        func tanhPrime(_ v: Double) -> Double { 1 - tanh(v) * tanh(v) }
        for (row, depth) in zip(table.rows, GradientSection.tableDepths) {
            let sigmoid = z.prefix(depth).map(sigmoidPrime).reduce(1, *)
            let tanhProduct = z.prefix(depth).map(tanhPrime).reduce(1, *)
            #expect(row[2] == PowerOfTen.readable(sigmoid), "depth \(depth)")
            #expect(row[3] == PowerOfTen.readable(tanhProduct), "depth \(depth)")
            #expect(row[4] == "1")
            // The random sigmoid product can never beat the best case ¼ per layer.
            #expect(sigmoid <= pow(0.25, Double(depth)))
        }
    }

    @Test func recurrentSectionNumbersAreClosedForms() throws {
        let section = try RecurrentSection.make()
        let prose = S.prose(section)
        // 0.9⁵⁰ = 0.0051538, 1.1⁵⁰ = 117.39; 100·100·512 and 100·512·512.
        #expect(prose.contains("0.9^{50} \\approx 5.15 \\times 10^{-3}"))
        #expect(prose.contains("1.1^{50} \\approx 117"))
        #expect(prose.contains("100 \\times 100 \\times 512 = 5{,}120{,}000"))
        #expect(prose.contains("100 \\times 512 \\times 512 = 26{,}214{,}400"))
        let table = try #require(S.tables(section).first)
        #expect(table.rows.map { $0[1] } == ["0.349", "5.15 × 10⁻³", "2.95 × 10⁻⁵"])
        #expect(table.rows.map { $0[2] } == ["2.59", "117", "1.25 × 10⁴"])
    }

    @Test func embeddingSectionLooksUpRowsAndAddsPositions() throws {
        let section = try EmbeddingSection.make()
        let prose = S.prose(section)
        // 30522 · 768 and 50257 · 768.
        #expect(prose.contains("30{,}522 \\times 768 = 23{,}440{,}896"))
        #expect(prose.contains("50{,}257 \\times 768 = 38{,}597{,}376"))
        #expect(prose.contains("(largest difference 0)"))
        let rows = try #require(S.tables(section).first).rows
        #expect(rows.map { $0[1] } == ["the", "cat", "sat", "on", "the", "mat"])
        // The same token has the same embedding at both positions and a different input.
        #expect(rows[0][3] == rows[4][3] && rows[0][5] != rows[4][5])
        // PE(0) = (sin 0, cos 0, sin 0, cos 0); PE(1) = (sin 1, cos 1, sin 0.01, cos 0.01) for d = 4.
        #expect(rows[0][4] == "(0.00, 1.00, 0.00, 1.00)")
        #expect(rows[1][4] == "(0.84, 0.54, 0.01, 1.00)")
        // Each input is E[id] + PE(p), with PE written out here: sin/cos(p / 10000^(2i/d)).
        let e = EmbeddingSection.table()
        for p in 0..<6 {
            let id = EmbeddingSection.vocabulary.firstIndex(of: rows[p][1]) ?? -1
            let expected = (0..<4).map { S.fixed(e[id, $0] + sin(Double(p) / pow(10_000, Double($0 / 2 * 2) / 4) + ($0 % 2 == 1 ? Double.pi / 2 : 0)), 2) }
            #expect(rows[p][5] == "(" + expected.joined(separator: ", ") + ")", "position \(p)")
        }
    }
}
