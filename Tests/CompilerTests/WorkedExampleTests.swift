import Testing
@testable import Compiler

/// The worked numbers of the course material, reproduced.
@Suite struct WorkedExampleTests {
    /// L(w) = (y − wx)², x = 3, y = 10, w₀ = 2, η = 0.1: gradient −24, then w = 4.4.
    @Test func gradientDescentOnASquaredError() {
        var net = Network(layers: [DenseLayer(inputCount: 1, outputCount: 1, activation: .identity, weights: [2], biases: [0])])
        var backprop = Backprop(network: net, capacity: 1)
        var g = Gradients(zeroFor: net)
        let loss = backprop.step(net, x: [3.0], y: [10.0], rows: 1, loss: .meanSquaredError, gradients: &g)
        #expect(loss == 16)
        #expect(g.weights[0][0] == -24)
        var sgd = OptimizerState(rule: .sgd, network: net)
        sgd.apply(g, to: &net, learningRate: 0.1)
        #expect(Swift.abs(net.layers[0].weights[0] - 4.4) < 1e-15)
    }

    /// f = (x + y)·z at (−2, 5, −4): ∂f/∂x = ∂f/∂y = −4 (= z), ∂f/∂z = 3 (= x + y).
    @Test func chainRuleOnAComputationalGraph() {
        let f: ([Double]) -> Double = { ($0[0] + $0[1]) * $0[2] }
        let q = -2.0 + 5.0
        let analytic = [-4.0 * 1, -4.0 * 1, q]  // ∂f/∂q · ∂q/∂x, ∂f/∂q · ∂q/∂y, q
        let numeric = GradientCheck.numericGradient(of: f, at: [-2, 5, -4])
        #expect(analytic == [-4, -4, 3])
        for (a, n) in zip(analytic, numeric) { #expect(Swift.abs(a - n) < 1e-9) }
    }

    /// A sigmoid neuron fit to (0.5, 0.2) and (2.5, 0.9) from w = b = −2, η = 1, full
    /// batch, loss ½Σ(f − y)² (= MSE's mean over the two points), 1000 epochs.
    @Test func sigmoidNeuronFitsTwoPoints() throws {
        var net = Network(layers: [DenseLayer(inputCount: 1, outputCount: 1, activation: .sigmoid, weights: [-2], biases: [-2])])
        let data = Dataset(featureNames: ["x"], features: [0.5, 2.5], labels: [0.2, 0.9], task: .regression)
        var options = TrainingOptions()
        options.epochs = 1000
        options.batchSize = nil
        options.optimizer = .sgd
        options.schedule = LearningRateSchedule(initial: 1)
        options.loss = .meanSquaredError
        options.order = .sequential
        let report = try Trainer.train(&net, on: data, options: options)
        let w = net.layers[0].weights[0], b = net.layers[0].biases[0]
        #expect(Swift.abs(w - 1.79) < 0.01, "w = \(w)")
        #expect(Swift.abs(b - -2.28) < 0.01, "b = \(b)")
        let final = Trainer.evaluate(net, on: data, loss: .meanSquaredError).loss
        #expect(final < 1e-9, "loss = \(final)")
        #expect(report.curve.count == 1000)
    }

    /// Cross-entropy −log p(true): 1.20 for [0.23, 0.30, 0.23, 0.23] and 0.24 for
    /// [0.06, 0.79, 0.07, 0.09], true class 1 (0-based).
    @Test func crossEntropyOfTwoPredictions() {
        func ce(_ p: [Double]) -> Double {
            let y = [0.0, 1, 0, 0]
            return p.withUnsafeBufferPointer { pp in
                y.withUnsafeBufferPointer { yp in
                    Loss.categoricalCrossEntropy.value(z: pp.baseAddress!, a: pp.baseAddress!, y: yp.baseAddress!,
                                                       rows: 1, cols: 4, activation: .identity)
                }
            }
        }
        #expect((ce([0.23, 0.30, 0.23, 0.23]) * 100).rounded() / 100 == 1.20)
        #expect((ce([0.06, 0.79, 0.07, 0.09]) * 100).rounded() / 100 == 0.24)
    }

    /// Weights (w₀, w₁, w₂) = (−1, 1.1, 1.1) implement OR.
    @Test func perceptronWeightsImplementOR() {
        let p = Perceptron(weights: [-1, 1.1, 1.1])
        #expect(p.predict([0, 0]) == 0)
        #expect(p.predict([0, 1]) == 1)
        #expect(p.predict([1, 0]) == 1)
        #expect(p.predict([1, 1]) == 1)
    }

    /// Learning-rate decay η_t = η₀/(1 + d·t), the material's table: η₀ = 1, d = 0.1.
    @Test func learningRateDecay() {
        let s = LearningRateSchedule(initial: 1, decay: 0.1)
        #expect(s.rate(afterUpdates: 0) == 1)
        #expect(s.rate(afterUpdates: 10) == 0.5)
        #expect(Swift.abs(s.rate(afterUpdates: 19) - 1 / 2.9) < 1e-15)
    }

    /// Classical momentum as in the material: v = μv − ηg; w += v.
    @Test func momentumAccumulatesVelocity() {
        var net = Network(layers: [DenseLayer(inputCount: 1, outputCount: 1, activation: .identity, weights: [0], biases: [0])])
        var g = Gradients(zeroFor: net)
        g.weights[0][0] = 1
        var opt = OptimizerState(rule: .momentum(0.9), network: net)
        opt.apply(g, to: &net, learningRate: 0.1)   // v = −0.1
        opt.apply(g, to: &net, learningRate: 0.1)   // v = −0.19
        #expect(Swift.abs(net.layers[0].weights[0] - -0.29) < 1e-15)
    }
}
