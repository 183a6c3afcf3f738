import Foundation
import Testing
import Compiler
import FixedNet

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
}
