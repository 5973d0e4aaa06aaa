import Foundation

/// An elementwise activation function with its derivative, for the small networks of the study
/// report (perceptrons, two-layer networks, recurrences).
public enum Activation: String, Sendable, CaseIterable {
    /// f(z) = z: no nonlinearity at all.
    case identity
    /// The perceptron's threshold: 1 for z > 0, else 0.
    case step
    /// The logistic sigmoid 1 / (1 + e^(−z)).
    case sigmoid
    /// The hyperbolic tangent.
    case tanh
    /// max(0, z).
    case relu

    /// f(z).
    public func value(_ z: Double) -> Double {
        switch self {
        case .identity: return z
        case .step: return z > 0 ? 1 : 0
        case .sigmoid:
            // Two forms, so that neither e^(−z) nor e^z overflows.
            if z >= 0 { return 1 / (1 + exp(-z)) }
            let e = exp(z)
            return e / (1 + e)
        case .tanh: return Foundation.tanh(z)
        case .relu: return max(0, z)
        }
    }

    /// f′(z). The step has derivative 0 wherever it is defined; ReLU takes 0 at z = 0.
    public func derivative(_ z: Double) -> Double {
        switch self {
        case .identity: return 1
        case .step: return 0
        case .sigmoid:
            let s = value(z)
            return s * (1 - s)
        case .tanh:
            let t = Foundation.tanh(z)
            return 1 - t * t
        case .relu: return z > 0 ? 1 : 0
        }
    }
}
