/// Tables of the TeX commands that stand for one symbol, and the Unicode letter styles.
enum TeXSymbols {
    /// What a symbol command becomes.
    enum Symbol: Equatable {
        /// A variable-like symbol (`<mi>`): Greek letters, `\infty`, `\partial`.
        case identifier(String)
        /// An operator, relation, arrow or punctuation (`<mo>`).
        case op(String)
        /// A big operator such as `\sum`: an operator that may be followed by `\limits`.
        case largeOp(String)
        /// A function name such as `\log`: an upright identifier that may be followed by `\limits`.
        case function(String)
        /// Horizontal space (`<mtext>` of Unicode spaces); empty for a negative space.
        case space(String)
        /// A style switch that MathML Core does not need, such as `\displaystyle`: nothing.
        case ignored
    }

    /// Symbol commands by name, without the backslash.
    static let symbols: [String: Symbol] = {
        var table: [String: Symbol] = [:]
        for (name, letter) in greek { table[name] = .identifier(letter) }
        for (name, text) in identifiers { table[name] = .identifier(text) }
        for (name, text) in operators { table[name] = .op(text) }
        for (name, text) in largeOperators { table[name] = .largeOp(text) }
        for name in functions { table[name] = .function(name) }
        table["liminf"] = .function("lim inf")
        table["limsup"] = .function("lim sup")
        for (name, text) in spaces { table[name] = .space(text) }
        table["displaystyle"] = .ignored
        table["textstyle"] = .ignored
        return table
    }()

    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
        "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
        "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
        "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
        "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
        "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
        "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    ]

    /// Ordinary symbols written as identifiers, including the escaped special characters.
    static let identifiers: [String: String] = [
        "infty": "∞", "partial": "∂", "nabla": "∇", "ell": "ℓ", "hbar": "ℏ", "emptyset": "∅",
        "varnothing": "∅", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ",
        "%": "%", "_": "_", "&": "&", "#": "#", "$": "$",
    ]

    static let operators: [String: String] = [
        // Binary operators.
        "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "odot": "⊙", "otimes": "⊗",
        "oplus": "⊕", "circ": "∘", "ast": "∗", "star": "⋆", "bullet": "∙", "setminus": "∖",
        "cup": "∪", "cap": "∩", "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨", "neg": "¬", "lnot": "¬",
        // Relations.
        "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
        "sim": "∼", "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝", "triangleq": "≜",
        "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃",
        "supseteq": "⊇", "ll": "≪", "gg": "≫", "mid": "∣", "parallel": "∥", "perp": "⊥",
        // Arrows.
        "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔",
        "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⟹", "iff": "⟺",
        "mapsto": "↦", "longrightarrow": "⟶", "longleftarrow": "⟵",
        // Other symbols, delimiters and punctuation.
        "top": "⊤", "bot": "⊥", "forall": "∀", "exists": "∃", "prime": "′", "colon": ":",
        "dots": "…", "ldots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱",
        "{": "{", "}": "}", "|": "‖", "vert": "|", "Vert": "‖", "lvert": "|", "rvert": "|",
        "lVert": "‖", "rVert": "‖", "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋",
        "lceil": "⌈", "rceil": "⌉",
    ]

    static let largeOperators: [String: String] = [
        "sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "oint": "∮",
        "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂", "bigvee": "⋁", "bigwedge": "⋀",
    ]

    /// The standard LaTeX function names; anything else needs `\operatorname`.
    static let functions = [
        "arccos", "arcsin", "arctan", "arg", "cos", "cosh", "cot", "coth", "csc", "deg", "det", "dim",
        "exp", "gcd", "hom", "inf", "ker", "lg", "lim", "ln", "log", "max", "min", "Pr", "sec", "sin",
        "sinh", "sup", "tan", "tanh",
    ]

    /// Spacing commands as Unicode spaces, which `<mtext>` does not collapse.
    static let spaces: [String: String] = [
        "quad": "\u{2003}", "qquad": "\u{2003}\u{2003}", "enspace": "\u{2002}", ",": "\u{2009}",
        "thinspace": "\u{2009}", ":": "\u{205F}", ">": "\u{205F}", ";": "\u{2004}", " ": "\u{00A0}", "!": "",
    ]

    /// Accents: the combining mark used on a single letter or digit, and the spacing mark
    /// used as a superscript on anything larger.
    static let accents: [String: (combining: String, spacing: String)] = [
        "hat": ("\u{0302}", "ˆ"), "widehat": ("\u{0302}", "ˆ"), "tilde": ("\u{0303}", "˜"),
        "widetilde": ("\u{0303}", "˜"), "bar": ("\u{0304}", "¯"), "overline": ("\u{0305}", "¯"),
        "vec": ("\u{20D7}", "→"), "dot": ("\u{0307}", "˙"), "ddot": ("\u{0308}", "¨"),
    ]

    /// Delimiters after `\left`, `\right`, `\middle` and `\big`, written as commands.
    static let delimiters: [String: String] = [
        "{": "{", "}": "}", "|": "‖", "vert": "|", "Vert": "‖", "lvert": "|", "rvert": "|",
        "lVert": "‖", "rVert": "‖", "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋",
        "lceil": "⌈", "rceil": "⌉",
    ]

    /// Delimiters after `\left` and friends, written as one character; `.` is no delimiter.
    static let delimiterCharacters: Set<Character> = ["(", ")", "[", "]", "|", "/", "."]

    /// `\big(` and friends: fixed-size delimiters, written as plain operators.
    static let bigDelimiters: Set<String> = [
        "big", "Big", "bigg", "Bigg", "bigl", "Bigl", "biggl", "Biggl",
        "bigr", "Bigr", "biggr", "Biggr", "bigm", "Bigm", "biggm", "Biggm",
    ]

    /// Matrix-like environments and the fences around their table.
    static let environments: [String: (open: String?, close: String?)] = [
        "matrix": (nil, nil), "smallmatrix": (nil, nil), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"),
        "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "cases": ("{", nil),
    ]

    /// Letter styles set by `\mathrm`, `\mathbf`, `\mathbb` and `\mathcal`.
    enum Font {
        /// Italic single letters, each its own identifier.
        case normal
        /// Upright: a run of letters is one identifier.
        case roman
        /// Mathematical bold letters and digits.
        case bold
        /// Double-struck letters and digits (ℝ, ℕ, 𝔼, 𝟙).
        case blackboard
        /// Script letters (ℒ, 𝒪).
        case calligraphic
    }

    /// `character` in `font`, for ASCII letters and digits; anything else is unchanged.
    static func styled(_ character: Character, _ font: Font) -> String {
        guard let ascii = character.asciiValue else { return String(character) }
        let upper = ascii >= 65 && ascii <= 90, lower = ascii >= 97 && ascii <= 122, digit = ascii >= 48 && ascii <= 57
        let index = UInt32(upper ? ascii - 65 : lower ? ascii - 97 : digit ? ascii - 48 : 0)
        var base: UInt32?
        switch font {
        case .normal, .roman:
            break
        case .bold:
            base = upper ? 0x1D400 : lower ? 0x1D41A : digit ? 0x1D7CE : nil
        case .blackboard:
            if let letter = doubleStruckExceptions[character] { return letter }
            base = upper ? 0x1D538 : lower ? 0x1D552 : digit ? 0x1D7D8 : nil
        case .calligraphic:
            if let letter = scriptExceptions[character] { return letter }
            base = upper ? 0x1D49C : lower ? 0x1D4B6 : nil
        }
        guard let base, let scalar = Unicode.Scalar(base + index) else { return String(character) }
        return String(Character(scalar))
    }

    /// Double-struck capitals that Unicode encodes in the Letterlike Symbols block.
    static let doubleStruckExceptions: [Character: String] = [
        "C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ",
    ]

    /// Script letters that Unicode encodes in the Letterlike Symbols block.
    static let scriptExceptions: [Character: String] = [
        "B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
        "e": "ℯ", "g": "ℊ", "o": "ℴ",
    ]
}
