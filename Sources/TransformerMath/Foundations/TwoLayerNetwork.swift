/// A network with one hidden layer and one output: y = w₂ · f(W₁ x + b₁) + b₂. With f the identity
/// it collapses into one linear map, which `collapsed` computes.
public struct TwoLayerNetwork: Sendable, Equatable {
    /// Hidden weights, one row per hidden unit, one column per input.
    public var hiddenWeights: Matrix
    /// Hidden biases, one per hidden unit.
    public var hiddenBiases: [Double]
    /// Output weights, one per hidden unit.
    public var outputWeights: [Double]
    /// The output bias.
    public var outputBias: Double
    /// The hidden units' activation.
    public var activation: Activation

    /// Creates a network. Hidden units are the rows of `hiddenWeights`; a unit without a bias or
    /// an output weight is treated as having 0.
    public init(hiddenWeights: Matrix, hiddenBiases: [Double], outputWeights: [Double], outputBias: Double, activation: Activation) {
        self.hiddenWeights = hiddenWeights
        self.hiddenBiases = hiddenBiases
        self.outputWeights = outputWeights
        self.outputBias = outputBias
        self.activation = activation
    }

    /// The hidden pre-activations W₁ x + b₁.
    public func hiddenPreActivations(_ x: [Double]) -> [Double] {
        (0..<hiddenWeights.rows).map { r in
            zip(hiddenWeights.row(r), x).reduce(r < hiddenBiases.count ? hiddenBiases[r] : 0) { $0 + $1.0 * $1.1 }
        }
    }

    /// The hidden values f(W₁ x + b₁).
    public func hidden(_ x: [Double]) -> [Double] {
        hiddenPreActivations(x).map(activation.value)
    }

    /// The output y.
    public func output(_ x: [Double]) -> Double {
        zip(outputWeights, hidden(x)).reduce(outputBias) { $0 + $1.0 * $1.1 }
    }

    /// The single linear map w · x + b equal to this network when the activation is the identity:
    /// w = w₂ᵀ W₁ and b = w₂ · b₁ + b₂.
    public var collapsed: (weights: [Double], bias: Double) {
        let weights = (0..<hiddenWeights.columns).map { c in
            zip(outputWeights, 0..<hiddenWeights.rows).reduce(0.0) { $0 + $1.0 * hiddenWeights[$1.1, c] }
        }
        let bias = zip(outputWeights, hiddenBiases).reduce(outputBias) { $0 + $1.0 * $1.1 }
        return (weights, bias)
    }
}
