import Foundation
import Testing
import Compiler
import FixedNet

/// Two threads share one model, each with its own workspace; their outputs must be
/// bit-identical to a sequential run. 1 M predictions per thread with
/// FIXEDNET_STRESS=1 (the sanitizer scripts set it), 20 k otherwise.
@Suite struct StressTests {
    static let predictions = ProcessInfo.processInfo.environment["FIXEDNET_STRESS"] == "1" ? 1_000_000 : 20_000

    /// FNV-1a over the output bits of `count` predictions on the 16 pool inputs,
    /// each nudged by the previous output (the peers' dependent-input scheme).
    static func digest(_ model: Model, _ pool: [Float], count: Int) -> UInt64 {
        var ws = Workspace(for: model)
        let n = model.inputCount
        var x = [Float](repeating: 0, count: n), y = [Float](repeating: 0, count: model.outputCount)
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in 0..<count {
            for i in 0..<n { x[i] = pool[(k & 15) * n + i] }
            x[0] += 1e-3 * y[0]
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { model.predict(xp, into: $0, workspace: &ws) } }
            for v in y { h = (h ^ UInt64(v.bitPattern)) &* 0x0000_0100_0000_01B3 }
        }
        return h
    }

    @Test func twoThreadsSharingOneModelMatchSequential() throws {
        let shape = PeerShape.all[1]   // 64-32-10
        let model = try Model(bytes: try BlobWriter.encode(shape.network()).bytes)
        let pool = shape.inputs
        let count = Self.predictions
        let sequential = Self.digest(model, pool, count: count)
        nonisolated(unsafe) var digests: [UInt64] = [0, 0]
        let group = DispatchGroup()
        for t in 0..<2 {
            DispatchQueue.global().async(group: group) { digests[t] = StressTests.digest(model, pool, count: count) }
        }
        group.wait()
        print("stress: 2 threads × \(count) predictions, digests \(digests) vs sequential \(sequential)")
        #expect(digests == [sequential, sequential])
    }
}
