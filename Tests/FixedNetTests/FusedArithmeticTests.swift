import Foundation
import Testing
import Compiler
import FixedNet

/// `Arithmetic.fused`: the fused SIMD, tile and scalar reference kernels agree bit
/// for bit (one correctly rounded fma per term, the same order), and the fused
/// results stay within the separate mode's Float64 bound.
@Suite struct FusedArithmeticTests {
    static func outputs(_ model: Model, _ x: [Float], _ ws: inout Workspace, reference: Bool) -> [Float] {
        var y = [Float](repeating: 0, count: model.outputCount)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer {
                if reference { model.predictReference(xb, into: $0, workspace: &ws) } else { model.predict(xb, into: $0, workspace: &ws) }
            }
        }
        return y
    }

    /// Every fan-in remainder mod 4, narrow (≤ 32 lanes) and wide layers, every
    /// weight format: single-row SIMD and 4-row tiles against the fused scalar
    /// reference, bit for bit; and fused differs from separate somewhere (the mode is real).
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8, 9, 70, 131], [ElementType.float32, .float16, .int8])
    func fusedKernelsMatchTheFusedScalarReference(fanIn: Int, weights: ElementType) throws {
        var differences = 0
        for (hidden, acts) in [(5, [Activation.sigmoid, .identity]), (12, [.relu, .sigmoid]), (24, [.identity, .relu]), (17, [.tanh, .softmax]), (32, [.gelu, .sigmoid]), (40, [.relu, .softmax]), (130, [.elu(alpha: 0.7), .identity])] {
            let net = Network(sizes: [fanIn, hidden, 3], activations: acts, seed: UInt64(fanIn * 100 + hidden))
            let model = try Model(bytes: BlobWriter.encode(net, weights: weights).bytes)
            var fused = Workspace(for: model, batchRows: 4, arithmetic: .fused)
            var separate = Workspace(for: model)
            let rows = 7
            let xs = (0..<(rows * fanIn)).map { Float(sin(Double($0 * 7 + 13))) * 2 }
            var batch = [Float](repeating: .nan, count: rows * 3)
            xs.withUnsafeBufferPointer { xb in batch.withUnsafeMutableBufferPointer { model.predictBatch(xb, rows: rows, into: $0, workspace: &fused) } }
            for r in 0..<rows {
                let x = Array(xs[(r * fanIn)..<((r + 1) * fanIn)])
                let want = Self.outputs(model, x, &fused, reference: true)
                let simd = Self.outputs(model, x, &fused, reference: false)
                #expect(simd.map(\.bitPattern) == want.map(\.bitPattern), "\(weights) \(fanIn)-\(hidden)-3 row \(r): fused SIMD")
                #expect(Array(batch[(r * 3)..<(r * 3 + 3)]).map(\.bitPattern) == want.map(\.bitPattern), "\(weights) \(fanIn)-\(hidden)-3 row \(r): fused tile")
                if Self.outputs(model, x, &separate, reference: true) != want { differences += 1 }
            }
        }
        if fanIn >= 9 { #expect(differences > 0, "fused and separate gave the same bits on every \(fanIn)-input network") }
    }

    /// Per peer shape: the fused runtime against the Float64 reference, within the
    /// bound the separate mode is held to, and the golden check passes with the
    /// fused margin. Prints fused ÷ separate error (the margin's evidence).
    @Test(arguments: PeerShape.all)
    func fusedErrorAgainstFloat64IsBounded(shape: PeerShape) throws {
        let blob = try BlobWriter.encode(shape.network())
        let model = try Model(bytes: blob.bytes)
        var fused = Workspace(for: model, arithmetic: .fused), separate = Workspace(for: model)
        let n = model.inputCount, k = model.outputCount
        var worstFused = 0.0, worstSeparate = 0.0
        for p in 0..<16 {
            let x = Array(shape.inputs[(p * n)..<((p + 1) * n)])
            let f = Self.outputs(model, x, &fused, reference: false), s = Self.outputs(model, x, &separate, reference: false)
            for j in 0..<k {
                worstFused = max(worstFused, Swift.abs(Double(f[j]) - shape.reference[p * k + j]))
                worstSeparate = max(worstSeparate, Swift.abs(Double(s[j]) - shape.reference[p * k + j]))
            }
        }
        let check = model.verifyGoldenVectors(workspace: &fused)
        let goldenRatio = check.storedMaxError > 0 ? check.maxError / check.storedMaxError : 0
        print("fused \(shape): max abs error \(worstFused) (separate \(worstSeparate)); golden fused/stored \(goldenRatio)")
        #expect(worstFused <= ParityTests.maxProbabilityError)
        #expect(check.passed && check.arithmetic == .fused, "\(check)")
        #expect(goldenRatio <= GoldenCheck.fusedMargin)
    }

    /// The bundled models' blobs pass their golden check with fused arithmetic.
    @Test(arguments: ["xor", "sine", "iris", "digits"])
    func bundledBlobsPassTheirGoldenCheckFused(name: String) throws {
        let path = Fixtures.repository.appendingPathComponent("models/\(name)/model.fnb").path
        guard FileManager.default.fileExists(atPath: path) else { return }   // gallery not built yet
        let model = try Model(contentsOfFile: path)
        var fused = Workspace(for: model, arithmetic: .fused)
        let check = model.verifyGoldenVectors(workspace: &fused)
        print("fused models/\(name): golden max error \(check.maxError), stored \(check.storedMaxError), ratio \(check.maxError / max(check.storedMaxError, .leastNonzeroMagnitude))")
        #expect(check.passed, "\(check)")
    }
}

/// The batch kernel's two register tiles (4 × 64 for 32 registers, 6 × 16 for 16)
/// against the scalar reference, bit for bit, whichever this CPU would pick: every
/// row remainder, a partial 16-lane block, inputs across the 128- and 256-input
/// cache blocks, both arithmetics, and int8's scaled sums.
@Suite struct BatchTileTests {
    static func check<F: WeightLanes>(_: F.Type, inputs n: Int, padded: Int, rows: Int) -> Bool {
        var state: UInt32 = 12345
        func next() -> Float { state = state &* 1_664_525 &+ 1_013_904_223; return Float(Int32(bitPattern: state) >> 8) / Float(1 << 23) }
        let w = (0..<((n + 1) * padded)).map { _ in next() }   // weights, then biases
        let x = (0..<(rows * n)).map { _ in next() * 3 }
        var ok = true
        w.withUnsafeBytes { wb in
            x.withUnsafeBufferPointer { xb in
                var want = [Float](repeating: 0, count: rows * padded)
                for r in 0..<rows {
                    want.withUnsafeMutableBufferPointer {
                        DenseKernel.forwardReference(F.self, weights: wb.baseAddress!, inputCount: n, padded: padded, x: xb.baseAddress! + r * n, y: $0.baseAddress! + r * padded)
                    }
                }
                for wide in [false, true] {
                    var got = [Float](repeating: .nan, count: rows * padded)
                    got.withUnsafeMutableBufferPointer {
                        BatchKernel.forward(F.self, weights: wb.baseAddress!, inputCount: n, padded: padded, x: xb.baseAddress!, ldx: n,
                                            y: $0.baseAddress!, ldy: padded, rows: rows, wideTiles: wide)
                    }
                    if got.map(\.bitPattern) != want.map(\.bitPattern) { ok = false }
                }
            }
        }
        return ok
    }

    @Test(arguments: [1, 5, 6, 7, 12, 13])
    func bothTilesMatchTheScalarReference(rows: Int) {
        for (n, padded) in [(3, 48), (130, 64), (200, 80), (64, 144), (300, 48)] {
            #expect(Self.check(Float32Lanes.self, inputs: n, padded: padded, rows: rows), "separate \(n)→\(padded), \(rows) rows")
            #expect(Self.check(Fused<Float32Lanes>.self, inputs: n, padded: padded, rows: rows), "fused \(n)→\(padded), \(rows) rows")
            // int8: sums from 0, then sum · scale + b after the last input block (every byte is a valid weight).
            #expect(Self.check(Int8Lanes.self, inputs: n, padded: padded, rows: rows), "int8 \(n)→\(padded), \(rows) rows")
        }
    }
}
