import Figures

/// A report: titled sections of prose, formulas, tables and computed figures.
/// Code builds this model; templates only lay it out.
public struct Report: Sendable {
    /// Page title.
    public var title: String
    /// One-line summary under the title.
    public var subtitle: String
    /// Sections in reading order.
    public var sections: [ReportSection]

    /// Creates a report.
    public init(title: String, subtitle: String, sections: [ReportSection]) {
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
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
    /// A sub-heading inside a section.
    case heading(String)
    /// A bulleted list; each item is inline content.
    case list([[Inline]])
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
}

/// A table: header cells and rows of text cells.
public struct ReportTable: Sendable {
    /// Column headings.
    public var header: [String]
    /// Body rows, each as long as `header`.
    public var rows: [[String]]
    /// Which columns hold numbers (right-aligned).
    public var numericColumns: Set<Int>
    /// A short caption.
    public var caption: String

    /// Creates a table.
    public init(header: [String], rows: [[String]], numericColumns: Set<Int> = [], caption: String) {
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
