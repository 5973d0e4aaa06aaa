import Foundation
import Testing

@testable import TransformerMath

/// A table parsed from JSON text, named `lm.json` in messages.
private func table(_ text: String) throws -> LanguageModelTable {
    try LanguageModelTable(json: try JSONValue.parse(text, source: "lm.json"), source: "lm.json")
}

/// Runs greedy and beam search with the given settings.
private func search(_ model: LanguageModelTable, k: Int = 3, length: Int = 10, penalty: Double = 0) throws -> BeamSearchResult {
    try BeamSearch(beamWidth: k, maxLength: length, lengthPenalty: penalty).run(model)
}

/// The final hypotheses as space-joined token strings.
private func sentences(_ result: BeamSearchResult) -> [String] {
    result.hypotheses.map { $0.tokens.joined(separator: " ") }
}

private let contractExampleLM = """
    { "bos": "<s>", "eos": "</s>",
      "next": { "<s>":  {"I": 0.6, "The": 0.4},
                "<s> I": {"am": 0.9, "</s>": 0.1},
                "am":   {"fine": 0.5, "</s>": 0.5},
                "":     {"</s>": 1.0} } }
    """

/// Checks what must hold for every search: the tree's shape, each step's beam, the log-probs.
func expectTreeInvariants(_ result: BeamSearchResult, _ model: LanguageModelTable, sourceLocation: SourceLocation = #_sourceLocation) {
    let nodes = result.nodes
    let k = result.search.beamWidth
    #expect(nodes.first == SearchNode(id: 0, parent: nil, token: model.bos, step: 0, logProbability: 0, probability: 1, status: .root), sourceLocation: sourceLocation)
    #expect(result.count(.root) == 1, sourceLocation: sourceLocation)
    #expect(nodes.map(\.id) == Array(nodes.indices), "ids are positions", sourceLocation: sourceLocation)
    var tokensOf: [Int: [String]] = [0: [model.bos]]
    for node in nodes.dropFirst() {
        guard let parentID = node.parent, parentID >= 0, parentID < node.id else {
            Issue.record("node \(node.id): parent \(String(describing: node.parent)) is not an earlier node", sourceLocation: sourceLocation)
            continue
        }
        let parent = nodes[parentID]
        #expect(parent.step == node.step - 1, "node \(node.id)", sourceLocation: sourceLocation)
        #expect(parent.status == .kept || parent.status == .root, "node \(node.id) extends a \(parent.status) node", sourceLocation: sourceLocation)
        #expect(parent.token != model.eos, sourceLocation: sourceLocation)
        let prefix = tokensOf[parentID] ?? []
        tokensOf[node.id] = prefix + [node.token]
        let entry = model.matchingDistribution(after: prefix)?.entries.first { $0.token == node.token }
        #expect(entry != nil, "node \(node.id): \(node.token) is not in its context", sourceLocation: sourceLocation)
        if let entry {
            #expect(node.logProbability == parent.logProbability + log(entry.probability), sourceLocation: sourceLocation)
            #expect(node.probability == entry.probability, "node \(node.id)", sourceLocation: sourceLocation)
        }
        #expect((node.status == .finished) == (node.token == model.eos && node.status != .pruned), sourceLocation: sourceLocation)
    }
    var finishedBefore = 0
    let steps = nodes.map(\.step).max() ?? 0
    #expect(steps <= result.search.maxLength, sourceLocation: sourceLocation)
    for step in stride(from: 1, through: steps, by: 1) {
        let atStep = nodes.filter { $0.step == step }
        let kept = atStep.count { $0.status == .kept }
        let finished = atStep.count { $0.status == .finished }
        let pruned = atStep.count { $0.status == .pruned }
        #expect(kept + finished <= k - finishedBefore, "step \(step)", sourceLocation: sourceLocation)
        #expect(pruned == atStep.count - kept - finished, sourceLocation: sourceLocation)
        // Nothing pruned beats anything kept at the same step.
        let worstKept = atStep.filter { $0.status != .pruned }.map(\.logProbability).min() ?? .infinity
        let bestPruned = atStep.filter { $0.status == .pruned }.map(\.logProbability).max() ?? -.infinity
        #expect(bestPruned <= worstKept, "step \(step)", sourceLocation: sourceLocation)
        // Children are generated parent by parent, parents in beam order (best log-prob first),
        // each parent's tokens in byte order.
        var groups: [[SearchNode]] = []
        for node in atStep {
            if groups.last?.last?.parent == node.parent { groups[groups.count - 1].append(node) } else { groups.append([node]) }
        }
        #expect(Set(groups.compactMap { $0.first?.parent }).count == groups.count, "step \(step): one group per parent", sourceLocation: sourceLocation)
        let parentScores = groups.compactMap { $0.first?.parent }.map { nodes[$0].logProbability }
        #expect(parentScores == parentScores.sorted(by: >), "step \(step)", sourceLocation: sourceLocation)
        for group in groups {
            let bytes = group.map { Array($0.token.utf8) }
            #expect(zip(bytes, bytes.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }, sourceLocation: sourceLocation)
        }
        finishedBefore += finished
    }
    #expect(result.count(.finished) <= k, sourceLocation: sourceLocation)
    let scores = result.hypotheses.map(\.score)
    #expect(scores == scores.sorted(by: >), "best score first", sourceLocation: sourceLocation)
    for hypothesis in result.hypotheses {
        #expect(tokensOf[hypothesis.node].map { Array($0.dropFirst()) } == hypothesis.tokens, sourceLocation: sourceLocation)
        #expect(nodes[hypothesis.node].logProbability == hypothesis.logProbability, sourceLocation: sourceLocation)
        #expect(hypothesis.ending == (hypothesis.tokens.last == model.eos ? .eos : .length), sourceLocation: sourceLocation)
        if hypothesis.ending == .length { #expect(hypothesis.tokens.count == result.search.maxLength, sourceLocation: sourceLocation) }
    }
    let finalCount = result.count(.finished) + nodes.filter { $0.status == .kept && $0.step == steps }.count
    #expect(result.hypotheses.count == finalCount, sourceLocation: sourceLocation)
}

@Suite struct DecodingTests {
    // MARK: The contract's example and the demo

    @Test func contractExample() throws {
        let model = try table(contractExampleLM)
        let result = try search(model)
        #expect(sentences(result) == ["The </s>", "I am </s>", "I </s>"])
        #expect(result.hypotheses.map(\.ending) == [DecodingEnd.eos, .eos, .eos])
        #expect(abs(result.hypotheses[0].logProbability - log(0.4)) < 1e-12)
        #expect(abs(result.hypotheses[1].logProbability - log(0.27)) < 1e-12)
        #expect(abs(result.hypotheses[2].logProbability - log(0.06)) < 1e-12)
        #expect(result.greedy == GreedyDecoding(tokens: ["I", "am", "</s>"], logProbability: log(0.6) + log(0.9) + log(0.5), probabilities: [0.6, 0.9, 0.5], ending: .eos))
        // "<s> I am" falls back to "am", "<s> The" to "".
        #expect(model.matchingDistribution(after: ["<s>", "I", "am"])?.context == "am")
        #expect(model.matchingDistribution(after: ["<s>", "The"])?.context == "")
        expectTreeInvariants(result, model)
    }

    @Test func demoGreedyAndBeamDisagree() throws {
        let model = DemoLanguageModel.table
        let result = try search(model)
        #expect(result.greedy.tokens == ["The", "cat", "ran", "</s>"])
        #expect(abs(result.greedy.logProbability - log(0.1225)) < 1e-12)
        #expect(result.greedy.ending == .eos)
        #expect(sentences(result) == ["A cat sat </s>", "The cat ran </s>", "The cat sat </s>"])
        #expect(abs(result.hypotheses[0].logProbability - log(0.243)) < 1e-12)
        #expect(abs(result.hypotheses[1].logProbability - log(0.1225)) < 1e-12)
        #expect(result.hypotheses[2].logProbability == result.hypotheses[1].logProbability)
        #expect(result.hypotheses.map(\.score) == result.hypotheses.map(\.logProbability))
        #expect(result.nodes.count == 17)
        #expect(result.count(.root) == 1 && result.count(.kept) == 8 && result.count(.finished) == 3 && result.count(.pruned) == 5)
        // Step 3: "A cat sat" (0.243), then four paths at 0.1225: "The cat" outranks "The dog"
        // (parent rank), and "ran" comes before "sat" (byte order).
        let step3 = result.nodes.filter { $0.step == 3 }
        #expect(step3.map(\.token) == ["ran", "sat", "ran", "sat", "barked", "ran"])
        #expect(step3.map(\.status) == [.pruned, .kept, .kept, .kept, .pruned, .pruned])
        expectTreeInvariants(result, model)
    }

    @Test func demoTablePassesEveryCheck() throws {
        let checked = try LanguageModelTable(next: DemoLanguageModel.next, source: DemoLanguageModel.source)
        #expect(checked == DemoLanguageModel.table)
        #expect(checked.bos == "<s>" && checked.eos == "</s>")
        #expect(try LanguageModelTable(next: DemoLanguageModel.weatherNext, source: "weather") == DemoLanguageModel.weather)
    }

    @Test func dumpHasTheContractFields() throws {
        let text = try search(DemoLanguageModel.table).json.rendered()
        let dump = try JSONValue.parse(text, source: "tree.json")
        #expect(dump.object?.map(\.key) == ["settings", "nodes", "hypotheses", "greedy"])
        let root = try #require(dump["nodes"]?.array?.first)
        #expect(root.object?.map(\.key) == ["id", "parent", "token", "step", "logprob", "status"])
        #expect(root["id"] == .number(0) && root["parent"] == .null && root["token"] == .string("<s>"))
        #expect(root["step"] == .number(0) && root["logprob"] == .number(0) && root["status"] == .string("root"))
        let best = try #require(dump["hypotheses"]?.array?.first)
        #expect(best["tokens"] == .array(["A", "cat", "sat", "</s>"].map(JSONValue.string)))
        #expect(best["ended"] == .string("eos"))
        #expect(best["logprob"]?.number == log(0.3) + log(0.9) + log(0.9) + log(1.0))
        #expect(best["score"] == best["logprob"])
        #expect(dump["greedy"]?["tokens"] == .array(["The", "cat", "ran", "</s>"].map(JSONValue.string)))
        #expect(dump["settings"]?["beam_width"] == .number(3) && dump["settings"]?["max_length"] == .number(10))
        // Same inputs, same bytes.
        #expect(try search(DemoLanguageModel.table).json.rendered() == text)
    }

    // MARK: Ties

    @Test func equalProbabilitiesGoToTheSmallerTokenInByteOrder() throws {
        // "e\u{301}" < "f" in bytes, but Swift's String "<" compares "é" (normalized) > "f";
        // "Ç" (C3 87) < "Å" (angstrom sign, E2 84 AB) in bytes, the other way round after normalization.
        let model = try table(#"""
            {"next": {"<s>": {"f": 0.5, "e\u0301": 0.5},
                      "f": {"\u212B": 0.5, "\u00C7": 0.5},
                      "e\u0301": {"\u212B": 0.5, "\u00C7": 0.5},
                      "": {"</s>": 1}}}
            """#)
        let result = try search(model, k: 1)
        #expect(result.greedy.tokens == ["e\u{301}", "\u{C7}", "</s>"])
        #expect(result.greedy.tokens[0].utf8.elementsEqual("e\u{301}".utf8))
        #expect(result.hypotheses.first?.tokens.map { Array($0.utf8) } == result.greedy.tokens.map { Array($0.utf8) })
        let firstStep = result.nodes.filter { $0.step == 1 }
        #expect(firstStep.map { Array($0.token.utf8) } == [Array("e\u{301}".utf8), Array("f".utf8)])
        expectTreeInvariants(result, model)
    }

    @Test func equalLogProbsGoToTheEarlierParentBeforeTheSmallerToken() throws {
        let model = try table("""
            {"next": {"<s>": {"b": 0.5, "a": 0.5},
                      "a": {"x": 0.6, "y": 0.4},
                      "b": {"x": 0.6, "w": 0.4},
                      "": {"</s>": 1}}}
            """)
        let result = try search(model, k: 3, length: 2)
        let step2 = result.nodes.filter { $0.step == 2 }
        #expect(step2.map(\.token) == ["x", "y", "w", "x"])
        // "a x" and "b x" tie (parent "a" ranks first); "a y" beats "b w" though "w" < "y".
        #expect(step2.map(\.status) == [.kept, .kept, .pruned, .kept])
        #expect(sentences(result) == ["a x", "b x", "a y"])
        #expect(result.hypotheses.allSatisfy { $0.ending == .length })
        expectTreeInvariants(result, model)
    }

    @Test func equalScoresListFinishedBeforeLiveInTheOrderTheyWereKept() throws {
        // "1" ranks before "</s>" (byte order), but a finished hypothesis is listed before a
        // live one of equal score.
        let model = try table(#"{"next": {"<s>": {"1": 0.5, "</s>": 0.5}, "": {"</s>": 1}}}"#)
        let result = try search(model, k: 2, length: 1)
        #expect(result.nodes.filter { $0.step == 1 }.map(\.token) == ["1", "</s>"])
        #expect(sentences(result) == ["</s>", "1"])
        #expect(result.hypotheses.map(\.ending) == [.eos, .length])
        #expect(result.hypotheses[0].score == result.hypotheses[1].score)
    }

    // MARK: Length penalty, maximum length, width 1

    @Test func lengthPenaltyChangesTheWinner() throws {
        let model = try table("""
            {"next": {"<s>": {"</s>": 0.4, "so": 0.6},
                      "so": {"</s>": 0.3, "then": 0.7},
                      "then": {"</s>": 0.5, "more": 0.5},
                      "more": {"</s>": 1}}}
            """)
        let plain = try search(model, k: 3, penalty: 0)
        #expect(sentences(plain) == ["</s>", "so then </s>", "so </s>"])
        #expect(plain.hypotheses.map(\.score) == plain.hypotheses.map(\.logProbability))
        let penalised = try search(model, k: 3, penalty: 1)
        #expect(sentences(penalised) == ["so then </s>", "so </s>", "</s>"])
        #expect(abs(penalised.hypotheses[0].score - log(0.21) / 3) < 1e-12)
        #expect(abs(penalised.hypotheses[1].score - log(0.18) / 2) < 1e-12)
        #expect(abs(penalised.hypotheses[2].score - log(0.4)) < 1e-12)
        // The tree does not depend on the penalty; only the final ranking does.
        #expect(plain.nodes == penalised.nodes)
        let search = try BeamSearch(lengthPenalty: 0.7)
        #expect(abs(search.score(logProbability: -2, length: 4) - -2 / pow(4, 0.7)) < 1e-15)
        expectTreeInvariants(penalised, model)
    }

    @Test func maximumLengthEndsLiveHypotheses() throws {
        let result = try search(DemoLanguageModel.table, k: 2, length: 2)
        #expect(sentences(result) == ["A cat", "The cat"])
        #expect(result.hypotheses.map(\.ending) == [.length, .length])
        #expect(abs(result.hypotheses[0].logProbability - log(0.27)) < 1e-12)
        #expect(result.greedy == GreedyDecoding(tokens: ["The", "cat"], logProbability: log(0.7) + log(0.35), probabilities: [0.7, 0.35], ending: .length))
        #expect(result.nodes.map(\.step).max() == 2)
        expectTreeInvariants(result, DemoLanguageModel.table)

        let one = try search(DemoLanguageModel.table, k: 3, length: 1)
        #expect(sentences(one) == ["The", "A"])
        #expect(one.count(.kept) == 2 && one.count(.pruned) == 0)
    }

    @Test func widthOneIsGreedy() throws {
        let tables = [DemoLanguageModel.table, try table(contractExampleLM), try table("""
            {"eos": "END", "next": {"": {"x": 0.3, "y": 0.3, "END": 0.4}, "x": {"x": 0.45, "y": 0.45, "END": 0.1}}}
            """)]
        for model in tables {
            for length in [1, 2, 3, 5, 10] {
                let result = try search(model, k: 1, length: length)
                #expect(result.hypotheses.count == 1)
                #expect(result.hypotheses.first?.tokens == result.greedy.tokens)
                #expect(result.hypotheses.first?.logProbability == result.greedy.logProbability)
                #expect(result.hypotheses.first?.ending == result.greedy.ending)
                expectTreeInvariants(result, model)
            }
        }
    }

    @Test func invariantsHoldForEveryWidthAndLength() throws {
        let rareEOS = try table("""
            {"bos": "[BOS]", "eos": "[EOS]",
             "next": {"[BOS]": {"a": 0.5, "b": 0.3, "c": 0.2},
                      "a": {"a": 0.45, "b": 0.45, "[EOS]": 0.1},
                      "b": {"c": 0.6, "a": 0.39, "[EOS]": 0.01},
                      "c": {"a": 0.3, "b": 0.3, "c": 0.39, "[EOS]": 0.01}}}
            """)
        for model in [DemoLanguageModel.table, try table(contractExampleLM), rareEOS] {
            for k in 1...6 {
                for length in [1, 2, 4, 8] {
                    for penalty in [0, 0.7, 1.5] {
                        expectTreeInvariants(try search(model, k: k, length: length, penalty: penalty), model)
                    }
                }
            }
        }
    }

    @Test func lookupUsesTheLongestSuffixByBytes() throws {
        let model = try table(#"""
            {"next": {"": {"</s>": 1}, "b": {"x": 1}, "a b": {"y": 1}, "<s> a b": {"z": 1}, "caf\u00e9": {"w": 1}}}
            """#)
        #expect(model.matchingDistribution(after: ["<s>", "a", "b"])?.context == "<s> a b")
        #expect(model.matchingDistribution(after: ["<s>", "c", "a", "b"])?.context == "a b")
        #expect(model.matchingDistribution(after: ["<s>", "a", "a", "b", "b"])?.context == "b")
        #expect(model.matchingDistribution(after: ["<s>"])?.context == "")
        #expect(model.matchingDistribution(after: ["<s>", "caf\u{e9}"])?.context == "caf\u{e9}")
        // Canonically equivalent to "café" but different bytes: not the same context.
        #expect(model.matchingDistribution(after: ["<s>", "cafe\u{301}"])?.context == "")
        #expect(try model.distribution(after: ["<s>", "a"]).entries.map(\.token) == ["</s>"])
    }

    // MARK: Errors

    @Test func noMatchingContextNamesThePrefix() throws {
        let model = try table(#"{"next": {"<s>": {"I": 1}, "<s> I": {"am": 1}}}"#)
        let message = expectInputError("lm.json") { _ = try search(model) }
        #expect(message == #"lm.json: no entry of "next" matches the context "<s> I am"; add that context, a shorter suffix of it, or """#)
        expectInputError("no entry of \"next\" matches the context \"<s> I am\"") {
            _ = try GreedyDecoder.decode(model, maxLength: 5)
        }
    }

    @Test func everyTableErrorNamesTheFileAndTheContext() throws {
        let cases: [(String, String)] = [
            (#"{"next": {"<s> I": {"am": 0.9, "</s>": 0.05}, "": {"</s>": 1}}}"#,
             #"lm.json: context "<s> I": probabilities sum to 0.95, not 1 (within 1e-6)"#),
            (#"{"next": {"<s>": {"a": 0.5, "b": 0.5000011}}}"#, #"context "<s>": probabilities sum to 1.0000011, not 1"#),
            (#"{"next": {"<s>": {"New York": 1}}}"#, #"lm.json: context "<s>": token "New York" contains a space"#),
            (#"{"next": {"<s>": {"I": 0, "you": 1}}}"#, #"lm.json: context "<s>": the probability of "I" is 0; probabilities must be in (0, 1]"#),
            (#"{"next": {"<s>": {"I": -0.5, "you": 1.5}}}"#, #"the probability of "I" is -0.5; probabilities must be in (0, 1]"#),
            (#"{"next": {"": {"I": 1.5}}}"#, #"context "": the probability of "I" is 1.5"#),
            (#"{"next": {"<s>": {"I": "0.5", "you": 0.5}}}"#, #"context "<s>": the probability of "I" is the string "0.5"; it must be a number"#),
            (#"{"next": {"<s>": {"I": null}}}"#, #"the probability of "I" is null; it must be a number"#),
            (#"{"next": {"<s>": {}}}"#, #"lm.json: context "<s>": holds no tokens"#),
            (#"{"next": {"<s>": [0.5, 0.5]}}"#, #"lm.json: context "<s>": must be an object of token probabilities, found an array"#),
            (#"{"next": {"<s>": 1}}"#, #"context "<s>": must be an object of token probabilities, found the number 1.0"#),
            (#"{"next": {"<s>": {"": 1}}}"#, #"context "<s>": a token is the empty string"#),
            (#"{"next": {"<s>  I": {"a": 1}}}"#, #"context "<s>  I": tokens must be joined by single spaces"#),
            (#"{"next": {" I": {"a": 1}}}"#, #"context " I": tokens must be joined by single spaces"#),
            (#"{"bos": "<s> x", "next": {"": {"a": 1}}}"#, #"lm.json: "bos" token "<s> x" contains a space"#),
            (#"{"eos": "end here", "next": {"": {"a": 1}}}"#, #"lm.json: "eos" token "end here" contains a space"#),
            (#"{"eos": "", "next": {"": {"a": 1}}}"#, #"lm.json: "eos" is empty"#),
            (#"{"bos": 7, "next": {"": {"a": 1}}}"#, #"lm.json: "bos" must be a string token, found the number 7.0"#),
            (#"{"bos": "x", "eos": "x", "next": {"": {"a": 1}}}"#, #""bos" and "eos" are both "x"; they must be different tokens"#),
            (#"{"next": {}}"#, #"lm.json: "next" holds no contexts"#),
            (#"{"next": [1]}"#, #"lm.json: "next" must be an object from context to {token: probability}, found an array"#),
            (#"{"bos": "<s>"}"#, #"lm.json: has no "next""#),
            (#"{"next": {"": {"a": 1}}, "nxt": {}}"#, #"lm.json: unknown key "nxt""#),
            (#"[1, 2]"#, #"lm.json: must be a JSON object with "next""#),
            (#"{"next": {"<s>": {"a": 1}, "<s>": {"b": 1}}}"#, #"lm.json: line 1, column 28: the key "<s>" appears twice"#),
            (#"{"next": {"": {"a\nb": 1, "c\"": 0}}}"#, #"context "": the probability of "c\"" is 0"#),
        ]
        for (text, fragment) in cases {
            expectInputError(fragment) { _ = try table(text) }
        }
        expectInputError(#"context "x": token "x" is given twice"#) {
            _ = try LanguageModelTable(next: [("x", [("x", 0.5), ("x", 0.5)])], source: "code")
        }
        expectInputError(#"code: context "x" is given twice"#) {
            _ = try LanguageModelTable(next: [("x", [("x", 1)]), ("x", [("y", 1)])], source: "code")
        }
    }

    @Test func filesThatCannotBeReadAreErrorsNamingThem() throws {
        expectInputError("/no/such/lm.json: no such file") { _ = try LanguageModelTable.read(path: "/no/such/lm.json") }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("decoding-\(getpid())-bad.json")
        try Data(#"{"next": {"": {"</s>": 1,}}}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        expectInputError(url.path, "line 1, column 26") { _ = try LanguageModelTable.read(path: url.path) }
        try Data(contractExampleLM.utf8).write(to: url)
        #expect(try LanguageModelTable.read(path: url.path) == (try table(contractExampleLM)).withSource(url.path))
    }

    @Test func settingsOutsideTheirRangesAreErrors() {
        expectInputError("--beam-width: 0 is not a beam width; use a whole number from 1 to 64") { _ = try BeamSearch(beamWidth: 0) }
        expectInputError("--beam-width: -3") { _ = try BeamSearch(beamWidth: -3) }
        expectInputError("--beam-width: 65") { _ = try BeamSearch(beamWidth: 65) }
        expectInputError("--max-length: 0 is not a maximum length; use a whole number from 1 to 64") { _ = try BeamSearch(maxLength: 0) }
        expectInputError("--max-length: 65") { _ = try BeamSearch(maxLength: 65) }
        expectInputError("--max-length: -1") { _ = try GreedyDecoder.decode(DemoLanguageModel.table, maxLength: -1) }
        for penalty in [-0.5, .nan, .infinity, -.infinity, 10.5] {
            expectInputError("--length-penalty", "is not a length penalty") { _ = try BeamSearch(lengthPenalty: penalty) }
        }
        #expect(throws: Never.self) { _ = try BeamSearch(beamWidth: 64, maxLength: 64, lengthPenalty: 10) }
        #expect(throws: Never.self) { _ = try BeamSearch(beamWidth: 1, maxLength: 1, lengthPenalty: 0) }
    }

    @Test func oversizedTablesAreRefusedBeforeTheyAreChecked() throws {
        let many = (0...LanguageModelTable.maximumContexts).map { (context: "c\($0)", tokens: [(token: "x", probability: 1.0)]) }
        expectInputError("code: \"next\" holds 10001 contexts; at most 10000 are supported") {
            _ = try LanguageModelTable(next: many, source: "code")
        }
        // Not checked entry by entry: the bad probability is never reached.
        let wide = (0...LanguageModelTable.maximumTokensPerDistribution).map { (token: "t\($0)", probability: 2.0) }
        expectInputError(#"code: context "": holds 10001 tokens; at most 10000 are supported"#) {
            _ = try LanguageModelTable(next: [("", wide)], source: "code")
        }
        let total = (0..<101).map { c in (context: "c\(c)", tokens: (0..<10_000).map { (token: "t\($0)", probability: 1e-4) }) }
        expectInputError("code: \"next\" holds 1010000 token probabilities in all; at most 1000000 are supported") {
            _ = try LanguageModelTable(next: total, source: "code")
        }
    }

    @Test func searchesThatWouldOutgrowTheNodeLimitAreErrors() throws {
        // 10,000 tokens, k = 64: step 1 builds 10,000 nodes, step 2 640,000, step 3 would cross 1,000,000.
        let tokens = (0..<10_000).map { (token: "t\($0)", probability: 1e-4) }
        let model = try LanguageModelTable(next: [("", tokens)], source: "big.json")
        expectInputError("big.json: step 3 of the search would bring the tree to 1290001 nodes, more than the 1000000 supported", "--beam-width") {
            _ = try search(model, k: 64, length: 64)
        }
    }
}

extension LanguageModelTable {
    /// The same table under another name.
    func withSource(_ source: String) -> LanguageModelTable {
        LanguageModelTable(checkedBOS: bos, eos: eos, next: distributions.map { ($0.context, $0.entries.map { ($0.token, $0.probability) }) }, source: source)
    }
}
