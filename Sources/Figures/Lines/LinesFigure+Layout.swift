import Foundation
import TransformerMath

extension LinesFigure {
    /// Sizes in points that shape the lines view.
    enum Metrics {
        static let margin = 16.0
        static let titleFont = Font(size: 13, weight: .bold)
        static let headerFont = Font(size: 10, weight: .bold)
        static let labelFont = Font(size: 10)
        static let highlightFont = Font(size: 10, weight: .bold)
        static let legendFont = Font(size: 9)
        static let captionFont = Font(size: 9)
        /// Row pitch as a multiple of the label line height: room to tell neighbouring rows apart.
        static let pitchFactor = 1.45
        /// Space between a label and the end of its lines.
        static let anchorGap = 6.0
        static let maxLabelWidth = 140.0
        /// Horizontal run of the lines: wider for taller columns, so steep lines stay apart.
        static let minBand = 200.0
        static let maxBand = 360.0
        /// Legend swatch length and the gaps between legend entries and groups.
        static let swatchLength = 18.0
        static let entryGap = 14.0
        static let groupGap = 24.0
        /// Weights the legend uses to show how width and opacity encode a weight.
        static let sampleWeights = [0.1, 0.5, 1.0]
        /// Labels of queries other than the highlighted one.
        static let dimmedInk = Color(hex: 0xA3A3A3)
        static let minContentWidth = 320.0
        /// The chosen query's weights beside the keys: font, space after the key labels, between heads.
        static let valueFont = Font(size: 9)
        static let valueGap = 10.0
        static let valueSpacing = 6.0
    }

    /// One legend entry: a line sample and its label.
    private struct LegendEntry {
        let stroke: Stroke?
        let label: String
        let color: Color
    }

    /// Lays the view out: title, legend, column headers, one row per token, the lines clipped to
    /// the band between the columns (one `.clipped` group, weakest link first), then the caption.
    /// Throws a `FigureError` when the heads, names or tokens do not fit together, or there are
    /// more than `maxTokens` tokens on a side. The page grows with the number of tokens.
    public func layout(measurer: any TextMeasurer, pixelsPerPoint: Double) throws -> Scene {
        try validate()
        let n = queryCount, m = keyCount
        var builder = SceneBuilder(measurer: measurer)

        // Labels, truncated so one long token cannot push the lines off the page.
        let queryLabels = labels(queryTokens, count: n, first: firstQuery).map {
            TokenLabels.truncated($0, maxWidth: Metrics.maxLabelWidth, font: Metrics.highlightFont, measurer: measurer)
        }
        let keyLabels = labels(keyTokens, count: m, first: firstKey).map {
            TokenLabels.truncated($0, maxWidth: Metrics.maxLabelWidth, font: Metrics.labelFont, measurer: measurer)
        }
        let highlighted = query.map { $0 - firstQuery }
        func queryFont(_ row: Int) -> Font { row == highlighted ? Metrics.highlightFont : Metrics.labelFont }

        let lineHeight = measurer.measure("Ag", font: Metrics.labelFont).height
        let pitch = (lineHeight * Metrics.pitchFactor).rounded(.up)
        let rowCount = max(n, m)
        let columnsHeight = Double(rowCount) * pitch

        // Horizontal: query labels | lines | key labels, centred on the page.
        let queryHeader = "query", keyHeader = "key"
        var leftWidth = measurer.measure(queryHeader, font: Metrics.headerFont).width
        for (row, label) in queryLabels.enumerated() {
            leftWidth = max(leftWidth, measurer.measure(label, font: queryFont(row)).width)
        }
        var keyWidth = measurer.measure(keyHeader, font: Metrics.headerFont).width
        for label in keyLabels { keyWidth = max(keyWidth, measurer.measure(label, font: Metrics.labelFont).width) }

        // With one query chosen, its drawn weights are written beside the keys, one column per
        // head in the head's colour: the lines show the pattern, the numbers the exact values.
        let values: [[String?]] = highlighted.map { row in
            heads.map { matrix in
                (0..<m).map { k in matrix[row, k] >= threshold ? NumberFormat.fixed(matrix[row, k], decimals: 2) : nil }
            }
        } ?? []
        let valueHeader = "weight"
        var valueColumn = 0.0
        for text in values.joined().compactMap({ $0 }) {
            valueColumn = max(valueColumn, measurer.measure(text, font: Metrics.valueFont).width)
        }
        let valuesWidth = values.isEmpty ? 0 : max(
            Double(heads.count) * valueColumn + Double(heads.count - 1) * Metrics.valueSpacing,
            measurer.measure(valueHeader, font: Metrics.valueFont).width)
        let rightWidth = keyWidth + (values.isEmpty ? 0 : Metrics.valueGap + valuesWidth)
        let band = min(Metrics.maxBand, max(Metrics.minBand, columnsHeight * 0.9))
        let blockWidth = leftWidth + Metrics.anchorGap + band + Metrics.anchorGap + rightWidth

        let titleExtent = measurer.measure(title, font: Metrics.titleFont)
        let contentWidth = max(blockWidth, title.isEmpty ? 0 : titleExtent.width, Metrics.minContentWidth)
        let pageWidth = (contentWidth + 2 * Metrics.margin).rounded(.up)
        let blockX = ((pageWidth - blockWidth) / 2).rounded()
        let queryRight = blockX + leftWidth
        let leftAnchor = queryRight + Metrics.anchorGap
        let rightAnchor = leftAnchor + band
        let keyLeft = rightAnchor + Metrics.anchorGap

        // Vertical: title, legend, column headers, rows, caption.
        var y = Metrics.margin
        if !title.isEmpty {
            builder.text(title, at: Point(pageWidth / 2, y), font: Metrics.titleFont, horizontal: .center, vertical: .top)
            y += titleExtent.height + 8
        }
        let legendBottom = addLegend(to: &builder, top: y, pageWidth: pageWidth, contentWidth: contentWidth)
        if legendBottom > y { y = legendBottom + 12 }

        let headerHeight = measurer.measure(queryHeader, font: Metrics.headerFont).height
        builder.text(queryHeader, at: Point(queryRight, y), font: Metrics.headerFont, color: .mutedInk, horizontal: .trailing, vertical: .top)
        builder.text(keyHeader, at: Point(keyLeft, y), font: Metrics.headerFont, color: .mutedInk, vertical: .top)
        let valuesLeft = keyLeft + keyWidth + Metrics.valueGap
        if !values.isEmpty {
            builder.text(valueHeader, at: Point(valuesLeft, y + headerHeight), font: Metrics.valueFont, color: .mutedInk, vertical: .bottom)
        }
        let rowsTop = y + headerHeight + 4
        // The shorter column is centred against the taller one (cross-attention).
        let queryTop = rowsTop + Double(rowCount - n) * pitch / 2
        let keyTop = rowsTop + Double(rowCount - m) * pitch / 2
        func queryY(_ row: Int) -> Double { queryTop + (Double(row) + 0.5) * pitch }
        func keyY(_ column: Int) -> Double { keyTop + (Double(column) + 0.5) * pitch }

        // Lines first, so labels are never covered; weakest first so strong links sit on top.
        // Heads are nudged apart within a row so coinciding links of two heads both show.
        let headCount = heads.count
        let spread = headCount > 1 ? min(1.6, pitch * 0.45 / Double(headCount - 1)) : 0
        let drawn = links
        var lines: [SceneItem] = []
        for link in drawn {
            let offset = (Double(link.head) - Double(headCount - 1) / 2) * spread
            let color = Self.color(ofHead: link.head).withAlpha(Self.lineOpacity(for: link.weight))
            let path = Path.segment(from: Point(leftAnchor, queryY(link.query) + offset), to: Point(rightAnchor, keyY(link.key) + offset))
            let stroke = Stroke(color: color, width: Self.lineWidth(for: link.weight), dash: Self.dash(ofHead: link.head))
            lines.append(.shape(path, fill: nil, stroke: stroke))
        }
        builder.append(.clipped(to: Rect(x: leftAnchor, y: rowsTop, width: band, height: columnsHeight), lines))

        for (row, label) in queryLabels.enumerated() {
            let color: Color = highlighted == nil || row == highlighted ? .ink : Metrics.dimmedInk
            builder.text(label, at: Point(queryRight, queryY(row)), font: queryFont(row), color: color, horizontal: .trailing, vertical: .middle)
        }
        // With one query chosen, keys it does not link to are muted so the linked ones stand out.
        let linkedKeys = Set(drawn.map(\.key))
        for (column, label) in keyLabels.enumerated() {
            let color: Color = highlighted == nil || linkedKeys.contains(column) ? .ink : Metrics.dimmedInk
            builder.text(label, at: Point(keyLeft, keyY(column)), font: Metrics.labelFont, color: color, vertical: .middle)
        }
        for (head, column) in values.enumerated() {
            let right = valuesLeft + Double(head) * (valueColumn + Metrics.valueSpacing) + valueColumn
            for (key, text) in column.enumerated() {
                guard let text else { continue }
                builder.text(
                    text, at: Point(right, keyY(key)), font: Metrics.valueFont, color: Self.color(ofHead: head),
                    horizontal: .trailing, vertical: .middle)
            }
        }

        // Caption under everything, wrapped to the page.
        y = rowsTop + columnsHeight + 12
        y = builder.caption(
            fullCaption(drawn: drawn.count), at: Point(Metrics.margin, y), width: contentWidth, font: Metrics.captionFont)
        return Scene(size: Size(width: pageWidth, height: (y + Metrics.margin).rounded(.up)), items: builder.items)
    }

    /// Checks that the heads, names and tokens fit together and are small enough to draw.
    func validate() throws(FigureError) {
        guard let first = heads.first else { throw .empty("there are no heads to draw") }
        let n = first.rows, m = first.columns
        guard n > 0, m > 0 else { throw .empty("the attention matrix has no cells; there is nothing to draw") }
        if let other = heads.firstIndex(where: { $0.rows != n || $0.columns != m }) {
            throw .empty(
                "head \(other) is \(heads[other].rows) × \(heads[other].columns) but head 0 is \(n) × \(m); every head needs the same queries and keys")
        }
        guard headNames.count == heads.count else {
            throw .labels("\(headNames.count) head names for \(heads.count) heads")
        }
        if let queryTokens, queryTokens.count != n {
            throw .labels("\(queryTokens.count) query tokens for \(n) queries")
        }
        if let keyTokens, keyTokens.count != m {
            throw .labels("\(keyTokens.count) key tokens for \(m) keys")
        }
        if max(n, m) > Self.maxTokens {
            let what = n == m ? "\(n) queries and keys are" : n > m ? "\(n) queries are" : "\(m) keys are"
            throw .labels(
                "\(what) too many to draw as lines (at most \(Self.maxTokens) per side); crop them with --window START:END, or draw a heatmap")
        }
        if let query, !(firstQuery..<(firstQuery + n)).contains(query) {
            throw .empty("query \(query) is not shown: the queries drawn are \(firstQuery)–\(firstQuery + n - 1)")
        }
    }

    private func labels(_ tokens: [String]?, count: Int, first: Int) -> [String] {
        guard let tokens else { return TokenLabels.indices(count: count, firstIndex: first) }
        return TokenLabels.labels(for: tokens, firstIndex: first, display: tokenDisplay)
    }

    /// Whether the legend is worth drawing: several heads, or one with a name.
    private var showsHeadLegend: Bool {
        heads.count > 1 || headNames.first.map { !$0.isEmpty } ?? false
    }

    /// The legend above the columns, where it can never cover a line: one entry per head,
    /// then samples of how width and opacity encode a weight. Returns its bottom edge.
    private func addLegend(to builder: inout SceneBuilder, top: Double, pageWidth: Double, contentWidth: Double) -> Double {
        var headEntries: [LegendEntry] = []
        if showsHeadLegend {
            for (index, name) in headNames.enumerated() {
                let stroke = Stroke(color: Self.color(ofHead: index), width: 3, dash: Self.dash(ofHead: index))
                headEntries.append(LegendEntry(stroke: stroke, label: name, color: .ink))
            }
        }
        // One head: the samples in its colour; several: in neutral grey, as the encoding is shared.
        let sampleColor = heads.count == 1 ? Self.color(ofHead: 0) : Color(hex: 0x4D4D4D)
        var weightEntries = [LegendEntry(stroke: nil, label: "weight", color: .mutedInk)]
        for w in Metrics.sampleWeights {
            let stroke = Stroke(color: sampleColor.withAlpha(Self.lineOpacity(for: w)), width: Self.lineWidth(for: w))
            weightEntries.append(LegendEntry(stroke: stroke, label: NumberFormat.short(w), color: .mutedInk))
        }

        // Flow the entries into rows no wider than the content, each row centred. The weight key
        // moves to a new row as a whole rather than leaving "weight" apart from its samples.
        func width(_ entry: LegendEntry) -> Double {
            let text = builder.measure(entry.label, font: Metrics.legendFont).width
            return entry.stroke == nil ? min(text, contentWidth) : Metrics.swatchLength + 4 + min(text, contentWidth - Metrics.swatchLength - 4)
        }
        var rows: [[(LegendEntry, Double)]] = [[]]
        var rowWidth = 0.0
        for group in [headEntries, weightEntries] where !group.isEmpty {
            let groupWidth = group.map(width).reduce(0, +) + Double(group.count - 1) * Metrics.entryGap
            if !rows[rows.count - 1].isEmpty, rowWidth + Metrics.groupGap + groupWidth > contentWidth {
                rows.append([])
                rowWidth = 0
            }
            for (index, entry) in group.enumerated() {
                let w = width(entry)
                let gap = rows[rows.count - 1].isEmpty ? 0 : (index == 0 ? Metrics.groupGap : Metrics.entryGap)
                if !rows[rows.count - 1].isEmpty, rowWidth + gap + w > contentWidth {
                    rows.append([(entry, 0)])
                    rowWidth = w
                } else {
                    rows[rows.count - 1].append((entry, gap))
                    rowWidth += gap + w
                }
            }
        }
        let rowHeight = builder.measure("Ag", font: Metrics.legendFont).height + 4
        var y = top
        for row in rows where !row.isEmpty {
            let total = row.reduce(0) { $0 + $1.1 + width($1.0) }
            var x = ((pageWidth - total) / 2).rounded()
            let mid = y + rowHeight / 2
            for (entry, gap) in row {
                x += gap
                var textX = x
                if let stroke = entry.stroke {
                    builder.shape(.segment(from: Point(x, mid), to: Point(x + Metrics.swatchLength, mid)), stroke: stroke)
                    textX = x + Metrics.swatchLength + 4
                }
                let label = TokenLabels.truncated(
                    entry.label, maxWidth: contentWidth - (textX - x), font: Metrics.legendFont, measurer: builder.measurer)
                builder.text(label, at: Point(textX, mid), font: Metrics.legendFont, color: entry.color, vertical: .middle)
                x += width(entry)
            }
            y += rowHeight
        }
        return y
    }

    /// The caller's caption followed by what the figure shows and how it encodes it.
    func fullCaption(drawn: Int) -> String {
        var parts: [String] = []
        if let caption, !caption.isEmpty { parts.append(caption) }
        let named = headNames.filter { !$0.isEmpty }
        if heads.count > 1 {
            // No-break spaces keep each name ("L3 H1") on one caption line.
            let list = named.map { $0.split(separator: " ").joined(separator: "\u{00A0}") }.joined(separator: ", ")
            parts.append("\(heads.count) heads overlaid, one colour each (\(list))")
        } else if let name = named.first {
            parts.append(name)
        }
        if let query {
            if let token = queryTokens?[query - firstQuery] {
                let shown = TokenLabels.makeVisible(tokenDisplay == .readable ? TokenLabels.readable(token) : token)
                parts.append("only the links of query \(query) “\(shown)”, its weights written beside the keys")
            } else {
                parts.append("only the links of query \(query), its weights written beside the keys")
            }
        }
        let possible = heads.count * (query == nil ? queryCount : 1) * keyCount
        let shown = threshold > 0 ? "links with weight ≥ \(NumberFormat.short(threshold)) drawn" : "every link drawn"
        parts.append("\(shown) (\(drawn) of \(possible))")
        parts.append("line width and opacity ∝ weight")
        parts.append("left: \(queryCount) queries, right: \(keyCount) keys")
        if tokenDisplay == .readable, TokenLabels.hasMarkers((queryTokens ?? []) + (keyTokens ?? [])) {
            parts.append("tokenizer markers (Ġ ▁ ## </w>) shown as plain text")
        }
        return parts.joined(separator: " · ") + "."
    }
}
