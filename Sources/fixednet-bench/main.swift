// fixednet-bench: FixedNet on the peers' benchmark tasks, printing rows in the
// peers' CSV vocabulary (peer,task,model_shape,metric,value,unit,detail).
//
//   fixednet-bench train DATA_DIR SHAPE [REPEATS]
//     Float64 training on digits exactly as ../shared/peers/train: the shared
//     initial weights (init/SHAPE.f64) and visiting order (digits_perm.csv),
//     standardised features, ReLU, softmax + CE, SGD momentum 0.9, lr 0.01,
//     batch 32, 50 epochs, 1 thread. The timer covers the 50 epochs only.
import Foundation
import Compiler

func fail(_ s: String) -> Never { FileHandle.standardError.write(Data(("fixednet-bench: " + s + "\n").utf8)); exit(64) }

func doubles(_ path: String) -> [Double] {
    guard let d = try? FileBytes.read(path) else { fail("cannot read \(path)") }
    return d.withUnsafeBytes { r in (0..<(d.count / 8)).map { Double(bitPattern: UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) } }
}

func train(dataDir: String, shape: String, repeats: Int) throws {
    let sizes = shape.split(separator: "-").compactMap { Int($0) }
    var train = try Dataset.load(path: dataDir + "/digits_train.csv")
    var test = try Dataset.load(path: dataDir + "/digits_test.csv", schema: DatasetSchema(inputCount: 64, task: train.task))
    let s = Standardizer(fitting: train.features, rows: train.rowCount, featureCount: train.featureCount)
    s.transform(&train.features, rows: train.rowCount)
    s.transform(&test.features, rows: test.rowCount)
    let perm = try CSVReader.read(path: dataDir + "/digits_perm.csv").map { $0.map { Int($0.text)! } }
    let activations = Array(repeating: Activation.relu, count: sizes.count - 2) + [.softmax]
    guard let initial = Network(pytorchLayout: doubles(dataDir + "/init/\(shape).f64"), sizes: sizes, activations: activations, task: train.task) else {
        fail("init/\(shape).f64 does not match the shape")
    }
    var options = TrainingOptions()
    options.epochs = 50
    options.batchSize = 32
    options.optimizer = .momentum(0.9)
    options.schedule = LearningRateSchedule(initial: 0.01)
    options.loss = .categoricalCrossEntropy
    options.order = .given(perm)
    var times: [Double] = []
    var net = initial
    for _ in 0..<repeats {
        net = initial
        let t0 = DispatchTime.now().uptimeNanoseconds
        _ = try Trainer.train(&net, on: train, options: options)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    let median = times.sorted()[times.count / 2]
    let ce = Trainer.evaluate(net, on: train, loss: .categoricalCrossEntropy).loss
    let acc = Trainer.evaluate(net, on: test, loss: .categoricalCrossEntropy).metric
    let detail = "repeats=\(repeats) min=\(times.min()!) max=\(times.max()!)"
    print("fixednet,train_digits_t1,\(shape),wall_time_50ep,\(median),s,\(detail)")
    print("fixednet,train_digits_t1,\(shape),samples_per_s,\(50.0 * Double(train.rowCount) / median),samples/s,")
    print("fixednet,train_digits_t1,\(shape),test_accuracy,\(acc),fraction,")
    print("fixednet,train_digits_t1,\(shape),final_train_ce,\(ce),nats,")
}

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 3, args[0] == "train" else { fail("usage: fixednet-bench train DATA_DIR SHAPE [REPEATS]") }
do {
    try train(dataDir: args[1], shape: args[2], repeats: args.count > 3 ? Int(args[3]) ?? 5 : 5)
} catch {
    fail("\(error)")
}
