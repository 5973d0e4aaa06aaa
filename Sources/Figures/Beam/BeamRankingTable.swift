import Foundation
import TransformerMath

/// The final hypotheses of a search, best score first, as a table: rank, sentence, how it ended,
/// length, P, log P and score; the winner starred, and the greedy decoding below a rule for comparison.
struct BeamRankingTable {
    enum Metrics {
        static let columnGap = 10.0
        static let rowGap = 3.0
        static let maxSentenceWidth = 260.0
    }

    private let title = "Final hypotheses, best score first"
    private let header = ["#", "hypothesis", "ended", "length", "P", "log P", "score"]
    /// Numeric columns are right-aligned.
    private let rightAligned: Set<Int> = [3, 4, 5, 6]
    private var rows: [[String]] = []
    private var columnWidth: [Double] = []
    private let rowHeight: Double
    private let formula: String
    private(set) var size = Size(width: 0, height: 0)

    init(result: BeamSearchResult, measurer: any TextMeasurer) {
        let search = result.search
        func row(rank: String, tokens: [String], ending: DecodingEnd, logProbability: Double) -> [String] {
            let sentence = TokenLabels.truncated(
                BeamStyle.sentence(tokens), maxWidth: Metrics.maxSentenceWidth, font: BeamStyle.tableFont, measurer: measurer)
            return [
                rank, sentence, ending == .eos ? result.eos : "length", String(tokens.count),
                BeamStyle.probability(exp(logProbability)), BeamStyle.logProbability(logProbability),
                BeamStyle.logProbability(search.score(logProbability: logProbability, length: tokens.count)),
            ]
        }
        var rows: [[String]] = []
        for (index, hypothesis) in result.hypotheses.enumerated() {
            rows.append(row(rank: index == 0 ? "1 ★" : "\(index + 1)", tokens: hypothesis.tokens, ending: hypothesis.ending, logProbability: hypothesis.logProbability))
        }
        let greedy = result.greedy
        rows.append(row(rank: "greedy", tokens: greedy.tokens, ending: greedy.ending, logProbability: greedy.logProbability))

        let header = self.header
        let columnWidth = header.indices.map { column in
            let cells = [measurer.measure(header[column], font: BeamStyle.tableHeaderFont).width]
                + rows.indices.map { measurer.measure(rows[$0][column], font: Self.font(row: $0, column: column, rows: rows.count)).width }
            return (cells.max() ?? 0).rounded(.up)
        }
        self.rows = rows
        self.columnWidth = columnWidth
        rowHeight = measurer.measure("Ag", font: BeamStyle.tableFont).height + Metrics.rowGap
        formula = search.lengthPenalty == 0
            ? "score = log P / length^a with a = 0: ranked by log P alone"
            : "score = log P / length^a with a = \(NumberFormat.plain(search.lengthPenalty)): longer hypotheses are penalised less"
        let tableWidth = columnWidth.reduce(0, +) + Metrics.columnGap * Double(header.count - 1)
        let title = self.title
        let width = max(
            tableWidth, measurer.measure(title, font: BeamStyle.panelTitleFont).width, measurer.measure(formula, font: BeamStyle.tableFont).width)
        let titleHeight = measurer.measure(title, font: BeamStyle.panelTitleFont).height
        // Title, header, the hypotheses, a gap and the greedy row, the formula.
        size = Size(width: width.rounded(.up), height: (titleHeight + 6 + rowHeight * Double(rows.count + 1) + 6 + 4 + rowHeight).rounded(.up))
    }

    /// The winner's row and the greedy row's label are bold.
    static func font(row: Int, column: Int, rows: Int) -> Font {
        row == 0 || (row == rows - 1 && column == 0) ? BeamStyle.tableHeaderFont : BeamStyle.tableFont
    }

    /// Draws the table with its top-left at `origin`.
    func draw(into builder: inout SceneBuilder, at origin: Point) {
        let titleItem = builder.text(title, at: origin, font: BeamStyle.panelTitleFont, vertical: .top)
        var columnX: [Double] = []
        var x = origin.x
        for width in columnWidth {
            columnX.append(x)
            x += width + Metrics.columnGap
        }
        let right = x - Metrics.columnGap
        func cell(_ text: String, column: Int, y: Double, font: Font, color: Color) {
            let alignRight = rightAligned.contains(column)
            builder.text(
                text, at: Point(alignRight ? columnX[column] + columnWidth[column] : columnX[column], y), font: font, color: color,
                horizontal: alignRight ? .trailing : .leading, vertical: .top)
        }

        var y = titleItem.bounds.maxY + 6
        for (column, text) in header.enumerated() { cell(text, column: column, y: y, font: BeamStyle.tableHeaderFont, color: .ink) }
        y += rowHeight
        builder.shape(.segment(from: Point(origin.x, y - 1.5), to: Point(right, y - 1.5)), stroke: Stroke(color: .mutedInk, width: 0.6))
        for (index, row) in rows.enumerated() {
            let isGreedy = index == rows.count - 1
            if isGreedy {
                y += 6
                builder.shape(.segment(from: Point(origin.x, y - 3), to: Point(right, y - 3)), stroke: Stroke(color: BeamStyle.prunedLine, width: 0.6))
            }
            if index == 0 {
                builder.shape(.rect(Rect(x: origin.x - 3, y: y - 1.5, width: right - origin.x + 6, height: rowHeight)), fill: BeamStyle.finished.tinted(0.12))
            }
            for (column, text) in row.enumerated() {
                let color: Color = isGreedy && column == 0 ? BeamStyle.greedy : .ink
                cell(text, column: column, y: y, font: Self.font(row: index, column: column, rows: rows.count), color: color)
            }
            y += rowHeight
        }
        builder.text(formula, at: Point(origin.x, y + 4), font: BeamStyle.tableFont, color: .mutedInk, vertical: .top)
    }
}
