import Foundation
import Testing
import FixedNet
@testable import Compiler

@Suite struct DeterminismAndDefaultsTests {
    static func trainDefault(_ name: String, seed: UInt64 = 1, epochs: Int? = nil) throws -> (Network, TrainingPipeline.Result) {
        let data = try Dataset.load(path: Fixtures.model("\(name)/\(name)_train.csv"))
        // fnc train's defaults: TrainingOptions.recommended with its validation split.
        var options = TrainingOptions.recommended
        options.seed = seed
        if let epochs { options.epochs = epochs }
        let r = try TrainingPipeline.train(data, architecture: Architecture(), options: options, loss: nil,
                                           validationFraction: TrainingPipeline.recommendedValidationFraction)
        return (r.network, r)
    }

    static func testAccuracy(_ net: Network, _ name: String) throws -> Double {
        let test = try Dataset.load(path: Fixtures.model("\(name)/\(name)_test.csv"), schema: net)
        let out = net.predict(test.features, rows: test.rowCount)
        return Metrics.accuracy(predicted: Metrics.predictedClasses(out, outputCount: net.outputCount), actual: test.classIndices)
    }

    @Test func sameSeedGivesBitIdenticalModelFiles() throws {
        let a = try Self.trainDefault("iris", seed: 42, epochs: 5).0
        let b = try Self.trainDefault("iris", seed: 42, epochs: 5).0
        let c = try Self.trainDefault("iris", seed: 43, epochs: 5).0
        #expect(ModelFile.encode(a) == ModelFile.encode(b))
        #expect(ModelFile.encode(a) != ModelFile.encode(c))
    }

    /// Up to 200 epochs of 64-32-10 (minutes in a debug build): with FIXEDNET_LONG_TESTS=1 (.ci/run's release step).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FIXEDNET_LONG_TESTS"] == "1"))
    func digitsWithDefaultSettingsReaches96Percent() throws {
        let (net, _) = try Self.trainDefault("digits")
        #expect(net.sizes == [64, 32, 10])
        let acc = try Self.testAccuracy(net, "digits")
        #expect(acc >= 0.96, "digits test accuracy \(acc)")
    }

    @Test func irisWithDefaultSettingsReaches93Percent() throws {
        let (net, _) = try Self.trainDefault("iris")
        let acc = try Self.testAccuracy(net, "iris")
        #expect(acc >= 0.93, "iris test accuracy \(acc)")
    }

    @Test func modelFileAndJSONRoundTripBitExactly() throws {
        let (net, _) = try Self.trainDefault("iris", epochs: 3)
        let bytes = ModelFile.encode(net)
        #expect(try ModelFile.decode(bytes, file: "m") == net)
        let json = ModelJSON.encode(net)
        let back = try ModelJSON.decode(Array(json.utf8), file: "m.json")
        #expect(back == net)
        #expect(ModelFile.encode(back) == bytes)
    }

    @Test func everyActivationRoundTripsThroughJSON() throws {
        let acts: [Activation] = [.identity, .step, .sigmoid, .tanh, .relu, .leakyReLU(alpha: 0.2), .prelu(alpha: 0.3),
                                  .elu(alpha: 0.7), .selu, .softplus, .gelu, .silu, .gaussian]
        var net = Network(sizes: [3] + acts.map { _ in 2 } + [4], activations: acts + [.softmax], seed: 9, learnsAlpha: true,
                          task: .classification(labels: ["a", "b\"quoted\"", "ç", "d"]))
        net.standardizer = Standardizer(mean: [1, 2, 3], std: [0.5, 1, 2])
        let back = try ModelJSON.decode(Array(ModelJSON.encode(net).utf8), file: "m.json")
        #expect(back == net)
    }

    @Test func earlyStoppingRestoresTheBestEpoch() throws {
        let data = try Dataset.load(path: Fixtures.model("iris/iris_train.csv"))
        var options = TrainingOptions()
        options.epochs = 400
        options.patience = 5
        options.schedule = LearningRateSchedule(initial: 0.05)
        let r = try TrainingPipeline.train(data, architecture: Architecture(), options: options, loss: nil, validationFraction: 0.3)
        #expect(r.report.stoppedEarly)
        let best = r.report.curve[r.report.bestEpoch - 1].validationLoss!
        #expect(r.report.curve.allSatisfy { $0.validationLoss! >= best })
        #expect(r.report.curve.count == r.report.bestEpoch + 5)
    }

    @Test func divergenceIsAnErrorNamingTheEpoch() throws {
        let data = try Dataset.load(path: Fixtures.model("sine/sine_train.csv"))
        var options = TrainingOptions()
        options.schedule = LearningRateSchedule(initial: 1e6)
        options.optimizer = .sgd
        var arch = Architecture()
        arch.hiddenActivations = [.identity]
        #expect(throws: TrainingError.self) {
            _ = try TrainingPipeline.train(data, architecture: arch, options: options, loss: nil)
        }
    }

    @Test func optimizersAllReduceTheLoss() throws {
        let data = try Dataset.load(path: Fixtures.model("sine/sine_train.csv"))
        for opt: Optimizer in [.sgd, .momentum(0.9), .nesterov(0.9), .defaultAdam] {
            for batch: Int? in [nil, 1, 16] {
                var options = TrainingOptions()
                options.optimizer = opt
                options.batchSize = batch
                options.epochs = 10
                options.schedule = LearningRateSchedule(initial: opt == .sgd ? 0.05 : 0.01, decay: 1e-3)
                var arch = Architecture(); arch.hidden = [16]; arch.hiddenActivations = [.tanh]
                let r = try TrainingPipeline.train(data, architecture: arch, options: options, loss: nil)
                let first = r.report.curve.first!.trainLoss, last = r.report.curve.last!.trainLoss
                #expect(last < first, "\(opt) batch \(String(describing: batch)): \(first) → \(last)")
            }
        }
    }

    /// `goldenCount` N stores the first N rows of the default seeded sequence, each
    /// costing 4·inputs + 8·outputs bytes; 0 stores none.
    @Test func goldenCountTakesAPrefixOfTheDefaultVectors() throws {
        let net = Network(sizes: [5, 7, 3], activations: [.tanh, .softmax], seed: 11)
        let full = try BlobWriter.encode(net)
        #expect(full.lowered.goldenInputs.count == BlobWriter.defaultGoldenCount)
        for n in [0, 1, 3, 20] {
            let some = try BlobWriter.encode(net, goldenCount: n)
            #expect(some.lowered.goldenInputs.count == n)
            let shared = min(n, BlobWriter.defaultGoldenCount)
            #expect(Array(some.lowered.goldenInputs.prefix(shared)) == Array(full.lowered.goldenInputs.prefix(shared)))
            let model = try Model(bytes: some.bytes)
            #expect(model.goldenCount == n)
            #expect(model.sections.golden == n * (4 * 5 + 8 * 3))
        }
    }
}
