import Foundation
import PeerKernels
import Testing
import Compiler
import FixedNet

/// Every committed generated kernel against the runtime: outputs bit-identical on
/// the reference inputs, and refusal of any blob that is not its own.
@Suite struct KernelParityTests {
    typealias Kernel = (name: String, network: Network, weights: ElementType, inputs: [Float],
                        bind: (Model) throws(BlobError) -> Void,
                        predict: (Model, UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void)

    static func kernel<K>(_ name: String, _ network: Network, _ inputs: [Float], weights: ElementType = .float32,
                          bind: @escaping (Model) throws(BlobError) -> K,
                          predict: @escaping (K, UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> Kernel {
        (name, network, weights, inputs, { (m: Model) throws(BlobError) in _ = try bind(m) },
         { m, x, y, s in predict(try! bind(m), x, y, s) })
    }

    /// Reference inputs: the peers' 16 for the shapes, the test split for the models.
    static func modelInputs(_ name: String, _ net: Network) throws -> [Float] {
        let d = try Dataset.load(path: Fixtures.repository.appendingPathComponent("models/\(name)/\(name)_test.csv").path, schema: net)
        return d.features.map(Float.init)
    }

    static func all() throws -> [Kernel] {
        let m = try KernelSnapshotTests.kernels()
        let s = PeerShape.all
        return [
            kernel("Xor", m[0].network, try modelInputs("xor", m[0].network), bind: Xor.bind, predict: { Xor.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Sine", m[1].network, try modelInputs("sine", m[1].network), bind: Sine.bind, predict: { Sine.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Iris", m[2].network, try modelInputs("iris", m[2].network), bind: Iris.bind, predict: { Iris.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Digits", m[3].network, try modelInputs("digits", m[3].network), bind: Digits.bind, predict: { Digits.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Shape2x8x1", m[4].network, s[0].inputs, bind: Shape2x8x1.bind, predict: { Shape2x8x1.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Shape64x32x10", m[5].network, s[1].inputs, bind: Shape64x32x10.bind, predict: { Shape64x32x10.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Shape784x128x64x10", m[6].network, s[2].inputs, bind: Shape784x128x64x10.bind, predict: { Shape784x128x64x10.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Shape784x512x512x10", m[7].network, s[3].inputs, bind: Shape784x512x512x10.bind, predict: { Shape784x512x512x10.predict($0, $1, into: $2, scratch: $3) }),
            kernel("DigitsF16", m[3].network, try modelInputs("digits", m[3].network), weights: .float16, bind: DigitsF16.bind, predict: { DigitsF16.predict($0, $1, into: $2, scratch: $3) }),
            kernel("DigitsInt8", m[3].network, try modelInputs("digits", m[3].network), weights: .int8, bind: DigitsInt8.bind, predict: { DigitsInt8.predict($0, $1, into: $2, scratch: $3) }),
            kernel("SineInt8", m[1].network, try modelInputs("sine", m[1].network), weights: .int8, bind: SineInt8.bind, predict: { SineInt8.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Shape64x32x10F16", m[5].network, s[1].inputs, weights: .float16, bind: Shape64x32x10F16.bind, predict: { Shape64x32x10F16.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Shape64x32x10Int8", m[5].network, s[1].inputs, weights: .int8, bind: Shape64x32x10Int8.bind, predict: { Shape64x32x10Int8.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Shape784x512x512x10F16", m[7].network, s[3].inputs, weights: .float16, bind: Shape784x512x512x10F16.bind, predict: { Shape784x512x512x10F16.predict($0, $1, into: $2, scratch: $3) }),
            kernel("Shape784x512x512x10Int8", m[7].network, s[3].inputs, weights: .int8, bind: Shape784x512x512x10Int8.bind, predict: { Shape784x512x512x10Int8.predict($0, $1, into: $2, scratch: $3) }),
        ]
    }

    @Test func kernelsAreBitIdenticalToTheRuntime() throws {
        for k in try Self.all() {
            let model = try Model(bytes: try BlobWriter.encode(k.network, weights: k.weights).bytes)
            var ws = Workspace(for: model)
            let n = model.inputCount, outs = model.outputCount
            let rows = k.inputs.count / n
            var y = [Float](repeating: 0, count: outs), yk = y
            var mismatches = 0
            for r in 0..<rows {
                k.inputs.withUnsafeBufferPointer { all in
                    let x = UnsafeBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)])
                    y.withUnsafeMutableBufferPointer { model.predict(x, into: $0, workspace: &ws) }
                    yk.withUnsafeMutableBufferPointer { k.predict(model, x.baseAddress!, $0.baseAddress!, ws.scratchPointer) }
                }
                if y.map(\.bitPattern) != yk.map(\.bitPattern) { mismatches += 1 }
            }
            print("kernel \(k.name): \(rows) inputs, \(mismatches) differ from the runtime")
            #expect(mismatches == 0, "\(k.name)")
        }
    }

    @Test func kernelsRefuseOtherBlobs() throws {
        let kernels = try Self.all()
        for (i, k) in kernels.enumerated() {
            let own = try BlobWriter.encode(k.network, weights: k.weights).bytes
            #expect(throws: Never.self) { try k.bind(try Model(bytes: own)) }
            // A different model.
            let next = kernels[(i + 1) % kernels.count]
            let other = try Model(bytes: try BlobWriter.encode(next.network, weights: next.weights).bytes)
            #expect(throws: BlobError.self) { try k.bind(other) }
            // The same shape with other weights.
            var changed = k.network
            changed.layers[0].biases[0] += 0.5
            #expect(throws: BlobError.self) { try k.bind(try Model(bytes: try BlobWriter.encode(changed, weights: k.weights).bytes)) }
            // The same network in another weight format.
            let otherFormat: ElementType = k.weights == .float32 ? .int8 : .float32
            #expect(throws: BlobError.self) { try k.bind(try Model(bytes: try BlobWriter.encode(k.network, weights: otherFormat).bytes)) }
            // A single flipped byte never even loads.
            var flipped = own
            flipped[flipped.count / 2] ^= 0x40
            #expect(throws: BlobError.self) { try k.bind(try Model(bytes: flipped)) }
        }
    }

    @Test func embeddedBlobDecodesToTheBlob() throws {
        let sine = try KernelSnapshotTests.kernels()[1].network
        let blob = try BlobWriter.encode(sine).bytes
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Sine.blobByteCount, alignment: 64)
        defer { buffer.deallocate() }
        let n = Sine.decodeEmbeddedBlob(into: buffer)
        #expect(n == blob.count && Array(buffer[0..<n]) == blob)
        let model = try Model(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        #expect(throws: Never.self) { _ = try Sine.bind(model) }
    }
}
