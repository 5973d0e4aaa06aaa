import TransformerMath

/// The bipartite "attention lines" view: query tokens in a left column, key tokens in a right
/// column, and a line from each query to each key it attends to, wider and more opaque the
/// larger the weight. Several heads are overlaid, one colour each.
public struct LinesFigure: Figure {
    /// The most tokens drawn on one side; longer sequences are cropped or drawn as a heatmap.
    public static let maxTokens = 256

    /// One weight matrix per head, all `n × m`: rows are queries, columns are keys.
    public var heads: [Matrix]
    /// The name of each head for the legend ("L3 H1"); an empty name with one head hides the legend.
    public var headNames: [String]
    /// Tokens of the queries (left column); `nil` for indices.
    public var queryTokens: [String]?
    /// Tokens of the keys (right column); `nil` for indices.
    public var keyTokens: [String]?
    /// How tokenizer markers in the tokens are shown.
    public var tokenDisplay: TokenDisplay = .readable
    /// Sequence position of the first query (for windows into a longer sequence).
    public var firstQuery = 0
    /// Sequence position of the first key.
    public var firstKey = 0
    /// Links with a weight below this are not drawn.
    public var threshold = 0.02
    /// When set, only this query's links are drawn and its label is highlighted. A sequence
    /// position, so with a window it counts from the start of the sequence, not of the window.
    public var query: Int?
    /// Title above the figure.
    public var title = "Attention lines"
    /// What the reader is looking at (file, layer, shape…), written under the figure before
    /// the figure's own notes (heads, threshold, encoding).
    public var caption: String?

    /// Creates the view of `heads` (one matrix per head); heads are named "head 0", "head 1"…
    /// unless `headNames` are given.
    public init(heads: [Matrix], headNames: [String]? = nil) {
        self.heads = heads
        self.headNames = headNames ?? heads.indices.map { "head \($0)" }
    }

    /// Number of queries (rows of every head).
    public var queryCount: Int { heads.first?.rows ?? 0 }
    /// Number of keys (columns of every head).
    public var keyCount: Int { heads.first?.columns ?? 0 }

    /// One drawn link: a weight of one head at or above the threshold.
    public struct Link: Sendable, Hashable {
        /// Index of the head in `heads`.
        public var head: Int
        /// Row of the query in the matrices (not its sequence position).
        public var query: Int
        /// Column of the key in the matrices.
        public var key: Int
        /// The attention weight.
        public var weight: Double
    }

    /// The links that are drawn, weakest first (the drawing order, so strong links sit on top);
    /// ties keep head, query, key order.
    public var links: [Link] {
        let row = query.map { $0 - firstQuery }
        var out: [Link] = []
        for (h, matrix) in heads.enumerated() {
            for q in 0..<matrix.rows where row == nil || row == q {
                for k in 0..<matrix.columns {
                    let w = matrix[q, k]
                    if w >= threshold { out.append(Link(head: h, query: q, key: k, weight: w)) }
                }
            }
        }
        // A stable sort keeps equal weights in head, query, key order, so output is reproducible.
        return out.enumerated().sorted { a, b in
            a.element.weight != b.element.weight ? a.element.weight < b.element.weight : a.offset < b.offset
        }.map(\.element)
    }

    /// The colour of head `index`, from the shared categorical palette.
    public static func color(ofHead index: Int) -> Color { Palette.color(index) }

    /// The dash pattern of head `index` (solid, then dashed, then dotted past eight heads).
    public static func dash(ofHead index: Int) -> [Double] { Palette.dash(index) }

    /// Stroke width in points for a weight: 0.4 pt at 0 up to 4 pt at 1 (clamped to 0…1).
    public static func lineWidth(for weight: Double) -> Double {
        0.4 + 3.6 * clamped(weight)
    }

    /// Stroke opacity for a weight: 0.15 at 0 up to 1 at 1 (clamped to 0…1).
    public static func lineOpacity(for weight: Double) -> Double {
        0.15 + 0.85 * clamped(weight)
    }

    private static func clamped(_ w: Double) -> Double {
        w.isNaN ? 0 : min(max(w, 0), 1)
    }
}
