import Figures
import Foundation
import Testing
import TransformerMath

/// A number as the figures write it (`0.1225`, `−2.100`, `3.2e−7`).
private func parse(_ text: String) -> Double? {
    Double(text.replacingOccurrences(of: "−", with: "-"))
}

/// A log-prob with 3 decimals and a real minus sign, formatted here rather than by the code under test.
private func threeDecimals(_ value: Double) -> String {
    let text = String(format: "%.3f", value)
    return text.hasPrefix("-") ? "−" + text.dropFirst() : text
}

/// The tokens from bos to search node `id`.
private func prefix(of id: Int, in result: BeamSearchResult) -> [String] {
    var tokens: [String] = []
    var current: Int? = id
    while let node = current {
        tokens.append(result.nodes[node].token)
        current = result.nodes[node].parent
    }
    return tokens.reversed()
}

/// Which items of the view are drawn for what.
@Suite struct BeamTreeViewTests {
    func search(_ model: LanguageModelTable, k: Int, length: Int = 8, penalty: Double = 0) throws -> BeamSearchResult {
        try BeamSearch(beamWidth: k, maxLength: length, lengthPenalty: penalty).run(model)
    }

    @Test func theDemoAtFullDetailDrawsEveryNodeOnce() throws {
        let result = try search(DemoLanguageModel.table, k: 3)
        let view = BeamTreeView(result, detail: .pruned(3))
        let drawn = view.items.compactMap { item -> Int? in
            if case .node(let id) = item.kind { return id }
            return nil
        }
        #expect(drawn.sorted() == Array(result.nodes.indices))
        #expect(view.items.count == result.nodes.count, "no marks and no greedy-only nodes")
        #expect(view.uncountedPruned == 0 && view.hiddenBeamNodes == 0)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func theTreeIsWellFormedAtEveryLevel(k: Int) throws {
        for (name, model) in try BeamTables.all() {
            let result = try search(model, k: k)
            for detail in BeamTreeView.Detail.levels {
                let view = BeamTreeView(result, detail: detail)
                #expect(view.items.first?.kind == .node(0), "\(name): the root comes first")
                for (index, item) in view.items.enumerated() {
                    for child in item.children {
                        #expect(child > index, "\(name) \(detail): a child comes after its parent")
                        #expect(view.items[child].parent == index)
                        #expect(view.items[child].step == item.step + 1, "\(name) \(detail): steps are consecutive")
                    }
                    let marks = item.children.filter { view.items[$0].kind.isMark }
                    #expect(marks.count <= 1 && (marks.isEmpty || marks[0] == item.children.last), "\(name): at most one mark, last")
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func everyPrunedCandidateIsDrawnCountedOrReported(k: Int) throws {
        for (name, model) in try BeamTables.all() {
            let result = try search(model, k: k)
            let pruned = result.nodes.count { $0.status == .pruned }
            for detail in BeamTreeView.Detail.levels {
                let view = BeamTreeView(result, detail: detail)
                var drawn = 0, marked = 0
                for item in view.items {
                    switch item.kind {
                    case .node(let id): if result.nodes[id].status == .pruned { drawn += 1 }
                    case .more(let count, _): marked += count
                    case .greedyOnly: break
                    }
                }
                #expect(drawn + marked + view.uncountedPruned == pruned, "\(name), k = \(k), \(detail)")
                if case .pruned(let n) = detail {
                    #expect(view.uncountedPruned == 0, "\(name): nothing goes unmentioned at \(detail)")
                    for item in view.items {
                        let shownPruned = item.children.count { child in
                            if case .node(let id) = view.items[child].kind { return result.nodes[id].status == .pruned && !view.items[child].onGreedyPath }
                            return false
                        }
                        #expect(shownPruned <= n, "\(name): at most \(n) pruned candidates under a node")
                    }
                }
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func theGreedyPathSpellsTheGreedyDecodingAtEveryLevel(k: Int) throws {
        for (name, model) in try BeamTables.all() {
            let result = try search(model, k: k)
            for detail in BeamTreeView.Detail.levels {
                let view = BeamTreeView(result, detail: detail)
                let path = view.items.filter { $0.onGreedyPath && $0.step > 0 }.sorted { $0.step < $1.step }
                #expect(path.map { view.numbers(of: $0)?.token ?? "?" } == result.greedy.tokens, "\(name), k = \(k), \(detail)")
                #expect(path.map(\.step) == Array(1...result.greedy.tokens.count))
                let end = try #require(view.greedyEnd.map { view.items[$0] })
                let endLog = try #require(view.numbers(of: end)?.logProbability)
                #expect(abs(endLog - result.greedy.logProbability) <= 1e-12, "\(name): the greedy end carries the greedy log P")
            }
        }
    }

    @Test func greedyDecodingThatLeavesTheBeamGoesOnAsGreedyOnlyNodes() throws {
        let result = try search(try BeamTables.leavesTheBeam(), k: 2, length: 10)
        #expect(result.greedy.tokens == ["Nice", "and", "sunny", "today", "</s>"])
        let view = BeamTreeView(result, detail: .pruned(3))
        let onPath = view.items.filter(\.onGreedyPath)
        let kinds = onPath.map(\.kind)
        // The root and "Nice" and the pruned "and" are in the tree; the rest is greedy's own.
        guard case .node(let andNode) = kinds[2] else { Issue.record("\(kinds)"); return }
        #expect(result.nodes[andNode].token == "and" && result.nodes[andNode].status == .pruned)
        #expect(kinds[3...].allSatisfy { $0.isGreedyOnly })
        #expect(onPath[3...].map { view.numbers(of: $0)?.token } == ["sunny", "today", "</s>"])
        // Greedy-only probabilities are the table's: 0.55 · 0.34 · 0.5 · 0.8 · 1.
        let last = try #require(view.numbers(of: onPath[onPath.count - 1]))
        #expect(abs(exp(last.logProbability) - 0.55 * 0.34 * 0.5 * 0.8) <= 1e-12)
    }

    @Test func finalPathsKeepEveryFinalHypothesisAndHideTheRest() throws {
        let result = try search(try BeamTables.weather(), k: 5)
        let view = BeamTreeView(result, detail: .finalPaths)
        let drawn = Set(view.items.compactMap { item -> Int? in
            if case .node(let id) = item.kind { return id }
            return nil
        })
        for hypothesis in result.hypotheses { #expect(drawn.contains(hypothesis.node)) }
        let beamNodes = result.nodes.filter { $0.status == .kept || $0.status == .finished }
        #expect(view.hiddenBeamNodes == beamNodes.count { !drawn.contains($0.id) })
        #expect(view.hiddenBeamNodes > 0, "the weather table at k = 5 has dead-end beam hypotheses")
        let levels = BeamTreeView.Detail.levels.map { BeamTreeView(result, detail: $0).items.count }
        #expect(levels == levels.sorted(by: >), "each level draws no more than the one before: \(levels)")
    }
}

/// The laid-out figures: nothing overlaps, the tree is tidy, and every number equals the search's.
@Suite struct BeamFigureLayoutTests {
    let measurer = FixedMeasurer()

    func inner(_ r: Rect) -> Rect { Rect(x: r.x + 0.01, y: r.y + 0.01, width: r.width - 0.02, height: r.height - 0.02) }

    /// Texts and node boxes on the page and apart; every node's numbers equal the search's.
    func check(_ scene: Scene, nodes: [PlacedBeamNode], result: BeamSearchResult, model: LanguageModelTable, name: String) {
        let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
        let texts = scene.texts
        for text in texts where !page.contains(text.bounds, tolerance: 0.01) {
            Issue.record("\(name): '\(text.text)' leaves the page")
        }
        for (i, a) in texts.enumerated() {
            for b in texts[(i + 1)...] where inner(a.bounds).intersects(b.bounds) {
                Issue.record("\(name): '\(a.text)' overlaps '\(b.text)'")
            }
        }
        for (i, a) in nodes.enumerated() {
            #expect(page.contains(a.rect, tolerance: 0.01), "\(name): a node leaves the page")
            for b in nodes[(i + 1)...] where inner(a.rect).intersects(b.rect) {
                Issue.record("\(name): node boxes \(a.kind) and \(b.kind) overlap")
            }
        }
        for placed in nodes {
            guard case .node(let id) = placed.kind else { continue }
            let node = result.nodes[id]
            let inside = texts.filter { placed.rect.contains($0.bounds, tolerance: 0.01) }
            #expect(inside.contains { $0.text == TokenLabels.makeVisible(node.token) }, "\(name): node \(id) shows its token")
            guard let pText = inside.first(where: { $0.text.hasPrefix("P ") }), let shown = parse(String(pText.text.dropFirst(2))) else {
                Issue.record("\(name): node \(id) shows no P")
                continue
            }
            let exact = exp(node.logProbability)
            #expect(abs(shown - exact) <= 5e-4 * exact, "\(name): node \(id) shows P \(shown), the search has \(exact)")
            // The edge label ends just left of the box, above the edge's straight end.
            guard node.parent != nil else { continue }
            let label = texts.first { abs($0.bounds.maxX - (placed.rect.x - 3)) < 0.01 && abs($0.bounds.maxY - (placed.rect.midY - 3.5)) < 0.01 }
            let entry = model.matchingDistribution(after: Array(prefix(of: id, in: result).dropLast()))?.entries.first { $0.token == node.token }
            guard let label, let p = parse(label.text), let entry else {
                Issue.record("\(name): node \(id) has no edge label")
                continue
            }
            #expect(abs(p - entry.probability) <= 5e-4 * entry.probability, "\(name): edge into node \(id) shows \(p), the table has \(entry.probability)")
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func treesAreLegibleAndTheirNumbersEqualTheSearch(k: Int) throws {
        for (name, model) in try BeamTables.all() {
            for length in [3, 8] {
                let result = try BeamSearch(beamWidth: k, maxLength: length, lengthPenalty: k == 4 ? 0.7 : 0).run(model)
                let figure = BeamTreeFigure(result: result, modelName: name)
                let (scene, nodes) = try figure.arrange(measurer: measurer)
                let label = "\(name), k = \(k), L = \(length)"
                check(scene, nodes: nodes, result: result, model: model, name: label)
                // The ranking table lists every final hypothesis's log P and score.
                let texts = Set(scene.texts.map(\.text))
                for hypothesis in result.hypotheses {
                    #expect(texts.contains(threeDecimals(hypothesis.logProbability)), "\(label): log P of \(hypothesis.tokens)")
                    #expect(texts.contains(threeDecimals(hypothesis.score)), "\(label): score of \(hypothesis.tokens)")
                }
                #expect(texts.contains("greedy"))
            }
        }
    }

    @Test(arguments: [1, 3, 5])
    func comparisonsAreLegibleToo(k: Int) throws {
        for (name, model) in try BeamTables.all() {
            let figure = try BeamComparisonFigure(model: model, search: try BeamSearch(beamWidth: k, maxLength: 8), modelName: name)
            let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
            let page = Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height)
            let texts = scene.texts
            for text in texts where !page.contains(text.bounds, tolerance: 0.01) { Issue.record("\(name): '\(text.text)' leaves the page") }
            for (i, a) in texts.enumerated() {
                for b in texts[(i + 1)...] where inner(a.bounds).intersects(b.bounds) { Issue.record("\(name), k = \(k): '\(a.text)' overlaps '\(b.text)'") }
            }
        }
    }

    @Test func parentsAreCentredOnTheirChildren() throws {
        let result = try BeamSearch(beamWidth: 3, maxLength: 8).run(try BeamTables.weather())
        let figure = BeamTreeFigure(result: result, modelName: "weather")
        let (_, nodes) = try figure.arrange(measurer: measurer)
        let view = figure.view(measurer: measurer)
        let rectOf = Dictionary(uniqueKeysWithValues: nodes.map { ($0.item, $0.rect) })
        for (index, item) in view.items.enumerated() where !item.children.isEmpty {
            let parent = try #require(rectOf[index])
            let first = try #require(rectOf[item.children[0]]), last = try #require(rectOf[item.children[item.children.count - 1]])
            #expect(abs(parent.midY - (first.midY + last.midY) / 2) < 1e-9, "item \(index)")
            #expect(first.x > parent.maxX, "children sit in the next column")
        }
    }

    @Test func aTallTreeIsThinnedToItsHeightBudgetAndTheCaptionSaysSo() throws {
        let result = try BeamSearch(beamWidth: 5, maxLength: 8).run(try BeamTables.weather())
        let full = BeamTreeFigure(result: result, modelName: "weather", maxTreeHeight: .infinity)
        #expect(full.view(measurer: measurer).detail == .pruned(3))
        let thinned = BeamTreeFigure(result: result, modelName: "weather", maxTreeHeight: 600)
        let view = thinned.view(measurer: measurer)
        #expect(view.detail != .pruned(3))
        let (scene, nodes) = try thinned.arrange(measurer: measurer)
        let treeBottom = nodes.map(\.rect.maxY).max() ?? 0
        let treeTop = nodes.map(\.rect.y).min() ?? 0
        #expect(treeBottom - treeTop <= 600)
        let caption = scene.texts.map(\.text).joined(separator: " ")
        #expect(caption.contains("legible") || caption.contains("counted"), "the caption says what was left out")
    }

    @Test func theDemoComparisonWritesBothSentencesWithTheirProbabilities() throws {
        let figure = try BeamComparisonFigure(model: DemoLanguageModel.table, search: try BeamSearch(), modelName: "the demo table")
        let texts = try figure.layout(measurer: measurer, pixelsPerPoint: 1).texts.map(\.text)
        // 0.7 · 0.35 · 0.5 · 1 = 0.1225 and 0.3 · 0.9 · 0.9 · 1 = 0.243, worked by hand.
        #expect(texts.contains { $0.contains("“The cat ran </s>”") && $0.hasSuffix("P = 0.7 × 0.35 × 0.5 × 1 = 0.1225") })
        #expect(texts.contains { $0.contains("“A cat sat </s>”") && $0.hasSuffix("P = 0.3 × 0.9 × 0.9 × 1 = 0.243") })
        // 0.243 / 0.1225 = 1.98.
        #expect(texts.joined(separator: " ").contains("1.98× as probable"))
    }

    @Test func theDemoTreeMatchesItsSnapshot() throws {
        let figure = BeamTreeFigure(result: try BeamSearch().run(DemoLanguageModel.table), modelName: "the demo table")
        let scene = try figure.layout(measurer: measurer, pixelsPerPoint: 1)
        #expect(matchesSnapshot(describe(scene), named: "beam-demo"))
    }
}
