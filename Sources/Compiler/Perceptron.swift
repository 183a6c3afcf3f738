/// The McCulloch–Pitts neuron: Boolean inputs, a threshold θ, and inhibitory
/// inputs that veto firing. Fires when no inhibitory input is on and Σ excitatory ≥ θ.
public struct McCullochPittsUnit: Sendable, Equatable {
    public var threshold: Int
    /// Indices of inhibitory inputs.
    public var inhibitory: Set<Int>

    public init(threshold: Int, inhibitory: Set<Int> = []) {
        self.threshold = threshold
        self.inhibitory = inhibitory
    }

    public func fire(_ inputs: [Bool]) -> Bool {
        if inputs.indices.contains(where: { inhibitory.contains($0) && inputs[$0] }) { return false }
        let sum = inputs.indices.filter { !inhibitory.contains($0) && inputs[$0] }.count
        return sum >= threshold
    }
}

/// Rosenblatt's perceptron: y = 1 if w₀ + Σ wᵢxᵢ ≥ 0 else 0, with w₀ = −θ the bias
/// weight on a constant input x₀ = 1 (the material's convention).
public struct Perceptron: Sendable, Equatable {
    /// (1 + inputCount): `weights[0]` is the bias weight w₀.
    public var weights: [Double]

    public init(weights: [Double]) {
        precondition(weights.count >= 2)
        self.weights = weights
    }

    public init(inputCount: Int) { weights = [Double](repeating: 0, count: inputCount + 1) }

    public var inputCount: Int { weights.count - 1 }

    public func predict(_ x: [Double]) -> Int {
        precondition(x.count == inputCount)
        var s = weights[0]
        for i in 0..<inputCount { s += weights[i + 1] * x[i] }
        return s >= 0 ? 1 : 0
    }

    /// The perceptron learning rule: for each misclassified point, w ← w + η·x
    /// when the target is 1 and w ← w − η·x when it is 0 (x with x₀ = 1).
    /// Sweeps the data in order until an epoch makes no mistake (returns true: the
    /// convergence theorem promises this for linearly separable data) or
    /// `maxEpochs` pass (returns false).
    @discardableResult
    public mutating func learn(inputs: [[Double]], targets: [Int], learningRate eta: Double = 1, maxEpochs: Int = 1000) -> Bool {
        precondition(inputs.count == targets.count)
        for _ in 0..<maxEpochs {
            var mistakes = 0
            for (x, t) in zip(inputs, targets) {
                let y = predict(x)
                if y == t { continue }
                mistakes += 1
                let sign: Double = t == 1 ? 1 : -1
                weights[0] += sign * eta
                for i in 0..<inputCount { weights[i + 1] += sign * eta * x[i] }
            }
            if mistakes == 0 { return true }
        }
        return false
    }
}
