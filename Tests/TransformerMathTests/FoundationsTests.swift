import Foundation
import Testing
import TransformerMath

/// Activations, the perceptron, the two-layer network and the scalar recurrence of the study
/// report's first sections, checked against hand-worked values, finite differences and closed forms.
@Suite("foundations")
struct FoundationsTests {
    static let inputs: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
    static let xor = [0, 1, 1, 0]

    @Test func derivativesMatchFiniteDifferences() {
        let h = 1e-6
        for f in [Activation.identity, .sigmoid, .tanh, .relu] {
            for z in stride(from: -4.0, through: 4.0, by: 0.37) where abs(z) > 1e-3 {
                let numeric = (f.value(z + h) - f.value(z - h)) / (2 * h)
                #expect(abs(numeric - f.derivative(z)) < 1e-8, "\(f) at \(z)")
            }
        }
        // Closed forms: σ(0) = ½, σ′(0) = ¼, tanh′(0) = 1.
        #expect(Activation.sigmoid.value(0) == 0.5)
        #expect(Activation.sigmoid.derivative(0) == 0.25)
        #expect(Activation.tanh.derivative(0) == 1)
        #expect(Activation.step.value(0) == 0 && Activation.step.value(1e-12) == 1)
    }

    @Test func sigmoidDoesNotOverflow() {
        for z in [-1000.0, -745, 745, 1000] {
            let s = Activation.sigmoid.value(z)
            #expect(s.isFinite && s >= 0 && s <= 1)
            #expect(Activation.sigmoid.derivative(z).isFinite)
        }
    }

    /// Traced by hand with η = 1 from zero weights, samples in truth-table order.
    @Test func perceptronRuleOnXORCyclesAsTracedByHand() {
        let run = Perceptron.train(inputs: Self.inputs, targets: Self.xor, epochs: 10)
        #expect(run.epochs.count == 10)
        #expect(run.convergedAt == nil)
        #expect(run.epochs[0] == Perceptron(weights: [-1, 0], bias: 0))
        #expect(run.epochs[1] == Perceptron(weights: [-1, 0], bias: 1))
        #expect(run.epochs[2] == Perceptron(weights: [-1, 0], bias: 1))
        #expect(run.cycle?.start == 2 && run.cycle?.length == 1)
        // (−1, 0, b = 1) says 1 for x₁ = 0 and 0 for x₁ = 1: right on (0, 1) and (1, 1) only.
        #expect(run.correct[1] == 2)
    }

    /// OR by hand: the end-of-epoch weights are (0, 1 | 1), (1, 1 | 1), (1, 1 | 0), and epoch 4 makes no mistake.
    @Test func perceptronRuleLearnsOR() {
        let run = Perceptron.train(inputs: Self.inputs, targets: [0, 1, 1, 1], epochs: 100)
        #expect(run.convergedAt == 4)
        #expect(run.epochs.map(\.weights) == [[0, 1], [1, 1], [1, 1], [1, 1]])
        #expect(run.epochs.map(\.bias) == [1, 1, 0, 0])
        #expect(run.correct.last == 4)
    }

    /// The proof in the report, checked by search: no line on a fine grid of weights gets XOR right,
    /// and 3 of 4 is reached.
    @Test func noLineComputesXOR() {
        var best = 0
        let grid = stride(from: -2.0, through: 2.0, by: 0.125).map { $0 }
        for w1 in grid { for w2 in grid { for b in grid {
            best = max(best, Perceptron(weights: [w1, w2], bias: b).correct(inputs: Self.inputs, targets: Self.xor))
        } } }
        #expect(best == 3)
    }

    func network(_ f: Activation) -> TwoLayerNetwork {
        TwoLayerNetwork(hiddenWeights: Matrix([[1, 1], [1, 1]]), hiddenBiases: [0, -1], outputWeights: [1, -2], outputBias: 0, activation: f)
    }

    @Test func reluNetworkComputesXORExactly() {
        let net = network(.relu)
        #expect(Self.inputs.map(net.output) == [0, 1, 1, 0])
        #expect(net.hidden([1, 1]) == [2, 1])
        #expect(net.hiddenPreActivations([0, 0]) == [0, -1])
    }

    @Test func linearNetworkCollapsesIntoOneMap() {
        let net = network(.identity)
        let (w, b) = net.collapsed
        // w₂ᵀW₁ = (1 − 2, 1 − 2), w₂·b₁ + b₂ = 0 + 2.
        #expect(w == [-1, -1] && b == 2)
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<50 {
            let x = [generator.nextNormal() * 3, generator.nextNormal() * 3]
            #expect(abs(net.output(x) - (w[0] * x[0] + w[1] * x[1] + b)) < 1e-12)
        }
    }

    @Test func linearRecurrenceGradientIsAPower() {
        var generator = SeededGenerator(seed: 2)
        let x = (0..<60).map { _ in generator.nextNormal() }
        for w in [0.9, 1.1] {
            let g = ScalarRecurrence(recurrentWeight: w, inputWeight: 1, activation: .identity).backwardGradients(x)
            #expect(g.count == 60)
            for k in [0, 1, 10, 59] { #expect(abs(g[k] / pow(w, Double(k)) - 1) < 1e-12, "w = \(w), k = \(k)") }
        }
    }

    /// ∂h_T/∂h_(T−k) of a tanh recurrence against a finite difference: perturb h_(T−k) and run on.
    @Test func tanhRecurrenceGradientMatchesFiniteDifferences() {
        var generator = SeededGenerator(seed: 3)
        let x = (0..<30).map { _ in generator.nextNormal() * 0.5 }
        let rnn = ScalarRecurrence(recurrentWeight: 1.1, inputWeight: 1, activation: .tanh)
        let g = rnn.backwardGradients(x)
        func last(from start: Int, state: Double) -> Double {
            var h = state
            for t in start..<x.count { h = tanh(1.1 * h + x[t]) }
            return h
        }
        var states = [0.0]
        for t in x.indices { states.append(tanh(1.1 * (states.last ?? 0) + x[t])) }
        let eps = 1e-6
        for k in [1, 2, 5, 10] {
            // h_(T−k) is states[T − k]; the steps after it read inputs T − k … T − 1 (0-based).
            let index = x.count - k
            let numeric = (last(from: index, state: states[index] + eps) - last(from: index, state: states[index] - eps)) / (2 * eps)
            #expect(abs(abs(numeric) - g[k]) < 1e-6 * max(1, g[k]), "k = \(k): \(numeric) vs \(g[k])")
        }
    }
}
