// fixednet-bench: FixedNet on the peers' benchmark tasks, printing rows in the
// peers' CSV vocabulary (peer,task,model_shape,metric,value,unit,detail).
//
//   fixednet-bench train DATA_DIR SHAPE [REPEATS]
//     Float64 training on digits exactly as ../shared/peers/train: the shared
//     initial weights (init/SHAPE.f64) and visiting order (digits_perm.csv),
//     standardised features, ReLU, softmax + CE, SGD momentum 0.9, lr 0.01,
//     batch 32, 50 epochs, 1 thread. The timer covers the 50 epochs only.
//   fixednet-bench infer DATA_DIR SHAPE [OUTPUTS_DIR]
//     Single-prediction latency of the blob runtime on data/infer/SHAPE, with the
//     C peers' scheme (infer/bench.h): copy the input from the 16-vector pool,
//     x[0] += 1e-30·y[0], 21 repetitions of ~20 ms, median. Writes the outputs for
//     the 16 pool inputs to OUTPUTS_DIR/fixednet__SHAPE.f64 for report.py's check.
//   fixednet-bench batch DATA_DIR SHAPE THREADS
//     predictBatch over 1024 rows split across THREADS threads (one workspace
//     each), 15 repetitions, median predictions per second.
import Foundation
import Compiler
import FixedNet

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

func floats(_ path: String) -> [Float] {
    guard let d = try? FileBytes.read(path) else { fail("cannot read \(path)") }
    return d.withUnsafeBytes { r in (0..<(d.count / 4)).map { Float(bitPattern: UInt32(littleEndian: r.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) }

var quick: Bool { ProcessInfo.processInfo.environment["PEERS_QUICK"] == "1" }

/// The peers' inference model for SHAPE as a validated blob.
func inferModel(_ dataDir: String, _ shape: String) throws -> (Model, pool: [Float]) {
    let sizes = shape.split(separator: "-").compactMap { Int($0) }
    let out = sizes.last!
    let acts = Array(repeating: Activation.relu, count: sizes.count - 2) + [out == 1 ? .sigmoid : .softmax]
    let task: Task = .classification(labels: out == 1 ? ["0", "1"] : (0..<out).map(String.init))
    guard let net = Network(pytorchLayout: floats(dataDir + "/infer/\(shape).f32").map(Double.init), sizes: sizes,
                            activations: acts, task: task) else { fail("weights do not match \(shape)") }
    return (try Model(bytes: BlobWriter.encode(net).bytes), floats(dataDir + "/infer/\(shape).inputs.f32"))
}

func infer(dataDir: String, shape: String, outputs: String?) throws {
    let (model, pool) = try inferModel(dataDir, shape)
    let n = model.inputCount, k = model.outputCount
    var ws = Workspace(for: model)
    var x = [Float](repeating: 0, count: n), y = [Float](repeating: 0, count: k)
    if let outputs {
        var bytes: [UInt8] = []
        for p in 0..<16 {
            for i in 0..<n { x[i] = pool[p * n + i] }
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { model.predict(xp, into: $0, workspace: &ws) } }
            for v in y { withUnsafeBytes(of: Double(v).bitPattern.littleEndian) { bytes += $0 } }
        }
        _ = FileManager.default.createFile(atPath: outputs + "/fixednet__\(shape).f64", contents: Data(bytes))
    }
    var dep: Float = 0
    func chain(_ iters: Int) -> Double {
        let t0 = now()
        pool.withUnsafeBufferPointer { pp in
            x.withUnsafeMutableBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    for c in 0..<iters {
                        xp.baseAddress!.update(from: pp.baseAddress! + (c & 15) * n, count: n)
                        xp[0] += dep * 1e-30
                        model.predict(UnsafeBufferPointer(xp), into: yp, workspace: &ws)
                        dep = yp[0]
                    }
                }
            }
        }
        return now() - t0
    }
    let reps = quick ? 7 : 21, target = quick ? 5e6 : 2e7
    var iters = 1
    while true {
        let dt = chain(iters)
        if dt > target * 0.5 || iters > 1 << 30 { iters = Int(Double(iters) * target / max(dt, 1)) + 1; break }
        iters *= 2
    }
    var samples = (0..<reps).map { _ in chain(iters) / Double(iters) }
    samples.sort()
    print("fixednet,infer_latency_b1_t1,\(shape),latency_median,\(samples[reps / 2]),ns/pred,n=\(reps) min=\(samples[0]) max=\(samples[reps - 1]) iters=\(iters) sink=\(dep.isFinite ? 0 : 1)")
}

/// A heap box so worker threads can write their share of the outputs.
final class Rows: @unchecked Sendable {
    let x: UnsafeMutableBufferPointer<Float>, y: UnsafeMutableBufferPointer<Float>
    init(_ x: [Float], outputs: Int) {
        self.x = .allocate(capacity: x.count); _ = self.x.initialize(from: x)
        y = .allocate(capacity: outputs); y.initialize(repeating: 0)
    }
    deinit { x.deallocate(); y.deallocate() }
}

func batch(dataDir: String, shape: String, threads: Int) throws {
    let (model, pool) = try inferModel(dataDir, shape)
    let n = model.inputCount, k = model.outputCount, count = 1024
    var xs = [Float](repeating: 0, count: count * n)
    for i in 0..<count { for j in 0..<n { xs[i * n + j] = pool[(i % 16) * n + j] + Float(i % 7) * 1e-3 } }
    let rows = Rows(xs, outputs: count * k)
    let share = (count + threads - 1) / threads
    func work(_ t: Int) {
        var ws = Workspace(for: model, batchRows: 64)
        let lo = t * share, hi = min(count, lo + share)
        guard lo < hi else { return }
        model.predictBatch(UnsafeBufferPointer(rebasing: rows.x[(lo * n)..<(hi * n)]), rows: hi - lo,
                           into: UnsafeMutableBufferPointer(rebasing: rows.y[(lo * k)..<(hi * k)]), workspace: &ws)
    }
    func once() -> Double {
        let t0 = now()
        if threads == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: threads) { work($0) } }
        return now() - t0
    }
    let reps = quick ? 5 : 15
    for _ in 0..<2 { _ = once() }
    // Each repetition: enough whole batches for ~50 ms.
    let perBatch = once()
    let inner = max(1, Int(5e7 / max(perBatch, 1)))
    var rates: [Double] = []
    for _ in 0..<reps {
        var t = 0.0
        for _ in 0..<inner { t += once() }
        rates.append(Double(count * inner) / (t / 1e9))
    }
    rates.sort()
    print("fixednet,infer_batch1024_t\(threads),\(shape),throughput_median,\(rates[reps / 2]),pred/s,n=\(reps) min=\(rates[0]) max=\(rates[reps - 1])")
}

let args = Array(CommandLine.arguments.dropFirst())
let usage = "usage: fixednet-bench train DATA_DIR SHAPE [REPEATS] | infer DATA_DIR SHAPE [OUTPUTS_DIR] | batch DATA_DIR SHAPE THREADS"
guard args.count >= 3 else { fail(usage) }
do {
    switch args[0] {
    case "train": try train(dataDir: args[1], shape: args[2], repeats: args.count > 3 ? Int(args[3]) ?? 5 : 5)
    case "infer": try infer(dataDir: args[1], shape: args[2], outputs: args.count > 3 ? args[3] : nil)
    case "batch": try batch(dataDir: args[1], shape: args[2], threads: args.count > 3 ? Int(args[3]) ?? 1 : 1)
    default: fail(usage)
    }
} catch {
    fail("\(error)")
}
