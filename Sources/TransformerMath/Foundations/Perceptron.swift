/// A single perceptron: output 1 when w · x + b > 0, else 0. Its decision boundary is the line
/// (hyperplane) w · x + b = 0.
public struct Perceptron: Sendable, Equatable {
    /// One weight per input.
    public var weights: [Double]
    /// The bias b.
    public var bias: Double

    /// Creates a perceptron.
    public init(weights: [Double], bias: Double) {
        self.weights = weights
        self.bias = bias
    }

    /// w · x + b; inputs beyond the weights are ignored.
    public func preActivation(_ x: [Double]) -> Double {
        zip(weights, x).reduce(bias) { $0 + $1.0 * $1.1 }
    }

    /// The class, 0 or 1.
    public func classify(_ x: [Double]) -> Int {
        preActivation(x) > 0 ? 1 : 0
    }

    /// How many of `inputs` get their target class.
    public func correct(inputs: [[Double]], targets: [Int]) -> Int {
        zip(inputs, targets).filter { classify($0.0) == $0.1 }.count
    }

    /// Where end-of-epoch weights start to repeat: the first epoch (1-based) of the cycle and its length.
    public struct Cycle: Sendable, Equatable {
        /// The first epoch (1-based) whose weights come back.
        public var start: Int
        /// Epochs between two returns (1: the weights no longer change).
        public var length: Int
    }

    /// The weights after each epoch of Rosenblatt's learning rule, and whether and when they stopped changing.
    public struct Training: Sendable, Equatable {
        /// The perceptron at the end of epoch 1, 2, ….
        public var epochs: [Perceptron]
        /// Samples classified correctly by each of `epochs`.
        public var correct: [Int]
        /// The first epoch (1-based) after which every sample was right, if any.
        public var convergedAt: Int?
        /// When the end-of-epoch weights repeat, if they do.
        public var cycle: Cycle?
    }

    /// Trains from zero weights with the perceptron rule: for each sample in order, with y the
    /// current output and t the target, w ← w + η (t − y) x and b ← b + η (t − y). Stops early
    /// once an epoch makes no mistake.
    public static func train(inputs: [[Double]], targets: [Int], epochs: Int, learningRate: Double = 1) -> Training {
        let width = inputs.map(\.count).max() ?? 0
        var p = Perceptron(weights: Array(repeating: 0, count: width), bias: 0)
        var training = Training(epochs: [], correct: [], convergedAt: nil, cycle: nil)
        for epoch in 1...max(1, epochs) {
            var mistakes = 0
            for (x, t) in zip(inputs, targets) {
                let error = Double(t - p.classify(x))
                guard error != 0 else { continue }
                mistakes += 1
                for i in x.indices { p.weights[i] += learningRate * error * x[i] }
                p.bias += learningRate * error
            }
            if training.cycle == nil, let first = training.epochs.firstIndex(of: p) {
                training.cycle = Cycle(start: first + 1, length: epoch - first - 1)
            }
            training.epochs.append(p)
            training.correct.append(p.correct(inputs: inputs, targets: targets))
            if mistakes == 0 {
                training.convergedAt = epoch
                break
            }
        }
        return training
    }
}
