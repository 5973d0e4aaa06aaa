import ArgumentParser
import Canvas
import Figures

/// Where a figure and its numbers go: `-o`, `--scale`, `--dump`.
struct OutputOptions: ParsableArguments {
    @Option(name: [.short, .customLong("output")], help: "Figure file; the format follows the extension: .png, .svg or .pdf.")
    var output: String?

    @Option(help: "Pixel density of PNG output (2 for HiDPI screens), 0.25 to 8.")
    var scale: Double = 1

    @Option(help: "Write the numbers behind the figure to a .json or .npy file.")
    var dump: String?

    @Option(name: .customLong("png-compression"), parsing: .unconditional, help: "zlib level of PNG output, 0 (fastest, largest) to 9 (smallest, slowest).")
    var pngCompression: Int = PNGEncoding.defaultCompression

    func validate() throws {
        guard output != nil || dump != nil else {
            throw ValidationError("--output: no output given; pass -o FILE (.png, .svg or .pdf) or --dump FILE (.json or .npy)")
        }
        if let output { _ = try OutputFormat(path: output) }
        if let dump { _ = try DumpFormat(path: dump) }
        try Renderer.validate(scale: scale)
        try PNGEncoding.validate(compression: pngCompression)
    }

    /// How PNGs are written: the chosen level, and the command that made the figure (less its
    /// output file) in a Description text chunk (`pngcheck -t`, `identify -verbose` or any PNG reader shows it).
    var png: PNGEncoding {
        PNGEncoding(compression: pngCompression, texts: [PNGEncoding.software, PNGEncoding.Text("Description", Self.commandLine)])
    }

    /// This run's command line without its output file (so a figure's bytes do not depend on
    /// where it was written), each argument quoted for a POSIX shell where it needs it.
    static var commandLine: String {
        var kept = ["transfigure"]
        var arguments = CommandLine.arguments.dropFirst()[...]
        while let argument = arguments.popFirst() {
            if argument == "-o" || argument == "--output" {
                _ = arguments.popFirst()
            } else if !argument.hasPrefix("--output=") {
                kept.append(argument)
            }
        }
        return kept.map(ShellQuoting.quoted).joined(separator: " ")
    }

    /// The figure format, if a figure was asked for.
    var format: OutputFormat? {
        get throws { try output.map { try OutputFormat(path: $0) } }
    }

    /// Checks, before any work, that every requested output could be written.
    func checkWritable() throws {
        if let output { try OutputFile.checkWritable(output) }
        if let dump { try OutputFile.checkWritable(dump) }
    }

    /// The figure's bytes in the requested format, or nil when no `-o` was given.
    func render(_ figure: some Figure) throws -> [UInt8]? {
        try format.map { try Renderer().render(figure, as: $0, scale: scale, png: png) }
    }

    /// Writes what was computed, each file atomically. Called only after everything has been
    /// computed, so a failure earlier leaves no file behind.
    func write(figure: [UInt8]?, dump: [UInt8]?) throws {
        if let figure, let output { try OutputFile.write(figure, to: output) }
        if let dump, let path = self.dump { try OutputFile.write(dump, to: path) }
    }
}

/// The file format of `--dump`.
enum DumpFormat: String {
    case json, npy

    init(path: String) throws {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard path.contains("."), let format = DumpFormat(rawValue: ext) else {
            throw CommandError(description: "--dump: \(path): unknown format; use a name ending in .json or .npy")
        }
        self = format
    }
}
