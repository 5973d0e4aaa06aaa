import Figures
import Foundation
import Testing
import TransformerMath
@testable import Reports

/// The built-in study report, rendered in memory.
@Suite("study report")
struct StudyReportTests {
    /// The report's files, path → bytes, in the order the writer returns them.
    static func renderFiles() throws -> [(path: String, bytes: [UInt8])] {
        let writer = ReportWriter(templates: try TemplateSet(directory: ReportsTestSupport.templates.path))
        return try writer.files(for: try StudyReport.make())
    }

    static func text(_ files: [(path: String, bytes: [UInt8])], _ path: String) throws -> String {
        let bytes = try #require(files.first { $0.path == path }?.bytes, "\(path) is missing")
        return try #require(String(bytes: bytes, encoding: .utf8), "\(path) is not UTF-8")
    }

    // MARK: Files

    @Test("writes index.html, index.md and one PNG per figure, all under unique relative paths")
    func fileList() throws {
        let files = try Self.renderFiles()
        let paths = files.map(\.path)
        #expect(Set(paths).count == paths.count, "duplicate paths: \(paths)")
        #expect(paths.contains("index.html"))
        #expect(paths.contains("index.md"))
        for path in paths {
            #expect(!path.hasPrefix("/") && !path.contains(".."), "\(path) leaves the report folder")
        }
        let figures = files.filter { $0.path.hasPrefix("figures/") }
        #expect(figures.count + 2 == files.count, "unexpected files: \(paths)")

        let model = try StudyReport.make()
        let figureBlocks = model.sections.flatMap(\.blocks).compactMap { block -> ReportFigure? in
            if case .figure(let figure) = block { return figure }
            return nil
        }
        #expect(figureBlocks.count >= 2)
        #expect(Set(figures.map(\.path)) == Set(figureBlocks.map { "figures/\($0.name).png" }))
        for figure in figures {
            #expect(figure.path.hasSuffix(".png"))
            let size = ReportsTestSupport.pngSize(figure.bytes)
            #expect(size != nil, "\(figure.path) is not a PNG")
            #expect((size?.width ?? 0) > 100 && (size?.height ?? 0) > 100)
        }
    }

    @Test("rendering twice gives identical bytes for every file")
    func deterministic() throws {
        let first = try Self.renderFiles()
        let second = try Self.renderFiles()
        #expect(first.map(\.path) == second.map(\.path))
        for (a, b) in zip(first, second) {
            #expect(a.bytes == b.bytes, "\(a.path) differs between renders")
        }
    }

    // MARK: HTML

    @Test("the HTML loads nothing from elsewhere and runs no script")
    func htmlIsSelfContained() throws {
        let files = try Self.renderFiles()
        let html = try Self.text(files, "index.html")
        let lower = html.lowercased()
        #expect(!lower.contains("<script"))
        #expect(!lower.contains("javascript:"))
        #expect(!lower.contains("@import"))
        #expect(!lower.contains("<link"), "no external style sheets")
        #expect(!lower.contains("<iframe"))
        #expect(try ReportsTestSupport.matches(of: #"<[^>]*\son[a-z]+\s*="#, in: html).isEmpty, "event handler attribute")
        #expect(try ReportsTestSupport.matches(of: #"url\(\s*['"]?(https?:|//)"#, in: html).isEmpty, "remote url() in CSS")
        // Every src and href stays inside the report: an anchor, or a file in the file list.
        let paths = Set(files.map(\.path))
        let attributes = try ReportsTestSupport.matches(of: #"\s(src|href)\s*=\s*"([^"]*)""#, in: html)
        #expect(attributes.count >= 4, "expected contents links and image sources")
        for attribute in attributes {
            let (name, value) = (attribute[0].lowercased(), attribute[1])
            #expect(!value.lowercased().hasPrefix("http"), "\(name)=\(value) is remote")
            #expect(!value.hasPrefix("//"), "\(name)=\(value) is remote")
            if value.hasPrefix("#") { continue }
            #expect(paths.contains(value), "\(name)=\(value) is not a file of the report")
        }
        // Formulas are MathML.
        #expect(html.contains("<math"))
        #expect(!html.contains("$$"))
    }

    @Test("every image has alt text and a width and height that match the PNG")
    func htmlImages() throws {
        let files = try Self.renderFiles()
        let html = try Self.text(files, "index.html")
        let tags = try ReportsTestSupport.matches(of: #"(<img\b[^>]*>)"#, in: html).map { $0[0] }
        #expect(tags.count == files.filter { $0.path.hasPrefix("figures/") }.count)
        for tag in tags {
            func attribute(_ name: String) throws -> String? {
                try ReportsTestSupport.matches(of: "\\s\(name)=\"([^\"]*)\"", in: tag).first?.first
            }
            let alt = try attribute("alt")
            #expect(alt.map { $0.count >= 10 } == true, "img without real alt text: \(tag)")
            let src = try #require(try attribute("src"), "img without src: \(tag)")
            let width = try attribute("width").flatMap(Int.init)
            let height = try attribute("height").flatMap(Int.init)
            let png = try #require(files.first { $0.path == src }, "\(src) is not in the report")
            let size = try #require(ReportsTestSupport.pngSize(png.bytes))
            // The PNG is drawn at two device pixels per CSS pixel.
            #expect(width == Int((Double(size.width) / 2).rounded()), "\(tag) vs PNG \(size)")
            #expect(height == Int((Double(size.height) / 2).rounded()), "\(tag) vs PNG \(size)")
        }
    }

    @Test("headings have unique ids and every contents link points at one")
    func htmlAnchors() throws {
        let html = try Self.text(try Self.renderFiles(), "index.html")
        let ids = try ReportsTestSupport.matches(of: #"\sid="([^"]*)""#, in: html).map { $0[0] }
        #expect(Set(ids).count == ids.count, "duplicate ids: \(ids)")
        let headingIDs = try ReportsTestSupport.matches(of: #"<h2 id="([^"]*)""#, in: html).map { $0[0] }
        let model = try StudyReport.make()
        #expect(headingIDs == model.sections.map(\.id))

        let nav = try #require(try ReportsTestSupport.matches(of: #"(<nav[\s\S]*?</nav>)"#, in: html).first?.first, "no table of contents")
        let tocLinks = try ReportsTestSupport.matches(of: ##"href="#([^"]*)""##, in: nav).map { $0[0] }
        #expect(tocLinks == headingIDs)
        for link in try ReportsTestSupport.matches(of: ##"href="#([^"]*)""##, in: html).map({ $0[0] }) {
            #expect(ids.contains(link), "#\(link) points nowhere")
        }
        // The TOC text matches the heading text.
        let tocTitles = try ReportsTestSupport.matches(of: ##"<li><a href="#[^"]*">([^<]*)</a>"##, in: nav).map { $0[0] }
        #expect(tocTitles == model.sections.map { Escaping.html($0.title) })
    }

    // MARK: Markdown

    @Test("Markdown images point at figure PNGs of the report, and contents links at heading slugs")
    func markdownLinks() throws {
        let files = try Self.renderFiles()
        let markdown = try Self.text(files, "index.md")
        let paths = Set(files.map(\.path))
        let images = try ReportsTestSupport.matches(of: #"!\[((?:[^\]\\]|\\.)*)\]\(([^)]*)\)"#, in: markdown)
        #expect(images.count == files.filter { $0.path.hasPrefix("figures/") }.count)
        for image in images {
            let (alt, target) = (image[0], image[1])
            #expect(!alt.isEmpty)
            #expect(target.hasPrefix("figures/") && target.hasSuffix(".png"), "\(target)")
            #expect(paths.contains(target), "\(target) is not in the file list")
        }
        #expect(!markdown.lowercased().contains("<script"))
        #expect(!markdown.contains("](http"))

        // GitHub derives heading anchors from the heading text; the contents links must match.
        let model = try StudyReport.make()
        let links = markdown.split(separator: "\n").filter { $0.hasPrefix("- [") && $0.contains("](#") }
            .map { String($0[$0.range(of: "](#")!.upperBound...].dropLast()) }
        #expect(links == model.sections.map(\.id))
        for section in model.sections {
            #expect(markdown.contains("](#\(section.id))"), "no contents link to \(section.id)")
            #expect(markdown.contains("\n## \(Escaping.markdown(section.title))\n"), "no heading for \(section.title)")
            #expect(Self.githubSlug(section.title) == section.id, "heading '\(section.title)' gets anchor \(Self.githubSlug(section.title)), link says \(section.id)")
        }
    }

    /// GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces to -.
    static func githubSlug(_ title: String) -> String {
        String(title.lowercased().compactMap { character -> Character? in
            if character == " " { return "-" }
            if character.isLetter || character.isNumber || character == "-" || character == "_" { return character }
            return nil
        })
    }

    // MARK: The worked example

    /// softmax(q·kⱼ / 2) for the last token, computed here from the section's own Q and K.
    static func independentLastRow() -> (scores: [Double], scaled: [Double], weights: [Double]) {
        let q = AttentionSection.queries.nested
        let k = AttentionSection.keys.nested
        let last = q[q.count - 1]
        let scores = k.map { key in zip(last, key).reduce(0) { $0 + $1.0 * $1.1 } }
        let scaled = scores.map { $0 / 2 }  // √d_k = √4
        let exps = scaled.map { exp($0) }
        let total = exps.reduce(0, +)
        return (scores, scaled, exps.map { $0 / total })
    }

    @Test("the worked example's numbers equal softmax(q·K/2) computed independently")
    func workedExample() throws {
        #expect(AttentionSection.queries.columns == 4)
        #expect(AttentionSection.keys.columns == 4)
        let mine = Self.independentLastRow()
        #expect(mine.scores == [0, 6, 2, 0, 2, 1])
        #expect(abs(mine.weights.reduce(0, +) - 1) < 1e-12)

        // The numbers behind the paragraph, before formatting.
        let steps = try AttentionSteps(q: AttentionSection.queries, k: AttentionSection.keys)
        let last = AttentionSection.tokens.count - 1
        for j in 0..<mine.weights.count {
            #expect(abs(steps.scores[last, j] - mine.scores[j]) < 1e-12)
            #expect(abs(steps.scaled[last, j] - mine.scaled[j]) < 1e-12)
            #expect(abs(steps.weights[last, j] - mine.weights[j]) < 1e-12, "weight \(j): \(steps.weights[last, j]) vs \(mine.weights[j])")
        }

        // The paragraph says exactly those numbers.
        func formatted(_ values: [Double], _ decimals: Int) -> String {
            values.map { String(format: "%.\(decimals)f", $0) }.joined(separator: ", ")
        }
        let scoresText = formatted(mine.scores, 0)
        let scaledText = formatted(mine.scaled, 1)
        let weightsText = formatted(mine.weights, 3)
        #expect(weightsText == "0.034, 0.689, 0.093, 0.034, 0.093, 0.057")

        let model = try StudyReport.make()
        let paragraph = try #require(model.sections.flatMap(\.blocks).lazy.compactMap { block -> String? in
            guard case .paragraph(let inlines) = block else { return nil }
            let text = inlines.map { inline -> String in
                switch inline {
                case .text(let s), .emphasis(let s), .strong(let s), .code(let s): return s
                case .math(let formula): return formula.tex
                default: return ""
                }
            }.joined()
            return text.hasPrefix("Follow the last token") ? text : nil
        }.first, "no worked-example paragraph")
        #expect(paragraph.contains("are \(scoresText);"), "\(paragraph)")
        #expect(paragraph.contains("they become \(scaledText);"), "\(paragraph)")
        #expect(paragraph.contains("the weights \(weightsText)."), "\(paragraph)")
        let strongest = mine.weights.indices.max { mine.weights[$0] < mine.weights[$1] } ?? -1
        #expect(AttentionSection.tokens[strongest] == "cat")
        #expect(paragraph.contains("The largest weight goes to \(AttentionSection.tokens[strongest])"))

        // And both pages carry them.
        let files = try Self.renderFiles()
        #expect(try Self.text(files, "index.html").contains(weightsText))
        #expect(try Self.text(files, "index.md").contains(weightsText))
        #expect(try Self.text(files, "index.md").contains(scaledText))
    }

    @Test("the diagonal claim counts the rows whose largest weight is on the diagonal")
    func diagonalClaim() throws {
        let q = AttentionSection.queries.nested
        let k = AttentionSection.keys.nested
        let weights = q.map { query -> [Double] in
            let exps = k.map { key in exp(zip(query, key).reduce(0) { $0 + $1.0 * $1.1 } / 2) }
            let total = exps.reduce(0, +)
            return exps.map { $0 / total }
        }
        let wins = weights.indices.filter { r in weights[r].allSatisfy { weights[r][r] >= $0 } }.count
        let markdown = try Self.text(try Self.renderFiles(), "index.md")
        #expect(wins == 0)
        // "none of the 6 rows" when no row wins, "only k of the 6 rows" otherwise.
        let claim = wins == 0 ? "none of the \(q.count) rows" : "\(wins) of the \(q.count) rows"
        #expect(markdown.contains(claim), "the report does not say \(claim)")
    }

    @Test("the decoding section's products and rankings are the ones worked by hand")
    func decodingNumbers() throws {
        let markdown = try Self.text(try Self.renderFiles(), "index.md")
        // Greedy: The (0.7), cat (0.35), ran (0.5), </s> (1); beam: A (0.3), cat (0.9), sat (0.9), </s> (1).
        #expect(markdown.contains("$P = 0.7 \\times 0.35 \\times 0.5 \\times 1 = 0.1225$"))
        #expect(markdown.contains("$P = 0.3 \\times 0.9 \\times 0.9 \\times 1 = 0.243$"))
        #expect(markdown.contains("1.98 times the probability of the greedy sentence"), "0.243 / 0.1225 = 1.984")
        // The exam's trap, computed: 0.7 × 0.001 is 0.0007, not 0.007.
        #expect(markdown.contains("$0.7 \\times 0.001 = 0.0007$"))
        #expect(markdown.contains("$0.3 \\times 0.9 = 0.27$ beats $0.7 \\times 0.35 = 0.245$"))
        // Weather table, k = 3: "sun today </s>" has P = 0.3 · 0.5 · 0.35 = 0.0525 over 3 tokens;
        // "sun today then sun today </s>" has P = 0.3 · 0.5 · 0.3 · 0.4 · 0.5 · 0.35 = 0.00315 over 6.
        // At a = 1: ln(0.0525)/3 = −0.982 < ln(0.00315)/6 = −0.960, so the long one wins; 0.0525/0.00315 = 16.7.
        #expect(String(format: "%.3f", log(0.0525) / 3) == "-0.982" && String(format: "%.3f", log(0.00315) / 6) == "-0.960")
        // (</s> is escaped in Markdown, so it shows as text.)
        #expect(markdown.contains("Without a penalty “sun today &lt;/s&gt;” (3 tokens) wins. With a = 1, “sun today then sun today &lt;/s&gt;” (6 tokens) wins"))
        #expect(markdown.contains("16.7 times smaller"))
    }

    // MARK: Hostile text through the whole writer

    @Test("hostile text in the model is escaped in both pages")
    func hostileModel() throws {
        var figure = HeatmapFigure(matrix: Matrix([[0.25, 0.75], [1, 0]]))
        figure.rowTokens = ["<s>", "&"]
        figure.columnTokens = ["\"q\"", "`t`"]
        let evil = "<script>alert(1)</script>"
        let report = Report(
            title: "\(evil) & title", subtitle: "# not a heading",
            sections: [ReportSection(id: "evil", title: "A | B & <C>", blocks: [
                .paragraph([.text(evil), .emphasis("*x*"), .strong("</strong><script>"), .code("a`b<i>")]),
                .heading("<h1>no</h1>"),
                .list([[.text("- not nested")], [.text("[link](http://example.com)")]]),
                .table(ReportTable(header: ["a|b", "<th>"], rows: [["x|y", "<td>"]], caption: evil)),
                .figure(ReportFigure(name: "evil", figure: figure, caption: evil, alt: "\" onerror=\"alert(1)")),
            ])])
        let files = try ReportWriter(templates: try TemplateSet(directory: ReportsTestSupport.templates.path)).files(for: report)
        let html = try Self.text(files, "index.html")
        let markdown = try Self.text(files, "index.md")
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("<h1>no"))
        #expect(!html.contains("<th><th>"))
        #expect(!html.contains("onerror=\"alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("alt=\"&quot; onerror=&quot;alert(1)\""))
        #expect(!markdown.lowercased().contains("<script"))
        #expect(!markdown.contains("<td>"))
        #expect(markdown.contains("| a\\|b | &lt;th&gt; |"))
        #expect(markdown.contains("| x\\|y | &lt;td&gt; |"))
        #expect(markdown.contains("\\# not a heading"))
        #expect(markdown.contains("\\[link\\](http://example.com)"))
        #expect(markdown.contains("``a`b<i>``"))
    }
}
