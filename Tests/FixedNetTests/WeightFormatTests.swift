import Foundation
import Testing
import Compiler
import FixedNet

/// Float16 and int8 blobs against Float64, with one bound per format and its reason.
///
/// Two questions, two references:
/// - Does the runtime compute the model it stores? Against the Float64 network
///   built from the blob's own (widened or dequantised) weights, the error is
///   Float32 arithmetic only, so every format meets Float32's bound, 2e-6.
/// - How far is that from the trained model? Against the original Float64 weights
///   the weight rounding dominates: Float16 keeps an 11-bit significand (relative
///   error ≤ 2⁻¹¹ per weight); int8 keeps |W|max/254 absolute per output column.
///   Each logit then moves by at most that times Σᵢ|xᵢ| (propagated through the
///   layers); softmax and sigmoid outputs move by at most half the logit change.
@Suite struct WeightFormatTests {
    /// The network whose Float64 weights are exactly the lowered blob's.
    static func effectiveNetwork(_ net: Network, _ lowered: LoweredModel) -> Network {
        var out = net
        for (l, layer) in lowered.layers.enumerated() {
            let n = layer.inputCount, m = layer.outputCount, p = layer.paddedOutputCount
            var w = [Double](repeating: 0, count: n * m)
            // One switch per layer (effectiveWeight per weight is slow in debug builds).
            switch layer.weights {
            case .float32(let v): for i in 0..<n { for o in 0..<m { w[i * m + o] = Double(v[i * p + o]) } }
            case .float16(let h): for i in 0..<n { for o in 0..<m { w[i * m + o] = Double(Float16Lanes.value(bits: h[i * p + o])) } }
            case .int8(let q, let scales): for i in 0..<n { for o in 0..<m { w[i * m + o] = Double(q[i * p + o]) * Double(scales[o]) } }
            }
            #expect(w[0] == layer.effectiveWeight(input: 0, output: 0))
            out.layers[l].weights = w
            out.layers[l].biases = (0..<m).map { Double(layer.biases[$0]) }
        }
        return out
    }

    /// Max |runtime − Float64| over the peer shape's 16 inputs, against `reference`.
    static func maxError(_ model: Model, _ reference: Network, _ inputs: [Float]) -> Double {
        let n = model.inputCount, k = model.outputCount, rows = inputs.count / n
        var ws = Workspace(for: model, batchRows: 4)
        var y = [Float](repeating: 0, count: rows * k)
        inputs.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { model.predictBatch(xp, rows: rows, into: $0, workspace: &ws) } }
        let want = reference.predict(inputs.map(Double.init), rows: rows)
        return zip(y, want).map { Swift.abs(Double($0) - $1) }.max()!
    }

    @Test(arguments: PeerShape.forThisRun, [ElementType.float16, .int8])
    func runtimeComputesTheStoredModel(shape: PeerShape, weights: ElementType) throws {
        let net = shape.network()
        let compiled = try BlobWriter.encode(net, weights: weights)
        let model = try Model(bytes: compiled.bytes)
        let arithmetic = Self.maxError(model, Self.effectiveNetwork(net, compiled.lowered), shape.inputs)
        let total = Self.maxError(model, net, shape.inputs)
        // The stated bound against the trained weights (probabilities of the peers'
        // shapes, |logit| sums ≲ 50): Float16 2e-3, int8 3e-2.
        let bound = weights == .float16 ? 2e-3 : 3e-2
        print("format \(shape) \(weights.name): arithmetic error \(arithmetic), against the Float32-trained weights \(total) (bound \(bound)), golden \(compiled.goldenMaxError)")
        #expect(arithmetic <= ParityTests.maxProbabilityError)
        #expect(total <= bound)
        // The golden vectors were measured against the original Float64 model.
        var ws = Workspace(for: model)
        #expect(model.verifyGoldenVectors(workspace: &ws).passed)
    }

    /// Issue targets on digits: accuracy within 0.5 (int8) / 0.1 (f16) points of
    /// Float32, argmax agreement ≥ 99% / 99.9%, blob weights ≤ 0.30× / 0.55×.
    @Test func digitsKeepsItsAccuracy() throws {
        let path = Fixtures.repository.appendingPathComponent("models/digits/model.fnm").path
        let net = try ModelFile.load(path: path)
        let test = try Dataset.load(path: Fixtures.repository.appendingPathComponent("models/digits/digits_test.csv").path, schema: net)
        let f32 = try BlobWriter.encode(net)
        let base = try Model(bytes: f32.bytes)
        for (weights, maxDrop, agreement, weightRatio) in [(ElementType.float16, 0.1, 0.999, 0.55), (.int8, 0.5, 0.99, 0.30)] {
            let compiled = try BlobWriter.encode(net, weights: weights)
            let model = try Model(bytes: compiled.bytes)
            let r = FormatReport.measure(baseline: base, candidate: model, data: test)
            let ratio = Double(model.sections.layerData) / Double(base.sections.layerData)
            let total = Double(model.byteCount) / Double(base.byteCount)
            print("digits \(weights.name): accuracy \(r.baseline) → \(r.candidate), agreement \(r.argmaxAgreement!), max |Δp| \(r.maxOutputChange), weights \(ratio)×, blob \(total)×")
            #expect(r.drop <= maxDrop * 100 / 100)
            #expect(r.argmaxAgreement! >= agreement)
            #expect(ratio <= weightRatio)
        }
    }

    /// The rounding itself: Float16 to nearest even with the subnormal range and
    /// the overflow limit; int8 symmetric with per-output scales.
    @Test func quantizationRoundsAsStated() throws {
        let net = Network(layers: [DenseLayer(inputCount: 3, outputCount: 2, activation: .identity,
                                              weights: [1, -0.5, 65504, 1e-8, -3, 0.25], biases: [0.5, -1])])
        let half = try BlobWriter.encode(net, weights: .float16).lowered.layers[0]
        #expect(half.effectiveWeight(input: 0, output: 0) == 1 && half.effectiveWeight(input: 0, output: 1) == -0.5)
        #expect(half.effectiveWeight(input: 1, output: 0) == 65504)
        #expect(half.effectiveWeight(input: 1, output: 1) == 0x1p-24 * (1e-8 / 0x1p-24).rounded(.toNearestOrEven))
        let q = try BlobWriter.encode(net, weights: .int8).lowered.layers[0]
        guard case .int8(let values, let scales) = q.weights else { Issue.record("not int8"); return }
        #expect(scales[0] == Float(65504.0 / 127) && scales[1] == Float(0.5 / 127))
        #expect(values[0] == 0 && values[16] == 127 && values[32] == 0)       // column 0: 1, 65504, −3 in units of 515.8
        #expect(values[1] == -127 && values[17] == 0 && values[33] == 64)     // column 1: −0.5, 1e-8, 0.25 in units of 0.003937
        #expect(Array(scales[2...]).allSatisfy { $0 == 0 } && values[2] == 0)
    }
}
