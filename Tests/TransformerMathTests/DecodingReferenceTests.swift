import Foundation
import Testing

@testable import TransformerMath

extension DecodingTests {
    /// The Swift search against `Fixtures/beam_reference.json`, written by `Fixtures/beam_reference.py`:
    /// an independent plain-Python reading of CONTRACT §3 run on tables with ties, fallbacks, rare eos,
    /// length penalties 0 to 1.5, widths 1 to 5 and depths up to 8.
    /// (Nested so that `--filter DecodingTests` runs it too.)
    @Suite struct Reference {
        static let tolerance = 1e-12

        struct Case: CustomTestStringConvertible, Sendable {
            let name: String
            let value: JSONValue
            var testDescription: String { name }
        }

        static func cases() throws -> [Case] {
            let document = try JSONValue.read(path: try Fixture.path("beam_reference.json"))
            let cases = try #require(document["cases"]?.array)
            return try cases.map { Case(name: try #require($0["name"]?.string), value: $0) }
        }

        @Test func referenceHoldsEnoughCases() throws {
            let cases = try Self.cases()
            #expect(cases.count >= 8)
            let widths = Set(cases.compactMap { $0.value["beam_width"]?.number })
            let penalties = Set(cases.compactMap { $0.value["length_penalty"]?.number })
            #expect(widths.isSuperset(of: [1, 2, 3, 4, 5]))
            #expect(penalties.isSuperset(of: [0, 0.7, 1.5]))
        }

        @Test(arguments: try cases())
        func matchesTheReference(_ testCase: Case) throws {
            let value = testCase.value
            let model = try LanguageModelTable(json: try #require(value["lm"]), source: testCase.name)
            let search = try BeamSearch(
                beamWidth: Int(try #require(value["beam_width"]?.number)),
                maxLength: Int(try #require(value["max_length"]?.number)),
                lengthPenalty: try #require(value["length_penalty"]?.number))
            let result = try search.run(model)
            let expected = try #require(value["expected"])

            let nodes = try #require(expected["nodes"]?.array)
            #expect(result.nodes.count == nodes.count, "node count")
            for (node, reference) in zip(result.nodes, nodes) {
                #expect(Double(node.id) == reference["id"]?.number)
                #expect(node.parent.map { JSONValue.number(Double($0)) } ?? .null == reference["parent"])
                #expect(node.token.utf8.elementsEqual(try #require(reference["token"]?.string).utf8), "node \(node.id)")
                #expect(Double(node.step) == reference["step"]?.number)
                #expect(abs(node.logProbability - (try #require(reference["logprob"]?.number))) <= Self.tolerance, "node \(node.id)")
                #expect(node.status.rawValue == reference["status"]?.string, "node \(node.id)")
            }

            let counts = try #require(expected["status_counts"])
            for status in SearchNode.Status.allCases {
                #expect(Double(result.count(status)) == counts[status.rawValue]?.number, "\(status)")
            }

            let hypotheses = try #require(expected["hypotheses"]?.array)
            #expect(result.hypotheses.count == hypotheses.count, "hypothesis count")
            for (index, (hypothesis, reference)) in zip(result.hypotheses, hypotheses).enumerated() {
                #expect(try tokens(reference) == hypothesis.tokens.map { Array($0.utf8) }, "hypothesis \(index)")
                #expect(abs(hypothesis.logProbability - (try #require(reference["logprob"]?.number))) <= Self.tolerance, "hypothesis \(index)")
                #expect(abs(hypothesis.score - (try #require(reference["score"]?.number))) <= Self.tolerance, "hypothesis \(index)")
                #expect(hypothesis.ending.rawValue == reference["ended"]?.string, "hypothesis \(index)")
            }

            let greedy = try #require(expected["greedy"])
            #expect(try tokens(greedy) == result.greedy.tokens.map { Array($0.utf8) }, "greedy")
            #expect(abs(result.greedy.logProbability - (try #require(greedy["logprob"]?.number))) <= Self.tolerance, "greedy")

            expectTreeInvariants(result, model)
        }

        /// The `tokens` of a reference object as UTF-8 bytes (compared byte for byte, not by canonical equivalence).
        private func tokens(_ value: JSONValue) throws -> [[UInt8]] {
            try #require(value["tokens"]?.array).map { Array(try #require($0.string).utf8) }
        }
    }
}
