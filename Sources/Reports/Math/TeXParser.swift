/// Recursive-descent parser from the TeX subset to a `MathNode` tree.
///
/// The input is checked and copied into an array of characters first, so every offset is a
/// character offset and every look-ahead is constant time. Each loop consumes at least one
/// character or throws, and recursion is bounded by `TeX.maximumDepth`, so no input can hang
/// the parser or overflow the stack.
struct TeXParser {
    /// A construct that is open while its contents are parsed, and what closes it.
    enum Closer: Equatable {
        /// `{` … `}`.
        case brace
        /// The optional argument of `\sqrt`: `[` … `]`.
        case bracket
        /// `\left` … `\right`.
        case right
        /// `\begin{name}` … `\end{name}`, whose cells end at `&` and rows at `\\`.
        case environment(String)

        /// Whether this is an environment, whatever its name.
        var isEnvironment: Bool {
            if case .environment = self { return true }
            return false
        }
    }

    /// An open construct and the offset of its opening token, for error messages.
    struct OpenGroup {
        let closer: Closer
        let offset: Int
    }

    /// What ended a sequence of atoms.
    enum Ending: Equatable {
        case input, brace, bracket, right, cell, row
        /// `\end`, consumed up to its name; the offset of the backslash.
        case end(Int)
    }

    /// Commands with arguments or structure, handled by the parser rather than the symbol tables.
    static var structuralCommands: [String] {
        Array(constructs.keys) + ["right", "middle", "end", "limits", "nolimits", "\\"]
    }

    private let input: [Character]
    private var position = 0
    private var depth = 0
    private var font = TeXSymbols.Font.normal
    /// Open constructs, innermost last.
    private var groups: [OpenGroup] = []

    /// Checks the length and the characters of `tex`.
    init(_ tex: String) throws {
        var characters: [Character] = []
        for character in tex {
            if characters.count == TeX.maximumLength {
                throw TeXError("input longer than \(TeX.maximumLength) characters", at: characters.count)
            }
            try Self.check(character, at: characters.count)
            characters.append(character)
        }
        input = characters
    }

    /// Rejects control characters, which MathML cannot hold, and ASCII punctuation fused with
    /// combining marks (such as `<` + U+0302), which would not be escaped as a whole character.
    private static func check(_ character: Character, at offset: Int) throws {
        for scalar in character.unicodeScalars {
            let value = scalar.value
            let control = (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D)
                || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF
            if control {
                let hex = String(value, radix: 16, uppercase: true)
                throw TeXError("unsupported character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)", at: offset)
            }
        }
        let scalars = character.unicodeScalars
        guard scalars.count > 1, !character.isWhitespace else { return }
        let isASCIIPunctuation = { (scalar: Unicode.Scalar) in
            scalar.isASCII && !(48...57).contains(scalar.value) && !(65...90).contains(scalar.value) && !(97...122).contains(scalar.value)
        }
        if scalars.contains(where: isASCIIPunctuation) {
            throw TeXError("unsupported character sequence", at: offset)
        }
    }

    /// The whole input as one node: a row, or the only atom.
    mutating func parse() throws -> MathNode {
        let (nodes, _) = try sequence(in: nil)
        return Self.group(nodes)
    }

    // The recursion runs sequence → atom → command → construct → argument or sequence. Each of
    // these is kept small, with error messages and non-recursive work in helpers, because a debug
    // build gives every temporary its own stack slot: depth 100 must fit a 512 KiB thread stack.

    // MARK: Sequences

    /// Atoms up to the end of `group` (or of the input when nil), with their scripts.
    private mutating func sequence(in group: OpenGroup?) throws -> ([MathNode], Ending) {
        if let group {
            try enter(at: group.offset)
            groups.append(group)
        }
        defer {
            if group != nil { leave() }
        }
        var nodes: [MathNode] = []
        while true {
            if let ending = try ending(of: group) { return (nodes, ending) }
            if let node = try scriptedAtom() {
                nodes.append(node)
                Self.attachSign(&nodes)
            }
        }
    }

    /// A sign right after a relation, an operator or an opening bracket is unary, as in `= -x` or
    /// `(0, -1)`: it joins the atom after it in one `<mrow>`, where it comes first, so MathML
    /// gives it prefix spacing instead of the wide spacing of binary minus.
    private static func attachSign(_ nodes: inout [MathNode]) {
        guard nodes.count >= 3, case .op(let sign) = nodes[nodes.count - 2], sign == "−" || sign == "+" else { return }
        switch nodes[nodes.count - 3] {
        case .op(let previous) where !")]}|!′".contains(previous), .fence(let previous) where "([{".contains(previous):
            let atom = nodes.removeLast()
            nodes[nodes.count - 1] = .row([.op(sign), atom])
        default: return
        }
    }

    /// Skips whitespace and consumes the token that ends `group`, if it is next; throws for a
    /// closing token that does not belong there.
    private mutating func ending(of group: OpenGroup?) throws -> Ending? {
        skipWhitespace()
        guard position < input.count else {
            if let group { throw Self.unclosed(group) }
            return .input
        }
        let closer = group?.closer
        var isEnvironment = false
        if case .environment = closer { isEnvironment = true }
        let start = position
        switch input[position] {
        case "}":
            guard closer == .brace else { throw closing("unexpected }", at: start) { $0 == .brace } }
            position += 1
            return .brace
        case "]" where closer == .bracket:
            position += 1
            return .bracket
        case "&":
            guard isEnvironment else { throw TeXError("misplaced &", at: start) }
            position += 1
            return .cell
        case "\\":
            let (name, end) = commandName(at: position)
            switch name {
            case "\\":
                guard isEnvironment else { throw TeXError("misplaced \\\\", at: start) }
                position = end
                return .row
            case "right":
                guard closer == .right else { throw closing("unbalanced \\right", at: start) { $0 == .right } }
                position = end
                return .right
            case "end":
                guard isEnvironment else { throw closing("unexpected \\end", at: start) { $0.isEnvironment } }
                position = end
                return .end(start)
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// The error for a closing token that does not close the innermost construct: that construct
    /// is unclosed when an outer one matches the token, otherwise the token is `unexpected`.
    private func closing(_ unexpected: String, at offset: Int, matches: (Closer) -> Bool) -> TeXError {
        if let innermost = groups.last, groups.dropLast().contains(where: { matches($0.closer) }) {
            return Self.unclosed(innermost)
        }
        return TeXError(unexpected, at: offset)
    }

    /// The error for a construct still open at the end of its enclosing construct or the input.
    private static func unclosed(_ group: OpenGroup) -> TeXError {
        switch group.closer {
        case .brace: return TeXError("missing }", at: group.offset)
        case .bracket: return TeXError("missing ]", at: group.offset)
        case .right: return TeXError("unbalanced \\left", at: group.offset)
        case .environment(let name): return TeXError("missing \\end{\(name)}", at: group.offset)
        }
    }

    /// Counts one level of nesting, failing beyond `TeX.maximumDepth`.
    private mutating func enter(at offset: Int) throws {
        depth += 1
        if depth > TeX.maximumDepth {
            throw TeXError("nesting deeper than \(TeX.maximumDepth)", at: offset)
        }
    }

    /// Closes the innermost level of nesting opened by `sequence`.
    private mutating func leave() {
        depth -= 1
        groups.removeLast()
    }

    /// One node for a list: the only node, or a row.
    private static func group(_ nodes: [MathNode]) -> MathNode {
        nodes.count == 1 ? nodes[0] : .row(nodes)
    }

    // MARK: Scripts

    /// The next atom with its scripts; scripts with no atom before them go on an empty base, as
    /// in TeX. Nil for a command that produces nothing.
    private mutating func scriptedAtom() throws -> MathNode? {
        if "^_'".contains(input[position]) { return try scripts(on: .row([]), isOperator: false) }
        guard let parsed = try atom(single: false) else { return nil }
        return try scripts(on: parsed.node, isOperator: parsed.isOperator)
    }

    /// `base` with the subscript, superscript and primes that follow it, in any order.
    private mutating func scripts(on base: MathNode, isOperator: Bool) throws -> MathNode {
        let limits = isOperator ? skipLimits() : nil
        var marks = Scripts()
        while let mark = try marks.next(in: &self) {
            let argument = try argument(for: String(mark))
            if mark == "^" { marks.upper = argument } else { marks.lower = argument }
        }
        // A big operator such as ∑ takes its limits under and over it; MathML's movablelimits
        // moves them beside it again in inline formulas, as TeX does. Function names such as
        // \max keep scripts beside them (an <mi> has no movablelimits), as does \nolimits.
        if case .op = base, isOperator, limits != false, marks.primes == 0, marks.lower != nil || marks.upper != nil {
            return .limits(base, lower: marks.lower, upper: marks.upper)
        }
        return marks.attached(to: base)
    }

    /// Skips `\limits` and `\nolimits` after a big operator or a function name and returns the
    /// last one given: true for `\limits`, false for `\nolimits`, nil for neither.
    private mutating func skipLimits() -> Bool? {
        var choice: Bool?
        while true {
            skipWhitespace()
            let (name, end) = commandName(at: position)
            guard name == "limits" || name == "nolimits" else { return choice }
            choice = name == "limits"
            position = end
        }
    }

    /// The scripts of one base, collected as they are read.
    private struct Scripts {
        var lower: MathNode?
        var upper: MathNode?
        var primes = 0
        var primesEnded = false

        /// Reads primes, and the next `^` or `_` whose argument the caller reads; nil when the
        /// scripts end. Throws for a second superscript or subscript.
        mutating func next(in parser: inout TeXParser) throws -> Character? {
            while true {
                parser.skipWhitespace()
                guard parser.position < parser.input.count else { return nil }
                let start = parser.position
                let character = parser.input[start]
                switch character {
                case "'":
                    if upper != nil || primesEnded { throw TeXError("double superscript", at: start) }
                    primes += 1
                case "^":
                    if upper != nil { throw TeXError("double superscript", at: start) }
                case "_":
                    if lower != nil { throw TeXError("double subscript", at: start) }
                default:
                    return nil
                }
                parser.position += 1
                if character != "'" {
                    primesEnded = primes > 0
                    return character
                }
            }
        }

        /// `base` with these scripts; primes come first in the superscript.
        func attached(to base: MathNode) -> MathNode {
            var upper = self.upper
            if primes > 0 {
                let marks = ["′", "″", "‴", "⁗"]
                let prime = MathNode.op(primes <= marks.count ? marks[primes - 1] : String(repeating: "′", count: primes))
                upper = upper.map { .row([prime, $0]) } ?? prime
            }
            switch (lower, upper) {
            case let (lower?, upper?): return .subSup(base, lower, upper)
            case let (lower?, nil): return .sub(base, lower)
            case let (nil, upper?): return .sup(base, upper)
            case (nil, nil): return base
            }
        }
    }

    /// The argument of a command or script: a `{…}` group or a single token.
    private mutating func argument(for owner: String) throws -> MathNode {
        skipWhitespace()
        let start = position
        guard isArgumentNext() else { throw Self.missingArgument(for: owner, at: start) }
        if input[start] == "{" { return try braceGroup() }
        // A token argument is a level of nesting too: `\hat\hat\hat…` recurses.
        try enter(at: start)
        defer { depth -= 1 }
        return try atom(single: true)?.node ?? .row([])
    }

    /// Whether an argument starts at the current position: not the end of the input, a closing
    /// token, a script or a command that cannot be an argument.
    private func isArgumentNext() -> Bool {
        guard position < input.count else { return false }
        switch input[position] {
        case "}", "&", "^", "_", "'":
            return false
        case "\\":
            return !["\\", "right", "end", "limits", "nolimits"].contains(commandName(at: position).name)
        default:
            return true
        }
    }

    private static func missingArgument(for owner: String, at offset: Int) -> TeXError {
        TeXError("missing argument for \(owner)", at: offset)
    }

    // MARK: Atoms

    /// An atom and whether it is a big operator or function name, which may take `\limits`.
    typealias Parsed = (node: MathNode, isOperator: Bool)

    /// One atom without its scripts; nil for commands that produce nothing, such as `\!`.
    /// `single` reads one token only, as for an argument: `x^10` is `x^{1}0`, as in TeX.
    private mutating func atom(single: Bool) throws -> Parsed? {
        switch input[position] {
        case "{": return (try braceGroup(), false)
        case "\\": return try command()
        default: return (try token(single: single), false)
        }
    }

    /// `{…}` at the current position as one node.
    private mutating func braceGroup() throws -> MathNode {
        let start = position
        position += 1
        let (nodes, _) = try sequence(in: OpenGroup(closer: .brace, offset: start))
        return Self.group(nodes)
    }

    /// A number, letters or one other character at the current position; never recurses.
    private mutating func token(single: Bool) throws -> MathNode {
        let start = position
        let character = input[position]
        guard let ascii = character.asciiValue else {
            position += 1
            if character.isLetter || character.isNumber { return .identifier(TeXSymbols.styled(character, font)) }
            return .op(String(character))
        }
        switch ascii {
        case 48...57: return number(single: single)
        case 65...90, 97...122: return letters(single: single)
        default: break
        }
        position += 1
        switch character {
        case "-": return .op("−")
        case "*": return .op("∗")
        case "~": return .text("\u{00A0}")
        case "#": throw TeXError("unescaped # (write \\#)", at: start)
        case "%": throw TeXError("unescaped % (write \\%)", at: start)
        case "$": throw TeXError("unexpected $", at: start)
        case "&": throw TeXError("misplaced &", at: start)
        case "}": throw TeXError("unexpected }", at: start)
        case "^", "_", "'": throw Self.missingArgument(for: String(character), at: start)
        default: return .op(String(character))
        }
    }

    /// A number: a run of digits with at most one decimal point followed by a digit.
    private mutating func number(single: Bool) -> MathNode {
        var text = ""
        var seenPoint = false
        while position < input.count {
            let character = input[position]
            if Self.isDigit(character) {
                text += TeXSymbols.styled(character, font)
            } else if character == ".", !seenPoint, !single, position + 1 < input.count, Self.isDigit(input[position + 1]) {
                seenPoint = true
                text += "."
            } else {
                break
            }
            position += 1
            if single { break }
        }
        return .number(text)
    }

    /// Letters: one identifier each, or in roman type one identifier for the whole run
    /// (spaces between letters are ignored, as TeX does in math mode).
    private mutating func letters(single: Bool) -> MathNode {
        guard font == .roman else {
            let letter = input[position]
            position += 1
            return .identifier(TeXSymbols.styled(letter, font))
        }
        var run = String(input[position])
        position += 1
        while !single {
            var next = position
            while next < input.count, input[next].isWhitespace { next += 1 }
            guard next < input.count, Self.isASCIILetter(input[next]) else { break }
            run.append(input[next])
            position = next + 1
        }
        // MathNode writes a one-letter identifier in italic; upright text keeps \mathrm{d} upright.
        return run.count == 1 ? .text(run) : .identifier(run)
    }

    private static func isASCIILetter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (65...90).contains(ascii) || (97...122).contains(ascii)
    }

    private static func isDigit(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (48...57).contains(ascii)
    }

    // MARK: Commands

    /// The name of the command whose backslash is at `offset` and the offset after it: a run of
    /// ASCII letters, or one other character. Empty when `offset` is not a backslash or the
    /// backslash ends the input.
    private func commandName(at offset: Int) -> (name: String, end: Int) {
        guard offset < input.count, input[offset] == "\\", offset + 1 < input.count else { return ("", offset) }
        guard Self.isASCIILetter(input[offset + 1]) else { return (String(input[offset + 1]), offset + 2) }
        var end = offset + 1
        while end < input.count, Self.isASCIILetter(input[end]) { end += 1 }
        return (String(input[(offset + 1)..<end]), end)
    }

    /// The command at the current position.
    private mutating func command() throws -> Parsed? {
        let start = position
        let (name, end) = commandName(at: position)
        position = end
        if let symbol = TeXSymbols.symbols[name] { return Self.parsed(symbol) }
        return try construct(name, at: start)
    }

    /// The atom for a symbol command.
    private static func parsed(_ symbol: TeXSymbols.Symbol) -> Parsed? {
        switch symbol {
        case .identifier(let s): return (.identifier(s), false)
        case .op(let s): return (.op(s), false)
        case .largeOp(let s): return (.op(s), true)
        case .function(let s): return (.identifier(s), true)
        case .space(let s): return s.isEmpty ? nil : (.text(s), false)
        case .ignored: return nil
        }
    }

    /// Commands with arguments or structure, which recurse.
    enum Construct {
        case fraction, binomial, root, text, roman, operatorName, bold, blackboard, calligraphic, left, begin, accent
    }

    /// Constructs by command name. A table rather than string cases keeps `construct`'s stack frame
    /// small, as it is on the recursive path.
    static let constructs: [String: Construct] = {
        var table: [String: Construct] = [
            "frac": .fraction, "dfrac": .fraction, "tfrac": .fraction, "binom": .binomial, "sqrt": .root,
            "text": .text, "textrm": .text, "mbox": .text, "mathrm": .roman, "operatorname": .operatorName,
            "mathbf": .bold, "mathbb": .blackboard, "mathcal": .calligraphic, "left": .left, "begin": .begin,
        ]
        for name in TeXSymbols.accents.keys { table[name] = .accent }
        return table
    }()

    /// A command with arguments or structure, named `name`, whose backslash is at `start`.
    private mutating func construct(_ name: String, at start: Int) throws -> Parsed? {
        guard let construct = Self.constructs[name] else { return try simpleConstruct(name, at: start) }
        switch construct {
        case .fraction: return (try fraction(name), false)
        case .binomial: return (try binomial(), false)
        case .root: return (try root(), false)
        case .text: return (try text(for: name), false)
        case .roman: return (try styled(.roman, for: name), false)
        case .operatorName: return (try operatorName(), true)
        case .bold: return (try styled(.bold, for: name), false)
        case .blackboard: return (try styled(.blackboard, for: name), false)
        case .calligraphic: return (try styled(.calligraphic, for: name), false)
        case .left: return (try leftRight(at: start), false)
        case .begin: return (try environment(at: start), false)
        case .accent: return (try accented(name), false)
        }
    }

    /// Fixed-size and middle delimiters, and the errors for names that are unknown or out of place.
    private mutating func simpleConstruct(_ name: String, at start: Int) throws -> Parsed? {
        if TeXSymbols.bigDelimiters.contains(name) {
            return try delimiter(after: "\\" + name).map { (.op($0), false) }
        }
        switch name {
        case "":
            throw TeXError("missing command name after \\", at: start)
        case "middle":
            guard groups.last?.closer == .right else { throw TeXError("misplaced \\middle", at: start) }
            return try delimiter(after: "\\middle").map { (.fence($0), false) }
        case "limits", "nolimits": throw TeXError("misplaced \\\(name)", at: start)
        case "right": throw TeXError("unbalanced \\right", at: start)
        case "end": throw TeXError("unexpected \\end", at: start)
        case "\\": throw TeXError("misplaced \\\\", at: start)
        default: throw TeXError("unknown command \\\(name)", at: start)
        }
    }

    /// `\frac{a}{b}` and its display and text forms.
    private mutating func fraction(_ name: String) throws -> MathNode {
        let numerator = try argument(for: "\\" + name)
        let denominator = try argument(for: "\\" + name)
        return .fraction(numerator, denominator)
    }

    /// `\binom{n}{k}` as a one-column table in parentheses.
    private mutating func binomial() throws -> MathNode {
        let n = try argument(for: "\\binom")
        let k = try argument(for: "\\binom")
        return .row([.fence("("), .table([[n], [k]]), .fence(")")])
    }

    /// An accent over its argument: a combining mark on a single letter or digit, otherwise a
    /// spacing accent as a superscript (MathNode has no `<mover>`).
    private mutating func accented(_ name: String) throws -> MathNode {
        let base = try argument(for: "\\" + name)
        return Self.accent(name, on: base)
    }

    private static func accent(_ name: String, on base: MathNode) -> MathNode {
        guard let accent = TeXSymbols.accents[name] else { return base }
        // Only letters and digits take a combining mark: on `<` it would hide the `<` from escaping.
        func single(_ s: String) -> Bool { s.count == 1 && s.allSatisfy { $0.isLetter || $0.isNumber } }
        switch base {
        case .identifier(let s) where single(s): return .identifier(s + accent.combining)
        case .number(let s) where single(s): return .number(s + accent.combining)
        default: return .sup(base, .op(accent.spacing))
        }
    }

    /// `\sqrt{x}`, or `\sqrt[n]{x}` with the index as a superscript before the root
    /// (MathNode has no `<mroot>`).
    private mutating func root() throws -> MathNode {
        skipWhitespace()
        var index: MathNode?
        if position < input.count, input[position] == "[" {
            let open = position
            position += 1
            let (nodes, _) = try sequence(in: OpenGroup(closer: .bracket, offset: open))
            index = Self.group(nodes)
        }
        let radicand = try argument(for: "\\sqrt")
        guard let index else { return .sqrt(radicand) }
        return .row([.sup(.row([]), index), .sqrt(radicand)])
    }

    /// `\operatorname{name}` or `\operatorname*{name}`: the name in roman type.
    private mutating func operatorName() throws -> MathNode {
        if position < input.count, input[position] == "*" { position += 1 }
        return try styled(.roman, for: "operatorname")
    }

    /// The argument of `\mathrm`, `\mathbf`, … parsed in `style`.
    private mutating func styled(_ style: TeXSymbols.Font, for name: String) throws -> MathNode {
        let saved = font
        font = style
        defer { font = saved }
        return try argument(for: "\\" + name)
    }

    /// `\left` delimiter … `\right` delimiter, as a row so the fences stretch to its contents only.
    private mutating func leftRight(at start: Int) throws -> MathNode {
        let open = try delimiter(after: "\\left")
        let (nodes, _) = try sequence(in: OpenGroup(closer: .right, offset: start))
        let close = try delimiter(after: "\\right")
        return .row((open.map { [.fence($0)] } ?? []) + nodes + (close.map { [.fence($0)] } ?? []))
    }

    /// The delimiter after `\left`, `\right`, `\middle` or `\big`; nil for `.`.
    private mutating func delimiter(after owner: String) throws -> String? {
        skipWhitespace()
        let missing = TeXError("missing delimiter after \(owner)", at: position)
        guard position < input.count else { throw missing }
        let character = input[position]
        if TeXSymbols.delimiterCharacters.contains(character) {
            position += 1
            return character == "." ? nil : String(character)
        }
        let (name, end) = commandName(at: position)
        guard let delimiter = TeXSymbols.delimiters[name] else { throw missing }
        position = end
        return delimiter
    }

    /// `\begin{name}` cells `&` … `\\` rows … `\end{name}` as a table, with the environment's fences.
    private mutating func environment(at start: Int) throws -> MathNode {
        let name = try environmentName(for: "\\begin")
        var rows: [[MathNode]] = []
        var cells: [MathNode] = []
        while true {
            let (nodes, ending) = try sequence(in: OpenGroup(closer: .environment(name), offset: start))
            cells.append(Self.group(nodes))
            if ending == .cell { continue }
            guard ending == .row else { break }
            rows.append(cells)
            cells = []
        }
        return try endEnvironment(name, rows: rows, lastRow: cells)
    }

    /// Reads the `{name}` after `\end`, checks it, and builds the environment's node.
    private mutating func endEnvironment(_ name: String, rows: [[MathNode]], lastRow: [MathNode]) throws -> MathNode {
        let endOffset = position + 1
        let endName = try environmentName(for: "\\end", known: false)
        guard endName == name else {
            throw TeXError("\\end{\(endName)} does not match \\begin{\(name)}", at: endOffset)
        }
        var rows = rows
        // A trailing \\ before \end leaves an empty last row, which TeX does not show.
        if lastRow.count > 1 || !Self.isEmpty(lastRow[0]) { rows.append(lastRow) }
        let table = MathNode.table(rows, leftAligned: name == "cases")
        let fences = TeXSymbols.environments[name] ?? (nil, nil)
        if fences.open == nil, fences.close == nil { return table }
        return .row((fences.open.map { [.fence($0)] } ?? []) + [table] + (fences.close.map { [.fence($0)] } ?? []))
    }

    private static func isEmpty(_ node: MathNode) -> Bool {
        if case .row(let nodes) = node { return nodes.isEmpty }
        return false
    }

    /// The `{name}` after `\begin` or `\end`; with `known`, a name of a supported environment.
    private mutating func environmentName(for owner: String, known: Bool = true) throws -> String {
        skipWhitespace()
        guard position < input.count, input[position] == "{" else {
            throw Self.missingArgument(for: owner, at: position)
        }
        let open = position
        var end = open + 1
        while end < input.count, input[end] != "}" { end += 1 }
        guard end < input.count else { throw TeXError("missing }", at: open) }
        let name = String(input[(open + 1)..<end])
        if known, TeXSymbols.environments[name] == nil {
            throw TeXError("unknown environment \(name)", at: open + 1)
        }
        position = end + 1
        return name
    }

    // MARK: Text

    /// The `{…}` argument of `\text`: upright text, with runs of spaces shown as one space and
    /// spaces at either end kept as no-break spaces (MathML trims ordinary ones).
    private mutating func text(for name: String) throws -> MathNode {
        skipWhitespace()
        guard position < input.count, input[position] == "{" else {
            throw Self.missingArgument(for: "\\" + name, at: position)
        }
        // Errors end the whole parse, so the depth only needs restoring on success.
        var opens = [position]
        try enter(at: position)
        position += 1
        var out = ""
        var space = false
        func append(_ s: String) {
            if space { out += out.isEmpty ? "\u{00A0}" : " " }
            space = false
            out += s
        }
        while true {
            guard position < input.count else { throw TeXError("missing }", at: opens.last ?? position) }
            let start = position
            let character = input[position]
            position += 1
            switch character {
            case "{":
                try enter(at: start)
                opens.append(start)
            case "}":
                opens.removeLast()
                depth -= 1
                if opens.isEmpty {
                    if space { out += "\u{00A0}" }
                    return .text(out)
                }
            case "~":
                append("\u{00A0}")
            case "^", "_":
                throw TeXError("\(character) is not allowed in \\text", at: start)
            case "&": throw TeXError("misplaced &", at: start)
            case "#": throw TeXError("unescaped # (write \\#)", at: start)
            case "%": throw TeXError("unescaped % (write \\%)", at: start)
            case "$": throw TeXError("math inside \\text is not supported", at: start)
            case "\\":
                let (name, end) = commandName(at: start)
                position = end
                switch name {
                case "": throw TeXError("missing command name after \\", at: start)
                case "{", "}", "%", "&", "#", "$", "_": append(name)
                case " ": space = true
                case "textbackslash": append("\\")
                case "\\": throw TeXError("misplaced \\\\", at: start)
                default:
                    guard case .space(let s)? = TeXSymbols.symbols[name] else {
                        throw TeXError("unknown command \\\(name)", at: start)
                    }
                    append(s)
                }
            default:
                if character.isWhitespace {
                    space = true
                } else {
                    append(String(character))
                }
            }
        }
    }

    // MARK: Input

    private mutating func skipWhitespace() {
        while position < input.count, input[position].isWhitespace { position += 1 }
    }
}
