import Foundation
import Testing
@testable import Compiler

/// Exact agreement with the numpy/torch reference run (../shared/peers/train):
/// same initial weights, same visiting order, ReLU, softmax + CE, SGD momentum 0.9,
/// lr 0.01, batch 32, 50 epochs. Fixtures are copies in Tests/Fixtures/digits.
@Suite struct ReferenceTrainingTests {
    /// Issue 2's bound on the final train cross-entropy.
    static let relativeTolerance = 1e-6
    /// Full-precision final train CE of the numpy peer (train/train_py.py's arithmetic,
    /// re-run with OPENBLAS_NUM_THREADS=1). The README quotes them rounded to 6
    /// digits (0.00791056, 0.00181112), which alone is ±2.8e-6 relative.
    static let reference64x32x10 = 0.007910557315094657
    static let reference64x256x256x10 = 0.0018111172894533171

    static func load() throws -> (train: Dataset, test: Dataset, perm: [[Int]]) {
        var train = try Dataset.load(path: Fixtures.path("digits/digits_train.csv"))
        var test = try Dataset.load(path: Fixtures.path("digits/digits_test.csv"), schema: Network(
            layers: [DenseLayer(inputCount: 64, outputCount: 10, activation: .softmax)], task: train.task))
        let s = Standardizer(fitting: train.features, rows: train.rowCount, featureCount: 64)
        s.transform(&train.features, rows: train.rowCount)
        s.transform(&test.features, rows: test.rowCount)
        let perm = try CSVReader.read(path: Fixtures.path("digits/digits_perm.csv")).map { $0.map { Int($0)! } }
        return (train, test, perm)
    }

    static func run(shape: [Int], file: String, expectedLoss: Double, expectedAccuracy: Double) throws {
        let (train, test, perm) = try load()
        var net = Fixtures.referenceNetwork(sizes: shape, file: file, hidden: .relu, output: .softmax)
        net.task = train.task
        var options = TrainingOptions()
        options.epochs = 50
        options.batchSize = 32
        options.optimizer = .momentum(0.9)
        options.schedule = LearningRateSchedule(initial: 0.01)
        options.loss = .categoricalCrossEntropy
        options.order = .given(perm)
        _ = try Trainer.train(&net, on: train, options: options)
        let loss = Trainer.evaluate(net, on: train, loss: .categoricalCrossEntropy).loss
        let accuracy = Trainer.evaluate(net, on: test, loss: .categoricalCrossEntropy).metric
        let deviation = Swift.abs(loss - expectedLoss) / expectedLoss
        print("reference parity \(shape): train CE \(loss), relative deviation \(deviation)")
        #expect(deviation <= relativeTolerance, "train CE \(loss) vs \(expectedLoss)")
        #expect((accuracy * 1000).rounded() / 10 == expectedAccuracy, "test accuracy \(accuracy)")
    }

    @Test func standardizerMatchesTheReferenceNormFile() throws {
        let train = try Dataset.load(path: Fixtures.path("digits/digits_train.csv"))
        let s = Standardizer(fitting: train.features, rows: train.rowCount, featureCount: 64)
        let rows = try CSVReader.read(path: Fixtures.path("digits/digits_norm.csv"))
        let mean = rows[1].dropFirst().map { Double($0)! }, std = rows[2].dropFirst().map { Double($0)! }
        for j in 0..<64 {
            #expect(Swift.abs(s.mean[j] - mean[j]) <= 1e-12 * Swift.max(1, Swift.abs(mean[j])))
            #expect(Swift.abs(s.std[j] - std[j]) <= 1e-12 * Swift.max(1, std[j]))
        }
    }

    @Test func digits64x32x10MatchesReference() throws {
        try Self.run(shape: [64, 32, 10], file: "digits/64-32-10.f64", expectedLoss: Self.reference64x32x10, expectedAccuracy: 96.9)
    }

    /// ~17 G multiply-adds: seconds in release, minutes in a debug build, so it runs
    /// when FIXEDNET_LONG_TESTS=1 (set by .ci/run, which builds the tests in release).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FIXEDNET_LONG_TESTS"] == "1"))
    func digits64x256x256x10MatchesReference() throws {
        try Self.run(shape: [64, 256, 256, 10], file: "digits/64-256-256-10.f64", expectedLoss: Self.reference64x256x256x10, expectedAccuracy: 98.0)
    }
}
