import Figures
import Foundation
import TestSupport
import Testing
import TransformerMath

@testable import Reports

/// Figures for tests: a small heatmap per request, recording what was asked.
private struct FakeResolver: FigureResolver {
    func figure(for request: FigureRequest, directory: String) throws -> any Figure {
        if request.kind == "broken" { throw request.failure("cannot draw a broken figure") }
        return HeatmapFigure(matrix: Matrix([[0.25, 0.75], [1, 0]]))
    }
}

/// Notes written to a scratch folder and read back as a report.
private func report(_ notes: String, extraFiles: [String: [UInt8]] = [:], allowOutside: Bool = false) throws -> NotesReport {
    try TemporaryDirectory.with { dir in
        for (name, bytes) in extraFiles {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let path = dir.appendingPathComponent("notes.md").path
        try notes.write(toFile: path, atomically: true, encoding: .utf8)
        return try NotesReport.make(path: path, resolver: FakeResolver(), allowOutside: allowOutside)
    }
}

/// The failure of notes that should not become a report.
private func failure(_ notes: String) -> NotesError? {
    do {
        _ = try report(notes)
        return nil
    } catch let error as NotesError {
        return error
    } catch {
        Issue.record("not a NotesError: \(error)")
        return nil
    }
}

private func paragraphs(_ blocks: [ReportBlock]) -> [[Inline]] {
    blocks.compactMap { if case .paragraph(let inlines) = $0 { return inlines } else { return nil } }
}

@Suite("notes")
struct NotesTests {
    @Test("headings give the title, sections with unique ids, and sub-headings")
    func structure() throws {
        let built = try report("""
            # My notes

            Intro paragraph.

            ## Attention
            Text.
            ### Detail
            ## Attention
            Setext section
            --------------
            """)
        #expect(built.report.title == "My notes")
        #expect(paragraphs(built.report.introduction).count == 1)
        #expect(built.report.sections.map(\.title) == ["Attention", "Attention", "Setext section"])
        #expect(built.report.sections.map(\.id) == ["attention", "attention-1", "setext-section"])
        guard case .subheading(let text, let level, let id) = built.report.sections[0].blocks.last else {
            Issue.record("no sub-heading: \(built.report.sections[0].blocks)")
            return
        }
        #expect(text == "Detail" && level == 3 && id == "detail")
    }

    @Test("lists, tables, code, quotes and rules are read as blocks")
    func blocks() throws {
        let blocks = try report("""
            ## S
            - one
            - two
              continued

            3. three
            4. four

            | a | b |
            |:--|--:|
            | 1 | `x|y` |

            ```swift
            let a = "<b>"
            ```

            > quoted *text*

            ***
            """).report.sections[0].blocks
        guard blocks.count == 6 else { Issue.record("\(blocks)"); return }
        if case .list(let items) = blocks[0] { #expect(items.count == 2) } else { Issue.record("\(blocks[0])") }
        if case .orderedList(let items, let start) = blocks[1] { #expect(items.count == 2 && start == 3) } else { Issue.record("\(blocks[1])") }
        if case .table(let table) = blocks[2] {
            #expect(table.header.count == 2 && table.rows.count == 1 && table.numericColumns == [1])
        } else { Issue.record("\(blocks[2])") }
        if case .code(let text, let language) = blocks[3] { #expect(text == "let a = \"<b>\"" && language == "swift") } else { Issue.record("\(blocks[3])") }
        if case .quote(let inner) = blocks[4] { #expect(inner.count == 1) } else { Issue.record("\(blocks[4])") }
        if case .rule = blocks[5] {} else { Issue.record("\(blocks[5])") }
    }

    @Test("inline markup: emphasis, strong, code, links, autolinks, escapes; snake_case and prices stay text")
    func inlines() throws {
        let parser = NotesParser(source: "n.md")
        let parsed = try parser.inlines("*a* **b** `c` [d](https://e.org) <https://f.org> \\*g\\* snake_case costs $5 and $10", line: 1)
        var kinds: [String] = []
        for inline in parsed {
            switch inline {
            case .styled(.emphasis, _): kinds.append("em")
            case .styled(.strong, _): kinds.append("strong")
            case .code: kinds.append("code")
            case .link(_, let url): kinds.append("link \(url)")
            case .math: kinds.append("math")
            default: break
            }
        }
        #expect(kinds == ["em", "strong", "code", "link https://e.org", "link https://f.org"])
        let text = parsed.compactMap { if case .text(let s) = $0 { return s } else { return nil } }.joined()
        #expect(text.contains("*g*") && text.contains("snake_case") && text.contains("$5 and $10"))
        let math = try parser.inlines("with $d_k$ inside", line: 1)
        #expect(math.contains { if case .math(let f) = $0 { return f.tex == "d_k" } else { return false } })
    }

    @Test("figure blocks become figures, numbered, with caption and alt")
    func figures() throws {
        let built = try report("""
            ## S
            ```transfigure
            figure: heatmap
            file: a.npy
            caption: First
            alt: A heatmap of two tokens
            ```
            ```transfigure
            figure: pe
            positions: 10
            ```
            """)
        let figures = built.report.figures
        #expect(figures.map(\.name) == ["figure-1-heatmap", "figure-2-pe"])
        #expect(figures[0].caption == "First" && figures[0].alt == "A heatmap of two tokens")
        #expect(!figures[1].alt.isEmpty)
    }

    @Test("a figure block's options keep their order; lists join with commas, tokens with spaces")
    func requestOptions() throws {
        let request = try FigureRequest.parse("figure: heads\nfile: a.npy\nheads: [0, 2]\ntokens: [I, am]\nsteps: true", file: "n.md", line: 4)
        #expect(request.kind == "heads")
        #expect(request.options.map(\.name) == ["file", "heads", "tokens", "steps"])
        #expect(request.options.map(\.value) == ["a.npy", "0,2", "I am", "true"])
    }

    @Test("a broken figure block stops with an error naming the notes file and the block's line", arguments: [
        ("## S\n\n```transfigure\nlayer: 3\n```\n", 3, "figure:"),
        ("## S\n```transfigure\nfigure: [unclosed\n```\n", 2, "YAML"),
        ("text\n\n```transfigure\nfigure: heatmap\n", 3, "never closed"),
        ("```transfigure\nfigure: heatmap\noutput: x.png\n```\n", 1, "'output' cannot be set in notes; the report decides where its figures go (line 3)"),
        ("```transfigure\nfigure: heatmap\nlayer: 1\nlayer: 2\n```\n", 1, "'layer'"),
        ("a\n\n\n```transfigure\nfigure: broken\n```\n", 4, "cannot draw a broken figure"),
    ])
    func brokenBlocks(notes: String, line: Int, fragment: String) throws {
        let error = try #require(failure(notes))
        #expect(error.file.hasSuffix("notes.md"))
        #expect(error.line == line, "\(error)")
        #expect(error.description.contains(fragment), "\(error)")
        #expect(error.description.hasPrefix(error.file + ":\(line): "))
    }

    @Test("unclosed display math is an error at its line")
    func unclosedMath() throws {
        let error = try #require(failure("para\n\n$$\nx^2\n"))
        #expect(error.line == 3 && error.message.contains("$$"))
    }

    @Test("local images are copied into the report; remote ones become links; data: and javascript: ones lose the image")
    func images() throws {
        let built = try report(
            "## S\n![a plot](img/plot.png) ![remote](https://example.org/x.png) ![bad](data:image/png;base64,AAAA) ![worse](javascript:alert(1))",
            extraFiles: ["img/plot.png": [1, 2, 3]])
        #expect(built.assets.map(\.path) == ["images/1-plot.png"])
        #expect(built.assets.first?.bytes == [1, 2, 3])
        let inlines = paragraphs(built.report.sections[0].blocks).flatMap { $0 }
        #expect(inlines.contains { if case .image(let alt, let source) = $0 { return alt == "a plot" && source == "images/1-plot.png" } else { return false } })
        #expect(inlines.contains { if case .link(_, let url) = $0 { return url == "https://example.org/x.png" } else { return false } })
        #expect(!inlines.contains { if case .image(_, let source) = $0 { return source.contains(":") } else { return false } })
    }

    @Test("images count against a total of 200 MB, each image once")
    func imageTotal() throws {
        try TemporaryDirectory.with { dir in
            // Five 45 MB images (sparse files): the fifth would bring the total past 200 MB.
            for index in 1...5 {
                let path = dir.appendingPathComponent("\(index).png").path
                #expect(FileManager.default.createFile(atPath: path, contents: nil))
                let handle = try #require(FileHandle(forWritingAtPath: path))
                try handle.truncate(atOffset: 45_000_000)
                try handle.close()
            }
            let notes = dir.appendingPathComponent("notes.md").path
            let fourTwice = (1...4).map { "![\($0)](\($0).png)" }.joined(separator: " ")
            try "## S\n\(fourTwice) \(fourTwice)\n".write(toFile: notes, atomically: true, encoding: .utf8)
            #expect(try NotesReport.make(path: notes, resolver: FakeResolver()).assets.count == 4)
            try "## S\n\(fourTwice)\n\n![5](5.png)\n".write(toFile: notes, atomically: true, encoding: .utf8)
            do {
                _ = try NotesReport.make(path: notes, resolver: FakeResolver())
                Issue.record("225 MB of images were accepted")
            } catch let error as NotesError {
                #expect(error.line == 4 && error.message.contains("225000000 bytes, more than the 200000000 supported"))
            }
        }
    }

    @Test("paths outside the notes' folder are refused unless allowed")
    func outside() throws {
        let error = try #require(failure("## S\n![x](../secret.png)\n"))
        #expect(error.message.contains("outside the notes' folder") && error.message.contains("--allow-outside"))
        #expect(throws: NotesPaths.Failure.self) { try NotesPaths.resolve("../a.npy", in: "/tmp/notes", allowOutside: false, what: "file") }
        #expect(throws: NotesPaths.Failure.self) { try NotesPaths.resolve("/etc/passwd", in: "/tmp/notes", allowOutside: false, what: "file") }
        #expect(try NotesPaths.resolve("sub/../a.npy", in: "/tmp/notes", allowOutside: false, what: "file") == "/tmp/notes/a.npy")
        #expect(try NotesPaths.resolve("../a.npy", in: "/tmp/notes", allowOutside: true, what: "file") == "/tmp/a.npy")
    }

    @Test("hostile prose ends up as text in both pages, and unsafe links lose their target")
    func hostile() throws {
        let built = try report("""
            # <script>alert(1)</script> & "quotes"

            ## <img src=x onerror=alert(1)>

            Text <script>alert(2)</script> [click](javascript:alert(3)) [data](data:text/html,<b>) [ok](https://example.org)
            and [tab](java\tscript:alert(4)).
            """)
        let files = try ReportWriter(templates: try TemplateSet(directory: nil)).files(for: built.report)
        let html = String(decoding: try #require(files.first { $0.path == "index.html" }).bytes, as: UTF8.self)
        let markdown = String(decoding: try #require(files.first { $0.path == "index.md" }).bytes, as: UTF8.self)
        for page in [html, markdown] {
            #expect(!page.contains("<script>") && !page.contains("<img src=x"))
            #expect(!page.lowercased().contains("javascript:") && !page.contains("data:text"))
            #expect(page.contains("https://example.org"))
        }
        #expect(html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "the tag is text, never an element")
    }

    @Test("link policy keeps web, mail, relative and anchor links only")
    func linkPolicy() {
        #expect(LinkPolicy.safe("https://a.org/x") == "https://a.org/x")
        #expect(LinkPolicy.safe("mailto:a@b.org") == "mailto:a@b.org")
        #expect(LinkPolicy.safe("notes/other.html#x") == "notes/other.html#x")
        #expect(LinkPolicy.safe("#section") == "#section")
        #expect(LinkPolicy.safe("a/b:c") == "a/b:c")
        for bad in ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "java\nscript:x", "data:text/html,x", "vbscript:x", "file:///etc/passwd", ""] {
            #expect(LinkPolicy.safe(bad) == nil, "\(bad)")
        }
    }
}
