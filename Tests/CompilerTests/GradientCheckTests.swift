import Testing
@testable import Compiler

/// Backprop against central finite differences for every activation × loss pair.
@Suite struct GradientCheckTests {
    /// The acceptance bound of issue 2.
    static let maxRelativeError = 1e-7
    /// Absolute bound: ~50× the differencing noise of a loss of size 1 (see GradientCheck.relativeFloor).
    static let maxAbsoluteError = 1e-10

    static let hiddenActivations: [Activation] = [
        .identity, .sigmoid, .tanh, .relu, .leakyReLU(alpha: 0.01), .prelu(alpha: 0.25), .elu(alpha: 1.0),
        .selu, .softplus, .gelu, .silu, .gaussian,
    ]

    /// Output activation and loss pairs that make sense together (targets in range).
    static let outputPairs: [(Activation, Loss)] = [
        (.identity, .meanSquaredError), (.identity, .meanAbsoluteError), (.identity, .huber(delta: 0.5)),
        (.tanh, .meanSquaredError), (.softplus, .huber(delta: 1.0)),
        (.sigmoid, .binaryCrossEntropy), (.sigmoid, .meanSquaredError),
        (.softmax, .categoricalCrossEntropy), (.softmax, .sparseCategoricalCrossEntropy),
        (.softmax, .meanSquaredError),       // exercises the softmax Jacobian
        (.sigmoid, .categoricalCrossEntropy), // CE without the fused shortcut
    ]

    static func batch(outputCount: Int, loss: Loss, output: Activation, rows: Int, rng: inout SplitMix64) -> ([Double], [Double]) {
        let x = (0..<(rows * 4)).map { _ in rng.nextUniform(-2, 2) }
        var y: [Double] = []
        for _ in 0..<rows {
            let cls = rng.nextIndex(below: outputCount)
            switch (loss, output) {
            case (.sparseCategoricalCrossEntropy, _): y.append(Double(cls))
            case (.categoricalCrossEntropy, _): y += (0..<outputCount).map { $0 == cls ? 1 : 0 }
            case (.binaryCrossEntropy, _): y += (0..<outputCount).map { _ in rng.nextUnit() < 0.5 ? 0 : 1 }
            case (_, .identity): y += (0..<outputCount).map { _ in rng.nextUniform(-2, 2) }
            case (_, .tanh): y += (0..<outputCount).map { _ in rng.nextUniform(-0.9, 0.9) }
            case (_, .softplus): y += (0..<outputCount).map { _ in rng.nextUniform(0, 2) }
            default: y += (0..<outputCount).map { _ in rng.nextUnit() }
            }
        }
        return (x, y)
    }

    @Test(arguments: hiddenActivations)
    func everyLossPairMatchesFiniteDifferences(hidden: Activation) {
        for (pairIndex, (output, loss)) in Self.outputPairs.enumerated() {
            var rng = SplitMix64(seed: UInt64(pairIndex) &* 7919 &+ 17)
            // Two hidden layers (acceptance: ≥ 2), small enough for O(n²) differences.
            let net = Network(sizes: [4, 6, 5, 3], activations: [hidden, hidden, output], initializer: .uniform,
                              seed: UInt64(pairIndex) + 1, learnsAlpha: true)
            let (x, y) = Self.batch(outputCount: 3, loss: loss, output: output, rows: 5, rng: &rng)
            let r = GradientCheck.check(net, x: x, y: y, rows: 5, loss: loss)
            #expect(r.maxRelativeError <= Self.maxRelativeError, "\(hidden) → \(output) + \(loss): rel \(r.maxRelativeError) worst \(r.worst) maxabs \(r.maxAbsoluteError)")
            #expect(r.maxAbsoluteError <= Self.maxAbsoluteError, "\(hidden) → \(output) + \(loss): abs \(r.maxAbsoluteError)")
            // Guard against a trivially zero gradient passing the check.
            #expect(r.maxGradient > 1e-3, "\(hidden) → \(output) + \(loss): gradient is ~0")
        }
    }

    @Test func learnedPReLUAlphaHasAGradient() {
        let net = Network(sizes: [4, 6, 5, 2], activations: [.prelu(alpha: 0.2), .prelu(alpha: 0.3), .identity],
                          initializer: .uniform, seed: 3, learnsAlpha: true)
        #expect(net.layers[0].learnsAlpha && net.layers[1].learnsAlpha)
        var rng = SplitMix64(seed: 5)
        let (x, y) = Self.batch(outputCount: 2, loss: .meanSquaredError, output: .identity, rows: 8, rng: &rng)
        let r = GradientCheck.check(net, x: x, y: y, rows: 8, loss: .meanSquaredError)
        #expect(r.parameterCount == net.parameterCount)
        #expect(r.maxRelativeError <= Self.maxRelativeError)
    }
}
