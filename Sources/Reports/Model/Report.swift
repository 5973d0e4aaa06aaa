import Figures

/// A report: titled sections of prose, formulas, tables and computed figures.
/// Code builds this model; templates only lay it out.
public struct Report: Sendable {
    /// Page title.
    public var title: String
    /// One-line summary under the title.
    public var subtitle: String
    /// Content before the first section (notes often start with a few paragraphs).
    public var introduction: [ReportBlock]
    /// Sections in reading order.
    public var sections: [ReportSection]
    /// The line at the foot of the page.
    public var footer: String

    /// What the built-in report's footer says.
    public static let computedFooter = "Written by Transfigure. Every number and figure in this report is computed, not copied."

    /// Creates a report.
    public init(
        title: String, subtitle: String, introduction: [ReportBlock] = [], sections: [ReportSection], footer: String = Report.computedFooter
    ) {
        self.title = title
        self.subtitle = subtitle
        self.introduction = introduction
        self.sections = sections
        self.footer = footer
    }

    /// Every figure of the report, in reading order, block quotes included.
    public var figures: [ReportFigure] {
        func collect(_ blocks: [ReportBlock]) -> [ReportFigure] {
            blocks.flatMap { block -> [ReportFigure] in
                switch block {
                case .figure(let figure): return [figure]
                case .quote(let inner): return collect(inner)
                default: return []
                }
            }
        }
        return collect(introduction) + sections.flatMap { collect($0.blocks) }
    }
}

/// A titled part of a report, with an anchor for the table of contents.
public struct ReportSection: Sendable {
    /// Anchor id, unique in the report (`scaled-dot-product-attention`).
    public var id: String
    /// Heading text.
    public var title: String
    /// Content in reading order.
    public var blocks: [ReportBlock]

    /// Creates a section.
    public init(id: String, title: String, blocks: [ReportBlock]) {
        self.id = id
        self.title = title
        self.blocks = blocks
    }
}

/// One block of report content.
public enum ReportBlock: Sendable {
    /// A paragraph of inline content.
    case paragraph([Inline])
    /// A sub-heading inside a section (h3).
    case heading(String)
    /// A deeper heading from notes: `level` 3 to 6, with its anchor id.
    case subheading(String, level: Int, id: String)
    /// A bulleted list; each item is inline content.
    case list([[Inline]])
    /// A numbered list starting at `start`.
    case orderedList([[Inline]], start: Int)
    /// A block quote.
    case quote([ReportBlock])
    /// A block of code, shown verbatim; `language` is the fence's info word (may be empty).
    case code(String, language: String)
    /// A thematic break.
    case rule
    /// A displayed formula.
    case formula(Formula)
    /// A table of text cells with a header row.
    case table(ReportTable)
    /// A computed figure.
    case figure(ReportFigure)
}

/// Inline content of a paragraph.
public enum Inline: Sendable {
    /// Plain text.
    case text(String)
    /// Emphasised text.
    case emphasis(String)
    /// Strong text.
    case strong(String)
    /// Code or a token, shown in a monospaced font.
    case code(String)
    /// An inline formula.
    case math(Formula)
    /// Emphasised or strong content that holds other inline content.
    case styled(InlineStyle, [Inline])
    /// A link; `url` is checked by the writer (only http, https, mailto, relative and #anchors survive).
    case link([Inline], url: String)
    /// An image from the notes: `source` is a path in the report folder.
    case image(alt: String, source: String)
    /// A hard line break.
    case lineBreak
}

extension [Inline] {
    /// The content as plain text: markup dropped, code and math keep their source, images their alt text.
    var plainText: String {
        map { inline -> String in
            switch inline {
            case .text(let s), .emphasis(let s), .strong(let s), .code(let s): return s
            case .math(let formula): return formula.tex
            case .styled(_, let content), .link(let content, _): return content.plainText
            case .image(let alt, _): return alt
            case .lineBreak: return " "
            }
        }.joined()
    }
}

/// How `Inline.styled` content is set.
public enum InlineStyle: Sendable {
    /// Emphasis (italic).
    case emphasis
    /// Strong importance (bold).
    case strong
    /// Struck-out text.
    case strikethrough
}

/// A table: header cells and rows of cells, each cell inline content.
public struct ReportTable: Sendable {
    /// Column headings.
    public var header: [[Inline]]
    /// Body rows, each as long as `header`.
    public var rows: [[[Inline]]]
    /// Which columns are right-aligned (numbers).
    public var numericColumns: Set<Int>
    /// A short caption; empty for none.
    public var caption: String

    /// Creates a table of plain-text cells.
    public init(header: [String], rows: [[String]], numericColumns: Set<Int> = [], caption: String) {
        self.init(cells: header.map { [.text($0)] }, rows: rows.map { $0.map { [.text($0)] } }, numericColumns: numericColumns, caption: caption)
    }

    /// Creates a table of inline cells.
    public init(cells header: [[Inline]], rows: [[[Inline]]], numericColumns: Set<Int> = [], caption: String) {
        self.header = header
        self.rows = rows
        self.numericColumns = numericColumns
        self.caption = caption
    }
}

/// A figure computed for the report: what to draw, plus the words around it.
public struct ReportFigure: Sendable {
    /// File name stem under `figures/` (`attention-weights`).
    public var name: String
    /// What to draw.
    public var figure: any Figure
    /// Caption shown under the figure.
    public var caption: String
    /// Alternative text describing what the figure shows, for readers who cannot see it.
    public var alt: String

    /// Creates a report figure.
    public init(name: String, figure: any Figure, caption: String, alt: String) {
        self.name = name
        self.figure = figure
        self.caption = caption
        self.alt = alt
    }
}
