import ArgumentParser
import Canvas
import Figures
import TransformerMath

/// `transfigure beam`: greedy decoding and beam search over a table language model.
struct BeamCommand: FigureCommand {
    static let configuration = CommandConfiguration(
        commandName: "beam",
        abstract: "Beam search and greedy decoding over a small table language model.",
        discussion: """
            The LM file is JSON: {"bos": "<s>", "eos": "</s>", "next": {CONTEXT: {TOKEN: P, …}, …}}. \
            A context is tokens joined by single spaces; the distribution after a prefix is the one under \
            its longest matching suffix, and "" matches any prefix. --dump writes every node of the search \
            tree, the final hypotheses (score = logprob / length^a) and the greedy decoding.

            -o draws the search tree (--style tree): one column per step, each node its token and the \
            probability P of its prefix, each edge p(token | prefix); beam hypotheses filled, pruned \
            candidates grey, the greedy path in orange, and the final hypotheses ranked in a table. \
            --style compare draws greedy decoding and beam search side by side with both sentences' \
            probabilities. A big tree is thinned: fewer pruned candidates per node, then only their \
            counts, then only the beam, then only the paths to the final hypotheses; the caption says which.

            Examples:
              transfigure beam --demo -o beam.png
              transfigure beam --demo --style compare -o greedy-vs-beam.svg
              transfigure beam --lm lm.json --beam-width 4 --length-penalty 0.7 -o tree.pdf --dump tree.json
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

    /// What is drawn.
    enum Style: String, ExpressibleByArgument, CaseIterable {
        /// The beam search's tree with the greedy path and the ranking.
        case tree
        /// Greedy decoding and beam search side by side.
        case compare
    }

    @Option(help: "Figure style: tree (the search tree and the final ranking) or compare (greedy decoding beside beam search).")
    var style: Style = .tree

    @Option(help: "Title above the figure (default: says what is drawn).")
    var title: String?

    @Option(help: "Words put in front of the generated caption.")
    var caption: String?

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
    }

    /// The checked search settings.
    private var search: BeamSearch {
        get throws { try BeamSearch(beamWidth: beamWidth, maxLength: maxLength, lengthPenalty: lengthPenalty) }
    }

    func run() throws {
        try output.checkWritable()

        let (figure, result) = try build()
        let figureBytes = try output.render(figure)

        // Everything is computed before anything is written, so a failure leaves no file.
        try output.write(figure: figureBytes, dump: output.dump == nil ? nil : Array(result.json.rendered().utf8))
    }

    func makeFigure() throws -> any Figure {
        try build().figure
    }

    /// The figure of --style and the search it draws.
    private func build() throws -> (figure: any Figure, result: BeamSearchResult) {
        let model = try lm.map { try LanguageModelTable.read(path: $0) } ?? DemoLanguageModel.table
        let modelName = lm.map { "the table \($0.split(separator: "/").last.map(String.init) ?? $0)" } ?? "the demo table"
        switch style {
        case .tree:
            let result = try search.run(model)
            var tree = BeamTreeFigure(result: result, modelName: modelName)
            if let title { tree.title = title }
            tree.caption = caption
            return (tree, result)
        case .compare:
            var comparison = try BeamComparisonFigure(model: model, search: search, modelName: modelName)
            if let title { comparison.title = title }
            comparison.caption = caption
            return (comparison, comparison.beam)
        }
    }
}
