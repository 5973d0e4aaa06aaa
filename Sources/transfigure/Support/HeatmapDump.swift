import Figures
import TransformerMath

/// The numbers behind a heatmap, as `--dump` writes them.
enum HeatmapDump {
    /// JSON (weights with tokens and provenance) or `.npy` (the drawn matrix only), by extension.
    static func encode(_ figure: HeatmapFigure, selection: AttentionSelection, path: String) throws -> [UInt8] {
        switch try DumpFormat(path: path) {
        case .npy:
            return NpyWriter.encode(Tensor(figure.matrix))
        case .json:
            let m = figure.matrix
            var members: [(String, JSONOutput)] = [
                ("tensor_shape", .array(selection.tensorShape.map(JSONOutput.integer))),
                ("layer", .optional(selection.layer)),
                ("head", .optional(selection.head)),
                ("rows", .array([.integer(figure.firstRow), .integer(figure.firstRow + m.rows)])),
                ("columns", .array([.integer(figure.firstColumn), .integer(figure.firstColumn + m.columns)])),
                ("mask", .string(figure.mask == .causal ? "causal" : "none")),
            ]
            if let rows = figure.rowTokens { members.append(("row_tokens", .array(rows.map(JSONOutput.string)))) }
            if let columns = figure.columnTokens { members.append(("column_tokens", .array(columns.map(JSONOutput.string)))) }
            members.append(("weights", .matrix(m)))
            return Array(JSONOutput.object(members).rendered().utf8)
        }
    }
}
