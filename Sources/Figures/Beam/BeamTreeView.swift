import Foundation
import TransformerMath

/// What a beam-search figure shows of a search: which nodes of the tree are drawn, in which order,
/// and what stands in for the ones left out.
///
/// The elision rule, from most to least detail; the figures use the first level whose tree fits
/// their height budget:
/// 1. every hypothesis that was ever in the beam, and under each of them its 3 (then 2, then 1)
///    most probable pruned candidates, the rest counted in a "+N more" mark;
/// 2. every hypothesis that was ever in the beam, each one's pruned candidates counted in a
///    "+N pruned" mark;
/// 3. every hypothesis that was ever in the beam, pruned candidates left out;
/// 4. only the paths to the final hypotheses.
///
/// Whatever the level, the greedy path is always drawn: its nodes in the tree, and where greedy
/// decoding leaves the tree (its token was pruned, or the search stopped first), the rest of its
/// sentence as greedy-only nodes.
public struct BeamTreeView: Sendable {
    /// How much of the tree is drawn.
    public enum Detail: Sendable, Hashable, CustomStringConvertible {
        /// Beam nodes and up to `n` pruned candidates per node (0: only the counts).
        case pruned(Int)
        /// Beam nodes only.
        case beamOnly
        /// Only the paths from the root to the final hypotheses (and the greedy path).
        case finalPaths

        /// The levels tried, most detailed first.
        public static let levels: [Detail] = [.pruned(3), .pruned(2), .pruned(1), .pruned(0), .beamOnly, .finalPaths]

        public var description: String {
            switch self {
            case .pruned(let n): return n == 0 ? "pruned counts" : "top \(n) pruned"
            case .beamOnly: return "beam only"
            case .finalPaths: return "final paths"
            }
        }
    }

    /// One drawn item.
    public enum Kind: Sendable, Hashable {
        /// A node of the search tree, by id.
        case node(Int)
        /// A token greedy decoding appends after leaving the tree: its index in the greedy tokens.
        case greedyOnly(Int)
        /// A mark standing for `count` pruned candidates of the parent that are not drawn, the most
        /// probable of them with probability `highest`.
        case more(count: Int, highest: Double)

        /// Whether this is a "+N" mark.
        public var isMark: Bool {
            if case .more = self { return true }
            return false
        }

        /// Whether this is a token of greedy decoding outside the tree.
        public var isGreedyOnly: Bool {
            if case .greedyOnly = self { return true }
            return false
        }
    }

    /// One drawn item with its place in the drawn tree.
    public struct Item: Sendable, Hashable {
        /// What it is.
        public let kind: Kind
        /// Its column: the step (tokens generated), 0 for the root.
        public let step: Int
        /// The drawn item it hangs from; nil for the root.
        public let parent: Int?
        /// The drawn items hanging from it, most probable first (a "+N" mark last).
        public internal(set) var children: [Int]
        /// Whether the greedy decoding passes through it.
        public internal(set) var onGreedyPath: Bool
    }

    /// The search drawn.
    public let result: BeamSearchResult
    /// The level of detail chosen.
    public let detail: Detail
    /// The drawn items; the root is item 0. Children always come after their parent.
    public let items: [Item]
    /// How many pruned candidates are neither drawn nor counted in a "+N" mark.
    public let uncountedPruned: Int
    /// How many beam hypotheses (kept or finished) are not drawn.
    public let hiddenBeamNodes: Int

    /// The item of the greedy path's last token.
    public var greedyEnd: Int? {
        items.indices.last { items[$0].onGreedyPath && items[$0].step == result.greedy.tokens.count }
    }

    /// The most detailed view of `result` that `fits`; the least detailed one when none does.
    public static func fitting(_ result: BeamSearchResult, _ fits: (BeamTreeView) -> Bool) -> BeamTreeView {
        var view = BeamTreeView(result, detail: Detail.levels[0])
        for detail in Detail.levels.dropFirst() where !fits(view) {
            view = BeamTreeView(result, detail: detail)
        }
        return view
    }

    /// The view of `result` at `detail`.
    public init(_ result: BeamSearchResult, detail: Detail) {
        self.result = result
        self.detail = detail
        let nodes = result.nodes

        var children = [[Int]](repeating: [], count: nodes.count)
        for node in nodes.dropFirst() {
            if let parent = node.parent { children[parent].append(node.id) }
        }
        // Most probable first; equal log-probs in generation order, which is token byte order.
        for i in children.indices where children[i].count > 1 {
            children[i].sort { a, b in
                nodes[a].logProbability != nodes[b].logProbability ? nodes[a].logProbability > nodes[b].logProbability : a < b
            }
        }

        // The greedy path through the tree, and where it leaves it.
        var greedyNodes: [Int] = []
        var current = 0
        for token in result.greedy.tokens {
            guard nodes[current].status == .root || nodes[current].status == .kept,
                let next = children[current].first(where: { nodes[$0].token == token })
            else { break }
            greedyNodes.append(next)
            current = next
        }
        let greedySet = Set(greedyNodes)

        var shown = [Bool](repeating: false, count: nodes.count)
        shown[0] = true
        for id in greedyNodes { shown[id] = true }
        switch detail {
        case .pruned, .beamOnly:
            for node in nodes where node.status == .kept || node.status == .finished { shown[node.id] = true }
        case .finalPaths:
            for hypothesis in result.hypotheses {
                var id: Int? = hypothesis.node
                while let node = id, !shown[node] {
                    shown[node] = true
                    id = nodes[node].parent
                }
            }
        }
        if case .pruned(let perParent) = detail {
            for list in children {
                for id in list.filter({ nodes[$0].status == .pruned }).prefix(perParent) { shown[id] = true }
            }
        }

        // Depth-first from the root, so every subtree's items are contiguous in leaf order.
        var items: [Item] = []
        var marked = 0
        func add(_ kind: Kind, step: Int, parent: Int?, greedy: Bool) -> Int {
            items.append(Item(kind: kind, step: step, parent: parent, children: [], onGreedyPath: greedy))
            if let parent { items[parent].children.append(items.count - 1) }
            return items.count - 1
        }
        func visit(_ id: Int, parent: Int?) {
            let item = add(.node(id), step: nodes[id].step, parent: parent, greedy: id == 0 || greedySet.contains(id))
            for child in children[id] where shown[child] { visit(child, parent: item) }
            let hidden = children[id].filter { !shown[$0] && nodes[$0].status == .pruned }
            if !hidden.isEmpty, case .pruned = detail {
                let highest = hidden.map { nodes[$0].probability }.max() ?? 0
                _ = add(.more(count: hidden.count, highest: highest), step: nodes[id].step + 1, parent: item, greedy: false)
                marked += hidden.count
            }
            if id == greedyNodes.last ?? 0 {
                // Greedy decoding goes on where the tree stops: its remaining tokens in one chain.
                var previous = item
                for index in greedyNodes.count..<result.greedy.tokens.count {
                    previous = add(.greedyOnly(index), step: index + 1, parent: previous, greedy: true)
                }
            }
        }
        visit(0, parent: nil)
        self.items = items
        // Pruned candidates neither drawn nor in a mark, under drawn and hidden hypotheses alike.
        self.uncountedPruned = nodes.count { $0.status == .pruned && !shown[$0.id] } - marked
        self.hiddenBeamNodes = nodes.count { ($0.status == .kept || $0.status == .finished) && !shown[$0.id] }
    }

    /// The final rank (1 = best score) of the hypothesis ending at search node `id`, if it is final.
    public func finalRank(ofNode id: Int) -> Int? {
        result.hypotheses.firstIndex { $0.node == id }.map { $0 + 1 }
    }

    /// The token, p(token | prefix) and log-prob of the prefix an item shows (nil for a "+N" mark).
    public func numbers(of item: Item) -> (token: String, probability: Double, logProbability: Double)? {
        switch item.kind {
        case .node(let id):
            let node = result.nodes[id]
            return (node.token, node.probability, node.logProbability)
        case .greedyOnly(let index):
            let greedy = result.greedy
            let logProbability = greedy.probabilities.prefix(index + 1).reduce(0) { $0 + log($1) }
            return (greedy.tokens[index], greedy.probabilities[index], logProbability)
        case .more:
            return nil
        }
    }
}
