import Figures
import TransformerMath

/// "Rotary position embeddings": rotation of query/key pairs, the two pairing conventions, the
/// relative-position property and the wavelength spectrum, each with a computed figure.
enum RoPESection {
    static func make() throws -> ReportSection {
        let rope = try RotaryEmbedding(dimension: 64)
        var clock = RoPEClockFigure(embedding: rope)
        clock.title = "Each pair turns at its own speed"
        let relative = RoPERelativeFigure.seeded(embedding: rope, positions: 24)
        let spectrum = try EncodingPlots.spectrum(dModel: 128, base: 10_000, comparison: 500_000)
        let theta = rope.theta

        return ReportSection(id: "rotary-position-embeddings-rope", title: "Rotary position embeddings (RoPE)", blocks: [
            .paragraph([
                .text("Sinusoidal and learned encodings are added to the token embeddings once, at the bottom of the model. RoPE instead acts inside every attention layer: before the dot product, it splits the query and the key into pairs of coordinates and rotates pair i by the angle "),
                .math(Formulas.ropeAngle), .text(", where m is the token's position and "), .math(Formulas.ropeTheta), .text("."),
            ]),
            .formula(Formulas.ropeRotation),
            .paragraph([
                .text("Pair 0 turns \(NumberFormat.short(theta[0])) radian per position; with d = 64 and base 10000 the last pair turns only \(NumberFormat.short(theta[theta.count - 1])) radians, so it needs about \(MultiHeadSection.group(Int((2 * Double.pi / theta[theta.count - 1]).rounded()))) positions for a full turn."),
            ]),
            .figure(ReportFigure(
                name: "rope-clock", figure: clock,
                caption: "The same unit vector rotated for positions 0–7 in four pairs of a 64-dimensional head: the fastest pair sweeps more than a full turn, the slowest barely moves.",
                alt: "Four circles with arrows: in the first, eight arrows fan out around the whole circle; in the others the arrows bunch ever more tightly near angle zero.")),
            .heading("Why rotation gives relative positions"),
            .paragraph([
                .text("Rotations preserve lengths, and rotating q by mθ and k by nθ changes their dot product exactly as rotating q by (m − n)θ alone would. So "),
                .math(Formulas.ropeRelative),
                .text(": the attention score sees only how far apart two tokens are, not where they are. The figure below shows it for a random q and k: every diagonal of the score matrix has one colour, while the same q and k without rotation give one number everywhere."),
            ]),
            .figure(ReportFigure(
                name: "rope-relative", figure: relative,
                caption: "RoPE scores: q·k after rotation over 24 query and key positions is constant along each diagonal (it depends only on m − n); without rotation the score does not change with position at all.",
                alt: "Two heatmaps: the left one has diagonal bands of red and blue that repeat along the diagonal direction; the right one is a single uniform colour.")),
            .heading("Two ways to pair coordinates"),
            .paragraph([
                .text("Implementations disagree on which coordinates form a pair. The RoFormer paper, GPT-J and Meta's original Llama code rotate neighbours (x[2i], x[2i+1]): the "), .strong("interleaved"),
                .text(" convention. GPT-NeoX and Hugging Face's "), .code("rotate_half"),
                .text(" pair x[i] with x[i + d/2]: the "), .strong("half"),
                .text(" convention. Both give the same relative-position property, but weights trained under one convention give wrong results under the other unless the projection matrices are permuted to match. Transfigure's "), .code("rope"),
                .text(" command takes "), .code("--convention half"), .text(" (the default) or "), .code("--convention interleaved"), .text("."),
            ]),
            .figure(ReportFigure(
                name: "rope-pairing", figure: RoPEPairingFigure(dimension: 8),
                caption: "Which coordinates are rotated together for d = 8: half pairs x[i] with x[i + 4], interleaved pairs neighbours; a pair has the same colour and angle speed in both rows.",
                alt: "Two rows of eight boxes x0 to x7 joined by coloured arcs: in the top row the arcs join x0–x4, x1–x5, x2–x6, x3–x7; in the bottom row they join neighbouring boxes.")),
            .heading("Base and context length"),
            .paragraph([
                .text("The base sets how slowly the last pairs turn. Models meant for long contexts raise it (Llama 3 uses 500000), so that even distant positions remain distinguishable by the slow pairs."),
            ]),
            .figure(ReportFigure(
                name: "rope-spectrum", figure: spectrum,
                caption: "Wavelength of each of the 64 pairs of a 128-dimensional head for base 10000 and 500000, on a logarithmic axis: both start at 2π, the larger base reaches far longer wavelengths.",
                alt: "Line plot on a log scale of two straight rising lines from about 6 at pair 0: base 10000 reaches about 50,000, base 500000 about 2 million at pair 63.")),
        ])
    }
}
