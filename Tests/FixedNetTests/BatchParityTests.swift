import Foundation
import Testing
import Compiler
import FixedNet
import FixedNetParallel

/// `predictBatch` through the blocked GEMM (`BatchKernel`) against `predict`, row
/// by row: bit-identical for every tile size, including tiles that do not divide
/// the rows, 1-row tiles (the row path) and layers whose width leaves a 16-lane
/// remainder after the 64-lane register tiles.
@Suite struct BatchParityTests {
    static func networks() throws -> [(String, Network)] {
        var out = PeerShape.forThisRun.map { ($0.name, $0.network()) }
        // 48 and 80 lanes: 64-lane tiles plus 16-lane remainders; 300 inputs: a
        // partial input block; tanh and sigmoid outputs.
        out.append(("300-48-80-3", Network(sizes: [300, 48, 80, 3], activations: [.tanh, .elu(alpha: 0.5), .sigmoid], seed: 7)))
        out.append(("5-200-1", Network(sizes: [5, 200, 1], activations: [.gelu, .identity], seed: 8)))
        // Stored standardisation (the digits model).
        out.append(("digits", try ModelFile.load(path: Fixtures.repository.appendingPathComponent("models/digits/model.fnm").path)))
        return out
    }

    @Test(arguments: [ElementType.float32, .float16, .int8])
    func batchIsBitIdenticalToSinglePredictions(weights: ElementType) throws {
        for (name0, net) in try Self.networks() {
            let name = "\(name0) \(weights.name)"
            let model = try Model(bytes: try BlobWriter.encode(net, weights: weights).bytes)
            let n = model.inputCount, k = model.outputCount, rows = 37
            var state: UInt64 = 12345
            let x: [Float] = (0..<(rows * n)).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 500
            }
            var single = [Float](repeating: 0, count: rows * k)
            var ws = Workspace(for: model)
            for r in 0..<rows {
                x.withUnsafeBufferPointer { all in
                    single.withUnsafeMutableBufferPointer { out in
                        model.predict(UnsafeBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)]),
                                      into: UnsafeMutableBufferPointer(rebasing: out[(r * k)..<((r + 1) * k)]), workspace: &ws)
                    }
                }
            }
            for tile in [1, 4, 5, 64] {
                var batch = Workspace(for: model, batchRows: tile)
                var y = [Float](repeating: .nan, count: rows * k)
                x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { model.predictBatch(xp, rows: rows, into: $0, workspace: &batch) } }
                let differ = (0..<(rows * k)).filter { y[$0].bitPattern != single[$0].bitPattern }.count
                #expect(differ == 0, "\(name), tiles of \(tile): \(differ) outputs differ from predict")
            }
            for threads in [1, 2, 3] {
                let predictor = ParallelPredictor(model: model, threads: threads, batchRows: 8)
                var y = [Float](repeating: .nan, count: rows * k)
                for _ in 0..<2 {   // twice: the parked workers take a second job
                    x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { predictor.predictBatch(xp, rows: rows, into: $0) } }
                    let differ = (0..<(rows * k)).filter { y[$0].bitPattern != single[$0].bitPattern }.count
                    #expect(differ == 0, "\(name), \(threads) threads: \(differ) outputs differ from predict")
                }
            }
        }
    }
}
