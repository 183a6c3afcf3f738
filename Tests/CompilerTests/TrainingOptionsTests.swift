import Foundation
import Testing
@testable import Compiler

/// The training options of issue 17 against PyTorch (Tests/Fixtures/training/make.py,
/// float64, the same digits init and visiting order as ReferenceTrainingTests), and
/// their contracts: gradients, threads, target standardisation.
@Suite struct TrainingOptionsTests {
    /// The bound on the final train loss against the reference.
    static let relativeTolerance = 1e-9

    static func reference(_ run: String) throws -> (final: Double, curve: [Double]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("training/reference.json")))
        let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let r = root[run] as! [String: Any]
        return (r["final_train_ce"] as! Double, r["epoch_train_loss"] as! [Double])
    }

    static func digits() throws -> (train: Dataset, perm: [[Int]], network: Network) {
        let (train, _, perm) = try ReferenceTrainingTests.load()
        var net = Fixtures.referenceNetwork(sizes: [64, 32, 10], file: "digits/64-32-10.f64", hidden: .relu, output: .softmax)
        net.task = train.task
        return (train, perm, net)
    }

    static func options(_ perm: [[Int]]) -> TrainingOptions {
        var o = TrainingOptions()
        o.epochs = 20
        o.batchSize = 32
        o.loss = .categoricalCrossEntropy
        o.order = .given(perm)
        return o
    }

    static func compare(_ name: String, network: Network, report: TrainingReport, train: Dataset) throws {
        let ref = try reference(name)
        let loss = Trainer.evaluate(network, on: train, loss: .categoricalCrossEntropy).loss
        let deviation = Swift.abs(loss - ref.final) / ref.final
        print("\(name): final train CE \(loss), PyTorch \(ref.final), relative deviation \(deviation)")
        #expect(deviation <= relativeTolerance, "\(name): \(loss) vs \(ref.final)")
        #expect(report.curve.count == ref.curve.count)
        for (mine, theirs) in zip(report.curve.map(\.trainLoss), ref.curve) {
            #expect(Swift.abs(mine - theirs) <= relativeTolerance * theirs, "\(name): epoch loss \(mine) vs \(theirs)")
        }
    }

    @Test func adamWWithCosineWarmupMatchesPyTorch() throws {
        let (train, perm, initial) = try Self.digits()
        var net = initial
        var o = Self.options(perm)
        o.optimizer = .defaultAdam
        o.schedule = LearningRateSchedule(initial: 0.01)
        o.weightDecay = 0.05
        o.epochSchedule = .cosine(minimum: 1e-4)
        o.warmup = 3
        let report = try Trainer.train(&net, on: train, options: o)
        try Self.compare("adamw", network: net, report: report, train: train)
    }

    @Test func momentumWithL2AndBalancedClassWeightsMatchesPyTorch() throws {
        let (train, perm, initial) = try Self.digits()
        var net = initial
        var o = Self.options(perm)
        o.optimizer = .momentum(0.9)
        o.schedule = LearningRateSchedule(initial: 0.01)
        o.l2 = 0.5
        o.classWeights = ClassWeighting.balanced.weights(for: train)
        let report = try Trainer.train(&net, on: train, options: o)
        try Self.compare("sgd_l2_class_weights", network: net, report: report, train: train)
    }

    /// Bits of every parameter after a run with `threads` threads.
    static func trainedBits(threads: Int, dropout: [Double], sizes: [Int]) throws -> [UInt64] {
        // 320 rows, shuffled: small enough for a debug build; batches of 64 rows keep every product above the threading threshold.
        let train = try digits().train.subset(Array(0..<320))
        var net = Network(sizes: sizes, activations: Array(repeating: .relu, count: sizes.count - 2) + [.softmax], seed: 7, task: train.task)
        var o = options([])
        o.order = .shuffled
        o.epochs = 2
        o.batchSize = 64
        o.dropout = dropout
        o.l2 = 0.01
        o.clipNorm = 5
        o.threads = threads
        _ = try Trainer.train(&net, on: train, options: o)
        return net.flattenedParameters.map(\.bitPattern)
    }

    @Test func twoThreadsGiveTheBitsOfOne() throws {
        // 128 × 128 weights: the optimizer's update is shared too (from 16 384 parameters).
        for (sizes, dropout) in [([64, 128, 128, 10], [0.2]), ([64, 32, 10], [])] {
            let one = try Self.trainedBits(threads: 1, dropout: dropout, sizes: sizes)
            #expect(try Self.trainedBits(threads: 2, dropout: dropout, sizes: sizes) == one, "\(sizes)")
            #expect(try Self.trainedBits(threads: 3, dropout: dropout, sizes: sizes) == one, "\(sizes), 3 threads")
        }
    }

    @Test func threadSharesCoverEveryRowOnce() {
        let threads = TrainingThreads(count: 3)
        defer { threads.stop() }
        for rows in [1, 3, 4, 5, 8, 9, 31, 32, 33, 257] {
            for unit in [3, 4, 8, 16, 64] {
                let shares = (0..<3).map { threads.share($0, of: rows, unit: unit) }
                #expect(shares.map(\.count).reduce(0, +) == rows)
                #expect(shares[0].lowerBound == 0 && shares[2].upperBound == rows)
                #expect(zip(shares, shares.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                // Every share but the last ends on a multiple of the unit (a whole tile or panel).
                #expect(shares.dropLast().allSatisfy { $0.upperBound % unit == 0 || $0.upperBound == rows })
            }
        }
        // The pool runs every part, on every call.
        var hits = [Int](repeating: 0, count: 3)
        hits.withUnsafeMutableBufferPointer { h in
            let p = h.baseAddress!
            for _ in 0..<1000 { threads.run { p[$0] += 1 } }
        }
        #expect(hits == [1000, 1000, 1000])
    }

    @Test func gradientsHoldWithL2AndAFixedDropoutMask() {
        var rng = SplitMix64(seed: 3)
        let net = Network(sizes: [5, 7, 6, 3], activations: [.tanh, .sigmoid, .softmax], initializer: .uniform, seed: 11)
        let rows = 6
        let x = (0..<(rows * 5)).map { _ in rng.nextUniform(-2, 2) }
        var y = [Double](repeating: 0, count: rows * 3)
        for r in 0..<rows { y[r * 3 + rng.nextIndex(below: 3)] = 1 }
        let plain = GradientCheck.check(net, x: x, y: y, rows: rows, loss: .categoricalCrossEntropy, l2: 0.3)
        #expect(plain.maxRelativeError < 1e-7 && plain.maxGradient > 1e-3, "\(plain)")
        let dropped = GradientCheck.check(net, x: x, y: y, rows: rows, loss: .categoricalCrossEntropy, l2: 0.3, dropout: [0.5, 0.25], maskSeed: 9)
        #expect(dropped.maxRelativeError < 1e-7 && dropped.maxGradient > 1e-3, "\(dropped)")
        // The mask is real: the dropout objective differs from the plain one.
        var b = Backprop(network: net, capacity: rows, dropout: [0.5, 0.25])
        var maskRNG = SplitMix64(seed: 9)
        let withoutMask = x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { b.loss(net, x: xp.baseAddress!, y: $0.baseAddress!, rows: rows, loss: .categoricalCrossEntropy) } }
        b.drawDropoutMasks(rows: rows, rng: &maskRNG)
        let withMask = x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { b.loss(net, x: xp.baseAddress!, y: $0.baseAddress!, rows: rows, loss: .categoricalCrossEntropy) } }
        #expect(withMask != withoutMask)
    }

    @Test func schedulesFollowTheirFormulas() {
        let p = PlateauState()
        #expect(EpochSchedule.step(every: 3, gamma: 0.5).rate(epoch: 7, of: 10, initial: 0.1, warmup: 1, plateau: p) == 0.1 * 0.25)
        #expect(EpochSchedule.cosine(minimum: 0.01).rate(epoch: 2, of: 12, initial: 0.1, warmup: 2, plateau: p) == 0.1)
        #expect(Swift.abs(EpochSchedule.cosine(minimum: 0.01).rate(epoch: 7, of: 12, initial: 0.1, warmup: 2, plateau: p) - 0.055) < 1e-15)
        #expect(EpochSchedule.constant.rate(epoch: 0, of: 12, initial: 0.1, warmup: 4, plateau: p) == 0.1 * 1 / 4)
        var q = PlateauState()
        for loss in [1.0, 0.5, 0.49999, 0.6, 0.7] { q.observe(loss, patience: 2, factor: 0.1) }
        #expect(q.scale == 0.1 && q.badEpochs == 0 && q.best == 0.5)
        for text in ["step:5:0.5", "cosine", "cosine:0.001", "plateau:3:0.2", "constant"] { #expect(EpochSchedule(flag: text) != nil, "\(text)") }
        for text in ["step:0:0.5", "step:5:1.5", "cosine:-1", "plateau:3", "plateau:0:0.5", "linear", "step:5:nan"] { #expect(EpochSchedule(flag: text) == nil, "\(text)") }
    }

    @Test func targetStandardisationFoldsIntoTheLastLayer() throws {
        var net = Network(sizes: [3, 5, 2], activations: [.tanh, .identity], seed: 5)
        net.targetScaler = Standardizer(mean: [150, -3], std: [77.5, 0.01])
        net.targetNames = ["y1", "y2"]
        let x = [0.5, -1, 2, 0.1, 0.2, 0.3]
        let direct = net.predict(x, rows: 2), folded = net.foldingTargetScale().predict(x, rows: 2)
        for (a, b) in zip(direct, folded) { #expect(Swift.abs(a - b) <= 1e-13 * Swift.max(1, Swift.abs(a)), "\(a) vs \(b)") }
        #expect(net.foldingTargetScale().targetScaler == nil)
        // The .fnm and JSON forms keep it exactly.
        #expect(try ModelFile.decode(ModelFile.encode(net), file: "t.fnm") == net)
        #expect(try ModelJSON.decode(Array(ModelJSON.encode(net).utf8), file: "t.json") == net)
        // A model without targets keeps the old bytes (version 1).
        var plain = net
        plain.targetScaler = nil; plain.targetNames = nil
        #expect(ModelFile.encode(plain)[4] == 1)
        #expect(ModelFile.encode(net)[4] == 3)
    }

    /// Acceptance: scikit-learn's diabetes (Tests/Fixtures/training, the 25% split
    /// of train_test_split(random_state=0)) trains with every default and reaches
    /// R² ≥ 0.30 on the held-out rows (fnc train's defaults: `TrainingOptions.recommended`).
    @Test func diabetesTrainsWithTheDefaults() throws {
        let train = try Dataset.load(path: Fixtures.path("training/diabetes_train.csv"))
        let test = try Dataset.load(path: Fixtures.path("training/diabetes_test.csv"), options: CSVOptions(task: .regress))
        #expect(train.task == .regression)
        let result = try TrainingPipeline.train(train, architecture: Architecture(), options: .recommended, loss: nil,
                                                validationFraction: TrainingPipeline.recommendedValidationFraction)
        #expect(result.network.targetScaler != nil)
        let predicted = result.network.predict(test.features, rows: test.rowCount)
        let r2 = Metrics.regression(predicted: predicted, actual: test.labels).r2!
        print("diabetes, defaults: held-out R² \(r2)")
        #expect(r2 >= 0.30)
    }

    @Test func multiOutputRegressionTrainsAndScoresEachOutput() throws {
        var rng = SplitMix64(seed: 4)
        var text = "a,b,t1,t2\n"
        for _ in 0..<300 {
            let a = rng.nextUniform(-1, 1), b = rng.nextUniform(-1, 1)
            text += "\(a),\(b),\(1000 + 300 * a - 200 * b),\(0.01 * a * b)\n"
        }
        let data = try Dataset.parse(text, options: CSVOptions(labelColumn: LabelColumn(flag: "t1,t2")))
        #expect(data.targetCount == 2 && data.targetNames == ["t1", "t2"] && data.featureNames == ["a", "b"])
        var arch = Architecture()
        arch.hidden = [16]
        var o = TrainingOptions()
        o.epochs = 60
        o.threads = 2
        let result = try TrainingPipeline.train(data, architecture: arch, options: o, loss: nil)
        #expect(result.network.outputCount == 2 && result.network.targetNames == ["t1", "t2"])
        let scores = Metrics.regression(predicted: result.network.predict(data.features, rows: data.rowCount), actual: data.labels, outputs: 2)
        #expect(scores.count == 2)
        #expect(scores[0].r2! > 0.99, "\(scores[0])")
        let mean = Metrics.mean(of: scores)
        #expect(mean.rmse == (scores[0].rmse + scores[1].rmse) / 2)
    }
}

extension TrainingOptionsTests {
    /// A run stopped after epoch 4 and continued from its encoded checkpoint ends
    /// with the bits of the uninterrupted run, for the schedules that depend on the
    /// run's length or history (cosine, plateau) and with dropout's own generator.
    @Test func interruptedRunsResumeBitExactly() throws {
        let (all, _, initial) = try Self.digits()
        let train = all.subset(Array(0..<256))
        var cosine = Self.options([])
        cosine.order = .shuffled
        cosine.epochs = 8; cosine.epochSchedule = .cosine(minimum: 1e-4); cosine.warmup = 2
        cosine.dropout = [0.25]; cosine.weightDecay = 0.01
        var plateau = Self.options([])
        plateau.order = .shuffled
        plateau.epochs = 8; plateau.epochSchedule = .plateau(patience: 0, factor: 0.5)
        plateau.optimizer = .momentum(0.9); plateau.schedule = LearningRateSchedule(initial: 0.05)
        plateau.l2 = 0.1; plateau.clipNorm = 1; plateau.classWeights = ClassWeighting.balanced.weights(for: train)
        for o in [cosine, plateau] {
            var straight = TrainingState(network: initial, options: o)
            _ = try Trainer.run(&straight, on: train, options: o)
            var first = TrainingState(network: initial, options: o)
            _ = try Trainer.run(&first, on: train, options: o) { record, _ in record.epoch < 4 }
            #expect(first.epochsDone == 4)
            var resumed = try Checkpoint.decode(Checkpoint.encode(first), file: "mid.resume")
            _ = try Trainer.run(&resumed, on: train, options: o)
            #expect(resumed.network.flattenedParameters.map(\.bitPattern) == straight.network.flattenedParameters.map(\.bitPattern))
            #expect(resumed.plateau == straight.plateau && resumed.dropoutRNG.state == straight.dropoutRNG.state)
        }
    }
}
