import TransformerMath

/// The numbers behind `transfigure attention`, as CONTRACT.md §3 lays them out.
enum AttentionDump {
    static func encode(_ result: AttentionResult, path: String) throws -> [UInt8] {
        switch try DumpFormat(path: path) {
        case .npy:
            // The weights: [n, m] for one head, [h, n, m] for several.
            if case .single(let steps) = result.kind { return NpyWriter.encode(Tensor(steps.weights)) }
            let first = result.heads[0].weights
            return NpyWriter.encode(Tensor(
                shape: [result.heads.count, first.rows, first.columns], values: result.heads.flatMap(\.weights.values)))
        case .json:
            return Array(json(result).rendered().utf8)
        }
    }

    private static func json(_ result: AttentionResult) -> JSONOutput {
        switch result.kind {
        case .single(let steps):
            var members = stages(steps)
            if let output = steps.output { members.append(("output", .matrix(output))) }
            return .object(members)
        case .multiHead(let multi):
            return .object(multiHead(multi))
        case .toy(let toy):
            var members: [(String, JSONOutput)] = [
                ("tokens", .array(toy.tokens.map(JSONOutput.string))),
                ("seed", .integer(Int(truncatingIfNeeded: toy.seed))),
                ("embeddings", .matrix(toy.embeddings)),
                ("positions", .matrix(toy.positions)),
                ("x", .matrix(toy.attention.x)),
                ("wq", .matrix(toy.attention.wq)), ("wk", .matrix(toy.attention.wk)), ("wv", .matrix(toy.attention.wv)),
            ]
            if let wo = toy.attention.wo { members.append(("wo", .matrix(wo))) }
            members += [("q", .matrix(toy.attention.q)), ("k", .matrix(toy.attention.k)), ("v", .matrix(toy.attention.v))]
            return .object(members + multiHead(toy.attention))
        }
    }

    private static func stages(_ steps: AttentionSteps) -> [(String, JSONOutput)] {
        [("scores", .matrix(steps.scores)), ("scaled", .matrix(steps.scaled)), ("weights", .matrix(steps.weights))]
    }

    private static func multiHead(_ multi: MultiHeadAttention) -> [(String, JSONOutput)] {
        let counts = MultiHeadAttention.parameterCounts(modelDimension: multi.modelDimension)
        return [
            ("d_model", .integer(multi.modelDimension)),
            ("d_head", .integer(multi.headDimension)),
            ("heads", .array(multi.headSteps.map { .object(stages($0)) })),
            ("output", .matrix(multi.output)),
            ("parameters", .object([
                ("qkv_weights", .integer(counts.queryKeyValueWeights)), ("output_weights", .integer(counts.outputWeights)),
                ("qkv_biases", .integer(counts.queryKeyValueBiases)), ("output_biases", .integer(counts.outputBiases)),
                ("total", .integer(counts.total)),
            ])),
        ]
    }
}
