import ArgumentParser
import Canvas
import TransformerMath

/// `transfigure beam`: greedy decoding and beam search over a table language model.
struct BeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beam",
        abstract: "Beam search and greedy decoding over a small table language model.",
        discussion: """
            The LM file is JSON: {"bos": "<s>", "eos": "</s>", "next": {CONTEXT: {TOKEN: P, …}, …}}. \
            A context is tokens joined by single spaces; the distribution after a prefix is the one under \
            its longest matching suffix, and "" matches any prefix. --dump writes every node of the search \
            tree, the final hypotheses (score = logprob / length^a) and the greedy decoding.

            Examples:
              transfigure beam --demo --dump tree.json
              transfigure beam --lm lm.json --beam-width 4 --dump tree.json
            """
    )

    @Option(help: ArgumentHelp("Language-model table (JSON with bos, eos and next).", valueName: "LM.json"))
    var lm: String?

    @Flag(help: "Use the built-in demo table, where greedy decoding and beam search disagree.")
    var demo = false

    @Option(name: .customLong("beam-width"), parsing: .unconditional, help: "Beam width k, 1 to \(BeamSearch.maximumBeamWidth).")
    var beamWidth: Int = 3

    @Option(name: .customLong("max-length"), parsing: .unconditional, help: "Most tokens generated (eos included), 1 to \(BeamSearch.maximumLength).")
    var maxLength: Int = 10

    @Option(
        name: .customLong("length-penalty"), parsing: .unconditional,
        help: "a in score = logprob / length^a, 0 to \(Int(BeamSearch.maximumLengthPenalty)); 0 ranks by log-prob alone.")
    var lengthPenalty: Double = 0

    @OptionGroup var output: OutputOptions

    func validate() throws {
        switch (lm, demo) {
        case (.some, true): throw CommandError(description: "--lm: give either --lm LM.json or --demo, not both")
        case (nil, false): throw CommandError(description: "--lm: no language model given; pass --lm LM.json or --demo")
        default: break
        }
        _ = try search
        if let dump = output.dump, try DumpFormat(path: dump) == .npy {
            throw CommandError(description: "--dump: \(dump): a beam-search tree is not an array and cannot be written as .npy; use a name ending in .json")
        }
        // Drawing the tree is the figure issue's job; until then -o is refused before any work.
        if output.output != nil {
            throw CommandError(description: "-o: drawing beam-search trees is not available yet; use --dump tree.json")
        }
    }

    /// The checked search settings.
    private var search: BeamSearch {
        get throws { try BeamSearch(beamWidth: beamWidth, maxLength: maxLength, lengthPenalty: lengthPenalty) }
    }

    func run() throws {
        try output.checkWritable()

        let model = try lm.map { try LanguageModelTable.read(path: $0) } ?? DemoLanguageModel.table
        let result = try search.run(model)

        // Everything is computed before anything is written, so a failure leaves no file.
        try output.write(figure: nil, dump: Array(result.json.rendered().utf8))
    }
}
