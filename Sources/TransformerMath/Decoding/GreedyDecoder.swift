/// The result of greedy decoding.
public struct GreedyDecoding: Sendable, Equatable {
    /// The generated tokens, bos excluded, eos included when it ended with eos.
    public let tokens: [String]
    /// Sum of ln p over the tokens.
    public let logProbability: Double
    /// p of each token given the tokens before it, as the table gives it.
    public let probabilities: [Double]
    /// Whether it ended with eos or at the maximum length.
    public let ending: DecodingEnd
}

/// Greedy decoding over a `LanguageModelTable` (CONTRACT §3): append the most probable token
/// until eos is appended or `maxLength` tokens are generated. Among tokens of equal probability
/// the one first in UTF-8 byte order wins.
public enum GreedyDecoder {
    /// Decodes from bos. `maxLength` must be in 1...`BeamSearch.maximumLength`.
    public static func decode(_ model: LanguageModelTable, maxLength: Int) throws -> GreedyDecoding {
        try BeamSearch.checkMaxLength(maxLength)
        var prefix = [model.bos]
        var logProbability = 0.0
        var probabilities: [Double] = []
        while prefix.count - 1 < maxLength {
            let entries = try model.distribution(after: prefix).entries
            // Entries are in byte order, so keeping the first of equal probabilities breaks ties.
            guard var best = entries.first else { break }
            for entry in entries.dropFirst() where entry.probability > best.probability { best = entry }
            prefix.append(best.token)
            logProbability += best.logProbability
            probabilities.append(best.probability)
            if best.isEOS {
                return GreedyDecoding(tokens: Array(prefix.dropFirst()), logProbability: logProbability, probabilities: probabilities, ending: .eos)
            }
        }
        return GreedyDecoding(tokens: Array(prefix.dropFirst()), logProbability: logProbability, probabilities: probabilities, ending: .length)
    }
}
