import TransformerMath

extension LinesFigure {
    /// Weights further than this outside 0…1 are not attention weights (rounding in float16
    /// files stays well inside it).
    static let weightTolerance = 1e-3

    /// The lines view of one or more heads picked out of the same attention tensor, with tokens,
    /// window and highlighted query resolved and a caption saying where the numbers came from.
    /// `names` label the heads in the legend. `query` is a sequence position inside the window.
    /// Every weight must lie in 0…1, since line width and opacity encode it.
    public static func attention(
        _ selections: [AttentionSelection], names: [String], source: String, tokens: AttentionTokens,
        window: IndexWindow?, query: Int?
    ) throws(InputError) -> LinesFigure {
        guard let first = selections.first else {
            throw .option(name: "--heads", reason: "no head selected; there is nothing to draw")
        }
        let full = first.matrix
        let (queryTokens, keyTokens) = try tokens.resolved(rows: full.rows, columns: full.columns, source: source)
        let rows = try window?.range(within: full.rows, axis: "queries") ?? 0..<full.rows
        let columns = try window?.range(within: full.columns, axis: "keys") ?? 0..<full.columns
        if let query, !rows.contains(query) {
            let within = window == nil
                ? "\(source) has \(full.rows) queries (0–\(full.rows - 1))"
                : "the window shows queries \(rows.lowerBound)–\(rows.upperBound - 1)"
            throw .option(name: "--query", reason: "\(query) is out of range; \(within)")
        }
        for selection in selections {
            try checkWeights(selection, rows: rows, columns: columns, source: source)
        }
        let matrices = selections.map { window == nil ? $0.matrix : $0.matrix.slice(rows: rows, columns: columns) }
        var figure = LinesFigure(heads: matrices, headNames: names)
        figure.firstQuery = rows.lowerBound
        figure.firstKey = columns.lowerBound
        figure.queryTokens = queryTokens.map { Array($0[rows]) }
        figure.keyTokens = keyTokens.map { Array($0[columns]) }
        figure.query = query

        var parts = [source]
        if let layer = first.layer { parts.append("layer \(layer)") }
        // No-break spaces keep the shape on one caption line.
        parts.append("tensor shape \(Tensor.describe(first.tensorShape).split(separator: " ").joined(separator: "\u{00A0}"))")
        if window != nil {
            parts.append("window \(rows.lowerBound)..<\(rows.upperBound) × \(columns.lowerBound)..<\(columns.upperBound)")
        }
        figure.caption = parts.joined(separator: " · ")
        return figure
    }

    /// Throws for the first shown weight outside 0…1, naming its index in the whole tensor.
    private static func checkWeights(
        _ selection: AttentionSelection, rows: Range<Int>, columns: Range<Int>, source: String
    ) throws(InputError) {
        let matrix = selection.matrix
        for r in rows {
            for c in columns {
                let w = matrix[r, c]
                guard w < -weightTolerance || w > 1 + weightTolerance else { continue }
                let index = [selection.layer, selection.head].compactMap { $0 } + [r, c]
                let at = "[" + index.map(String.init).joined(separator: ", ") + "]"
                throw .shape(
                    file: source,
                    reason: "value at \(at) is \(w), but the lines view draws attention weights, which lie between 0 and 1; draw other values with transfigure heatmap")
            }
        }
    }
}
