import Foundation
import Testing
import Compiler
import FixedNet

/// Float32 runtime against Float64 references: the peers' shapes (weights exactly
/// representable in Float32, so the error is arithmetic only) and the bundled models.
@Suite struct ParityTests {
    /// Issue 3's bound on probabilities. Float32 accumulation over ≤ 784 terms of
    /// |w·x| ≲ 1 gives ≤ ~1e-6 on logits; softmax and sigmoid contract it.
    static let maxProbabilityError = 2e-6

    @Test(arguments: PeerShape.all)
    func peerShapeMatchesReference(shape: PeerShape) throws {
        let net = shape.network()
        let blob = try BlobWriter.encode(net)
        let model = try Model(bytes: blob.bytes)
        var ws = Workspace(for: model)
        let inputs = shape.inputs, ref = shape.reference
        let n = model.inputCount, k = model.outputCount
        #expect(inputs.count == 16 * n && ref.count == 16 * k)
        var y = [Float](repeating: 0, count: k), yRef = y
        var maxError = 0.0, agree = 0
        for p in 0..<16 {
            inputs.withUnsafeBufferPointer { all in
                let x = UnsafeBufferPointer(rebasing: all[(p * n)..<((p + 1) * n)])
                y.withUnsafeMutableBufferPointer { model.predict(x, into: $0, workspace: &ws) }
                yRef.withUnsafeMutableBufferPointer { model.predictReference(x, into: $0, workspace: &ws) }
            }
            // SIMD kernel against the scalar reference: 0 ulp (same reduction order).
            #expect(y.map(\.bitPattern) == yRef.map(\.bitPattern), "\(shape) input \(p): SIMD differs from scalar")
            let want = Array(ref[(p * k)..<((p + 1) * k)])
            for j in 0..<k { maxError = max(maxError, Swift.abs(Double(y[j]) - want[j])) }
            let argmax = { (v: [Double]) in v.indices.max { v[$0] < v[$1] }! }
            if k == 1 ? ((y[0] >= 0.5) == (want[0] >= 0.5)) : argmax(y.map(Double.init)) == argmax(want) { agree += 1 }
        }
        print("parity \(shape): max abs error \(maxError), argmax agreement \(agree)/16, golden max error \(blob.goldenMaxError)")
        #expect(maxError <= Self.maxProbabilityError)
        #expect(agree == 16)
    }

    /// The narrow (16- and 32-lane, with ReLU, sigmoid, tanh and the identity applied
    /// in registers, and others after the store) and wide SIMD kernels against the scalar reference,
    /// bit for bit, on every fan-in remainder mod 4 and both narrow widths, in
    /// every weight format.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 70], [ElementType.float32, .float16, .int8])
    func everyFanInRemainderMatchesTheScalarReference(fanIn: Int, weights: ElementType) throws {
        for (hidden, acts) in [(5, [Activation.sigmoid, .identity]), (12, [.relu, .sigmoid]), (24, [.identity, .relu]), (17, [.tanh, .softmax]), (32, [.gelu, .sigmoid]), (40, [.relu, .softmax]), (130, [.elu(alpha: 0.7), .identity])] {
            let net = Network(sizes: [fanIn, hidden, 3], activations: acts, seed: UInt64(fanIn * 100 + hidden))
            let model = try Model(bytes: BlobWriter.encode(net, weights: weights).bytes)
            var ws = Workspace(for: model)
            var y = [Float](repeating: 0, count: 3), yRef = y
            for p in 0..<8 {
                let x = (0..<fanIn).map { Float(sin(Double($0 * 7 + p * 13))) * 2 }
                x.withUnsafeBufferPointer { xb in
                    y.withUnsafeMutableBufferPointer { model.predict(xb, into: $0, workspace: &ws) }
                    yRef.withUnsafeMutableBufferPointer { model.predictReference(xb, into: $0, workspace: &ws) }
                }
                #expect(y.map(\.bitPattern) == yRef.map(\.bitPattern), "\(weights) \(fanIn)-\(hidden)-3 input \(p)")
            }
        }
    }

    /// Bundled models: the compiled blob against its own Float64 model on the test split.
    @Test(arguments: ["xor", "sine", "iris", "digits"])
    func bundledModelMatchesFloat64(name: String) throws {
        let modelPath = Fixtures.repository.appendingPathComponent("models/\(name)/model.fnm").path
        guard FileManager.default.fileExists(atPath: modelPath) else { return }   // gallery not built yet
        let net = try ModelFile.load(path: modelPath)
        let test = try Dataset.load(path: Fixtures.repository.appendingPathComponent("models/\(name)/\(name)_test.csv").path, schema: net)
        let model = try Model(bytes: try BlobWriter.encode(net).bytes)
        let want = net.predict(test.features, rows: test.rowCount)
        var ws = Workspace(for: model)
        var y = [Float](repeating: 0, count: model.outputCount)
        var maxError = 0.0, agree = 0
        for r in 0..<test.rowCount {
            let x = test.features[(r * net.inputCount)..<((r + 1) * net.inputCount)].map(Float.init)
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { model.predict(xp, into: $0, workspace: &ws) } }
            let k = model.outputCount
            let w = Array(want[(r * k)..<((r + 1) * k)])
            for j in 0..<k { maxError = max(maxError, Swift.abs(Double(y[j]) - w[j])) }
            let a = Metrics.predictedClasses(y.map(Double.init), outputCount: k), b = Metrics.predictedClasses(w, outputCount: k)
            if a == b { agree += 1 }
        }
        print("parity models/\(name): max abs error \(maxError), class agreement \(agree)/\(test.rowCount)")
        // Weights rounded to Float32 add to the arithmetic error here; regression
        // outputs (sine) are unbounded values, so the bound is relative there.
        #expect(maxError <= Self.maxProbabilityError * (net.task == .regression ? 2 : 1))
        if net.task != .regression { #expect(agree == test.rowCount) }
    }
}
