/// One query × key matrix picked out of an attention tensor, with where it came from.
public struct AttentionSelection: Sendable, Equatable {
    /// The matrix, rows = queries, columns = keys.
    public var matrix: Matrix
    /// The layer index, for 4-D input.
    public var layer: Int?
    /// The head index, for 3-D and 4-D input.
    public var head: Int?
    /// The shape of the whole tensor.
    public var tensorShape: [Int]

    /// Picks the matrix named by `layer` and `head` out of a `[query, key]`, `[head, query, key]`
    /// or `[layer, head, query, key]` tensor, and checks that it holds only finite numbers.
    /// Errors say the shape and which options to pass.
    public static func select(
        from tensor: Tensor, source: String, layer: Int?, head: Int?
    ) throws(InputError) -> AttentionSelection {
        let shape = tensor.shape
        let described = tensor.shapeDescription
        if shape.contains(0) {
            throw .shape(file: source, reason: "shape \(described) has an empty axis; there is nothing to draw")
        }
        var leading: [Int]
        switch tensor.rank {
        case 2:
            if layer != nil { throw .option(name: "--layer", reason: "\(source) has shape \(described) [query, key]: it has no layers") }
            if head != nil { throw .option(name: "--head", reason: "\(source) has shape \(described) [query, key]: it has no heads") }
            leading = []
        case 3:
            if layer != nil {
                throw .option(name: "--layer", reason: "\(source) has shape \(described) [head, query, key]: it has no layers; pass only --head")
            }
            guard let head else {
                throw .shape(file: source, reason: "shape \(described) is [head, query, key]; pass --head H (0–\(shape[0] - 1)) to pick a head")
            }
            try check(head, "--head", below: shape[0], source: source, what: "heads")
            leading = [head]
        case 4:
            guard let layer, let head else {
                throw .shape(
                    file: source,
                    reason: "shape \(described) is [layer, head, query, key]; pass --layer L (0–\(shape[0] - 1)) and --head H (0–\(shape[1] - 1))")
            }
            try check(layer, "--layer", below: shape[0], source: source, what: "layers")
            try check(head, "--head", below: shape[1], source: source, what: "heads")
            leading = [layer, head]
        default:
            throw .shape(
                file: source,
                reason: "shape \(described) has \(tensor.rank == 1 ? "one axis" : "\(tensor.rank) axes"); an attention tensor is [query, key], [head, query, key] or [layer, head, query, key]")
        }
        let matrix = tensor.matrix(at: leading)
        if let bad = matrix.values.firstIndex(where: { !$0.isFinite }) {
            let index = leading + [bad / matrix.columns, bad % matrix.columns]
            throw .nonFinite(file: source, index: index, value: matrix.values[bad])
        }
        return AttentionSelection(matrix: matrix, layer: tensor.rank == 4 ? layer : nil, head: tensor.rank >= 3 ? head : nil, tensorShape: shape)
    }

    private static func check(_ index: Int, _ option: String, below count: Int, source: String, what: String) throws(InputError) {
        guard index >= 0, index < count else {
            throw .option(name: option, reason: "\(index) is out of range; \(source) has \(count) \(what) (0–\(count - 1))")
        }
    }

    /// "layer 3, head 1" (or "head 1", or nothing for a plain matrix).
    public var position: String {
        [layer.map { "layer \($0)" }, head.map { "head \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}
