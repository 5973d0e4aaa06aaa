import Foundation

/// A language model written out as a table of next-token distributions: the LM file of
/// `transfigure beam` (CONTRACT §3).
///
/// ```json
/// { "bos": "<s>", "eos": "</s>",
///   "next": { "<s>": {"I": 0.6, "The": 0.4}, "<s> I": {"am": 0.9, "</s>": 0.1}, "": {"</s>": 1.0} } }
/// ```
///
/// Each key of `next` is a context: tokens joined by single spaces (`""` is the empty context).
/// The distribution after a prefix is the one under the longest suffix of the prefix that is a
/// key, so `""` is the fallback for every prefix. Everything is checked when the table is built
/// (tokens without spaces, probabilities in (0, 1] summing to 1 within `sumTolerance`), so a
/// search only fails when a prefix has no matching context at all.
///
/// Token and context comparisons are on UTF-8 bytes, never on Swift's canonical string
/// equivalence, so `"é"` and `"e\u{301}"` are different tokens, as they are to a tokenizer.
public struct LanguageModelTable: Sendable, Equatable {
    /// Most contexts (keys of `next`) a table may hold; larger tables are refused before they are checked.
    public static let maximumContexts = 10_000
    /// Most tokens one distribution may hold.
    public static let maximumTokensPerDistribution = 10_000
    /// Most (context, token) entries in the whole table.
    public static let maximumEntries = 1_000_000
    /// How far the probabilities of one distribution may sum from 1.
    public static let sumTolerance = 1e-6
    /// The default begin-of-sequence token.
    public static let defaultBOS = "<s>"
    /// The default end-of-sequence token.
    public static let defaultEOS = "</s>"

    /// One token of a distribution.
    public struct Entry: Sendable, Equatable {
        /// The token.
        public let token: String
        /// Its probability, in (0, 1].
        public let probability: Double
        /// ln of the probability, the amount a hypothesis's log-prob grows by when it appends the token.
        public let logProbability: Double
        /// True if the token is the table's eos.
        public let isEOS: Bool
        /// The token's UTF-8 bytes: the order of ties.
        let utf8: [UInt8]
    }

    /// The next-token distribution given under one context.
    public struct Distribution: Sendable, Equatable {
        /// The key of `next` it was given under; `""` for the fallback.
        public let context: String
        /// Its tokens in UTF-8 byte order.
        public let entries: [Entry]
    }

    /// Names the table in error messages: the LM file's path, or a name such as `demo`.
    public let source: String
    /// The begin-of-sequence token every prefix starts with.
    public let bos: String
    /// The end-of-sequence token; appending it finishes a hypothesis.
    public let eos: String
    /// The distributions in the order they were given.
    public let distributions: [Distribution]

    /// Index into `distributions` by the UTF-8 bytes of the context.
    private let index: [[UInt8]: Int]
    /// Tokens in the longest context, so a lookup never joins more than it can match.
    private let longestContext: Int

    // MARK: Reading

    /// Reads and checks the LM file at `path`; `path` names the file in error messages.
    public static func read(path: String) throws -> LanguageModelTable {
        try LanguageModelTable(json: try JSONValue.read(path: path), source: path)
    }

    /// Checks a parsed LM document (`bos`, `eos`, `next`); `source` names it in error messages.
    public init(json: JSONValue, source: String) throws {
        guard let members = json.object else {
            throw Self.failure(source, "must be a JSON object with \"next\" (and optionally \"bos\" and \"eos\"); found \(json.kindDescription)")
        }
        for member in members where !["bos", "eos", "next"].contains(member.key) {
            throw Self.failure(source, "unknown key \(JSONOutput.quoted(member.key)); an LM file has \"bos\", \"eos\" and \"next\"")
        }
        func token(_ key: String, default value: String) throws -> String {
            guard let member = json[key] else { return value }
            guard let text = member.string else {
                throw Self.failure(source, "\"\(key)\" must be a string token, found \(member.kindDescription)")
            }
            return text
        }
        let bos = try token("bos", default: Self.defaultBOS)
        let eos = try token("eos", default: Self.defaultEOS)
        guard let next = json["next"] else {
            throw Self.failure(source, "has no \"next\": an object from context to {token: probability}")
        }
        guard let contexts = next.object else {
            throw Self.failure(source, "\"next\" must be an object from context to {token: probability}, found \(next.kindDescription)")
        }
        try Self.checkCounts(contexts.map { ($0.key, $0.value.object?.count ?? 0) }, source: source)

        let table = try contexts.map { context, value in
            guard let members = value.object else {
                throw Self.failure(source, "context \(JSONOutput.quoted(context)): must be an object of token probabilities, found \(value.kindDescription)")
            }
            let tokens = try members.map { token, probability in
                guard let number = probability.number else {
                    throw Self.failure(source, "context \(JSONOutput.quoted(context)): the probability of \(JSONOutput.quoted(token)) is \(probability.kindDescription); it must be a number")
                }
                return (token: token, probability: number)
            }
            return (context: context, tokens: tokens)
        }
        try self.init(bos: bos, eos: eos, next: table, source: source)
    }

    /// Checks a table given in code: `next` lists each context with its tokens and probabilities.
    public init(
        bos: String = LanguageModelTable.defaultBOS, eos: String = LanguageModelTable.defaultEOS,
        next: [(context: String, tokens: [(token: String, probability: Double)])], source: String
    ) throws {
        try Self.checkCounts(next.map { ($0.context, $0.tokens.count) }, source: source)
        for (name, token) in [("bos", bos), ("eos", eos)] {
            if token.isEmpty { throw Self.failure(source, "\"\(name)\" is empty; it must be a token") }
            if token.utf8.contains(Self.space) {
                throw Self.failure(source, "\"\(name)\" token \(JSONOutput.quoted(token)) contains a space; tokens cannot contain spaces")
            }
        }
        if Array(bos.utf8) == Array(eos.utf8) {
            throw Self.failure(source, "\"bos\" and \"eos\" are both \(JSONOutput.quoted(bos)); they must be different tokens")
        }
        var seenContexts = Set<[UInt8]>()
        for (context, tokens) in next {
            let place = "context \(JSONOutput.quoted(context))"
            let bytes = Array(context.utf8)
            guard seenContexts.insert(bytes).inserted else { throw Self.failure(source, "\(place) is given twice") }
            if !bytes.isEmpty && bytes.split(separator: Self.space, omittingEmptySubsequences: false).contains(where: \.isEmpty) {
                throw Self.failure(source, "\(place): tokens must be joined by single spaces, with no space at the start or end")
            }
            guard !tokens.isEmpty else {
                throw Self.failure(source, "\(place): holds no tokens; give at least one token with its probability")
            }
            var seenTokens = Set<[UInt8]>()
            var sum = 0.0
            for (token, probability) in tokens {
                let quoted = JSONOutput.quoted(token)
                if token.isEmpty { throw Self.failure(source, "\(place): a token is the empty string; tokens cannot be empty") }
                if token.utf8.contains(Self.space) {
                    throw Self.failure(source, "\(place): token \(quoted) contains a space; tokens cannot contain spaces (contexts join tokens with single spaces)")
                }
                guard seenTokens.insert(Array(token.utf8)).inserted else {
                    throw Self.failure(source, "\(place): token \(quoted) is given twice")
                }
                guard probability > 0 && probability <= 1 else {
                    throw Self.failure(source, "\(place): the probability of \(quoted) is \(Self.format(probability)); probabilities must be in (0, 1]")
                }
                sum += probability
            }
            guard abs(sum - 1) <= Self.sumTolerance else {
                throw Self.failure(source, "\(place): probabilities sum to \(String(format: "%.12g", sum)), not 1 (within 1e-6)")
            }
        }
        self.init(checkedBOS: bos, eos: eos, next: next, source: source)
    }

    /// Builds a table whose contents have already been checked (the checking initializer and the demo).
    init(checkedBOS bos: String, eos: String, next: [(context: String, tokens: [(token: String, probability: Double)])], source: String) {
        let eosBytes = Array(eos.utf8)
        self.source = source
        self.bos = bos
        self.eos = eos
        distributions = next.map { context, tokens in
            let entries = tokens.map { token, probability in
                let bytes = Array(token.utf8)
                return Entry(token: token, probability: probability, logProbability: log(probability), isEOS: bytes == eosBytes, utf8: bytes)
            }
            return Distribution(context: context, entries: entries.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
        var index: [[UInt8]: Int] = [:]
        for (position, distribution) in distributions.enumerated() {
            index[Array(distribution.context.utf8)] = position
        }
        self.index = index
        longestContext = next.map { $0.context.isEmpty ? 0 : $0.context.utf8.count(where: { $0 == Self.space }) + 1 }.max() ?? 0
    }

    // MARK: Lookup

    /// The distribution after `prefix` (bos followed by the tokens generated so far): the one
    /// under the longest suffix of the prefix, tokens joined by single spaces, that is a context;
    /// `""` matches any prefix. No matching context is an error naming the prefix.
    public func distribution(after prefix: [String]) throws -> Distribution {
        if let found = matchingDistribution(after: prefix) { return found }
        let shown = JSONOutput.quoted(prefix.joined(separator: " "))
        throw Self.failure(source, "no entry of \"next\" matches the context \(shown); add that context, a shorter suffix of it, or \"\"")
    }

    /// The distribution after `prefix`, or nil when no context matches.
    public func matchingDistribution(after prefix: [String]) -> Distribution? {
        var length = min(prefix.count, longestContext)
        while length >= 0 {
            var key: [UInt8] = []
            for (offset, token) in prefix.suffix(length).enumerated() {
                if offset > 0 { key.append(Self.space) }
                key.append(contentsOf: token.utf8)
            }
            if let position = index[key] { return distributions[position] }
            length -= 1
        }
        return nil
    }

    // MARK: Checks

    private static let space = UInt8(ascii: " ")

    /// Refuses oversized tables before looking at any entry.
    private static func checkCounts(_ contexts: [(context: String, tokens: Int)], source: String) throws {
        guard !contexts.isEmpty else {
            throw failure(source, "\"next\" holds no contexts; give at least \"\": {\"\(defaultEOS)\": 1.0}")
        }
        guard contexts.count <= maximumContexts else {
            throw failure(source, "\"next\" holds \(contexts.count) contexts; at most \(maximumContexts) are supported")
        }
        var total = 0
        for (context, tokens) in contexts {
            guard tokens <= maximumTokensPerDistribution else {
                throw failure(source, "context \(JSONOutput.quoted(context)): holds \(tokens) tokens; at most \(maximumTokensPerDistribution) are supported")
            }
            total += tokens
        }
        guard total <= maximumEntries else {
            throw failure(source, "\"next\" holds \(total) token probabilities in all; at most \(maximumEntries) are supported")
        }
    }

    private static func failure(_ source: String, _ reason: String) -> InputError {
        .malformed(file: source, reason: reason)
    }

    /// A probability as a user wrote it: whole numbers without a decimal point.
    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
