/// The simplest recurrent network: one number of state, h_t = f(w · h_(t−1) + u · x_t), h_0 = 0.
/// Enough to show how a gradient travels back through time as a product of one factor per step.
public struct ScalarRecurrence: Sendable, Equatable {
    /// The recurrent weight w.
    public var recurrentWeight: Double
    /// The input weight u.
    public var inputWeight: Double
    /// The activation f.
    public var activation: Activation

    /// Creates the recurrence.
    public init(recurrentWeight: Double, inputWeight: Double, activation: Activation) {
        self.recurrentWeight = recurrentWeight
        self.inputWeight = inputWeight
        self.activation = activation
    }

    /// The pre-activations a_1 … a_T for `inputs` x_1 … x_T.
    public func preActivations(_ inputs: [Double]) -> [Double] {
        var h = 0.0
        return inputs.map { x in
            let a = recurrentWeight * h + inputWeight * x
            h = activation.value(a)
            return a
        }
    }

    /// |∂h_T / ∂h_(T−k)| for k = 0 … T − 1: the product of the k factors w · f′(a_t) of the last k
    /// steps, so element k says how much a change k steps back still moves the last state.
    public func backwardGradients(_ inputs: [Double]) -> [Double] {
        let a = preActivations(inputs)
        var product = 1.0
        var result = [1.0]
        for t in a.indices.reversed().dropLast() {
            product *= recurrentWeight * activation.derivative(a[t])
            result.append(abs(product))
        }
        return result
    }
}
