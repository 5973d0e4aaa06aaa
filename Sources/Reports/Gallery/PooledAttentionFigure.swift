import AttentionKernels
import Figures
import TransformerMath

/// The heatmap of attention pooled while it was computed: what `transfigure attention --q --k -o`
/// draws for a long context, and the gallery's long-context entry.
public enum PooledAttentionFigure {
    /// The top of the colour scale: one weight of 1 in the first row would otherwise leave the
    /// thousands of small weights of every later row dark.
    static let upperQuantile = 0.99

    /// A heatmap of `pooled`, whose full matrix was masked by `mask`; `keyDimension` is d_k.
    public static func heatmap(_ pooled: PooledAttention, mask: AttentionMask, keyDimension: Int) -> HeatmapFigure {
        var figure = HeatmapFigure(matrix: pooled.values)
        figure.pooledSource = HeatmapFigure.PooledSource(rows: pooled.rows, columns: pooled.columns, factor: pooled.factor)
        figure.pooling = pooled.pooling == .max ? .max : .mean
        figure.upperQuantile = upperQuantile
        if mask.masksAny(queries: pooled.rows, keys: pooled.columns) {
            // A pooled cell is masked when its whole block is; under a causal mask alone on a
            // square pattern those are exactly the cells right of the diagonal.
            figure.mask = mask.visibleKeys == nil && pooled.rows == pooled.columns ? .causal : .cells(pooled.fullyMasked)
        }
        figure.caption = "softmax(QKᵀ/√d_k), d_k = \(keyDimension) · mask: \(mask.name)"
        return figure
    }
}
