import TransformerMath

extension HeatmapFigure {
    /// How masked cells are decided for attention input.
    public enum MaskChoice: String, Sendable, CaseIterable {
        /// Causal when the matrix is square with exact zeros above the diagonal.
        case auto
        /// Nothing is masked.
        case none
        /// Keys after the query are masked.
        case causal
    }

    /// A heatmap of one attention matrix with tokens, window and mask resolved and a caption
    /// that says what the reader is looking at. Token counts must match the matrix.
    public static func attention(
        _ selection: AttentionSelection, source: String, tokens: AttentionTokens, window: IndexWindow?, mask: MaskChoice
    ) throws(InputError) -> HeatmapFigure {
        let full = selection.matrix
        let (rowTokens, columnTokens) = try tokens.resolved(rows: full.rows, columns: full.columns, source: source)
        let rows = try window?.range(within: full.rows, axis: "queries") ?? 0..<full.rows
        let columns = try window?.range(within: full.columns, axis: "keys") ?? 0..<full.columns
        let causal: Bool
        switch mask {
        case .auto: causal = full.rows == full.columns && looksCausal(full)
        case .none: causal = false
        case .causal: causal = true
        }
        var figure = HeatmapFigure(matrix: window == nil ? full : full.slice(rows: rows, columns: columns))
        figure.firstRow = rows.lowerBound
        figure.firstColumn = columns.lowerBound
        figure.rowTokens = rowTokens.map { Array($0[rows]) }
        figure.columnTokens = columnTokens.map { Array($0[columns]) }
        figure.mask = causal ? .causal : .none
        var parts = [source]
        if !selection.position.isEmpty { parts.append(selection.position) }
        parts.append("tensor shape \(Tensor.describe(selection.tensorShape))")
        if window != nil {
            parts.append("window \(rows.lowerBound)..<\(rows.upperBound) × \(columns.lowerBound)..<\(columns.upperBound)")
        }
        figure.caption = parts.joined(separator: " · ")
        return figure
    }
}
