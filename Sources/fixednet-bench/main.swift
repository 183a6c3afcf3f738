// fixednet-bench: FixedNet on the peers' benchmark tasks, printing rows in the
// peers' CSV vocabulary (peer,task,model_shape,metric,value,unit,detail).
//
//   fixednet-bench train DATA_DIR SHAPE [REPEATS [THREADS]]
//     Float64 training on digits exactly as ../shared/peers/train: the shared
//     initial weights (init/SHAPE.f64) and visiting order (digits_perm.csv),
//     standardised features, ReLU, softmax + CE, SGD momentum 0.9, lr 0.01,
//     batch 32, 50 epochs, THREADS threads (default 1; the same bits for any
//     count). The timer covers the 50 epochs only.
//   fixednet-bench infer DATA_DIR SHAPE [OUTPUTS_DIR]
//     Single-prediction latency on data/infer/SHAPE of the blob runtime (peer
//     "fixednet") and of the shape's generated kernel ("fixednet_kernel"), with
//     the C peers' scheme (infer/bench.h): copy the input from the 16-vector pool,
//     x[0] += 1e-30·y[0], 21 repetitions of ~20 ms, median. Writes the outputs for
//     the 16 pool inputs to OUTPUTS_DIR/PEER__SHAPE.f64 for report.py's check.
//   fixednet-bench batch DATA_DIR SHAPE THREADS
//     ParallelPredictor over 1024 rows on THREADS threads, 15 repetitions,
//     median predictions per second.
//   fixednet-bench load DATA_DIR SHAPE
//     Blob load + validate throughput (GB/s), from memory and from a file.
// Every timed path also reports its heap allocations (`allocations=` in detail).
// FIXEDNET_PEER renames the peer (the wrapper's default-flags build).
// FIXEDNET_ARITHMETIC=fused runs the runtime rows with fused multiply-adds
// (peer suffix "_fused"). FIXEDNET_TILE_ROWS sets the batch rows' tile (default
// Workspace.recommendedBatchRows, ParallelPredictor's).
// FIXEDNET_WEIGHTS=f16|int8 compiles the blob with narrower weights; the peer
// name gets the suffix ("fixednet_int8", "fixednet_int8_kernel").
import Foundation
import Compiler
import FixedNet
import FixedNetParallel
import PeerKernels
import AllocationCounter

func fail(_ s: String) -> Never { FileHandle.standardError.write(Data(("fixednet-bench: " + s + "\n").utf8)); exit(64) }

func doubles(_ path: String) -> [Double] {
    guard let d = try? FileBytes.read(path) else { fail("cannot read \(path)") }
    return d.withUnsafeBytes { r in (0..<(d.count / 8)).map { Double(bitPattern: UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) } }
}

func train(dataDir: String, shape: String, repeats: Int, threads: Int) throws {
    let sizes = shape.split(separator: "-").compactMap { Int($0) }
    var train = try Dataset.load(path: dataDir + "/digits_train.csv")
    var test = try Dataset.load(path: dataDir + "/digits_test.csv", schema: DatasetSchema(inputCount: 64, task: train.task))
    let s = Standardizer(fitting: train.features, rows: train.rowCount, featureCount: train.featureCount)
    s.transform(&train.features, rows: train.rowCount)
    s.transform(&test.features, rows: test.rowCount)
    let perm = try CSVReader.read(path: dataDir + "/digits_perm.csv").map { $0.map { Int($0)! } }
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
    options.threads = threads
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
    print("\(peer),train_digits_t\(threads),\(shape),wall_time_50ep,\(median),s,\(detail)")
    print("\(peer),train_digits_t\(threads),\(shape),throughput,\(50.0 * Double(train.rowCount) / median),samples/s,")
    print("\(peer),train_digits_t\(threads),\(shape),test_accuracy,\(acc),fraction,")
    print("\(peer),train_digits_t\(threads),\(shape),final_train_ce,\(ce),nats,")
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
    return (try Model(bytes: BlobWriter.encode(net, weights: weights).bytes), floats(dataDir + "/infer/\(shape).inputs.f32"))
}

/// The weight format of this run's blobs (FIXEDNET_WEIGHTS, default f32).
let weights: ElementType = {
    guard let w = ProcessInfo.processInfo.environment["FIXEDNET_WEIGHTS"] else { return .float32 }
    guard let t = ElementType(flag: w) else { fail("FIXEDNET_WEIGHTS must be f32, f16 or int8, got \(w)") }
    return t
}()

/// The runtime's arithmetic for this run (FIXEDNET_ARITHMETIC=fused, default separate).
let arithmetic: Arithmetic = {
    switch ProcessInfo.processInfo.environment["FIXEDNET_ARITHMETIC"] ?? "separate" {
    case "separate": return .separate
    case "fused": return .fused
    case let other: fail("FIXEDNET_ARITHMETIC must be separate or fused, got \(other)")
    }
}()

/// The peer name of this build's rows: "fixednet" for the native build the
/// wrapper makes, FIXEDNET_PEER (e.g. "fixednet_portable") for the others, with
/// the weight format's suffix when it is not Float32 and "_fused" for fused
/// arithmetic (the runtime rows; the generated kernels are always separate).
let peer = (ProcessInfo.processInfo.environment["FIXEDNET_PEER"] ?? "fixednet") + (weights == .float32 ? "" : "_\(weights.flagName)")
    + (arithmetic == .fused ? "_fused" : "")

// The generated kernels (Benchmarks/PeerKernels) through FixedNet's GeneratedKernel protocol,
// so one timing loop serves all four; calls are specialised, not dynamic.
extension Shape2x8x1: GeneratedKernel {}
extension Shape64x32x10: GeneratedKernel {}
extension Shape784x128x64x10: GeneratedKernel {}
extension Shape784x512x512x10: GeneratedKernel {}
extension Shape64x32x10F16: GeneratedKernel {}
extension Shape64x32x10Int8: GeneratedKernel {}
extension Shape784x512x512x10F16: GeneratedKernel {}
extension Shape784x512x512x10Int8: GeneratedKernel {}

/// The C peers' latency scheme (infer/bench.h): copy input c mod 16 from the
/// pool, x[0] += 1e-30·y[0], predict; 21 repetitions of ~20 ms, median. Counts
/// heap allocations over every timed call.
@inline(__always)
func latency(name: String, shape: String, model: Model, pool: [Float], outputs: String?,
             _ predict: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
    let n = model.inputCount, k = model.outputCount
    let ws = Workspace(for: model)
    let scratch = ws.scratchPointer
    let x = UnsafeMutablePointer<Float>.allocate(capacity: n), y = UnsafeMutablePointer<Float>.allocate(capacity: k)
    defer { x.deallocate(); y.deallocate() }
    let pp = UnsafeMutablePointer<Float>.allocate(capacity: pool.count)
    defer { pp.deallocate() }
    pp.initialize(from: pool, count: pool.count)
    if let outputs {
        var bytes: [UInt8] = []
        for p in 0..<16 {
            x.update(from: pp + p * n, count: n)
            predict(x, y, scratch)
            for j in 0..<k { withUnsafeBytes(of: Double(y[j]).bitPattern.littleEndian) { bytes += $0 } }
        }
        _ = FileManager.default.createFile(atPath: outputs + "/\(name)__\(shape).f64", contents: Data(bytes))
    }
    var dep: Float = 0
    var allocations = 0
    func chain(_ iters: Int) -> Double {
        ac_begin()
        let t0 = now()
        for c in 0..<iters {
            x.update(from: pp + (c & 15) * n, count: n)
            x[0] += dep * 1e-30
            predict(x, y, scratch)
            dep = y[0]
        }
        let t = now() - t0
        allocations += ac_end()
        return t
    }
    let reps = quick ? 7 : 21, target = quick ? 5e6 : 2e7
    var iters = 1
    while true {
        let dt = chain(iters)
        if dt > target * 0.5 || iters > 1 << 30 { iters = Int(Double(iters) * target / max(dt, 1)) + 1; break }
        iters *= 2
    }
    allocations = 0
    var samples = (0..<reps).map { _ in chain(iters) / Double(iters) }
    samples.sort()
    print("\(name),infer_latency_b1_t1,\(shape),latency_median,\(samples[reps / 2]),ns/pred,n=\(reps) min=\(samples[0]) max=\(samples[reps - 1]) iters=\(iters) allocations=\(allocations) sink=\(dep.isFinite ? 0 : 1)")
    withExtendedLifetime(ws) {}
}

func kernelLatency<K: GeneratedKernel>(_: K.Type, shape: String, model: Model, pool: [Float], outputs: String?) throws {
    let bound = try K.bind(model)
    latency(name: peer + "_kernel", shape: shape, model: model, pool: pool, outputs: outputs) { x, y, s in K.predict(bound, x, into: y, scratch: s) }
}

/// Latency of the blob runtime (`Model.predict`) and of the shape's generated kernel.
func infer(dataDir: String, shape: String, outputs: String?) throws {
    let (model, pool) = try inferModel(dataDir, shape)
    let n = model.inputCount, k = model.outputCount
    var ws = Workspace(for: model, arithmetic: arithmetic)
    latency(name: peer, shape: shape, model: model, pool: pool, outputs: outputs) { x, y, _ in
        model.predict(UnsafeBufferPointer(start: x, count: n), into: UnsafeMutableBufferPointer(start: y, count: k), workspace: &ws)
    }
    // Generated kernels have one arithmetic, the separate one: a fused run has no kernel rows.
    guard arithmetic == .separate else { return }
    switch (shape, weights) {
    case ("2-8-1", .float32): try kernelLatency(Shape2x8x1.self, shape: shape, model: model, pool: pool, outputs: outputs)
    case ("64-32-10", .float32): try kernelLatency(Shape64x32x10.self, shape: shape, model: model, pool: pool, outputs: outputs)
    case ("784-128-64-10", .float32): try kernelLatency(Shape784x128x64x10.self, shape: shape, model: model, pool: pool, outputs: outputs)
    case ("784-512-512-10", .float32): try kernelLatency(Shape784x512x512x10.self, shape: shape, model: model, pool: pool, outputs: outputs)
    case ("64-32-10", .float16): try kernelLatency(Shape64x32x10F16.self, shape: shape, model: model, pool: pool, outputs: outputs)
    case ("64-32-10", .int8): try kernelLatency(Shape64x32x10Int8.self, shape: shape, model: model, pool: pool, outputs: outputs)
    case ("784-512-512-10", .float16): try kernelLatency(Shape784x512x512x10F16.self, shape: shape, model: model, pool: pool, outputs: outputs)
    case ("784-512-512-10", .int8): try kernelLatency(Shape784x512x512x10Int8.self, shape: shape, model: model, pool: pool, outputs: outputs)
    default: break   // no committed kernel for this shape and format
    }
}

/// Batch-1024 throughput through `ParallelPredictor` (threads and workspaces made
/// once; the calling thread is one of them), 15 repetitions of ~50 ms, median.
/// Allocations are counted on every thread.
func batch(dataDir: String, shape: String, threads: Int) throws {
    let (model, pool) = try inferModel(dataDir, shape)
    let n = model.inputCount, k = model.outputCount, count = 1024
    var xs = [Float](repeating: 0, count: count * n)
    for i in 0..<count { for j in 0..<n { xs[i * n + j] = pool[(i % 16) * n + j] + Float(i % 7) * 1e-3 } }
    var ys = [Float](repeating: 0, count: count * k)
    let tileRows = Int(ProcessInfo.processInfo.environment["FIXEDNET_TILE_ROWS"] ?? "") ?? Workspace.recommendedBatchRows
    let predictor = ParallelPredictor(model: model, threads: threads, batchRows: tileRows, arithmetic: arithmetic)
    let reps = quick ? 5 : 15
    var rates: [Double] = []
    rates.reserveCapacity(reps)   // no allocation inside the counted window
    var allocations = 0
    xs.withUnsafeBufferPointer { xp in
        ys.withUnsafeMutableBufferPointer { yp in
            func once() -> Double {
                let t0 = now()
                predictor.predictBatch(xp, rows: count, into: yp)
                return now() - t0
            }
            for _ in 0..<2 { _ = once() }
            let inner = max(1, Int(5e7 / max(once(), 1)))
            ac_begin_all()
            for _ in 0..<reps {
                var t = 0.0
                for _ in 0..<inner { t += once() }
                rates.append(Double(count * inner) / (t / 1e9))
            }
            allocations = ac_end_all()
        }
    }
    rates.sort()
    print("\(peer),infer_batch1024_t\(threads),\(shape),throughput_median,\(rates[reps / 2]),pred/s,n=\(reps) min=\(rates[0]) max=\(rates[reps - 1]) allocations=\(allocations)")
}

/// Load + validate throughput of the SHAPE blob: `Model(bytes:)` on bytes in
/// memory (every check, the checksum and model hash, and the aligned copy) and
/// `Model(contentsOfFile:)` from the page cache. Median of 21 of ~20 ms each.
func load(dataDir: String, shape: String) throws {
    let (model, _) = try inferModel(dataDir, shape)
    let bytes = Array(UnsafeRawBufferPointer(start: model.unsafeBlobPointer, count: model.byteCount))
    let path = NSTemporaryDirectory() + "fixednet-bench-\(getpid()).fnb"
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }
    func rate(_ body: () throws -> Model) rethrows -> (Double, Double, Double) {
        var reps = 1
        while true {
            let t0 = now()
            for _ in 0..<reps { _ = try body() }
            if now() - t0 > 2e7 || reps > 1 << 20 { break }
            reps *= 2
        }
        var samples: [Double] = []
        for _ in 0..<21 {
            let t0 = now()
            for _ in 0..<reps { _ = try body() }
            samples.append(Double(bytes.count * reps) / (now() - t0))   // bytes per ns = GB/s
        }
        samples.sort()
        return (samples[10], samples[0], samples[20])
    }
    let memory = try rate { try Model(bytes: bytes) }
    let file = try rate { try Model(contentsOfFile: path) }
    // In place: validate the caller's (64-aligned) bytes and keep a pointer; count allocations.
    let aligned = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
    defer { aligned.deallocate() }
    aligned.copyBytes(from: bytes)
    let inPlace = try rate { try Model(referencing: UnsafeRawBufferPointer(aligned)) }
    ac_begin()
    for _ in 0..<10 { _ = try Model(referencing: UnsafeRawBufferPointer(aligned)) }
    let inPlaceAllocations = ac_end()
    print("\(peer),blob_load,\(shape),load_inplace_validate_throughput,\(inPlace.0),GB/s,bytes=\(bytes.count) n=21 min=\(inPlace.1) max=\(inPlace.2) allocations=\(inPlaceAllocations) zero-copy: validate in place")
    print("\(peer),blob_load,\(shape),load_validate_throughput,\(memory.0),GB/s,bytes=\(bytes.count) n=21 min=\(memory.1) max=\(memory.2) from memory: validate + aligned copy")
    print("\(peer),blob_load,\(shape),load_file_validate_throughput,\(file.0),GB/s,bytes=\(bytes.count) n=21 min=\(file.1) max=\(file.2) from a file in the page cache")
}

let args = Array(CommandLine.arguments.dropFirst())
let usage = "usage: fixednet-bench train DATA_DIR SHAPE [REPEATS [THREADS]] | infer DATA_DIR SHAPE [OUTPUTS_DIR] | batch DATA_DIR SHAPE THREADS | load DATA_DIR SHAPE"
guard args.count >= 3 else { fail(usage) }
do {
    switch args[0] {
    case "train": try train(dataDir: args[1], shape: args[2], repeats: args.count > 3 ? Int(args[3]) ?? 5 : 5, threads: args.count > 4 ? Int(args[4]) ?? 1 : 1)
    case "infer": try infer(dataDir: args[1], shape: args[2], outputs: args.count > 3 ? args[3] : nil)
    case "batch": try batch(dataDir: args[1], shape: args[2], threads: args.count > 3 ? Int(args[3]) ?? 1 : 1)
    case "load": try load(dataDir: args[1], shape: args[2])
    default: fail(usage)
    }
} catch {
    fail("\(error)")
}
