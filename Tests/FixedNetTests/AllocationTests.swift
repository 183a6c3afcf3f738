import Foundation
import Testing
import Compiler
import FixedNet
import AllocationCounter
import FixedNetParallel

/// Zero heap allocations per prediction, counted by the interposed allocator.
@Suite struct AllocationTests {
    @Test(arguments: PeerShape.forThisRun, [ElementType.float32, .float16, .int8])
    func predictAndClassifyDoNotAllocate(shape: PeerShape, weights: ElementType) throws {
        let model = try Model(bytes: try BlobWriter.encode(shape.network(), weights: weights).bytes)
        var ws = Workspace(for: model)
        let x = [Float](shape.inputs[0..<model.inputCount])
        var y = [Float](repeating: 0, count: model.outputCount)
        let batchIn = [Float](shape.inputs[0..<(4 * model.inputCount)])
        var batchOut = [Float](repeating: 0, count: 4 * model.outputCount)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                batchIn.withUnsafeBufferPointer { bi in
                    batchOut.withUnsafeMutableBufferPointer { bo in
                        // Warm up: first calls may resolve metadata in debug builds.
                        model.predict(xp, into: yp, workspace: &ws)
                        _ = model.classify(xp, workspace: &ws)
                        model.predictBatch(bi, rows: 4, into: bo, workspace: &ws)
                        ac_begin()
                        for _ in 0..<100 {
                            model.predict(xp, into: yp, workspace: &ws)
                            _ = model.classify(xp, workspace: &ws)
                            model.predictBatch(bi, rows: 4, into: bo, workspace: &ws)
                        }
                        let count = ac_end()
                        if count == -1 { print("allocation counting unavailable (sanitizer build): not measured"); return }
                        #expect(count == 0, "\(shape): \(count) allocations in 300 calls")
                    }
                }
            }
        }
    }

    /// The threaded batch path, counted on every thread of the process, after one
    /// warm-up call. Process-wide counting sees every concurrently running test, so
    /// this runs only alone: `FIXEDNET_ALLOCATION_SOLO=1 swift test --filter
    /// parallelBatchDoesNotAllocate` (a step of .ci/run).
    @Test func parallelBatchDoesNotAllocate() throws {
        guard ProcessInfo.processInfo.environment["FIXEDNET_ALLOCATION_SOLO"] == "1" else {
            print("parallelBatchDoesNotAllocate: skipped (needs FIXEDNET_ALLOCATION_SOLO=1 and a run of its own)")
            return
        }
        let shape = PeerShape.all[2]
        let model = try Model(bytes: try BlobWriter.encode(shape.network()).bytes)
        let predictor = ParallelPredictor(model: model, threads: 2)
        let rows = 64
        let x = (0..<rows).flatMap { shape.inputs[(($0 % 16) * model.inputCount)..<(($0 % 16 + 1) * model.inputCount)] }
        var y = [Float](repeating: 0, count: rows * model.outputCount)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                predictor.predictBatch(xp, rows: rows, into: yp)
                ac_begin_all()
                for _ in 0..<50 { predictor.predictBatch(xp, rows: rows, into: yp) }
                let count = ac_end_all()
                if count == -1 { return }
                #expect(count == 0, "\(count) allocations in 50 threaded batches")
            }
        }
    }

    /// The zero-copy path, from load to predict: a model over caller memory
    /// (validated in place), a workspace over caller memory, golden-vector
    /// verification, predict, classify and batch: 0 allocations, in every format.
    @Test(arguments: [ElementType.float32, .float16, .int8])
    func zeroCopyPathDoesNotAllocate(weights: ElementType) throws {
        let shape = PeerShape.all[1]
        let bytes = try BlobWriter.encode(shape.network(), weights: weights).bytes
        let blob = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 64)
        defer { blob.deallocate() }
        blob.copyBytes(from: bytes)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 64)
        defer { scratch.deallocate() }
        let x = [Float](shape.inputs[0..<(4 * 64)])
        var y = [Float](repeating: 0, count: 4 * 10)
        func run() throws -> Bool {
            let model = try Model(referencing: UnsafeRawBufferPointer(blob))
            var ws = try Workspace(for: model, memory: scratch, batchRows: 4)
            guard model.verifyGoldenVectors(workspace: &ws).passed else { return false }
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    model.predict(xp, into: yp, workspace: &ws)
                    _ = model.classify(xp, workspace: &ws)
                    model.predictBatch(xp, rows: 4, into: yp, workspace: &ws)
                }
            }
            return true
        }
        #expect(try run())   // warm up
        ac_begin()
        var ok = true
        for _ in 0..<20 { ok = try run() && ok }
        let count = ac_end()
        #expect(ok)
        if count == -1 { return }
        #expect(count == 0, "\(weights): \(count) allocations in 20 loads and predictions")
    }

    @Test func counterCountsAllocations() {
        ac_begin()
        let a = [Int](repeating: 1, count: 1000)
        let count = ac_end()
        if count == -1 { return }   // sanitizer build: the counter is compiled out on purpose
        #expect(a.count == 1000 && count >= 1, "the counter is not wired: \(count)")
    }
}

/// The training step's contract: `Backprop.step` allocates nothing once its
/// buffers exist (the GEMMs pack B into stack scratch, never the heap), in an
/// optimized build.
@Suite struct TrainingStepAllocationTests {
    /// 32 rows through 300-wide layers: packed panels, depth chunks, and every tile width;
    /// then two ReLU layers, whose half-zero outputs take the sparse products.
    @Test(arguments: [[300, 40, 13], [300, 40, 64, 13]])
    func backpropStepDoesNotAllocate(sizes: [Int]) {
        let net = Network(sizes: sizes, activations: Array(repeating: .relu, count: sizes.count - 2) + [.softmax], seed: 5)
        let rows = 32
        let x = (0..<(rows * 300)).map { Double($0 % 11) * 0.1 - 0.5 }
        var y = [Double](repeating: 0, count: rows * 13)
        for r in 0..<rows { y[r * 13 + r % 13] = 1 }
        var backprop = Backprop(network: net, capacity: rows)
        var gradients = Gradients(zeroFor: net)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                _ = backprop.step(net, x: xp.baseAddress!, y: yp.baseAddress!, rows: rows, loss: .categoricalCrossEntropy, gradients: &gradients)
                ac_begin()
                for _ in 0..<5 {
                    _ = backprop.step(net, x: xp.baseAddress!, y: yp.baseAddress!, rows: rows, loss: .categoricalCrossEntropy, gradients: &gradients)
                }
                let count = ac_end()
                if count == -1 { print("allocation counting unavailable (sanitizer build): not measured"); return }
                #if DEBUG
                // -Onone keeps a few closure contexts on the heap (2 per step here, 11 before
                // the GEMMs' rewrite); the contract is the optimized build's, which CI's
                // release step runs.
                if count != 0 { print("debug build: \(count) allocations in 5 training steps (not the contract; see the release run)") }
                #else
                #expect(count == 0, "\(count) allocations in 5 training steps")
                #endif
            }
        }
    }
}
