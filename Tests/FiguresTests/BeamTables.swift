import Foundation
import TransformerMath

/// Language-model tables for the beam figure tests: hand-written ones with a known story, and
/// seeded random ones of every shape the figures must survive.
enum BeamTables {
    /// Greedy decoding's second token is pruned by a beam of width 2: greedy leaves the tree.
    static func leavesTheBeam() throws -> LanguageModelTable {
        try LanguageModelTable(
            next: [
                ("<s>", [("Nice", 0.55), ("Good", 0.45)]),
                ("<s> Nice", [("and", 0.34), ("weather", 0.33), ("day", 0.33)]),
                ("<s> Good", [("morning", 0.5), ("evening", 0.5)]),
                ("Nice and", [("warm", 0.5), ("sunny", 0.5)]),
                ("and sunny", [("today", 0.8), ("</s>", 0.2)]),
                ("Good morning", [("everyone", 0.6), ("</s>", 0.4)]),
                ("Good evening", [("all", 0.7), ("</s>", 0.3)]),
                ("", [("</s>", 1.0)]),
            ], source: "leaves.json")
    }

    /// The weather-report table the gallery uses.
    static func weather() throws -> LanguageModelTable { DemoLanguageModel.weather }

    /// A random table over `vocabulary` tokens: each token's successors (2 to 5 of them, eos
    /// among them with probability `eosChance`) with random probabilities, from `seed`.
    static func random(seed: UInt64, vocabulary: Int = 6, eosChance: Double = 0.5) throws -> LanguageModelTable {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        let words = (0..<vocabulary).map { "w\($0)" }
        func distribution() -> [(token: String, probability: Double)] {
            var chosen = words.filter { _ in next() < 0.5 }
            if chosen.count < 2 { chosen = Array(words.prefix(2)) }
            chosen = Array(chosen.prefix(4))
            if next() < eosChance { chosen.append("</s>") }
            let weights = chosen.map { _ in 0.05 + next() }
            let total = weights.reduce(0, +)
            return zip(chosen, weights).map { ($0, $1 / total) }
        }
        var table: [(context: String, tokens: [(token: String, probability: Double)])] = [("<s>", distribution())]
        for word in words { table.append((word, distribution())) }
        table.append(("", [("</s>", 1.0)]))
        return try LanguageModelTable(next: table, source: "random-\(seed).json")
    }

    /// Every table the layout is tried on, named.
    static func all() throws -> [(String, LanguageModelTable)] {
        var tables = [("demo", DemoLanguageModel.table), ("leaves", try leavesTheBeam()), ("weather", try weather())]
        for seed in UInt64(1)...4 { tables.append(("random \(seed)", try random(seed: seed))) }
        return tables
    }
}
