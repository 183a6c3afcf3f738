import Testing
@testable import Compiler

@Suite struct PerceptronTests {
    static let pairs: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]]

    @Test(arguments: [
        ("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0]), ("NOR", [1, 0, 0, 0]),
    ])
    func learnsLinearlySeparableGates(name: String, truth: [Int]) {
        var p = Perceptron(inputCount: 2)
        let converged = p.learn(inputs: Self.pairs, targets: truth)
        #expect(converged, "\(name) did not converge")
        #expect(Self.pairs.map(p.predict) == truth, "\(name)")
    }

    @Test func learnsNOT() {
        var p = Perceptron(inputCount: 1)
        let converged = p.learn(inputs: [[0], [1]], targets: [1, 0])
        #expect(converged)
        #expect(p.predict([0]) == 1 && p.predict([1]) == 0)
    }

    @Test func cannotLearnXOR() {
        var p = Perceptron(inputCount: 2)
        let truth = [0, 1, 1, 0]
        let converged = p.learn(inputs: Self.pairs, targets: truth, maxEpochs: 1000)
        #expect(!converged)
        #expect(Self.pairs.map(p.predict) != truth)
    }

    @Test func mlpLearnsXOR() throws {
        var net = Network(sizes: [2, 2, 1], activations: [.tanh, .sigmoid], initializer: .uniform, seed: 7,
                          task: .classification(labels: ["0", "1"]))
        let data = Dataset(featureNames: ["a", "b"], features: Self.pairs.flatMap { $0 }, labels: [0, 1, 1, 0],
                           task: .classification(labels: ["0", "1"]))
        var options = TrainingOptions()
        options.epochs = 2000
        options.batchSize = nil
        options.optimizer = .momentum(0.9)
        options.schedule = LearningRateSchedule(initial: 0.5)
        options.loss = .binaryCrossEntropy
        _ = try Trainer.train(&net, on: data, options: options)
        let out = net.predict(data.features, rows: 4)
        #expect(out.map { $0 >= 0.5 ? 1 : 0 } == [0, 1, 1, 0], "outputs \(out)")
    }

    @Test func mcCullochPittsUnits() {
        let and = McCullochPittsUnit(threshold: 2), or = McCullochPittsUnit(threshold: 1)
        let notA = McCullochPittsUnit(threshold: 0, inhibitory: [0])
        let b: [[Bool]] = [[false, false], [false, true], [true, false], [true, true]]
        #expect(b.map(and.fire) == [false, false, false, true])
        #expect(b.map(or.fire) == [false, true, true, true])
        #expect([[false], [true]].map(notA.fire) == [true, false])
    }
}
