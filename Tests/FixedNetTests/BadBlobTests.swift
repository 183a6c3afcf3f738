import Foundation
import Testing
import Compiler
import FixedNet

/// Every malformed blob is rejected with a typed error, never a crash or an
/// out-of-bounds read (run under ASan via scripts/sanitize.sh).
@Suite struct BadBlobTests {
    static let good = BlobFormatTests.tinyBlob()

    static func load(_ bytes: [UInt8]) -> BlobError? {
        do { _ = try Model(bytes: bytes); return nil } catch { return error }
    }

    static func u32(_ b: [UInt8], _ o: Int) -> Int { (0..<4).reduce(0) { $0 | Int(b[o + $1]) << (8 * $1) } }
    static func put32(_ b: inout [UInt8], _ o: Int, _ v: UInt32) { for k in 0..<4 { b[o + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) } }

    @Test func goodBlobLoads() { #expect(Self.load(Self.good) == nil) }

    @Test func everyTruncationIsRejected() {
        for n in 0..<Self.good.count {
            let e = Self.load(Array(Self.good[0..<n]))
            #expect(e != nil, "truncation to \(n) bytes loaded")
            if n >= 8 { #expect(e == .truncated(expected: Self.good.count, actual: n) || n < 104, "at \(n): \(String(describing: e))") }
        }
    }

    @Test func everySingleBitFlipIsRejected() {
        var bytes = Self.good
        var accepted: [Int] = []
        for bit in 0..<(bytes.count * 8) {
            bytes[bit / 8] ^= 1 << (bit % 8)
            if Self.load(bytes) == nil { accepted.append(bit) }
            bytes[bit / 8] ^= 1 << (bit % 8)
        }
        #expect(accepted.isEmpty, "bit flips accepted: \(accepted.prefix(10))")
    }

    /// Finite weights can still make a NaN output (inf − inf): verification must
    /// then fail, never "verified, max error 0" (NaN vanished in max() before).
    @Test func goldenCheckDoesNotIgnoreNaN() throws {
        let net = Network(layers: [DenseLayer(inputCount: 2, outputCount: 2, activation: .identity, weights: [1, 0, 0, 1], biases: [0, 0]),
                                   DenseLayer(inputCount: 2, outputCount: 1, activation: .identity, weights: [1, -1], biases: [0])])
        var b = try BlobWriter.encode(net).bytes
        let model0 = try Model(bytes: b)
        let w0 = model0.layer(0).dataOffset, padded = model0.layer(0).paddedOutputCount
        for i in 0..<2 { for o in 0..<2 { Self.put32(&b, w0 + 4 * (i * padded + o), Float.greatestFiniteMagnitude.bitPattern) } }
        let golden = Self.u32(b, 60)
        Self.put32(&b, golden, Float(10).bitPattern); Self.put32(&b, golden + 4, Float(10).bitPattern)
        BlobWriter.seal(&b)
        let model = try Model(bytes: b)
        var w = Workspace(for: model)
        var y: [Float] = [0]
        [Float(10), 10].withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { model.predict(x, into: $0, workspace: &w) } }
        #expect(y[0].isNaN, "the crafted model should give NaN, gave \(y[0])")
        let check = model.verifyGoldenVectors(workspace: &w)
        #expect(!check.passed && check.maxError == .infinity, "max error \(check.maxError) against stored \(check.storedMaxError)")
    }

    @Test func craftedDefectsGetTheirOwnErrors() {
        func edited(_ f: (inout [UInt8]) -> Void) -> BlobError? {
            var b = Self.good
            f(&b)
            BlobWriter.seal(&b)   // valid hashes, so the structural check is what fails
            return Self.load(b)
        }
        var b = Self.good; b[0] = UInt8(ascii: "X")
        #expect(Self.load(b) == .badMagic)
        #expect(edited { $0[4] = 2 } == .unsupportedVersion(found: 2, supported: 1))
        #expect(edited { $0[24] = 2 } == .unsupportedElementType(2))
        #expect(edited { Self.put32(&$0, 28, 0xFFFF_FFFF) } == .countOutOfRange(field: .layerCount, value: 0xFFFF_FFFF, limit: BlobFormat.maxLayers))
        #expect(edited { Self.put32(&$0, 32, 0x7FFF_FFFF) } == .countOutOfRange(field: .inputCount, value: 0x7FFF_FFFF, limit: BlobFormat.maxWidth))
        // Absurd total size: 2⁶³ declared.
        var huge = Self.good; huge[15] = 0x80
        #expect(Self.load(huge) == .countOutOfRange(field: .totalSize, value: Int.max, limit: BlobFormat.maxTotalSize))
        // NaN in the first weight of layer 0.
        let data0 = Self.u32(Self.good, 96 + 20)
        #expect(edited { Self.put32(&$0, data0, 0x7FC0_0000) } == .nonFinite(offset: data0))
        // Infinity in a padded lane position is reported as nonzero padding.
        #expect(edited { Self.put32(&$0, data0 + 4 * 3, 0x3F80_0000) } == .nonZeroReserved(offset: data0 + 12))
        // Misordered offsets: layer 1 data pointing at layer 0's.
        let rec1 = 96 + 32
        #expect(edited { Self.put32(&$0, rec1 + 20, UInt32(data0)) } == .badOffset(field: .layerDataOffset, offset: data0, expected: Self.u32(Self.good, rec1 + 20)))
        #expect(edited { Self.put32(&$0, 48, 0) } == .badOffset(field: .labelsOffset, offset: 0, expected: 160))
        // Layer chaining, activation code, softmax placement.
        #expect(edited { Self.put32(&$0, rec1, 4) } == .layerMismatch(layer: 1, expectedInputs: 3, actualInputs: 4))
        #expect(edited { $0[96 + 12] = 99 } == .unknownActivation(layer: 0, code: 99))
        #expect(edited { $0[96 + 12] = ActivationCode.softmax.rawValue } == .misplacedSoftmax(layer: 0))
        // Checksum and model hash.
        var flipped = Self.good; flipped[flipped.count - 1] ^= 1
        if case .checksumMismatch = Self.load(flipped) {} else { Issue.record("checksum flip not detected") }
        var rehashed = Self.good; rehashed[16] ^= 1
        rehashed.withUnsafeMutableBytes { raw in
            let end = raw.count - 8
            raw.storeBytes(of: BlobHash.hash(raw.baseAddress!, count: end, seed: BlobFormat.checksumSeed).littleEndian, toByteOffset: end, as: UInt64.self)
        }
        if case .modelHashMismatch = Self.load(rehashed) {} else { Issue.record("model hash edit not detected") }
        // Trailing garbage and size mismatch.
        #expect(Self.load(Self.good + [0]) == .sizeMismatch(declared: Self.good.count, actual: Self.good.count + 1))
        #expect(Self.load([]) == .truncated(expected: 104, actual: 0))
    }

    @Test func missingFileIsATypedError() {
        #expect(throws: BlobError.fileNotFound(path: "/nonexistent/model.fnb")) { _ = try Model(contentsOfFile: "/nonexistent/model.fnb") }
        #expect(BlobError.fileNotFound(path: "/nonexistent/model.fnb").description == "/nonexistent/model.fnb: no such file")
    }
}
