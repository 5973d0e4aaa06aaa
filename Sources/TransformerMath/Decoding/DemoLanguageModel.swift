/// The built-in LM of `transfigure beam --demo`: a table where greedy decoding and beam search disagree.
///
/// Greedy takes "The" (0.7), then "cat" (0.35, tied with "dog" and first in byte order), then
/// "ran" (0.5, tied with "sat"): "The cat ran </s>", p = 0.7 · 0.35 · 0.5 = 0.1225. Beam search
/// with k = 3 keeps "A" and finds "A cat sat </s>", p = 0.3 · 0.9 · 0.9 = 0.243.
public enum DemoLanguageModel {
    /// The name of the demo table in messages and dumps.
    public static let source = "demo"

    /// The contexts and distributions, in the order they are listed.
    public static let next: [(context: String, tokens: [(token: String, probability: Double)])] = [
        ("<s>", [("The", 0.7), ("A", 0.3)]),
        ("<s> The", [("cat", 0.35), ("dog", 0.35), ("bird", 0.3)]),
        ("<s> A", [("cat", 0.9), ("dog", 0.1)]),
        ("The cat", [("ran", 0.5), ("sat", 0.5)]),
        ("The dog", [("ran", 0.5), ("barked", 0.5)]),
        ("The bird", [("sang", 0.6), ("flew", 0.4)]),
        ("A cat", [("sat", 0.9), ("ran", 0.1)]),
        ("A dog", [("barked", 1.0)]),
        ("", [("</s>", 1.0)]),
    ]

    /// The demo table, with bos `<s>` and eos `</s>`. (A test checks that it passes every check
    /// of `LanguageModelTable`.)
    public static let table = LanguageModelTable(checkedBOS: "<s>", eos: "</s>", next: next, source: source)

    /// The contexts of ``weather``.
    public static let weatherNext: [(context: String, tokens: [(token: String, probability: Double)])] = [
        ("<s>", [("rain", 0.3), ("sun", 0.3), ("snow", 0.2), ("wind", 0.15), ("fog", 0.05)]),
        ("rain", [("today", 0.4), ("tonight", 0.3), ("later", 0.2), ("</s>", 0.1)]),
        ("sun", [("today", 0.5), ("tomorrow", 0.3), ("</s>", 0.2)]),
        ("snow", [("tonight", 0.5), ("later", 0.25), ("tomorrow", 0.15), ("</s>", 0.1)]),
        ("wind", [("later", 0.6), ("today", 0.3), ("</s>", 0.1)]),
        ("fog", [("today", 0.7), ("</s>", 0.3)]),
        ("today", [("and", 0.35), ("then", 0.3), ("</s>", 0.35)]),
        ("tonight", [("and", 0.4), ("then", 0.2), ("</s>", 0.4)]),
        ("tomorrow", [("and", 0.3), ("</s>", 0.7)]),
        ("later", [("then", 0.5), ("</s>", 0.5)]),
        ("and", [("rain", 0.3), ("sun", 0.3), ("snow", 0.2), ("wind", 0.2)]),
        ("then", [("sun", 0.4), ("rain", 0.3), ("fog", 0.3)]),
        ("", [("</s>", 1.0)]),
    ]

    /// A wider table for the gallery and tests: weather reports, four to five tokens per context
    /// and sentences of two to eight tokens, so a wide beam keeps many branches and prunes many
    /// candidates. (A test checks that it passes every check of `LanguageModelTable`.)
    public static let weather = LanguageModelTable(checkedBOS: "<s>", eos: "</s>", next: weatherNext, source: "weather")
}
