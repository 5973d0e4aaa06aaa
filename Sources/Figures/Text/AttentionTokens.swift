import TransformerMath

/// The tokens along the two axes of an attention matrix: queries (rows) and keys (columns).
/// For self-attention one list serves both; cross-attention gives the keys their own list.
public struct AttentionTokens: Sendable, Equatable {
    /// Tokens of the queries, if given.
    public var queries: [String]?
    /// Tokens of the keys, if given; `nil` with square input means "the same as the queries".
    public var keys: [String]?
    /// Where the query tokens came from (`--tokens`, a file), for messages.
    public var querySource: String
    /// Where the key tokens came from, for messages.
    public var keySource: String

    /// Creates a token pair.
    public init(queries: [String]?, keys: [String]? = nil, querySource: String, keySource: String? = nil) {
        self.queries = queries
        self.keys = keys
        self.querySource = querySource
        self.keySource = keySource ?? querySource
    }

    /// No tokens: both axes are labelled by index.
    public static let none = AttentionTokens(queries: nil, querySource: "")

    /// The row and column tokens for an `n × m` matrix from `source`, or an error saying which
    /// list does not fit and what to pass.
    public func resolved(rows n: Int, columns m: Int, source: String) throws(InputError) -> (rows: [String]?, columns: [String]?) {
        if let queries, queries.count != n {
            let hint = (keys == nil && queries.count == m && n != m)
                ? "; \(source) is cross-attention (\(n) queries, \(m) keys): give the query tokens, and the key tokens with --key-tokens"
                : ""
            throw .tokens(source: querySource, reason: "\(Self.count(queries.count)) but \(source) has \(n == m ? "\(n) queries and keys" : "\(n) queries")\(hint)")
        }
        if let keys, keys.count != m {
            throw .tokens(source: keySource, reason: "\(Self.count(keys.count)) but \(source) has \(m) keys")
        }
        if keys == nil, let queries, n != m {
            throw .tokens(
                source: querySource,
                reason: "\(source) is cross-attention (\(n) queries, \(m) keys); these \(queries.count) tokens label the queries, so give the keys theirs with --key-tokens or --key-tokens-file")
        }
        return (queries, keys ?? queries)
    }

    private static func count(_ k: Int) -> String { k == 1 ? "1 token" : "\(k) tokens" }
}
