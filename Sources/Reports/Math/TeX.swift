/// Converts the TeX subset used in the course notes into MathML trees, so a formula is written once,
/// in TeX, and the HTML report gets the same formula as MathML.
///
/// Supported: letters (one `<mi>` each), numbers such as `0.125`, operators (`-` becomes U+2212),
/// groups, `^`/`_`/`'` in any order, `\frac`/`\dfrac`/`\tfrac`, `\binom`, `\sqrt` and `\sqrt[n]`,
/// `\text`, `\mathrm`, `\operatorname`, `\mathbf`, `\mathbb`, `\mathcal`, Greek letters, the usual
/// operators, relations, arrows, dots and big operators, function names (`\log`, `\max`, …),
/// accents (`\hat`, `\tilde`, `\bar`, `\vec`, `\dot`, `\ddot`), `\left`/`\middle`/`\right` and
/// `\big`-style delimiters, spacing (`\quad`, `\,`, …), and the environments `matrix`, `pmatrix`,
/// `bmatrix`, `Bmatrix`, `vmatrix`, `Vmatrix`, `smallmatrix` and `cases`. The full list of commands
/// is `TeX.commands`.
///
/// `MathNode` has no `<mover>`, `<munderover>`, `<mroot>` or `<mspace>`, so some constructs are
/// approximated:
/// - limits of `\sum`, `\prod`, `\lim`, … are scripts (`<msubsup>`), also in display style;
/// - an accent on a single letter or digit is a combining character (`\hat{x}` is `<mi>x̂</mi>`),
///   on anything else a superscript spacing accent (`\hat{xy}` is `<msup>…<mo>ˆ</mo></msup>`);
/// - `\sqrt[n]{x}` puts `n` as a superscript on an empty base before the root;
/// - spaces are Unicode spaces in `<mtext>` (`\quad` U+2003, `\,` U+2009, `\:` U+205F, `\;` U+2004,
///   `\ ` and `~` U+00A0); `\!` and `\displaystyle` produce nothing;
/// - `\mathrm`/`\operatorname` runs of two or more letters are one `<mi>` (upright, as MathNode
///   writes multi-letter identifiers); a single upright letter is `<mtext>`;
/// - `\mathbf`, `\mathbb` and `\mathcal` use the Unicode mathematical alphanumeric letters;
/// - `\big(` and friends are plain, non-stretchy operators.
public enum TeX {
    /// Longest input accepted, in characters.
    public static let maximumLength = 10_000
    /// Deepest nesting of groups, arguments, `\left`…`\right` pairs and environments accepted.
    public static let maximumDepth = 100

    /// Parses a TeX math string into a formula whose MathML is the content of a `<math>` element,
    /// or throws `TeXError`. The TeX is kept verbatim for Markdown.
    public static func formula(_ tex: String) throws -> Formula {
        var parser = try TeXParser(tex)
        return Formula(tex: tex, math: try parser.parse())
    }

    /// Every command the converter knows, without the backslash, sorted.
    public static var commands: [String] {
        (Array(TeXSymbols.symbols.keys) + Array(TeXSymbols.delimiters.keys) + TeXSymbols.bigDelimiters.sorted()
            + TeXParser.structuralCommands)
            .reduce(into: Set<String>()) { $0.insert($1) }
            .sorted()
    }
}

/// Why a TeX string could not be converted, and where.
public struct TeXError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, such as `unknown command \foo` or `missing }`.
    public let message: String
    /// Offset, in characters from the start of the input, of the problem: the unknown command,
    /// the unclosed `{`, `\left` or `\begin`, or the end of the input for a missing argument there.
    public let offset: Int

    /// Creates an error.
    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "TeX error at character \(offset): \(message)" }
}
