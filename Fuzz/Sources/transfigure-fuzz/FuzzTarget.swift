import Figures
import Foundation
import Reports
import TransformerMath

/// One fuzz target: bytes in, nothing out. Errors thrown by the code under test are expected
/// answers to bad input; a crash, a hang, a sanitizer report or a broken invariant is a finding.
struct FuzzTarget: Sendable {
    let run: @Sendable (UnsafeRawBufferPointer) -> Void

    nonisolated(unsafe) static var selected: FuzzTarget?

    /// Every target by the name `make fuzz` and the corpus folders use.
    static let all: [String: FuzzTarget] = [
        "npy": FuzzTarget { bytes in
            guard let tensor = try? NpyReader.decode(bytes, source: "fuzz.npy") else { return }
            check(tensor)
        },
        "npz": FuzzTarget { bytes in
            _ = try? NpzReader.arrayNames(bytes, source: "fuzz.npz")
            if let tensor = try? NpzReader.decode(bytes, source: "fuzz.npz", array: nil) { check(tensor) }
            if let tensor = try? NpzReader.decode(bytes, source: "fuzz.npz", array: "q") { check(tensor) }
        },
        "json": FuzzTarget { bytes in
            if let tensor = try? JSONMatrixReader.decode(bytes, source: "fuzz.json", array: nil) { check(tensor) }
            if let tensor = try? JSONMatrixReader.decode(bytes, source: "fuzz.json", array: "weights") { check(tensor) }
        },
        "csv": FuzzTarget { bytes in
            guard let loaded = try? CSVMatrixReader.decode(bytes, source: "fuzz.csv") else { return }
            check(loaded.tensor)
            if let labels = loaded.labels, labels.count != loaded.tensor.shape.last {
                fatalError("csv: \(labels.count) header labels for \(loaded.tensor.shape) values")
            }
        },
        "tokens": FuzzTarget { bytes in
            guard let tokens = try? TokenReader.decode(bytes, source: "fuzz.txt") else { return }
            _ = tokens.map(\.utf8.count).reduce(0, +)
        },
        "lm": FuzzTarget { bytes in
            guard let json = try? JSONValue.parse(bytes: bytes, source: "fuzz.json"),
                let model = try? LanguageModelTable(json: json, source: "fuzz.json")
            else { return }
            if let greedy = try? GreedyDecoder.decode(model, maxLength: 8), greedy.tokens.count > 8 {
                fatalError("lm: greedy decoding generated \(greedy.tokens.count) tokens with --max-length 8")
            }
            guard let search = try? BeamSearch(beamWidth: 3, maxLength: 6), let result = try? search.run(model) else { return }
            if result.hypotheses.count > 3 { fatalError("lm: beam of width 3 returned \(result.hypotheses.count) hypotheses") }
        },
        "notes": FuzzTarget { bytes in
            guard let text = String(bytes: bytes, encoding: .utf8) else { return }
            NotesTarget.run(text)
        },
        "tex": FuzzTarget { bytes in
            guard let text = String(bytes: bytes, encoding: .utf8), let formula = try? TeX.formula(text) else { return }
            let markup = formula.mathML(display: true)
            HTMLOracle.check(markup, allowedTags: HTMLOracle.mathTags, what: "tex \(text.debugDescription)")
        },
    ]

    /// A decoded tensor must hold as many values as its shape says, all of them finite or not
    /// as the file says, but never more or fewer.
    static func check(_ tensor: Tensor) {
        let count = tensor.shape.reduce(1, *)
        guard count == tensor.values.count else {
            fatalError("shape \(tensor.shape) but \(tensor.values.count) values")
        }
    }
}

/// Notes → report → HTML and Markdown pages, with stand-in figures so that nothing is drawn.
enum NotesTarget {
    /// A folder holding `notes.md`'s neighbours: one image the notes may show.
    static let folder: String = {
        let path = NSTemporaryDirectory() + "transfigure-fuzz-notes-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path + "/pic.png", contents: Data([0x89, 0x50, 0x4E, 0x47]))
        return path
    }()

    static let templates: TemplateSet = {
        do { return try TemplateSet() } catch { fatalError("notes: templates: \(error)") }
    }()

    /// Answers every figure block with the same small heatmap, or refuses kinds it does not know
    /// the way the real resolver does.
    struct StandIn: FigureResolver {
        func figure(for request: FigureRequest, directory: String) throws -> any Figure {
            guard ["heatmap", "heads", "lines", "attention", "pe", "rope", "beam"].contains(request.kind) else {
                throw request.failure("unknown figure '\(request.kind)'")
            }
            return HeatmapFigure(matrix: Matrix(rows: 2, columns: 2, values: [0.5, 0.5, 0.25, 0.75]))
        }
    }

    static func run(_ text: String) {
        guard let notes = try? NotesReport.make(text: text, path: folder + "/notes.md", resolver: StandIn()) else { return }
        var rendered: [String: RenderedFigure] = [:]
        for (index, figure) in notes.report.figures.enumerated() {
            let path = "figures/\(figure.name).png"
            rendered[figure.name] = RenderedFigure(number: index + 1, path: path, source: path, width: 100, height: 80)
        }
        let writer = ReportWriter(templates: templates, assets: notes.assets)
        for (path, bytes) in writer.pages(for: notes.report, figures: rendered) where path == "index.html" {
            HTMLOracle.check(String(decoding: bytes, as: UTF8.self), allowedTags: HTMLOracle.pageTags, what: "notes")
        }
    }
}
