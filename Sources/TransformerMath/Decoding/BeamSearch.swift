import Foundation

/// Beam search over a `LanguageModelTable`, as in Jurafsky & Martin (CONTRACT §3).
///
/// Step by step: every live hypothesis is extended by every token of its distribution (the
/// log-prob grows by ln p); all candidates are ranked by log-prob, ties going to the earlier
/// parent (its place in the beam), then to the token first in UTF-8 byte order; the best
/// `k − (hypotheses finished so far)` are kept, those ending in eos are finished, the others stay
/// live in ranking order. The search stops when nothing is live, `k` hypotheses are finished or
/// `maxLength` steps are done; hypotheses still live then are final too.
///
/// Final hypotheses are ranked by `score = logprob / length^a` (length counts generated tokens,
/// eos included). Equal scores keep the order in which the hypotheses were kept: finished ones
/// in the order they finished, then the ones left live, in beam order.
///
/// Log-probs are sums of `log(p)` in `Double`, in step order, and ties are exact equality of
/// those sums: paths whose probabilities are equal as real numbers tie only when their sums round
/// to the same `Double` (always the case for equal probabilities under the same or equally
/// scored parents).
public struct BeamSearch: Sendable, Equatable {
    /// Widest beam accepted.
    public static let maximumBeamWidth = 64
    /// Longest maximum length accepted (generated tokens, eos included).
    public static let maximumLength = 64
    /// Largest length penalty accepted: beyond it `length^a` says nothing a smaller value would not.
    public static let maximumLengthPenalty = 10.0
    /// Most nodes a search may build; a table and settings that would build more are refused
    /// before the step that would cross the limit.
    public static let maximumNodes = 1_000_000

    /// k: how many hypotheses the beam holds.
    public let beamWidth: Int
    /// L: the most tokens a hypothesis may generate, eos included.
    public let maxLength: Int
    /// a in `score = logprob / length^a`; 0 ranks by log-prob alone, larger values favour longer hypotheses.
    public let lengthPenalty: Double

    /// Checked settings: `1 ≤ beamWidth ≤ 64`, `1 ≤ maxLength ≤ 64`, `0 ≤ lengthPenalty ≤ 10`.
    /// A negative penalty would punish length on top of the log-prob, which no decoder does, so it is an error.
    public init(beamWidth: Int = 3, maxLength: Int = 10, lengthPenalty: Double = 0) throws {
        guard (1...Self.maximumBeamWidth).contains(beamWidth) else {
            throw InputError.option(name: "--beam-width", reason: "\(beamWidth) is not a beam width; use a whole number from 1 to \(Self.maximumBeamWidth)")
        }
        try Self.checkMaxLength(maxLength)
        guard lengthPenalty.isFinite, lengthPenalty >= 0, lengthPenalty <= Self.maximumLengthPenalty else {
            throw InputError.option(
                name: "--length-penalty",
                reason: "\(lengthPenalty) is not a length penalty; use a number from 0 (none) to \(Int(Self.maximumLengthPenalty)), typically 0.6 to 1")
        }
        self.beamWidth = beamWidth
        self.maxLength = maxLength
        self.lengthPenalty = lengthPenalty
    }

    /// Refuses a maximum length outside 1...`maximumLength`.
    static func checkMaxLength(_ maxLength: Int) throws {
        guard (1...maximumLength).contains(maxLength) else {
            throw InputError.option(name: "--max-length", reason: "\(maxLength) is not a maximum length; use a whole number from 1 to \(maximumLength)")
        }
    }

    /// The score of a hypothesis with `logProbability` over `length` generated tokens.
    public func score(logProbability: Double, length: Int) -> Double {
        logProbability / pow(Double(length), lengthPenalty)
    }

    /// A hypothesis in the beam.
    private struct Live {
        let node: Int
        let prefix: [String]
        let logProbability: Double
    }

    /// A candidate of one step, before ranking.
    private struct Candidate {
        let node: Int
        let parentRank: Int
        let entry: LanguageModelTable.Entry
        let logProbability: Double
    }

    /// Runs the search and greedy decoding on `model`.
    public func run(_ model: LanguageModelTable) throws -> BeamSearchResult {
        let greedy = try GreedyDecoder.decode(model, maxLength: maxLength)

        var nodes = [SearchNode(id: 0, parent: nil, token: model.bos, step: 0, logProbability: 0, probability: 1, status: .root)]
        var live = [Live(node: 0, prefix: [model.bos], logProbability: 0)]
        var finished: [Live] = []
        var step = 0
        while !live.isEmpty && finished.count < beamWidth && step < maxLength {
            step += 1
            let distributions = try live.map { try model.distribution(after: $0.prefix) }
            let generated = distributions.reduce(0) { $0 + $1.entries.count }
            guard nodes.count + generated <= Self.maximumNodes else {
                throw InputError.unsupported(
                    file: model.source,
                    reason: "step \(step) of the search would bring the tree to \(nodes.count + generated) nodes, more than the \(Self.maximumNodes) supported; lower --beam-width (\(beamWidth)) or --max-length (\(maxLength)), or use fewer tokens per context")
            }

            var candidates: [Candidate] = []
            candidates.reserveCapacity(generated)
            for (rank, (parent, distribution)) in zip(live, distributions).enumerated() {
                for entry in distribution.entries {
                    let logProbability = parent.logProbability + entry.logProbability
                    candidates.append(Candidate(node: nodes.count + candidates.count, parentRank: rank, entry: entry, logProbability: logProbability))
                }
            }
            // Candidates stay in generation order (their ids); the ranking is an order over them.
            let ranking = candidates.indices.sorted { i, j in
                let a = candidates[i], b = candidates[j]
                if a.logProbability != b.logProbability { return a.logProbability > b.logProbability }
                if a.parentRank != b.parentRank { return a.parentRank < b.parentRank }
                return a.entry.utf8.lexicographicallyPrecedes(b.entry.utf8)
            }

            var status = [SearchNode.Status](repeating: .pruned, count: candidates.count)
            var nextLive: [Live] = []
            for index in ranking.prefix(beamWidth - finished.count) {
                let candidate = candidates[index]
                let hypothesis = Live(
                    node: candidate.node, prefix: live[candidate.parentRank].prefix + [candidate.entry.token],
                    logProbability: candidate.logProbability)
                if candidate.entry.isEOS {
                    finished.append(hypothesis)
                    status[index] = .finished
                } else {
                    nextLive.append(hypothesis)
                    status[index] = .kept
                }
            }
            for (index, candidate) in candidates.enumerated() {
                nodes.append(SearchNode(
                    id: candidate.node, parent: live[candidate.parentRank].node, token: candidate.entry.token, step: step,
                    logProbability: candidate.logProbability, probability: candidate.entry.probability, status: status[index]))
            }
            live = nextLive
        }

        let final = finished.map { ($0, DecodingEnd.eos) } + live.map { ($0, DecodingEnd.length) }
        let hypotheses = final.map { hypothesis, ending in
            let tokens = Array(hypothesis.prefix.dropFirst())
            return BeamHypothesis(
                tokens: tokens, logProbability: hypothesis.logProbability,
                score: score(logProbability: hypothesis.logProbability, length: tokens.count), ending: ending, node: hypothesis.node)
        }
        // Best score first; equal scores keep the order above (a stable sort, spelt out).
        let ranked = hypotheses.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
        return BeamSearchResult(search: self, bos: model.bos, eos: model.eos, nodes: nodes, hypotheses: ranked, greedy: greedy)
    }
}
