import Figures
import Foundation
import TransformerMath

/// "Greedy decoding and beam search": how a sentence's probability is built, greedy decoding and
/// beam search on the demo table with every product worked out, why beam search helps, and what
/// the length penalty changes, shown on the weather table.
enum DecodingSection {
    static func make() throws -> ReportSection {
        let model = DemoLanguageModel.table
        let search = try BeamSearch(beamWidth: 3, maxLength: 10)
        // Stacked rather than side by side, so the figures keep a readable size in the page's column.
        var comparison = try BeamComparisonFigure(model: model, search: search, modelName: "the demo table")
        comparison.maxSideBySideWidth = 560
        let result = comparison.beam
        let greedy = result.greedy
        let best = try require(result.hypotheses.first, "the demo search has no final hypothesis")
        let bestFactors = result.tokenProbabilities(toNode: best.node)

        // Step 2 of the beam: every candidate with its product, ranked as the search ranked them.
        let step2 = result.nodes.filter { $0.step == 2 }.sorted { a, b in
            a.logProbability != b.logProbability ? a.logProbability > b.logProbability : a.id < b.id
        }
        let step2Rows = step2.map { node -> [String] in
            let factors = result.tokenProbabilities(toNode: node.id)
            let words = sentence(result.path(toNode: node.id).map(\.token))
            return [words, product(factors), p(exp(node.logProbability)), node.status == .pruned ? "pruned" : "kept"]
        }
        let keptAtStep2 = step2.filter { $0.status != .pruned }.map { sentence(result.path(toNode: $0.id).map(\.token)) }

        // The trap in numbers: a likely first word followed by an unlikely one, against the runner-up.
        let trap = (first: 0.7, second: 0.001), runnerUp = (first: 0.3, second: 0.9)

        // The length penalty on the weather table: the same final hypotheses ranked under three values of a.
        let penalties = [0.0, 0.5, 1.0]
        let weather = try BeamSearch(beamWidth: 3, maxLength: 8).run(DemoLanguageModel.weather)
        let penalised = try penalties.map { try BeamSearch(beamWidth: 3, maxLength: 8, lengthPenalty: $0) }
        let finals = weather.hypotheses
        let rankRows = finals.map { h -> [String] in
            [sentence(h.tokens), String(h.tokens.count), p(exp(h.logProbability)), NumberFormat.fixed(h.logProbability, decimals: 3)]
                + penalised.map { NumberFormat.fixed($0.score(logProbability: h.logProbability, length: h.tokens.count), decimals: 3) }
        }
        let winners = penalised.map { s in
            finals.enumerated().max { a, b in
                let sa = s.score(logProbability: a.element.logProbability, length: a.element.tokens.count)
                let sb = s.score(logProbability: b.element.logProbability, length: b.element.tokens.count)
                return sa != sb ? sa < sb : a.offset > b.offset
            }!.element
        }
        let shortWinner = winners[0], longWinner = winners[penalties.count - 1]
        let demoLengths = Set(result.hypotheses.map(\.tokens.count))
        let demoNote = demoLengths.count == 1
            ? "On the demo table every final hypothesis has \(demoLengths.first ?? 0) tokens, so no penalty can change their order. "
            : ""

        return ReportSection(id: "greedy-decoding-and-beam-search", title: "Greedy decoding and beam search", blocks: [
            .paragraph([
                .text("A language model writes one token at a time. Given the tokens so far, it gives a probability to every possible next token; "),
                .strong("decoding"),
                .text(" is the rule that turns those distributions into one sentence. By the chain rule, a sentence's probability is the product of its tokens' conditional probabilities, so their logarithms add up:"),
            ]),
            .formula(Formulas.sentenceProbability),
            .paragraph([
                .text("The examples below use a small table in place of a neural network, so that every number can be checked by hand. A prefix's distribution is the one listed under its longest matching ending; \""), .code("</s>"),
                .text("\" ends a sentence."),
            ]),
            .table(ReportTable(
                header: ["after", "next token (probability)"],
                rows: DemoLanguageModel.next.map { context, tokens in
                    [context.isEmpty ? "anything else" : context, tokens.map { "\($0.token) (\(p($0.probability)))" }.joined(separator: ", ")]
                },
                caption: "The demo language model (transfigure beam --demo).")),
            .heading("Greedy decoding"),
            .paragraph([
                .text("Greedy decoding appends the most probable token at every step and never looks back. On the demo table it writes “\(sentence(greedy.tokens))”: "),
                .math(Arithmetic.formula("P = " + product(greedy.probabilities) + " = " + p(exp(greedy.logProbability)))),
                .text("."),
            ]),
            .heading("Beam search"),
            .paragraph([
                .strong("Beam search"),
                .text(" with beam width k keeps the k most probable prefixes instead of one. At each step it extends every prefix in the beam by every token, ranks all the candidates by log-probability and keeps the best k; a kept candidate that ends with "),
                .code("</s>"),
                .text(" is finished and takes one of the k places for good. With k = \(search.beamWidth), step 2 on the demo table looks like this:"),
            ]),
            .table(ReportTable(
                header: ["prefix", "product", "P", "fate"], rows: step2Rows, numericColumns: [2],
                caption: "Step 2 of beam search (k = \(search.beamWidth)) on the demo table, most probable first.")),
            .paragraph([
                .text("“\(keptAtStep2.first ?? "")” comes first: "), .math(Arithmetic.formula(product([runnerUp.first, runnerUp.second]) + " = " + p(runnerUp.first * runnerUp.second))),
                .text(" beats "), .math(Arithmetic.formula(product([0.7, 0.35]) + " = " + p(0.7 * 0.35))),
                .text(", because after “A” the model is sure of “cat”, while after “The” it spreads its probability over three words. Greedy decoding never saw this: it dropped “A” at step 1. Beam search finishes with “\(sentence(best.tokens))”: "),
                .math(Arithmetic.formula("P = " + product(bestFactors) + " = " + p(exp(best.logProbability)))),
                .text(", \(NumberFormat.fixed(exp(best.logProbability - greedy.logProbability), decimals: 2)) times the probability of the greedy sentence."),
            ]),
            .figure(ReportFigure(
                name: "beam-compare", figure: comparison,
                caption: "Greedy decoding (a beam of width 1) beside beam search with k = \(search.beamWidth) on the demo table, with both complete sentences and their probabilities.",
                alt: "Two search trees. In the left one a single orange path runs through The, cat, ran and the end token; in the right one the beam also keeps A, whose branch A cat sat ends with the higher probability \(p(exp(best.logProbability))).")),
            .heading("Why beam search helps, and what it costs"),
            .paragraph([
                .text("A token that is likely now can lead to a continuation that is unlikely, and greedy decoding cannot undo its choice. A first word of probability \(p(trap.first)) followed by one of \(p(trap.second)) gives a sentence of probability "),
                .math(Arithmetic.formula(product([trap.first, trap.second]) + " = " + p(trap.first * trap.second))),
                .text(", while a first word of \(p(runnerUp.first)) followed by one of \(p(runnerUp.second)) gives "),
                .math(Arithmetic.formula(product([runnerUp.first, runnerUp.second]) + " = " + p(runnerUp.first * runnerUp.second))),
                .text(". Beam search keeps such runners-up alive for as long as they stay among the k best."),
            ]),
            .list([
                [.text("A beam of width 1 is greedy decoding.")],
                [.text("Each step runs the model on up to k prefixes, so the work grows linearly with k.")],
                [.text("Beam search is still a heuristic: a prefix that falls out of the beam never returns, so the most probable sentence can be missed when its beginning is unlikely.")],
            ]),
            .heading("The length penalty"),
            .paragraph([
                .text("Every token multiplies a sentence's probability by a number at most 1, so log P can only fall as a hypothesis grows, and ranking finished hypotheses by log P alone favours short ones. A "),
                .strong("length penalty"), .text(" ranks them by a score instead:"),
            ]),
            .formula(Formulas.lengthPenalty),
            .paragraph([
                .text("With a = 0 the score is log P; with a = 1 it is the average log-probability per token. Transfigure applies the penalty to the final ranking only; the search itself still keeps the prefixes with the highest log P. \(demoNote)On the weather table of the gallery (k = 3, at most 8 tokens) the ranking changes with a:"),
            ]),
            .table(ReportTable(
                header: ["hypothesis", "length", "P", "log P"] + penalties.map { "score, a = \(NumberFormat.plain($0))" },
                rows: rankRows, numericColumns: Set(1..<(4 + penalties.count)),
                caption: "Final hypotheses of beam search (k = 3) on the weather table, scored with three length penalties.")),
            .paragraph([
                .text("Without a penalty “\(sentence(shortWinner.tokens))” (\(shortWinner.tokens.count) tokens) wins. With a = 1, “\(sentence(longWinner.tokens))” (\(longWinner.tokens.count) tokens) wins, although its probability is \(NumberFormat.fixed(exp(shortWinner.logProbability - longWinner.logProbability), decimals: 1)) times smaller: per token, its log-probability is higher."),
            ]),
        ])
    }

    static func p(_ value: Double) -> String { NumberFormat.probability(value) }

    static func product(_ factors: [Double]) -> String { factors.map(p).joined(separator: " × ") }

    static func sentence(_ tokens: [String]) -> String { tokens.joined(separator: " ") }

    static func require<T>(_ value: T?, _ reason: String) throws -> T {
        guard let value else { throw ReportError.figure(name: "beam-compare", reason: reason) }
        return value
    }
}
