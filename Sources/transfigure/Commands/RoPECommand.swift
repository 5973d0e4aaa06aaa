import ArgumentParser
import Canvas
import TransformerMath

/// `transfigure rope`: rotary position embedding applied to the rows of a matrix.
struct RoPECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rope",
        abstract: "Rotary position embedding: rotate the rows of X (row r at position offset + r).",
        discussion: """
            θ_i = base^(−2i/d), i = 0 ..< d/2. Pair i = (a, b) turns by pos·θ_i:
              a' = a·cos − b·sin,  b' = a·sin + b·cos
            Conventions:
              half (default)  pair i = (x[i], x[i + d/2]): GPT-NeoX, HF rotate_half
              interleaved     pair i = (x[2i], x[2i+1]): RoFormer, GPT-J, Meta Llama
            Examples:
              transfigure rope --x q.npy --dump q_rotated.npy
              transfigure rope --x q.npy --offset 5 --convention interleaved --dump r.json
            """
    )

    @Option(help: "Vectors to rotate, [n, d] with d even: .npy, .npz, .json or .csv.")
    var x: String?

    @Option(help: "Member of an .npz file (or key of a JSON object) to read.")
    var array: String?

    @Option(parsing: .unconditional, help: "Position of the first row (0 or more).")
    var offset: Int = 0

    @Option(help: "Which dimensions are paired: half (the default) or interleaved.")
    var convention: RotaryEmbedding.Convention = .half

    @Option(parsing: .unconditional, help: "Base of the frequencies θ_i = base^(−2i/d), positive (default: 10000).")
    var base: Double?

    @Option(name: .customLong("d-model"), parsing: .unconditional, help: "Vector width d, even (must match X when --x is given).")
    var dModel: Int?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let base { try checkBase(base) }
        guard offset >= 0 else { throw CommandError(description: "--offset: must be 0 or more, got \(offset)") }
        if let dModel, dModel < 2 || dModel % 2 != 0 {
            throw CommandError(description: "--d-model: must be an even number of at least 2, got \(dModel) (RoPE rotates pairs of dimensions)")
        }
    }

    func run() throws {
        // The one place that turns figures away until they exist; nothing has been read or written yet.
        if output.output != nil {
            throw CommandError(description: "-o: drawing RoPE figures is not available yet; use --dump")
        }
        guard let x else { throw CommandError(description: "--x: no input given; pass --x X.npy, the [n, d] vectors to rotate") }
        guard let dumpPath = output.dump else { throw CommandError(description: "--dump: no output given; pass --dump FILE (.json or .npy)") }
        try output.checkWritable()

        let loaded = try TensorFile.read(path: x, array: array)
        let (embedding, rotated) = try RotaryEmbedding.rotate(
            tensor: loaded.tensor, source: x, offset: offset, base: base ?? RotaryEmbedding.defaultBase, convention: convention)
        if let dModel, dModel != embedding.dimension {
            throw CommandError(description: "--d-model: \(dModel) does not match \(x), whose vectors have \(embedding.dimension) dimensions")
        }

        let bytes: [UInt8]
        switch try DumpFormat(path: dumpPath) {
        case .npy:
            bytes = NpyWriter.encode(Tensor(rotated))
        case .json:
            let document = JSONOutput.object([
                ("convention", .string(embedding.convention.rawValue)),
                ("base", .number(embedding.base)),
                ("offset", .integer(offset)),
                ("theta", .array(embedding.theta.map(JSONOutput.number))),
                ("rotated", .matrix(rotated)),
            ])
            bytes = Array(document.rendered().utf8)
        }
        try output.write(figure: nil, dump: bytes)
    }
}

extension RotaryEmbedding.Convention: ExpressibleByArgument {}
