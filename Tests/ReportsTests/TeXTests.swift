import Foundation
import Testing
@testable import Reports

/// The TeX subset of the course notes becomes MathML; everything else is a `TeXError` with its
/// place, never a crash, a hang or unescaped markup.
@Suite("TeX to MathML")
struct TeXTests {
    /// MathML of `tex`, or the error's description so a failing `#expect` shows it.
    static func mathML(_ tex: String) -> String {
        do { return try TeX.formula(tex).math.mathML } catch { return "\(error)" }
    }

    // MARK: Exact output

    static let examples: [(tex: String, mathML: String)] = [
        // Attention: an operator name, stretchy fences in their own row, a fraction, K^⊤, a root.
        ("\\operatorname{softmax}\\left(\\frac{QK^\\top}{\\sqrt{d_k}}\\right)V",
         "<mrow><mi mathvariant=\"normal\">softmax</mi>"
            + "<mrow><mo stretchy=\"true\">(</mo><mfrac><mrow><mi>Q</mi><msup><mrow><mi>K</mi></mrow><mrow><mo>⊤</mo></mrow></msup></mrow>"
            + "<mrow><msqrt><msub><mrow><mi>d</mi></mrow><mrow><mi>k</mi></mrow></msub></msqrt></mrow></mfrac><mo stretchy=\"true\">)</mo></mrow>"
            + "<mi>V</mi></mrow>"),
        ("d_{\\text{head}} = d_{\\text{model}} / h",
         "<mrow><msub><mrow><mi>d</mi></mrow><mrow><mtext>head</mtext></mrow></msub><mo>=</mo>"
            + "<msub><mrow><mi>d</mi></mrow><mrow><mtext>model</mtext></mrow></msub><mo>/</mo><mi>h</mi></mrow>"),
        // A multi-digit number, and a minus sign as U+2212.
        ("\\theta_i = 10000^{-2i/d}",
         "<mrow><msub><mrow><mi>θ</mi></mrow><mrow><mi>i</mi></mrow></msub><mo>=</mo>"
            + "<msup><mrow><mn>10000</mn></mrow><mrow><mo>−</mo><mn>2</mn><mi>i</mi><mo>/</mo><mi>d</mi></mrow></msup></mrow>"),
        // A big operator with limits under and over it, a function name, plain (non-stretchy)
        // parentheses, \mid, an escaped <.
        ("\\sum_{t=1}^{T} \\log p(y_t \\mid y_{<t})",
         "<mrow><munderover><mrow><mo>∑</mo></mrow><mrow><mi>t</mi><mo>=</mo><mn>1</mn></mrow><mrow><mi>T</mi></mrow></munderover>"
            + "<mi mathvariant=\"normal\">log</mi><mi>p</mi><mo stretchy=\"false\">(</mo><msub><mrow><mi>y</mi></mrow><mrow><mi>t</mi></mrow></msub>"
            + "<mo>∣</mo><msub><mrow><mi>y</mi></mrow><mrow><mo>&lt;</mo><mi>t</mi></mrow></msub><mo stretchy=\"false\">)</mo></mrow>"),
        ("\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}",
         "<mrow><mo stretchy=\"true\">(</mo><mtable><mtr><mtd><mi>a</mi></mtd><mtd><mi>b</mi></mtd></mtr>"
            + "<mtr><mtd><mi>c</mi></mtd><mtd><mi>d</mi></mtd></mtr></mtable><mo stretchy=\"true\">)</mo></mrow>"),
        // A trailing \\ adds no empty row; bmatrix has square fences; a cell may be a row.
        ("\\begin{bmatrix} 1 & -x \\\\ \\end{bmatrix}",
         "<mrow><mo stretchy=\"true\">[</mo><mtable><mtr><mtd><mn>1</mn></mtd><mtd><mrow><mo>−</mo><mi>x</mi></mrow></mtd></mtr></mtable>"
            + "<mo stretchy=\"true\">]</mo></mrow>"),
        ("\\begin{matrix} x \\end{matrix}", "<mtable><mtr><mtd><mi>x</mi></mtd></mtr></mtable>"),
        ("\\alpha\\beta\\Gamma\\Omega\\varepsilon\\epsilon\\phi\\varphi",
         "<mrow><mi>α</mi><mi>β</mi><mi>Γ</mi><mi>Ω</mi><mi>ε</mi><mi>ϵ</mi><mi>ϕ</mi><mi>φ</mi></mrow>"),
        ("0.125 \\times 768", "<mrow><mn>0.125</mn><mo>×</mo><mn>768</mn></mrow>"),
        ("a - b", "<mrow><mi>a</mi><mo>−</mo><mi>b</mi></mrow>"),
        // One limit goes under or over; \nolimits and function names keep scripts beside.
        ("\\prod_{l} a", "<mrow><munder><mrow><mo>∏</mo></mrow><mrow><mi>l</mi></mrow></munder><mi>a</mi></mrow>"),
        ("\\sum^{n}", "<mover><mrow><mo>∑</mo></mrow><mrow><mi>n</mi></mrow></mover>"),
        ("\\sum\\nolimits_i", "<msub><mrow><mo>∑</mo></mrow><mrow><mi>i</mi></mrow></msub>"),
        ("\\max_x", "<msub><mrow><mi mathvariant=\"normal\">max</mi></mrow><mrow><mi>x</mi></mrow></msub>"),
        // A sign after a relation, an operator or an opening bracket is unary: it heads its own row
        // (prefix spacing); after an atom or a closing bracket it stays binary.
        ("y = -x + 2", "<mrow><mi>y</mi><mo>=</mo><mrow><mo>−</mo><mi>x</mi></mrow><mo>+</mo><mn>2</mn></mrow>"),
        ("(0, -1) - (a) + -b",
         "<mrow><mo stretchy=\"false\">(</mo><mn>0</mn><mo>,</mo><mrow><mo>−</mo><mn>1</mn></mrow><mo stretchy=\"false\">)</mo>"
            + "<mo>−</mo><mo stretchy=\"false\">(</mo><mi>a</mi><mo stretchy=\"false\">)</mo><mo>+</mo><mrow><mo>−</mo><mi>b</mi></mrow></mrow>"),
        // cases: a brace on the left only, columns aligned left.
        ("\\begin{cases} 1 & x > 0 \\\\ 0 & \\text{else} \\end{cases}",
         "<mrow><mo stretchy=\"true\">{</mo><mtable class=\"left\"><mtr><mtd><mn>1</mn></mtd><mtd><mrow><mi>x</mi><mo>&gt;</mo><mn>0</mn></mrow></mtd></mtr>"
            + "<mtr><mtd><mn>0</mn></mtd><mtd><mtext>else</mtext></mtd></mtr></mtable></mrow>"),
        // A lone atom is not wrapped in a row; whitespace is ignored.
        ("  d_k  ", "<msub><mrow><mi>d</mi></mrow><mrow><mi>k</mi></mrow></msub>"),
        ("", "<mrow></mrow>"),
        // Both script orders, and primes.
        ("x_i^2", "<msubsup><mrow><mi>x</mi></mrow><mrow><mi>i</mi></mrow><mrow><mn>2</mn></mrow></msubsup>"),
        ("x^2_i", "<msubsup><mrow><mi>x</mi></mrow><mrow><mi>i</mi></mrow><mrow><mn>2</mn></mrow></msubsup>"),
        ("a'", "<msup><mrow><mi>a</mi></mrow><mrow><mo>′</mo></mrow></msup>"),
        ("a''_i^2", "<msubsup><mrow><mi>a</mi></mrow><mrow><mi>i</mi></mrow><mrow><mo>″</mo><mn>2</mn></mrow></msubsup>"),
        // A single-token script takes one digit, as in TeX.
        ("2^10", "<mrow><msup><mrow><mn>2</mn></mrow><mrow><mn>1</mn></mrow></msup><mn>0</mn></mrow>"),
        // The root index is a superscript on an empty base before the root.
        ("\\sqrt[3]{x}", "<mrow><msup><mrow></mrow><mrow><mn>3</mn></mrow></msup><msqrt><mi>x</mi></msqrt></mrow>"),
        ("\\tfrac12", "<mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac>"),
        // Accents: combining marks on one letter, a superscript accent on more.
        ("\\hat{x} \\bar\\theta \\tilde{y} \\hat{xy}",
         "<mrow><mi>x\u{302}</mi><mi>θ\u{304}</mi><mi>y\u{303}</mi><msup><mrow><mi>x</mi><mi>y</mi></mrow><mrow><mo>ˆ</mo></mrow></msup></mrow>"),
        // Letter styles.
        ("\\mathbb{R}^{d} \\mathbf{W}_Q \\mathcal{L}",
         "<mrow><msup><mrow><mi>ℝ</mi></mrow><mrow><mi>d</mi></mrow></msup><msub><mrow><mi>𝐖</mi></mrow><mrow><mi>Q</mi></mrow></msub><mi>ℒ</mi></mrow>"),
        ("\\mathbb{N} \\mathbb{Z} \\mathbb{Q} \\mathbb{C} \\mathbb{E}",
         "<mrow><mi>ℕ</mi><mi>ℤ</mi><mi>ℚ</mi><mi>ℂ</mi><mi>𝔼</mi></mrow>"),
        ("\\mathrm{PE}_{(p,\\,2i)}",
         "<msub><mrow><mi mathvariant=\"normal\">PE</mi></mrow><mrow><mo stretchy=\"false\">(</mo><mi>p</mi><mo>,</mo><mtext>\u{2009}</mtext>"
            + "<mn>2</mn><mi>i</mi><mo stretchy=\"false\">)</mo></mrow></msub>"),
        ("\\mathrm{d}x", "<mrow><mtext>d</mtext><mi>x</mi></mrow>"),
        ("\\operatorname*{arg\\,max}\\limits_x",
         "<msub><mrow><mi mathvariant=\"normal\">arg</mi><mtext>\u{2009}</mtext><mi mathvariant=\"normal\">max</mi></mrow><mrow><mi>x</mi></mrow></msub>"),
        // Text keeps inner spaces, turns end spaces into no-break spaces, and is escaped.
        ("\\text{ if  x } y", "<mrow><mtext>\u{A0}if x\u{A0}</mtext><mi>y</mi></mrow>"),
        ("\\text{<script>}", "<mtext>&lt;script&gt;</mtext>"),
        ("\\text{a \\& b \\% \\{c\\}}", "<mtext>a &amp; b % {c}</mtext>"),
        // Escaped specials.
        ("\\{ \\} \\% \\_ \\& \\#",
         "<mrow><mo stretchy=\"false\">{</mo><mo stretchy=\"false\">}</mo><mi>%</mi><mi>_</mi><mi>&amp;</mi><mi>#</mi></mrow>"),
        // Spacing; \! produces nothing.
        ("a\\quad b\\qquad c\\,d\\!e",
         "<mrow><mi>a</mi><mtext>\u{2003}</mtext><mi>b</mi><mtext>\u{2003}\u{2003}</mtext><mi>c</mi><mtext>\u{2009}</mtext><mi>d</mi><mi>e</mi></mrow>"),
        // \left. shows no fence; \middle stretches like the others.
        ("\\left. \\frac{a}{b} \\right|_{x=0}",
         "<msub><mrow><mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac><mo stretchy=\"true\">|</mo></mrow>"
            + "<mrow><mi>x</mi><mo>=</mo><mn>0</mn></mrow></msub>"),
        ("\\left\\{ x \\middle| y \\right\\}",
         "<mrow><mo stretchy=\"true\">{</mo><mi>x</mi><mo stretchy=\"true\">|</mo><mi>y</mi><mo stretchy=\"true\">}</mo></mrow>"),
        ("\\begin{vmatrix} a \\end{vmatrix}",
         "<mrow><mo stretchy=\"true\">|</mo><mtable><mtr><mtd><mi>a</mi></mtd></mtr></mtable><mo stretchy=\"true\">|</mo></mrow>"),
        ("x \\leq y \\neq z \\approx w \\in S \\to \\infty",
         "<mrow><mi>x</mi><mo>≤</mo><mi>y</mi><mo>≠</mo><mi>z</mi><mo>≈</mo><mi>w</mi><mo>∈</mo><mi>S</mi><mo>→</mo><mi>∞</mi></mrow>"),
        ("q \\cdot k \\odot v \\pm 1 \\dots",
         "<mrow><mi>q</mi><mo>·</mo><mi>k</mi><mo>⊙</mo><mi>v</mi><mo>±</mo><mn>1</mn><mo>…</mo></mrow>"),
    ]

    @Test("TeX becomes the expected MathML", arguments: examples)
    func exactMathML(_ example: (tex: String, mathML: String)) {
        #expect(Self.mathML(example.tex) == example.mathML)
    }

    @Test("a formula keeps its TeX verbatim and Formula.mathML wraps the tree in <math>")
    func formulaWrapping() throws {
        let tex = "a - b"
        let formula = try TeX.formula(tex)
        #expect(formula.tex == tex)
        #expect(formula.mathML(display: true) == "<math display=\"block\"><mrow><mi>a</mi><mo>−</mo><mi>b</mi></mrow></math>")
        #expect(formula.mathML(display: false) == "<math><mrow><mi>a</mi><mo>−</mo><mi>b</mi></mrow></math>")
    }

    @Test("every symbol command converts on its own")
    func everySymbol() throws {
        for name in TeXSymbols.symbols.keys {
            #expect(throws: Never.self, "\\\(name)") { try TeX.formula("\\" + name) }
        }
        #expect(TeX.commands.contains("frac"))
        #expect(TeX.commands.contains("alpha"))
        #expect(!TeX.commands.contains("softmax"))
    }

    // MARK: Errors

    static let errors: [(tex: String, message: String, offset: Int)] = [
        ("\\foo", "unknown command \\foo", 0),
        ("\\softmax(x)", "unknown command \\softmax", 0),
        ("x + \\argmax", "unknown command \\argmax", 4),
        ("\\frac{a}", "missing argument for \\frac", 8),
        ("{\\frac{a}}", "missing argument for \\frac", 9),
        ("x^", "missing argument for ^", 2),
        ("x_&", "missing argument for _", 2),
        ("\\text", "missing argument for \\text", 5),
        ("\\sqrt", "missing argument for \\sqrt", 5),
        ("{x", "missing }", 0),
        ("\\frac{a}{b", "missing }", 8),
        ("\\text{a", "missing }", 5),
        ("x}", "unexpected }", 1),
        ("\\sqrt[3{x}", "missing ]", 5),
        ("\\left( x", "unbalanced \\left", 0),
        ("{\\left( x}", "unbalanced \\left", 1),
        ("x \\right)", "unbalanced \\right", 2),
        ("\\left x \\right)", "missing delimiter after \\left", 6),
        ("\\begin{foo} x \\end{foo}", "unknown environment foo", 7),
        ("\\begin{pmatrix} a \\end{bmatrix}", "\\end{bmatrix} does not match \\begin{pmatrix}", 23),
        ("\\begin{pmatrix} a", "missing \\end{pmatrix}", 0),
        ("{\\begin{pmatrix} a }", "missing \\end{pmatrix}", 1),
        ("\\end{pmatrix}", "unexpected \\end", 0),
        ("a & b", "misplaced &", 2),
        ("a \\\\ b", "misplaced \\\\", 2),
        ("\\begin{pmatrix} {a & b} \\end{pmatrix}", "misplaced &", 19),
        ("x^2^3", "double superscript", 3),
        ("x_1_2", "double subscript", 3),
        ("x^2'", "double superscript", 3),
        ("50%", "unescaped % (write \\%)", 2),
        ("#1", "unescaped # (write \\#)", 0),
        ("$x$", "unexpected $", 0),
        ("\\text{d_model}", "_ is not allowed in \\text", 7),
        ("\\middle|", "misplaced \\middle", 0),
        ("\\limits", "misplaced \\limits", 0),
        ("x\\", "missing command name after \\", 1),
        ("a\u{7}", "unsupported character U+0007", 1),
        // A combining mark on `<` would make one character that escaping does not recognise.
        ("x <\u{302} y", "unsupported character sequence", 2),
    ]

    @Test("malformed TeX throws a TeXError with its message and offset", arguments: errors)
    func error(_ example: (tex: String, message: String, offset: Int)) {
        #expect(throws: TeXError(example.message, at: example.offset)) { try TeX.formula(example.tex) }
    }

    @Test("a TeXError describes itself with its offset")
    func errorDescription() {
        #expect(TeXError("missing }", at: 3).description == "TeX error at character 3: missing }")
    }

    @Test("input is limited to 10,000 characters")
    func lengthLimit() {
        #expect(throws: Never.self) { try TeX.formula(String(repeating: "x", count: TeX.maximumLength)) }
        #expect(throws: TeXError("input longer than 10000 characters", at: 10_000)) {
            try TeX.formula(String(repeating: "x", count: TeX.maximumLength + 1))
        }
    }

    /// Constructs nested `levels` deep, and the offset of level 101: the `{`, `[`, `\\left` or
    /// `\\begin` that opens it, or the argument of the 101st accent or style.
    static let nestings: [(open: String, close: String, errorOffset: Int)] = [
        ("{", "}", 100),
        ("\\left(", "\\right)", 600),
        ("\\frac{", "}{}", 605),
        ("\\sqrt[", "]{}", 605),
        ("\\begin{matrix}", "\\end{matrix}", 1_400),
        ("x^{", "}", 302),
        ("\\hat ", "", 505),
        ("\\mathbf ", "", 808),
    ]

    @Test("nesting is limited to 100 levels, without overflowing the stack", arguments: nestings)
    func depthLimit(_ nesting: (open: String, close: String, errorOffset: Int)) {
        func nested(_ levels: Int) -> String {
            String(repeating: nesting.open, count: levels) + "y" + String(repeating: nesting.close, count: levels)
        }
        #expect(throws: Never.self) { try TeX.formula(nested(TeX.maximumDepth)) }
        #expect(throws: TeXError("nesting deeper than 100", at: nesting.errorOffset)) {
            try TeX.formula(nested(TeX.maximumDepth + 1))
        }
        // Far deeper than the limit still ends in an error, not a crash.
        #expect(throws: TeXError.self) { try TeX.formula(nested(2_000)) }
    }

    /// Where a thread writes its outcome for the test to read after joining it.
    final class Outcome: @unchecked Sendable {
        var mathML: String?
    }

    @Test("100 levels of mixed nesting fit a 512 KiB thread stack, even in a debug build")
    func smallStack() {
        // \left, \frac, a script group and a \sqrt index per round: 4 levels each.
        let deep = String(repeating: "\\left(\\frac{x^{\\sqrt[", count: 25) + "y" + String(repeating: "]{}}}{}\\right)", count: 25)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.mathML = try? TeX.formula(deep).math.mathML
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        done.wait()
        #expect(outcome.mathML?.hasPrefix("<mrow><mo stretchy=\"true\">(</mo><mfrac>") == true)
    }

    // MARK: Robustness

    /// The MathML holds only the elements and attributes MathNode writes, with every `<`, `>`
    /// and `&` of the content escaped. Scans scalars, so a combining mark cannot hide a `<`.
    static func isSafeMarkup(_ markup: String) -> Bool {
        let tags: Set<String> = ["mi", "mn", "mo", "mtext", "mrow", "mfrac", "msqrt", "msub", "msup", "msubsup", "mtable", "mtr", "mtd"]
        let attributes: Set<String> = ["", " mathvariant=\"normal\"", " stretchy=\"true\"", " stretchy=\"false\""]
        let entities = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
        let scalars = Array(markup.unicodeScalars)
        var index = 0
        while index < scalars.count {
            switch scalars[index] {
            case "<":
                guard let end = scalars[index...].firstIndex(of: ">") else { return false }
                var tag = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                if tag.hasPrefix("/") { tag.removeFirst() }
                let name = String(tag.prefix { $0 != " " })
                guard tags.contains(name), attributes.contains(String(tag.dropFirst(name.count))) else { return false }
                index = end + 1
            case ">", "\"", "'":
                return false
            case "&":
                let rest = String(String.UnicodeScalarView(scalars[index..<min(index + 6, scalars.count)]))
                guard entities.contains(where: { rest.hasPrefix($0) }) else { return false }
                index += 1
            default:
                index += 1
            }
        }
        return true
    }

    @Test("the safety check itself rejects stray markup")
    func safetyCheck() {
        #expect(Self.isSafeMarkup("<mrow><mi mathvariant=\"normal\">ab</mi><mo>&lt;</mo></mrow>"))
        #expect(!Self.isSafeMarkup("<mtext><script></mtext>"))
        #expect(!Self.isSafeMarkup("<mtext><\u{302}</mtext>"))
        #expect(!Self.isSafeMarkup("<mtext>a & b</mtext>"))
    }

    @Test("hostile text is escaped or rejected", arguments: [
        "\\text{<script>alert(1)</script>}", "\\text{\"quoted\" & 'single'}", "\\operatorname{<b>}",
        "\\text{<\u{302}}", "\u{600}<", "\\text{\u{600}\\&}", "\\hat{<}", "\\text{a\u{600}}<", "é\u{302}<",
    ])
    func hostileText(_ tex: String) {
        if let formula = try? TeX.formula(tex) {
            #expect(Self.isSafeMarkup(formula.math.mathML), "\(formula.math.mathML)")
        }
    }

    /// A small deterministic generator (SplitMix64), so failures can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fuzzPieces = [
        "\\", "{", "}", "[", "]", "(", ")", "^", "_", "'", "&", "\\\\", " ", "\n", "x", "K", "2", "0.5", ".",
        "-", "+", "=", "<", ">", "%", "#", "$", "~", "*", "|", "\"", "\\frac", "\\dfrac", "\\sqrt", "\\text{", "\\mathrm{",
        "\\mathbb", "\\mathbf", "\\operatorname", "\\left(", "\\right)", "\\left.", "\\right|", "\\left\\{", "\\middle|",
        "\\begin{pmatrix}", "\\end{pmatrix}", "\\begin{bmatrix}", "\\end{matrix}", "\\begin{", "\\end{", "\\begin{foo}",
        "\\alpha", "\\Omega", "\\hat", "\\bar", "\\sum", "\\limits", "\\log", "\\quad", "\\,", "\\!", "\\{", "\\}", "\\%",
        "\\&", "\\top", "\\cdot", "\\softmax", "\\big", "\\binom", "\\ ", "\u{302}", "\u{600}", "é", "猫", "🙂", "\u{7}",
    ]

    @Test("2,000 seeded random TeX-ish strings give a formula with safe markup or a TeXError, never a crash")
    func fuzz() {
        var generator = SeededGenerator(state: 20_240_611)
        var converted = 0
        var rejected = 0
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...40, using: &generator)
            let tex = (0..<length).map { _ in Self.fuzzPieces.randomElement(using: &generator)! }.joined()
            do {
                let formula = try TeX.formula(tex)
                converted += 1
                #expect(formula.tex == tex)
                #expect(Self.isSafeMarkup(formula.math.mathML), "\(tex)")
            } catch let error as TeXError {
                rejected += 1
                #expect(error.offset >= 0 && error.offset <= tex.count, "\(tex): \(error)")
                #expect(!error.message.isEmpty)
            } catch {
                Issue.record("\(tex) threw \(error), not a TeXError")
            }
        }
        // Both outcomes occur, so the generator exercises the parser rather than only its errors.
        #expect(converted > 50)
        #expect(rejected > 50)
    }

    @Test("long adversarial inputs finish quickly")
    func adversarialLength() {
        let inputs = [
            String(repeating: "{}", count: 5_000),
            String(repeating: "x^{y}_", count: 1_666) + "z",
            String(repeating: "\\left(", count: 1_666),
            String(repeating: "\\mathrm{ab cd} ", count: 600),
            "\\text{" + String(repeating: " a", count: 4_990) + "}",
            String(repeating: "\\begin{matrix}&", count: 600),
        ]
        let clock = ContinuousClock()
        for tex in inputs {
            let elapsed = clock.measure { _ = try? TeX.formula(tex) }
            #expect(elapsed < .seconds(5), "\(tex.prefix(20))…")
        }
    }
}
