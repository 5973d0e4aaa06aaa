/// A formula kept in two forms: TeX for Markdown, and a MathML tree for HTML.
public struct Formula: Sendable {
    /// TeX source, as written between `$` signs in Markdown.
    public var tex: String
    /// The same formula as MathML nodes.
    public var math: MathNode

    /// Creates a formula.
    public init(tex: String, math: MathNode) {
        self.tex = tex
        self.math = math
    }

    /// A formula written in the source as TeX, converted by `TeX.formula`. TeX that does not
    /// convert shows as its source text; the study report's tests check that every formula converts.
    public init(tex: String) {
        self.tex = tex
        math = (try? TeX.formula(tex).math) ?? .text(tex)
    }

    /// MathML Core markup; `display` for a block formula.
    public func mathML(display: Bool) -> String {
        let mode = display ? " display=\"block\"" : ""
        return "<math\(mode)>\(math.mathML)</math>"
    }
}

/// A MathML Core expression tree. Text is escaped when written, so nodes cannot inject markup.
public indirect enum MathNode: Sendable {
    /// An identifier (`<mi>`): a variable or a function name.
    case identifier(String)
    /// A number (`<mn>`).
    case number(String)
    /// An operator (`<mo>`); brackets keep their text height.
    case op(String)
    /// A bracket that grows to the height of what it encloses (`<mo stretchy="true">`).
    case fence(String)
    /// Upright text (`<mtext>`).
    case text(String)
    /// A group (`<mrow>`).
    case row([MathNode])
    /// A fraction (`<mfrac>`).
    case fraction(MathNode, MathNode)
    /// A square root (`<msqrt>`).
    case sqrt(MathNode)
    /// A subscript (`<msub>`).
    case sub(MathNode, MathNode)
    /// A superscript (`<msup>`).
    case sup(MathNode, MathNode)
    /// A matrix of cells (`<mtable>`), row by row; `leftAligned` for `cases`, whose columns
    /// start at the left (the page's style sheet sets `mtable.left mtd { text-align: left }`).
    case table([[MathNode]], leftAligned: Bool = false)
    /// A subscript and a superscript on one base (`<msubsup>`): base, subscript, superscript.
    case subSup(MathNode, MathNode, MathNode)
    /// Limits under and/or over a big operator (`<munder>`, `<mover>`, `<munderover>`).
    case limits(MathNode, lower: MathNode?, upper: MathNode?)

    /// The node as MathML markup.
    public var mathML: String {
        switch self {
        case .identifier(let s):
            // A multi-letter identifier such as "softmax" is upright, as in print.
            let variant = s.count > 1 ? " mathvariant=\"normal\"" : ""
            return "<mi\(variant)>\(Escaping.html(s))</mi>"
        case .number(let s): return "<mn>\(Escaping.html(s))</mn>"
        case .op(let s):
            // Browsers stretch brackets to the whole row by default; plain brackets should not grow.
            let fixed = "()[]{}|".contains(s) && s.count == 1 ? " stretchy=\"false\"" : ""
            return "<mo\(fixed)>\(Escaping.html(s))</mo>"
        case .fence(let s): return "<mo stretchy=\"true\">\(Escaping.html(s))</mo>"
        case .text(let s): return "<mtext>\(Escaping.html(s))</mtext>"
        case .row(let nodes): return "<mrow>" + nodes.map(\.mathML).joined() + "</mrow>"
        case .fraction(let a, let b): return "<mfrac>\(a.wrapped)\(b.wrapped)</mfrac>"
        case .sqrt(let a): return "<msqrt>\(a.mathML)</msqrt>"
        case .sub(let a, let b): return "<msub>\(a.wrapped)\(b.wrapped)</msub>"
        case .sup(let a, let b): return "<msup>\(a.wrapped)\(b.wrapped)</msup>"
        case .table(let rows, let leftAligned):
            return (leftAligned ? "<mtable class=\"left\">" : "<mtable>") + rows.map { "<mtr>" + $0.map { "<mtd>\($0.mathML)</mtd>" }.joined() + "</mtr>" }.joined() + "</mtable>"
        case .subSup(let a, let b, let c): return "<msubsup>\(a.wrapped)\(b.wrapped)\(c.wrapped)</msubsup>"
        case .limits(let a, let lower?, let upper?): return "<munderover>\(a.wrapped)\(lower.wrapped)\(upper.wrapped)</munderover>"
        case .limits(let a, let lower?, nil): return "<munder>\(a.wrapped)\(lower.wrapped)</munder>"
        case .limits(let a, nil, let upper?): return "<mover>\(a.wrapped)\(upper.wrapped)</mover>"
        case .limits(let a, nil, nil): return a.mathML
        }
    }

    /// Script and fraction children must be single elements.
    private var wrapped: String {
        if case .row = self { return mathML }
        return "<mrow>\(mathML)</mrow>"
    }
}
