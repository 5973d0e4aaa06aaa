/// Everything a beam search built: the whole tree, the final hypotheses and the greedy decoding,
/// as `transfigure beam --dump` writes them (CONTRACT §3).
public struct BeamSearchResult: Sendable, Equatable {
    /// The settings the search ran with.
    public let search: BeamSearch
    /// The table's begin-of-sequence token (the root's token).
    public let bos: String
    /// The table's end-of-sequence token.
    public let eos: String
    /// Every hypothesis ever built, by id: the root, then each step's candidates in generation order.
    public let nodes: [SearchNode]
    /// The final hypotheses, best score first.
    public let hypotheses: [BeamHypothesis]
    /// The greedy decoding of the same table with the same maximum length.
    public let greedy: GreedyDecoding

    /// The number of nodes with `status`.
    public func count(_ status: SearchNode.Status) -> Int {
        nodes.count(where: { $0.status == status })
    }

    /// p of each token on the path from the root to node `id`, in order: the factors of the
    /// hypothesis's probability.
    public func tokenProbabilities(toNode id: Int) -> [Double] {
        path(toNode: id).map(\.probability)
    }

    /// The nodes from the root's first child to node `id`, in order (the root, bos, excluded).
    public func path(toNode id: Int) -> [SearchNode] {
        var path: [SearchNode] = []
        var current: Int? = id
        while let node = current, node != 0 {
            path.append(nodes[node])
            current = nodes[node].parent
        }
        return path.reversed()
    }

    /// The dump document: `settings`, `nodes`, `hypotheses`, `greedy`.
    public var json: JSONOutput {
        let settings: JSONOutput = .object([
            ("beam_width", .integer(search.beamWidth)),
            ("max_length", .integer(search.maxLength)),
            ("length_penalty", .number(search.lengthPenalty)),
            ("bos", .string(bos)),
            ("eos", .string(eos)),
        ])
        let nodes = nodes.map { node -> JSONOutput in
            .object([
                ("id", .integer(node.id)),
                ("parent", .optional(node.parent)),
                ("token", .string(node.token)),
                ("step", .integer(node.step)),
                ("logprob", .number(node.logProbability)),
                ("status", .string(node.status.rawValue)),
            ])
        }
        let hypotheses = hypotheses.map { hypothesis -> JSONOutput in
            .object([
                ("tokens", .array(hypothesis.tokens.map(JSONOutput.string))),
                ("logprob", .number(hypothesis.logProbability)),
                ("score", .number(hypothesis.score)),
                ("ended", .string(hypothesis.ending.rawValue)),
                ("node", .integer(hypothesis.node)),
            ])
        }
        let greedy: JSONOutput = .object([
            ("tokens", .array(greedy.tokens.map(JSONOutput.string))),
            ("logprob", .number(greedy.logProbability)),
            ("ended", .string(greedy.ending.rawValue)),
        ])
        return .object([("settings", settings), ("nodes", .array(nodes)), ("hypotheses", .array(hypotheses)), ("greedy", greedy)])
    }
}

/// One hypothesis of the search tree: a token appended to its parent's hypothesis.
public struct SearchNode: Sendable, Equatable {
    /// What became of a node.
    public enum Status: String, Sendable, CaseIterable {
        /// The root: bos alone, step 0.
        case root
        /// Kept in the beam and not ending in eos (live; final if it is still live after the last step).
        case kept
        /// Kept in the beam and ending in eos.
        case finished
        /// A candidate that was not kept.
        case pruned
    }

    /// Position in `BeamSearchResult.nodes`; the root is 0.
    public let id: Int
    /// The id of the node this one extends; nil for the root.
    public let parent: Int?
    /// The token this node appends (bos for the root).
    public let token: String
    /// How many tokens the hypothesis has generated: 0 for the root, 1 for its children, and so on.
    public let step: Int
    /// Sum of ln p over the generated tokens (0 for the root).
    public let logProbability: Double
    /// p(token | the parent's prefix) as the table gives it (1 for the root): the edge's probability.
    public let probability: Double
    /// Whether the node was kept, finished or pruned.
    public let status: Status

    /// Creates a node.
    public init(id: Int, parent: Int?, token: String, step: Int, logProbability: Double, probability: Double, status: Status) {
        self.id = id
        self.parent = parent
        self.token = token
        self.step = step
        self.logProbability = logProbability
        self.probability = probability
        self.status = status
    }
}

/// How a decoded sequence ended.
public enum DecodingEnd: String, Sendable {
    /// It appended eos.
    case eos
    /// It reached the maximum length without eos.
    case length
}

/// A final hypothesis of a beam search.
public struct BeamHypothesis: Sendable, Equatable {
    /// The generated tokens, bos excluded, eos included when it ended with eos.
    public let tokens: [String]
    /// Sum of ln p over the tokens.
    public let logProbability: Double
    /// `logProbability / tokens.count ^ lengthPenalty`: what the final hypotheses are ranked by.
    public let score: Double
    /// Whether it ended with eos or at the maximum length.
    public let ending: DecodingEnd
    /// The id of its last node in the tree.
    public let node: Int
}
