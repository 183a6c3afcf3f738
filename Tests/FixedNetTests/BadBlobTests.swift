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

    /// Byte stride of the exhaustive sweeps: every byte in the plain run; every 4th
    /// under a sanitizer, whose point is memory safety and which runs them ~10× slower.
    static let sweepStride = ProcessInfo.processInfo.environment["FIXEDNET_SANITIZER"] == nil ? 1 : 4

    @Test func goodBlobLoads() { #expect(Self.load(Self.good) == nil) }

    /// The tiny blob in each format, and the v1 fixture.
    static func blobs() -> [(String, [UInt8])] {
        BlobFormatTests.formats.map { ($0.name, BlobFormatTests.tinyBlob($0)) } + [("v1", [UInt8](Fixtures.file("v1/tiny.fnb")))]
    }

    @Test func everyTruncationIsRejected() {
        for (name, good) in Self.blobs() {
            let header = good[4] == 1 ? 96 : 128
            for n in 0..<good.count {
                let e = Self.load(Array(good[0..<n]))
                #expect(e != nil, "\(name): truncation to \(n) bytes loaded")
                if n >= header + 8 { #expect(e == .truncated(expected: good.count, actual: n), "\(name) at \(n): \(String(describing: e))") }
            }
        }
    }

    @Test func everySingleBitFlipIsRejected() {
        for (name, good) in Self.blobs() {
            var bytes = good
            var accepted: [Int] = []
            for bit in 0..<(bytes.count * 8) where (bit / 8) % Self.sweepStride == 0 {
                bytes[bit / 8] ^= 1 << (bit % 8)
                if Self.load(bytes) == nil { accepted.append(bit) }
                bytes[bit / 8] ^= 1 << (bit % 8)
            }
            #expect(accepted.isEmpty, "\(name): bit flips accepted: \(accepted.prefix(10))")
        }
    }

    /// The byte offsets whose every value is data, not structure: a resealed edit
    /// there may load. Everything else (header fields, layer records, lengths,
    /// padding lanes and alignment gaps) is structure.
    static func valueBytes(of b: [UInt8]) throws -> Set<Int> {
        let m = try Model(bytes: b)
        typealias H = BlobFormat.Header
        var free = Set(H.goldenMaxError..<(H.goldenMaxError + 8))
        if m.formatVersion >= 2 { free.formUnion(H.producer..<(H.producer + BlobFormat.producerSize)) }
        let header = BlobFormat.headerSize(version: m.formatVersion)
        for l in 0..<m.layerCount {
            // The activation code is the model's choice: another valid code is another valid model.
            free.insert(header + 32 * l + BlobFormat.Layer.activation)
            guard m.layer(l).activation.hasParameter else { continue }
            let alpha = header + 32 * l + BlobFormat.Layer.alpha
            free.formUnion(alpha..<(alpha + 4))
        }
        var o = u32(b, H.labelsOffset)
        for _ in 0..<m.labelCount { let n = Int(b[o]) | Int(b[o + 1]) << 8; free.formUnion((o + 2)..<(o + 2 + n)); o += 2 + n }
        if m.normalization == .stored { let n = m.normalizationOffset; free.formUnion(n..<(n + 8 * m.inputCount)) }
        let g = u32(b, H.goldenOffset)
        free.formUnion(g..<(g + u32(b, H.goldenSize)))
        for l in 0..<m.layerCount {
            let info = m.layer(l), w = info.elementType.byteWidth, p = info.paddedOutputCount
            for i in 0..<info.inputCount { for j in 0..<info.outputCount { let k = info.dataOffset + w * (i * p + j); free.formUnion(k..<(k + w)) } }
            let rows = info.elementType == .int8 ? 2 : 1
            for r in 0..<rows { for j in 0..<info.outputCount { let k = info.biasOffset + 4 * (r * p + j); free.formUnion(k..<(k + 4)) } }
        }
        return free
    }

    /// Structure holds on its own: every single-bit flip outside the value bytes,
    /// resealed so that both hashes match (as anyone editing a blob would), is
    /// still rejected, by a structural check.
    @Test func resealedFlipsOfStructureAreRejected() throws {
        for (name, good) in Self.blobs() {
            let free = try Self.valueBytes(of: good)
            // Both hashes and the identity are recomputed by sealing, so flips there change nothing.
            var sealed = Set(16..<24).union((good.count - 8)..<good.count)
            if good[BlobFormat.Header.identity] == 1 { sealed.formUnion((good.count - 8 - BlobFormat.identitySize)..<(good.count - 8)) }
            var accepted: [Int] = [], structural = 0
            for byte in stride(from: 0, to: good.count, by: Self.sweepStride) where !free.contains(byte) && !sealed.contains(byte) {
                for bit in 0..<8 {
                    var b = good
                    b[byte] ^= 1 << bit
                    BlobWriter.seal(&b)
                    switch Self.load(b) {
                    case nil: accepted.append(byte * 8 + bit)
                    case .checksumMismatch?, .modelHashMismatch?: Issue.record("\(name): a resealed blob failed a hash check")
                    default: structural += 1
                    }
                }
            }
            print("\(name): \(structural) resealed structural flips, all rejected by structure checks")
            #expect(accepted.isEmpty, "\(name): resealed structural flips accepted at bits \(accepted.prefix(10))")
            #expect(structural > 1000 / Self.sweepStride)
        }
    }

    /// v2 defects, resealed, each with its own error.
    @Test func craftedVersionTwoDefects() throws {
        for type in BlobFormatTests.formats {
            let good = BlobFormatTests.tinyBlob(type)
            func edited(_ f: (inout [UInt8]) -> Void) -> BlobError? {
                var b = good; f(&b); BlobWriter.seal(&b); return Self.load(b)
            }
            let rec0 = 128, data0 = Self.u32(good, rec0 + 20)
            #expect(edited { $0[rec0 + 13] = 2 } == .unsupportedLayerKind(layer: 0, kind: 2))
            #expect(edited { $0[rec0 + 14] = 4 } == .unsupportedElementType(4))
            #expect(edited { $0[rec0 + 14] = 0 } == .unsupportedElementType(0))
            #expect(edited { $0[rec0 + 15] = 1 } == .nonZeroReserved(offset: rec0 + 15))
            #expect(edited { $0[24] = 1 } == .unsupportedElementType(1))
            // Labels "no"/"yes": a newline in one, or an empty one, is refused at load.
            let labels = Self.u32(good, BlobFormat.Header.labelsOffset)
            #expect(edited { $0[labels + 3] = 0x0A } == .badLabel(index: 0))
            #expect(edited { $0[labels + 6] = 0x7F } == .badLabel(index: 1))
            #expect(edited { $0[100] = 0x07 } == .badProducer(offset: 100))
            #expect(edited { $0[120] = 1 } == .nonZeroReserved(offset: 120))
            #expect(edited { Self.put32(&$0, 88, 200) } == .badOffset(field: .featureNamesOffset, offset: 200, expected: Self.u32(good, 48) + Self.u32(good, 52)))
            #expect(edited { Self.put32(&$0, 92, 4) } == .badOffset(field: .featureNamesSize, offset: 4, expected: 0))
            // A different element type in the record changes the data size the record must declare.
            let other: UInt8 = type == .float32 ? ElementType.float16.rawValue : ElementType.float32.rawValue
            if case .badOffset(field: .layerDataSize, _, _)? = edited({ $0[rec0 + 14] = other }) {} else { Issue.record("\(type): element type edit not caught by the data size") }
            switch type {
            case .float32: #expect(edited { Self.put32(&$0, data0, 0x7F80_0000) } == .nonFinite(offset: data0))
            case .float16:
                #expect(edited { $0[data0] = 0; $0[data0 + 1] = 0x7C } == .nonFinite(offset: data0))
                #expect(edited { $0[data0 + 2 * 3] = 1 } == .nonZeroReserved(offset: data0 + 6))
            case .int8:
                #expect(edited { $0[data0 + 3] = 1 } == .nonZeroReserved(offset: data0 + 3))
                let scales = data0 + 2 * 16 + 16 * 4
                #expect(edited { Self.put32(&$0, scales, Float(-1).bitPattern) } == .negativeScale(offset: scales))
                #expect(edited { Self.put32(&$0, scales + 4 * 3, Float(1).bitPattern) } == .nonZeroReserved(offset: scales + 12))
            }
        }
    }

    @Test func zeroCopyAndWorkspaceMemoryChecks() throws {
        let good = BlobFormatTests.tinyBlob(.int8)
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: good.count + 64, alignment: 64)
        defer { raw.deallocate() }
        for (k, v) in good.enumerated() { raw[k + 4] = v; }
        #expect(throws: BlobError.misaligned(required: 16, remainder: 4)) { _ = try Model(referencing: UnsafeRawBufferPointer(rebasing: raw[4..<(4 + good.count)])) }
        for (k, v) in good.enumerated() { raw[k] = v }
        let model = try Model(referencing: UnsafeRawBufferPointer(rebasing: raw[0..<good.count]))
        let need = Workspace.byteCount(for: model, batchRows: 4)
        #expect(need == 4 * model.scratchByteCount)
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: need + 16, alignment: 64)
        defer { memory.deallocate() }
        #expect(throws: BlobError.bufferTooSmall(needed: need, actual: need - 1)) {
            _ = try Workspace(for: model, memory: UnsafeMutableRawBufferPointer(rebasing: memory[0..<(need - 1)]), batchRows: 4)
        }
        #expect(throws: BlobError.misaligned(required: 16, remainder: 8)) {
            _ = try Workspace(for: model, memory: UnsafeMutableRawBufferPointer(rebasing: memory[8..<(need + 8)]), batchRows: 4)
        }
        var ws = try Workspace(for: model, memory: UnsafeMutableRawBufferPointer(rebasing: memory[0..<need]), batchRows: 4)
        #expect(model.verifyGoldenVectors(workspace: &ws).passed)
        // A referencing model predicts exactly what a copying one does.
        let copy = try Model(bytes: good)
        let x: [Float] = [0.3, 2.5]
        var y = [Float](repeating: 0, count: 2)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { model.predict(xp, into: $0, workspace: &ws) } }
        #expect(y.map(\.bitPattern) == copy.predict(x).map(\.bitPattern))
        // A corrupt blob is refused in place too.
        raw[good.count / 2] ^= 1
        #expect(throws: BlobError.self) { _ = try Model(referencing: UnsafeRawBufferPointer(rebasing: raw[0..<good.count])) }
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
        let golden = Self.u32(b, BlobFormat.Header.goldenOffset)
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
        #expect(edited { $0[4] = 3 } == .unsupportedVersion(found: 3, supported: 2))
        #expect(edited { $0[4] = 0 } == .unsupportedVersion(found: 0, supported: 2))
        #expect(edited { $0[4] = 1 } == .badHeaderSize(expected: 96, actual: 128))
        #expect(edited { $0[24] = 2 } == .unsupportedElementType(2))
        #expect(edited { Self.put32(&$0, 28, 0xFFFF_FFFF) } == .countOutOfRange(field: .layerCount, value: 0xFFFF_FFFF, limit: BlobFormat.maxLayers))
        #expect(edited { Self.put32(&$0, 32, 0x7FFF_FFFF) } == .countOutOfRange(field: .inputCount, value: 0x7FFF_FFFF, limit: BlobFormat.maxWidth))
        // Absurd total size: 2⁶³ declared.
        var huge = Self.good; huge[15] = 0x80
        #expect(Self.load(huge) == .countOutOfRange(field: .totalSize, value: Int.max, limit: BlobFormat.maxTotalSize))
        // NaN in the first weight of layer 0.
        let data0 = Self.u32(Self.good, 128 + 20)
        #expect(edited { Self.put32(&$0, data0, 0x7FC0_0000) } == .nonFinite(offset: data0))
        // Infinity in a padded lane position is reported as nonzero padding.
        #expect(edited { Self.put32(&$0, data0 + 4 * 3, 0x3F80_0000) } == .nonZeroReserved(offset: data0 + 12))
        // Misordered offsets: layer 1 data pointing at layer 0's.
        let rec1 = 128 + 32
        #expect(edited { Self.put32(&$0, rec1 + 20, UInt32(data0)) } == .badOffset(field: .layerDataOffset, offset: data0, expected: Self.u32(Self.good, rec1 + 20)))
        #expect(edited { Self.put32(&$0, 48, 0) } == .badOffset(field: .labelsOffset, offset: 0, expected: 192))
        // Layer chaining, activation code, softmax placement.
        #expect(edited { Self.put32(&$0, rec1, 4) } == .layerMismatch(layer: 1, expectedInputs: 3, actualInputs: 4))
        #expect(edited { $0[128 + 12] = 99 } == .unknownActivation(layer: 0, code: 99))
        #expect(edited { $0[128 + 12] = ActivationCode.softmax.rawValue } == .misplacedSoftmax(layer: 0))
        // goldenMaxError: a bound that would let --verify accept anything is refused (issue 19).
        func withGoldenError(_ v: Double) -> BlobError? { edited { b in withUnsafeBytes(of: v.bitPattern.littleEndian) { for k in 0..<8 { b[72 + k] = $0[k] } } } }
        #expect(withGoldenError(1e300) == .implausibleGoldenError(storedExponent: 996, limitExponent: -2))
        #expect(withGoldenError(0.25) == .implausibleGoldenError(storedExponent: -2, limitExponent: -2))
        #expect(withGoldenError(0.2499) == nil)
        #expect(withGoldenError(0) == nil)
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
