import ArgumentParser
import Canvas
import Figures
import TransformerMath

/// `transfigure pe`: the positional-encoding table, as numbers and as a position × dimension heatmap.
struct PECommand: FigureCommand {
    static let configuration = CommandConfiguration(
        commandName: "pe",
        abstract: "Positional encodings: the sinusoidal table (or a seeded learned one) as numbers and as a heatmap.",
        discussion: """
            Sinusoidal: PE[pos, 2i]   = sin(pos / base^(2i/D))
                        PE[pos, 2i+1] = cos(pos / base^(2i/D))
            Learned: a seeded stand-in for a trained table, N(0, 1) × 1/√2 per entry
            (1/√2 is the root mean square of a sinusoid, so both kinds share a scale).
            Examples:
              transfigure pe --positions 64 --d-model 64 -o pe.png
              transfigure pe --positions 128 --d-model 16 --base 100 --dump pe.npy
              transfigure pe --kind learned --seed 3 --positions 32 --d-model 8 -o l.png
            """
    )

    /// How the encoding is drawn.
    enum Style: String, ExpressibleByArgument, CaseIterable {
        /// The position × dimension table on a diverging scale.
        case heatmap
        /// Chosen dimensions as curves across positions.
        case waves
        /// PE(p)·PE(p + k) against k, sinusoidal beside learned.
        case similarity
    }

    @Option(parsing: .unconditional, help: "Number of positions P (rows), at least 1.")
    var positions: Int

    @Option(name: .customLong("d-model"), parsing: .unconditional, help: "Model width D (columns), even and at least 2.")
    var dModel: Int

    @Option(help: "sinusoidal or learned (a seeded random table).")
    var kind: PositionalEncoding.Kind = .sinusoidal

    @Option(parsing: .unconditional, help: "Base of the sinusoidal frequencies, positive (default: 10000).")
    var base: Double?

    @Option(parsing: .unconditional, help: "Seed of a learned table (default: \(PositionalEncoding.defaultSeed)).")
    var seed: UInt64?

    @Option(help: "Figure style: heatmap (position × dimension), waves (chosen dimensions across positions), similarity (PE(p)·PE(p+k) against k).")
    var style: Style = .heatmap

    @Option(help: "Dimensions drawn by --style waves: 3, 0,2,5 or 0-5 (default: a fast pair 2,3 and a slow pair at D/4; all when D < 8).")
    var dims: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let base { try checkBase(base) }
        try PositionalEncoding.validate(positions: positions, dModel: dModel)
        if let seed, seed > UInt64(Int.max) {
            throw CommandError(description: "--seed: must be from 0 to \(Int.max), got \(seed)")
        }
        if kind == .sinusoidal, seed != nil {
            throw CommandError(description: "--seed: only a learned table is random; add --kind learned or drop --seed")
        }
        if kind == .learned, base != nil {
            throw CommandError(description: "--base: a learned table has no base; drop --base or use --kind sinusoidal")
        }
        if let dims {
            let list = try IndexList(parsing: dims, option: "--dims")
            if let bad = list.indices.first(where: { $0 >= dModel }) {
                throw CommandError(description: "--dims: dimension \(bad) is out of range; --d-model is \(dModel) (0–\(dModel - 1))")
            }
            guard list.indices.count <= 16 else { throw CommandError(description: "--dims: at most 16 dimensions can be told apart in one plot") }
        }
        if dims != nil, style != .waves { throw CommandError(description: "--dims: only --style waves draws chosen dimensions") }
        if style == .similarity, kind == .learned {
            throw CommandError(description: "--kind: the similarity plot always compares the sinusoidal table with a learned one; drop --kind learned")
        }
    }

    func run() throws {
        try output.checkWritable()
        let (figure, encoding) = try build()

        // Everything is computed before anything is written, so a failure leaves no file.
        let figureBytes = try output.render(figure)
        let dumpBytes = try output.dump.map { try Self.dump(encoding, path: $0) }
        try output.write(figure: figureBytes, dump: dumpBytes)
    }

    func makeFigure() throws -> any Figure {
        try build().figure
    }

    /// The figure and the encoding table behind it.
    private func build() throws -> (figure: any Figure, encoding: PositionalEncoding) {
        let encoding: PositionalEncoding
        switch kind {
        case .sinusoidal:
            encoding = try .sinusoidal(positions: positions, dModel: dModel, base: base ?? PositionalEncoding.defaultBase)
        case .learned:
            encoding = try .learned(positions: positions, dModel: dModel, seed: seed ?? PositionalEncoding.defaultSeed)
        }

        let figure: any Figure
        switch style {
        case .heatmap:
            figure = EncodingPlots.heatmap(encoding)
        case .waves:
            let chosen = try dims.map { try IndexList(parsing: $0, option: "--dims").indices } ?? Self.defaultDims(dModel)
            figure = try EncodingPlots.waves(encoding, dimensions: chosen)
        case .similarity:
            figure = try EncodingPlots.similarity(
                dModel: dModel, maxOffset: positions - 1, base: base ?? PositionalEncoding.defaultBase, seed: PositionalEncoding.defaultSeed)
        }
        return (figure, encoding)
    }

    /// A fast and a slow sin/cos pair, so the waves differ visibly: dims 2, 3 and D/4, D/4 + 1.
    static func defaultDims(_ d: Int) -> [Int] {
        guard d >= 8 else { return Array(0..<d) }
        let slow = (d / 4) & ~1
        return [2, 3, slow, slow + 1]
    }

    /// `.npy`: the `[P, D]` table. `.json`: kind, shape, base or seed, and the table.
    static func dump(_ encoding: PositionalEncoding, path: String) throws -> [UInt8] {
        switch try DumpFormat(path: path) {
        case .npy:
            return NpyWriter.encode(Tensor(encoding.table))
        case .json:
            var members: [(String, JSONOutput)] = [
                ("kind", .string(encoding.kind.rawValue)),
                ("positions", .integer(encoding.positions)),
                ("d_model", .integer(encoding.dModel)),
                ("base", encoding.base.map(JSONOutput.number) ?? .null),
            ]
            if let seed = encoding.seed { members.append(("seed", .integer(Int(clamping: seed)))) }
            members.append(("encoding", .matrix(encoding.table)))
            return Array(JSONOutput.object(members).rendered().utf8)
        }
    }
}

/// `--base` of `pe` and `rope`: positive and finite.
func checkBase(_ base: Double) throws {
    guard base.isFinite, base > 0 else {
        let text = base.isFinite ? NumberFormat.plain(base) : "\(base)"
        throw CommandError(description: "--base: must be a positive finite number, got \(text)")
    }
}

extension PositionalEncoding.Kind: ExpressibleByArgument {}
