import ArgumentParser
import Canvas
import Foundation
import Reports

/// `transfigure gallery`: one file per figure kind and style.
struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "Write one example of every figure kind and style into a folder, from seeded synthetic data."
    )

    @Option(name: [.short, .customLong("output")], help: "Folder to write into (created if missing).") var output: String
    @Option(help: "File format: png, svg or pdf.") var format: String = "png"
    @Option(help: "Pixel density of PNG output, 0.25 to 8.") var scale: Double = 1
    @Option(name: .customLong("png-compression"), parsing: .unconditional, help: "zlib level of PNG output, 0 (fastest, largest) to 9 (smallest, slowest).")
    var pngCompression: Int = PNGEncoding.defaultCompression
    @Option(name: .customLong("long-context"), parsing: .unconditional, help: "Tokens of the long-context attention example (computed in row blocks), 16 to 131072.")
    var longContext: Int = Gallery.defaultLongContextLength

    func validate() throws {
        guard OutputFormat(rawValue: format.lowercased()) != nil else {
            throw ValidationError("--format: unknown format '\(format)'; choose png, svg or pdf")
        }
        try Renderer.validate(scale: scale)
        try PNGEncoding.validate(compression: pngCompression)
        guard (16...131_072).contains(longContext) else {
            throw ValidationError("--long-context: \(longContext) tokens is outside 16 to 131072")
        }
    }

    func run() throws {
        let fileFormat = OutputFormat(rawValue: format.lowercased()) ?? .png
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw CommandError(description: "\(output): is a file, not a folder")
        }
        // Draw everything first, so a failure leaves the folder as it was.
        let renderer = Renderer()
        let png = PNGEncoding(
            compression: pngCompression, texts: [PNGEncoding.software, PNGEncoding.Text("Description", OutputOptions.commandLine)])
        let files = try Gallery.entries(longContextLength: longContext).map { entry in
            (name: "\(entry.name).\(fileFormat.rawValue)", bytes: try renderer.render(entry.figure, as: fileFormat, scale: scale, png: png))
        }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw CommandError(description: "\(output): cannot create the folder: \(OutputFile.reason(error))")
        }
        for file in files {
            try OutputFile.write(file.bytes, to: (output as NSString).appendingPathComponent(file.name))
        }
        print("gallery: \(files.count) figures in \(output)")
    }
}
