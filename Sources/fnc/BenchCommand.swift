import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler
import FixedNet
import FixedNetParallel
import AllocationCounter

/// `fnc bench MODEL.fnb`: latency, throughput and allocations of the blob runtime.
enum BenchCommand {
    static let help = """
    usage: fnc bench MODEL.fnb [--seconds 1] [--batch 1024] [--tile 256] [--threads 1] [--fused] [--json]

    latency     single predictions where each input depends on the previous output
                (copy from a 16-vector pool, then x[0] += 1e-30·y[0]: the scheme of
                the C peers), timed in batches of ≥ 20 µs; p50/p90/p99/max are over
                the batch means, in ns per prediction
    throughput  predictBatch over --batch rows (1024), predictions per second, on the
                fastest path the library has for this model: tiles of 256 rows (at
                most the batch) through the blocked GEMM (BatchKernel) or row by
                row, whichever a short trial of each finds faster; --tile R fixes
                the tile (under 4 rows: row by row). With --threads N > 1 the rows
                are shared over N threads (ParallelPredictor, the caller included).
                The row names the path, the tile, the trial and the threads.
    --fused     every path with fused multiply-adds (Arithmetic.fused: one rounding
                per term; fast with an FMA -target-cpu, about 20× slower without)
    allocations heap allocations per prediction, counted by an interposed malloc
    build       the kernel's SIMD width and the CPU flag the build declares
                (-Xswiftc -DFIXEDNET_CPU_NATIVE next to -target-cpu native)
    """

    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "bench", valued: ["--seconds", "--batch", "--tile", "--threads"], boolean: ["--json", "--fused"])
        let path = try a.positional(1...1, usage: "fnc bench MODEL.fnb [--seconds 1] [--batch 1024] [--tile 256] [--threads 1] [--fused] [--json]")[0]
        let seconds = try a.double("--seconds", default: 1, range: 0.01...600)
        let rows = try a.int("--batch", default: 1024, range: 1...1 << 20)
        let threads = try a.int("--threads", default: 1, range: 1...256)
        let arithmetic: Arithmetic = a.has("--fused") ? .fused : .separate
        let model = try Inputs.blob(path)
        guard model.goldenCount > 0 else { throw .data("\(path): the blob has no golden vectors to use as inputs") }
        let n = model.inputCount, k = model.outputCount
        var pool = [Float](repeating: 0, count: 16 * n)
        for p in 0..<16 { for i in 0..<n { pool[p * n + i] = model.goldenInput(p % model.goldenCount)[i] } }
        var workspace = Workspace(for: model, arithmetic: arithmetic)
        var x = [Float](repeating: 0, count: n), y = [Float](repeating: 0, count: k)

        // Dependent single predictions.
        func chain(_ count: Int) -> UInt64 {
            let t0 = now()
            pool.withUnsafeBufferPointer { pp in
                x.withUnsafeMutableBufferPointer { xp in
                    y.withUnsafeMutableBufferPointer { yp in
                        for c in 0..<count {
                            xp.baseAddress!.update(from: pp.baseAddress! + (c & 15) * n, count: n)
                            xp[0] += 1e-30 * yp[0]
                            model.predict(UnsafeBufferPointer(xp), into: yp, workspace: &workspace)
                        }
                    }
                }
            }
            return now() - t0
        }
        _ = chain(100)
        var batch = 1
        while chain(batch) < 20_000 && batch < 1 << 24 { batch *= 2 }
        var means: [Double] = []
        let deadline = now() + UInt64(seconds * 0.6e9)
        while now() < deadline || means.count < 20 { means.append(Double(chain(batch)) / Double(batch)) }
        means.sort()
        func pct(_ p: Double) -> Double { means[min(means.count - 1, Int(Double(means.count - 1) * p))] }

        // Allocations per prediction, counted.
        ac_begin()
        _ = chain(1000)
        let allocations = Double(ac_end()) / 1000

        // Batch throughput over `rows` rows on `threads` threads: tiles of `--tile`
        // rows when given, else whichever of tiles of min(256, rows) rows and row by
        // row is faster on this model (a short trial of each; small layers can run
        // faster row by row).
        var inputs = [Float](repeating: 0, count: rows * n)
        for r in 0..<rows { for i in 0..<n { inputs[r * n + i] = pool[(r % 16) * n + i] + Float(r % 7) * 1e-3 } }
        var outputs = [Float](repeating: 0, count: rows * k)
        func rate(tile: Int, seconds: Double) -> Double {
            let predictor = threads > 1 ? ParallelPredictor(model: model, threads: threads, batchRows: tile, arithmetic: arithmetic) : nil
            var tiled = Workspace(for: model, batchRows: tile, arithmetic: arithmetic)
            func once() {
                inputs.withUnsafeBufferPointer { ip in
                    outputs.withUnsafeMutableBufferPointer { op in
                        if let predictor { predictor.predictBatch(ip, rows: rows, into: op) } else { model.predictBatch(ip, rows: rows, into: op, workspace: &tiled) }
                    }
                }
            }
            once()
            var runs = 0
            let t0 = now(), deadline = t0 + UInt64(seconds * 1e9)
            repeat { once(); runs += 1 } while now() < deadline
            return Double(runs * rows) / (Double(now() - t0) / 1e9)
        }
        let fixedTile = a.string("--tile") != nil
        var tile = min(rows, try a.int("--tile", default: Workspace.recommendedBatchRows, range: 1...4096))
        var trial = ""
        if !fixedTile && Workspace.usesTiles(batchRows: tile) {
            let tiles = rate(tile: tile, seconds: seconds * 0.05), single = rate(tile: 1, seconds: seconds * 0.05)
            trial = "; trial: tiles \(Console.fixed(tiles, 0))/s, row by row \(Console.fixed(single, 0))/s"
            if single > tiles { tile = 1 }
        }
        let throughput = rate(tile: tile, seconds: seconds * 0.3)
        let batchPath = Workspace.usesTiles(batchRows: tile)
            ? "blocked GEMM (BatchKernel), tiles of \(tile) rows" : "row by row (tiles of \(tile) rows: under 4)"
        let batchThreads = threads > 1 ? "\(threads) threads (ParallelPredictor)" : "1 thread"

        #if FIXEDNET_CPU_NATIVE
        let cpuFlag = "-target-cpu native (declared)"
        #else
        let cpuFlag = "none declared (baseline x86-64: SSE2, 128-bit lanes)"
        #endif
        let simd = DenseKernel.prefersSIMD ? "SIMD16<Float> (64-lane register blocks)" : "scalar"
        let sink = y.reduce(0, +) + outputs[0]
        if a.has("--json") {
            Console.line("{\"model\":\(ModelJSON.quote(path)),\"latency_ns\":{\"p50\":\(pct(0.5)),\"p90\":\(pct(0.9)),\"p99\":\(pct(0.99)),\"max\":\(means.last!),\"batch\":\(batch),\"samples\":\(means.count)},\"throughput_per_s\":\(throughput),\"batch\":{\"rows\":\(rows),\"tile_rows\":\(tile),\"threads\":\(threads),\"path\":\(ModelJSON.quote(batchPath + trial))},\"allocations_per_prediction\":\(allocations),\"kernel\":\"\(simd)\",\"arithmetic\":\"\(arithmetic == .fused ? "fused" : "separate")\",\"cpu_flag\":\"\(cpuFlag)\",\"sink\":\(sink.isFinite ? 0 : 1)}")
            return
        }
        Console.line("model        \(path) (\(n) → \(k))")
        Console.line("latency      p50 \(Console.fixed(pct(0.5), 1)) ns  p90 \(Console.fixed(pct(0.9), 1)) ns  p99 \(Console.fixed(pct(0.99), 1)) ns  max \(Console.fixed(means.last!, 1)) ns")
        Console.line("             (\(means.count) batches of \(batch) dependent predictions)")
        Console.line("throughput   \(Console.fixed(throughput, 0)) predictions/s (predictBatch of \(rows) rows, \(batchThreads))")
        Console.line("             path: \(batchPath)\(trial)")
        Console.line("allocations  \(allocations) per prediction")
        Console.line("kernel       \(simd), \(arithmetic == .fused ? "fused multiply-add" : "separate multiply and add")")
        Console.line("cpu flag     \(cpuFlag)")
        if !sink.isFinite { Console.line("warning: non-finite outputs") }
    }
}
