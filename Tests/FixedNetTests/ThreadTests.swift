import Foundation
import Testing
import Compiler
import FixedNet
import FixedNetParallel

/// A model shared by two threads, one workspace each: bit-identical to sequential.
@Suite struct ThreadTests {
    @Test func twoThreadsMatchSequentialBitForBit() throws {
        let shape = PeerShape.all[2]   // 784-128-64-10
        let model = try Model(bytes: try BlobWriter.encode(shape.network()).bytes)
        let inputs = shape.inputs
        let rounds = 2_000
        @Sendable func run() -> [UInt32] {
            var ws = Workspace(for: model)
            var out = [UInt32]()
            var y = [Float](repeating: 0, count: model.outputCount)
            var x = [Float](repeating: 0, count: model.inputCount)
            for k in 0..<rounds {
                let p = k % 16
                for i in 0..<model.inputCount { x[i] = inputs[p * model.inputCount + i] }
                x[0] += 1e-3 * Float(k % 7)
                x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { model.predict(xp, into: $0, workspace: &ws) } }
                out += y.map(\.bitPattern)
            }
            return out
        }
        let sequential = run()
        nonisolated(unsafe) var results: [[UInt32]] = [[], []]
        let group = DispatchGroup()
        for t in 0..<2 {
            DispatchQueue.global().async(group: group) { let r = run(); results[t] = r }
        }
        group.wait()
        #expect(results[0] == sequential)
        #expect(results[1] == sequential)
    }

    /// Two threads calling one ParallelPredictor at once (issue 19: it raced, 9 TSan
    /// reports and wrong outputs): calls take turns and each gets its sequential bits.
    @Test func oneParallelPredictorSharedByTwoCallers() throws {
        let shape = PeerShape.all[1]
        let model = try Model(bytes: try BlobWriter.encode(shape.network()).bytes)
        let predictor = ParallelPredictor(model: model, threads: 2, batchRows: 8)
        let rows = 37
        @Sendable func inputs(_ caller: Int) -> [Float] {
            (0..<(rows * model.inputCount)).map { Float(($0 * 7 + caller * 13) % 97) / 50 - 1 }
        }
        @Sendable func expected(_ caller: Int) -> [UInt32] {
            var ws = Workspace(for: model, batchRows: rows)
            var y = [Float](repeating: 0, count: rows * model.outputCount)
            let x = inputs(caller)
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { model.predictBatch(xp, rows: rows, into: $0, workspace: &ws) } }
            return y.map(\.bitPattern)
        }
        nonisolated(unsafe) var mismatches = [0, 0]
        let group = DispatchGroup()
        for caller in 0..<2 {
            DispatchQueue.global().async(group: group) {
                let want = expected(caller), x = inputs(caller)
                var y = [Float](repeating: 0, count: rows * model.outputCount)
                for _ in 0..<300 {
                    x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { predictor.predictBatch(xp, rows: rows, into: $0) } }
                    if y.map(\.bitPattern) != want { mismatches[caller] += 1 }
                }
            }
        }
        group.wait()
        #expect(mismatches == [0, 0])
    }
}
