import Foundation
import Testing
import Compiler
import FixedNet

/// `MicroKernel` (what microcontrollers run) against the scalar reference, bit for
/// bit, on the host: every fan-in remainder mod 4, narrow (≤ 32 padded lanes) and
/// wide layers, output counts that are and are not multiples of the register
/// groups (4 and 8), in every weight format. scripts/mcu-run.sh checks the same
/// kernel on the emulated cores against the host's SIMD path.
@Suite struct MicroKernelTests {
    @Test(arguments: [ElementType.float32, .float16, .int8])
    func everyShapeMatchesTheScalarReference(weights: ElementType) throws {
        for fanIn in [1, 2, 3, 4, 5, 7, 9, 70] {
            for hidden in [1, 5, 16, 17, 31, 32, 33, 40, 130] {
                let net = Network(sizes: [fanIn, hidden, 3], activations: [.tanh, .identity], seed: UInt64(fanIn * 1000 + hidden))
                let model = try Model(bytes: BlobWriter.encode(net, weights: weights).bytes)
                for l in 0..<model.layerCount {
                    let info = model.layer(l)
                    check(model, info, label: "\(weights) \(fanIn)-\(hidden)-3 layer \(l)")
                }
            }
        }
    }

    /// Runs both kernels on 6 inputs of mixed sign and magnitude. Beyond `padded`
    /// the output buffer holds a canary that MicroKernel must leave alone.
    func check(_ model: Model, _ info: LayerInfo, label: String) {
        let w = model.unsafeBlobPointer + info.dataOffset
        let n = info.inputCount, m = info.outputCount, padded = info.paddedOutputCount
        for p in 0..<6 {
            let scale: Float = p == 5 ? 1e-3 : Float(1 << (p % 3))
            let x: [Float] = (0..<n).map { i in Float(sin(Double(i * 5 + p * 11 + 1))) * scale }
            var fast = [Float](repeating: .nan, count: padded + 16), slow = [Float](repeating: 0, count: padded)
            x.withUnsafeBufferPointer { xb in
                fast.withUnsafeMutableBufferPointer { y in
                    switch info.elementType {
                    case .float32: MicroKernel.forward(Float32Lanes.self, weights: w, inputCount: n, outputCount: m, padded: padded, x: xb.baseAddress!, y: y.baseAddress!)
                    case .float16: MicroKernel.forward(Float16Lanes.self, weights: w, inputCount: n, outputCount: m, padded: padded, x: xb.baseAddress!, y: y.baseAddress!)
                    case .int8: MicroKernel.forward(Int8Lanes.self, weights: w, inputCount: n, outputCount: m, padded: padded, x: xb.baseAddress!, y: y.baseAddress!)
                    }
                }
                slow.withUnsafeMutableBufferPointer { y in
                    switch info.elementType {
                    case .float32: DenseKernel.forwardReference(Float32Lanes.self, weights: w, inputCount: n, padded: padded, x: xb.baseAddress!, y: y.baseAddress!)
                    case .float16: DenseKernel.forwardReference(Float16Lanes.self, weights: w, inputCount: n, padded: padded, x: xb.baseAddress!, y: y.baseAddress!)
                    case .int8: DenseKernel.forwardReference(Int8Lanes.self, weights: w, inputCount: n, padded: padded, x: xb.baseAddress!, y: y.baseAddress!)
                    }
                }
            }
            let fastBits = fast[0..<m].map(\.bitPattern), slowBits = slow[0..<m].map(\.bitPattern)
            let canaryKept = fast[padded...].allSatisfy(\.isNaN)
            #expect(fastBits == slowBits, "\(label) input \(p)")
            #expect(canaryKept, "\(label): MicroKernel wrote past the padded lanes")
        }
    }

    /// The bundled blobs' real weights, every layer and format they ship in.
    @Test(arguments: ["xor", "sine", "iris", "digits", "digits/model-f16", "digits/model-int8"])
    func bundledBlobsMatchTheScalarReference(name: String) throws {
        let file = name.contains("/") ? "models/\(name).fnb" : "models/\(name)/model.fnb"
        let model = try Model(contentsOfFile: Fixtures.repository.appendingPathComponent(file).path)
        for l in 0..<model.layerCount { check(model, model.layer(l), label: "\(file) layer \(l)") }
    }
}
