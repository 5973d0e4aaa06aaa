import ArgumentParser
import Canvas
import Figures
import TransformerMath

/// `transfigure rope`: rotary position embedding, as numbers (rotate the rows of X) and as figures
/// (rotation clocks, the pairing diagram, the relative-position heatmaps).
struct RoPECommand: FigureCommand {
    static let configuration = CommandConfiguration(
        commandName: "rope",
        abstract: "Rotary position embedding: rotate the rows of X, or draw how RoPE turns pairs of coordinates.",
        discussion: """
            θ_i = base^(−2i/d), i = 0 ..< d/2. Pair i = (a, b) turns by pos·θ_i:
              a' = a·cos − b·sin,  b' = a·sin + b·cos
            Conventions:
              half (default)  pair i = (x[i], x[i + d/2]): GPT-NeoX, HF rotate_half
              interleaved     pair i = (x[2i], x[2i+1]): RoFormer, GPT-J, Meta Llama
            Figures (--style, with --d-model D):
              clock     a clock per pair (--pairs), arrows at positions 0 … P−1
              pairing   which coordinates turn together: half above interleaved
              relative  q_m·k_n for m, n < N, with and without RoPE (--seed)
            --positions sets P (default 8) or N (default 32), 1 to 256.
            With --x and -o, the relative figure uses row 0 of X as q and row 1 as k,
            and --dump writes the rotated X. Without --x, --dump writes the figure's
            numbers (.json; .npy: the clock angles or the RoPE scores).
            Examples:
              transfigure rope --x q.npy --dump q_rotated.npy
              transfigure rope --x q.npy --offset 5 --convention interleaved --dump r.json
              transfigure rope --d-model 64 --style clock -o clock.png
              transfigure rope --d-model 8 --style pairing -o pairs.svg
              transfigure rope --d-model 64 --style relative -o r.pdf --dump r.json
            """
    )

    /// The figure styles the contract names, drawn or not.
    enum Style: String, CaseIterable {
        case clock, spectrum, relative, decay, pairing

        /// Styles drawn so far; the others are turned away before any work.
        static let available: [Style] = [.clock, .relative, .pairing, .spectrum, .decay]

        /// The style named `text`, or a message naming `--style` and what is wrong.
        static func parse(_ text: String) throws -> Style {
            guard let style = Style(rawValue: text) else {
                throw CommandError(
                    description: "--style: unknown style '\(text)'; choose \(list(available))"
                        + " (\(list(allCases.filter { !available.contains($0) }, joinedBy: "and")) are not available yet)")
            }
            guard available.contains(style) else {
                throw CommandError(description: "--style: '\(text)' is not available yet; choose \(list(available))")
            }
            return style
        }

        /// `clock, relative or pairing`.
        private static func list(_ styles: [Style], joinedBy word: String = "or") -> String {
            let names = styles.map(\.rawValue)
            guard names.count > 1, let last = names.last else { return names.first ?? "" }
            return names.dropLast().joined(separator: ", ") + " \(word) " + last
        }
    }

    /// Widest d drawn without --x.
    static let maxDimension = 8192
    /// Most multiply-adds (N² · d) the relative figure may cost.
    static let maxRelativeWork = 1 << 28

    @Option(help: "Vectors to rotate, [n, d] with d even: .npy, .npz, .json or .csv.")
    var x: String?

    @Option(help: "Member of an .npz file (or key of a JSON object) to read.")
    var array: String?

    @Option(parsing: .unconditional, help: "Position of the first row of X (0 or more, default 0).")
    var offset: Int?

    @Option(help: "Which dimensions are paired: half (the default) or interleaved.")
    var convention: RotaryEmbedding.Convention?

    @Option(parsing: .unconditional, help: "Base of the frequencies θ_i = base^(−2i/d), positive (default: 10000).")
    var base: Double?

    @Option(name: .customLong("d-model"), parsing: .unconditional, help: "Vector width d, even (must match X when --x is given).")
    var dModel: Int?

    @Option(help: "Figure: clock (default), pairing, relative, spectrum (wavelength per pair, against a second base) or decay (score against distance).")
    var style: String?

    @Option(parsing: .unconditional, help: "Positions drawn: clock arrows (default 8) or the relative figure's N (default 32), 1 to 256; the decay curve's largest distance (default 1024, at most 65536).")
    var positions: Int?

    @Option(help: "Pairs drawn as clocks: 3, 0,2,5 or 0-3 (default: 4 spread from the fastest to the slowest).")
    var pairs: String?

    @Option(parsing: .unconditional, help: "Seed of the random q and k of the relative figure (default: \(RoPERelativeFigure.defaultSeed)).")
    var seed: UInt64?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        // The style comes first: a style that is not drawn yet is turned away before anything else.
        let style = try style.map(Style.parse)
        if let base { try checkBase(base) }
        if let offset, offset < 0 { throw CommandError(description: "--offset: must be 0 or more, got \(offset)") }
        if let dModel, dModel < 2 || dModel % 2 != 0 {
            throw CommandError(description: "--d-model: must be an even number of at least 2, got \(dModel) (RoPE rotates pairs of dimensions)")
        }
        let maxPositions = style == .decay ? Self.maxDecayDistance : RoPERelativeFigure.maxPositions
        if let positions, positions < 1 || positions > maxPositions {
            throw CommandError(description: "--positions: must be from 1 to \(maxPositions), got \(positions)")
        }
        if let seed, seed > UInt64(Int.max) { throw CommandError(description: "--seed: must be from 0 to \(Int.max), got \(seed)") }
        if x != nil {
            try validateRotation(style: style)
        } else {
            try validateFigure(style: style ?? .clock)
        }
    }

    /// `--x`: the rows of X are rotated; with `-o` the relative figure is drawn from its first two rows.
    private func validateRotation(style: Style?) throws {
        if let style, style != .relative {
            throw CommandError(
                description: "--style: with --x only the relative figure is drawn (q = row 0, k = row 1 of X); use --style relative or drop --x")
        }
        if seed != nil { throw CommandError(description: "--seed: with --x, q and k are rows of X; drop --seed") }
        if pairs != nil { throw CommandError(description: "--pairs: only the clock figure has pairs to choose, and --x draws the relative figure") }
        if output.output == nil {
            if style != nil { throw CommandError(description: "--style: no figure is drawn without -o; add -o FILE or drop --style") }
            if positions != nil { throw CommandError(description: "--positions: no figure is drawn without -o; add -o FILE or drop --positions") }
        }
    }

    /// `--d-model` without `--x`: one figure style, each with its own options.
    private func validateFigure(style: Style) throws {
        guard let dModel else {
            throw CommandError(description: "--d-model: no vector width given; pass --d-model D (even) to draw a figure, or --x X.npy to rotate vectors")
        }
        guard dModel <= Self.maxDimension else {
            throw CommandError(description: "--d-model: must be at most \(Self.maxDimension) for a figure, got \(dModel)")
        }
        if offset != nil { throw CommandError(description: "--offset: only applies to the rows of --x; drop --offset") }
        if array != nil { throw CommandError(description: "--array: only applies to the file of --x; drop --array") }
        if seed != nil, style != .relative, style != .decay {
            throw CommandError(description: "--seed: only --style relative and decay draw random q and k; drop --seed")
        }
        if pairs != nil, style != .clock {
            throw CommandError(description: "--pairs: only --style clock draws chosen pairs; drop --pairs or use --style clock")
        }
        if positions != nil, style == .pairing || style == .spectrum {
            throw CommandError(description: "--positions: the \(style.rawValue) figure has no positions; drop --positions")
        }
        if let pairs {
            let list = try IndexList(parsing: pairs, option: "--pairs")
            try list.check(below: dModel / 2, option: "--pairs", what: "pairs", source: "d = \(dModel)")
            guard list.indices.count <= RoPEClockFigure.maxPairs else {
                throw CommandError(description: "--pairs: \(list.indices.count) pairs is more than the \(RoPEClockFigure.maxPairs) clocks a figure holds")
            }
        }
        if style == .relative { try checkRelativeWork(dimension: dModel) }
        if style == .pairing || style == .decay, let dump = output.dump, try DumpFormat(path: dump) == .npy {
            throw CommandError(description: "--dump: \(dump): the pairing figure's numbers do not form one array; use a name ending in .json")
        }
    }

    private func checkRelativeWork(dimension d: Int) throws {
        let n = positions ?? RoPERelativeFigure.defaultPositions
        let (work, overflow) = (n * n).multipliedReportingOverflow(by: d)
        guard !overflow, work <= Self.maxRelativeWork else {
            throw CommandError(
                description: "--positions: \(n) × \(n) scores at d = \(d) is more work than the limit of \(Self.maxRelativeWork) multiply-adds (N² · d); lower --positions or --d-model")
        }
    }

    func run() throws {
        try output.checkWritable()
        if let x {
            try rotateRows(of: x)
            return
        }
        let drawing = try self.drawing()

        // Everything is computed before anything is written, so a failure leaves no file.
        let figureBytes = try output.render(drawing.figure)
        let dumpBytes: [UInt8]? = try output.dump.map { path in
            switch try DumpFormat(path: path) {
            case .json: return Array(drawing.numbers.rendered().utf8)
            case .npy:
                guard let array = drawing.array else {
                    throw CommandError(description: "--dump: \(path): this figure's numbers do not form one array; use a name ending in .json")
                }
                return NpyWriter.encode(array)
            }
        }
        try output.write(figure: figureBytes, dump: dumpBytes)
    }

    func makeFigure() throws -> any Figure {
        if x != nil {
            throw CommandError(description: "--x: rotating vectors gives numbers, not a figure; use --d-model with --style to draw RoPE")
        }
        return try drawing().figure
    }

    /// The figure the options ask for.
    private func drawing() throws -> Drawing {
        // validate() made sure these are present and in range.
        guard let dModel else { throw CommandError(description: "--d-model: no vector width given") }
        let style = try style.map(Style.parse) ?? .clock
        let embedding = try RotaryEmbedding(dimension: dModel, base: base ?? RotaryEmbedding.defaultBase, convention: convention ?? .half)
        return try self.drawing(style, embedding: embedding)
    }

    // MARK: - Figures

    /// A figure and the numbers behind it: the whole story as JSON, the main array for `.npy`.
    struct Drawing {
        let figure: any Figure
        let numbers: JSONOutput
        let array: Tensor?
    }

    /// The figure of `style`. A new style is one more case here and its builder below.
    private func drawing(_ style: Style, embedding: RotaryEmbedding) throws -> Drawing {
        switch style {
        case .clock: return try clock(embedding)
        case .pairing: return pairing(embedding)
        case .relative: return try relative(embedding)
        case .spectrum: return try spectrum(embedding)
        case .decay: return try decay(embedding)
        }
    }

    /// Largest distance of the decay curve.
    static let maxDecayDistance = 65_536

    /// Wavelength per pair on a log axis, for the chosen base and a comparison base
    /// (500000 against the default 10000, else 10000). `.npy`: the wavelengths of the chosen base.
    private func spectrum(_ embedding: RotaryEmbedding) throws -> Drawing {
        let comparison = embedding.base == RotaryEmbedding.defaultBase ? 500_000 : RotaryEmbedding.defaultBase
        let figure = try EncodingPlots.spectrum(dModel: embedding.dimension, base: embedding.base, comparison: comparison)
        let wavelengths = embedding.theta.map { 2 * Double.pi / $0 }
        let numbers = JSONOutput.object(header("spectrum", embedding) + [
            ("theta", .array(embedding.theta.map(JSONOutput.number))),
            ("wavelength", .array(wavelengths.map(JSONOutput.number))),
            ("comparison_base", .number(comparison)),
        ])
        return Drawing(figure: figure, numbers: numbers, array: Tensor(shape: [wavelengths.count], values: wavelengths))
    }

    /// The score against distance for q = k = ones and for a seeded random pair. JSON: both curves.
    private func decay(_ embedding: RotaryEmbedding) throws -> Drawing {
        let distance = positions ?? 1024
        let figure = try EncodingPlots.decay(
            dModel: embedding.dimension, base: embedding.base, convention: embedding.convention, maxDistance: distance,
            seed: seed ?? RoPERelativeFigure.defaultSeed)
        let numbers = JSONOutput.object(header("decay", embedding) + [
            ("distance", .array(figure.series[0].x.map(JSONOutput.number))),
            ("ones", .array(figure.series[0].y.map(JSONOutput.number))),
            ("random", .array(figure.series[1].y.map(JSONOutput.number))),
            ("seed", .integer(Int(clamping: seed ?? RoPERelativeFigure.defaultSeed))),
        ])
        return Drawing(figure: figure, numbers: numbers, array: nil)
    }

    /// Clocks of the chosen pairs. JSON: θ, wavelength and the angle (radians) at every position;
    /// `.npy`: the angles, `[pairs, positions]`.
    private func clock(_ embedding: RotaryEmbedding) throws -> Drawing {
        let chosen = try pairs.map { try IndexList(parsing: $0, option: "--pairs").indices }
        let figure = RoPEClockFigure(embedding: embedding, pairs: chosen, positions: positions ?? RoPEClockFigure.defaultPositions)
        try figure.validate()
        let angles = figure.pairs.map { i in (0..<figure.positions).map { figure.angle(pair: i, position: $0) } }
        let entries = zip(figure.pairs, angles).map { i, row -> JSONOutput in
            let (a, b) = embedding.convention.indices(ofPair: i, dimension: embedding.dimension)
            return .object([
                ("pair", .integer(i)),
                ("coordinates", .array([.integer(a), .integer(b)])),
                ("theta", .number(embedding.theta[i])),
                ("wavelength", .number(2 * Double.pi / embedding.theta[i])),
                ("angles", .array(row.map(JSONOutput.number))),
            ])
        }
        let numbers = JSONOutput.object(header("clock", embedding) + [
            ("positions", .integer(figure.positions)),
            ("pairs", .array(entries)),
        ])
        let array = Tensor(shape: [figure.pairs.count, figure.positions], values: angles.flatMap { $0 })
        return Drawing(figure: figure, numbers: numbers, array: array)
    }

    /// Both pairings side by side. JSON: θ of every pair and the coordinates of every pair under each convention.
    private func pairing(_ embedding: RotaryEmbedding) -> Drawing {
        // The row of a convention the user named is drawn first and marked.
        let figure = RoPEPairingFigure(dimension: embedding.dimension, base: embedding.base, highlighted: convention)
        func pairs(_ convention: RotaryEmbedding.Convention) -> JSONOutput {
            .array((0..<(embedding.dimension / 2)).map { i in
                let (a, b) = convention.indices(ofPair: i, dimension: embedding.dimension)
                return .array([.integer(a), .integer(b)])
            })
        }
        let numbers = JSONOutput.object(header("pairing", embedding) + [
            ("theta", .array(embedding.theta.map(JSONOutput.number))),
            ("half", pairs(.half)),
            ("interleaved", pairs(.interleaved)),
        ])
        return Drawing(figure: figure, numbers: numbers, array: nil)
    }

    /// Scores over positions for seeded q and k. JSON: q, k and both matrices; `.npy`: the RoPE scores `[N, N]`.
    private func relative(_ embedding: RotaryEmbedding) throws -> Drawing {
        let seed = seed ?? RoPERelativeFigure.defaultSeed
        let figure = RoPERelativeFigure.seeded(
            embedding: embedding, positions: positions ?? RoPERelativeFigure.defaultPositions, seed: seed)
        let (rotated, plain) = try figure.scores()
        let numbers = JSONOutput.object(header("relative", embedding) + [
            ("positions", .integer(figure.positions)),
            ("seed", .integer(Int(clamping: seed))),
            ("q", .array(figure.query.map(JSONOutput.number))),
            ("k", .array(figure.key.map(JSONOutput.number))),
            ("with_rope", .matrix(rotated)),
            ("without_position", .matrix(plain)),
        ])
        return Drawing(figure: figure, numbers: numbers, array: Tensor(rotated))
    }

    private func header(_ style: String, _ embedding: RotaryEmbedding) -> [(String, JSONOutput)] {
        [
            ("style", .string(style)),
            ("convention", .string(embedding.convention.rawValue)),
            ("base", .number(embedding.base)),
            ("d_model", .integer(embedding.dimension)),
        ]
    }

    // MARK: - Rotating X

    /// `--x`: writes the rotated rows (`--dump`) and, with `-o`, the relative figure of rows 0 and 1.
    private func rotateRows(of x: String) throws {
        let offset = offset ?? 0
        let loaded = try TensorFile.read(path: x, array: array)
        let (embedding, rotated) = try RotaryEmbedding.rotate(
            tensor: loaded.tensor, source: x, offset: offset, base: base ?? RotaryEmbedding.defaultBase, convention: convention ?? .half)
        if let dModel, dModel != embedding.dimension {
            throw CommandError(description: "--d-model: \(dModel) does not match \(x), whose vectors have \(embedding.dimension) dimensions")
        }

        var figureBytes: [UInt8]?
        if output.output != nil {
            let vectors = loaded.tensor.matrix(at: [])
            guard vectors.rows >= 2 else {
                throw InputError.shape(
                    file: x, reason: "has shape \(loaded.tensor.shapeDescription): the relative figure needs two rows, q (row 0) and k (row 1)")
            }
            try checkRelativeWork(dimension: embedding.dimension)
            let figure = RoPERelativeFigure(
                embedding: embedding, query: vectors.row(0), key: vectors.row(1),
                positions: positions ?? RoPERelativeFigure.defaultPositions, source: "q = row 0 and k = row 1 of \(x)")
            figureBytes = try output.render(figure)
        }

        var dumpBytes: [UInt8]?
        if let dumpPath = output.dump {
            switch try DumpFormat(path: dumpPath) {
            case .npy:
                dumpBytes = NpyWriter.encode(Tensor(rotated))
            case .json:
                let document = JSONOutput.object([
                    ("convention", .string(embedding.convention.rawValue)),
                    ("base", .number(embedding.base)),
                    ("offset", .integer(offset)),
                    ("theta", .array(embedding.theta.map(JSONOutput.number))),
                    ("rotated", .matrix(rotated)),
                ])
                dumpBytes = Array(document.rendered().utf8)
            }
        }
        try output.write(figure: figureBytes, dump: dumpBytes)
    }
}

extension RotaryEmbedding.Convention: ExpressibleByArgument {}
