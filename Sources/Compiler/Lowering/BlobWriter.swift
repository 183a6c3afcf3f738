import FixedNet

/// Writes a `LoweredModel` as a version-2 blob, field by field at the offsets
/// `FixedNet.BlobFormat` names and `BlobLayout` computes (spec:
/// docs/blob-format.md). It decides nothing: narrowing, folding and golden
/// vectors happen in `Lowering`.
public enum BlobWriter {
    /// A compiled network: the lowered model, where its sections lie, and the blob.
    public struct Output: Sendable {
        public var bytes: [UInt8]
        public var lowered: LoweredModel
        public var layout: BlobLayout
        /// max |runtime − Float64 model| over the golden vectors (also in the blob).
        public var goldenMaxError: Double { lowered.goldenMaxError }
        public var normalization: NormalizationKind { lowered.normalization }
        public var modelHash: UInt64 {
            bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: BlobFormat.Header.modelHash, as: UInt64.self)) }
        }
    }

    /// Golden vectors written when the caller gives none.
    public static let defaultGoldenCount = Lowering.defaultGoldenCount

    /// Lowers and writes `network` (`Lowering.lower`, then `write`).
    public static func encode(_ network: Network, weights: ElementType = .float32, goldenInputs: [[Double]]? = nil,
                              goldenCount: Int = defaultGoldenCount) throws(LoweringError) -> Output {
        let (lowered, bytes) = try Lowering.lower(network, weights: weights, goldenInputs: goldenInputs, goldenCount: goldenCount)
        return Output(bytes: bytes, lowered: lowered, layout: BlobLayout(lowered))
    }

    /// The sealed blob of `m`.
    public static func write(_ m: LoweredModel) -> [UInt8] {
        typealias H = BlobFormat.Header
        typealias L = BlobFormat.Layer
        let layout = BlobLayout(m)
        var b = Bytes(count: layout.totalSize)
        b.raw([BlobFormat.magic.0, BlobFormat.magic.1, BlobFormat.magic.2, BlobFormat.magic.3], at: H.magic)
        b.u16(BlobFormat.version, at: H.version)
        b.u16(UInt16(BlobFormat.headerSize), at: H.headerSize)
        b.u64(UInt64(layout.totalSize), at: H.totalSize)
        // H.elementType stays 0 in v2 (per layer); the model hash at H.modelHash is sealed last.
        b.u8(m.outputKind.rawValue, at: H.outputKind)
        b.u8(m.normalization.rawValue, at: H.normalization)
        b.u8(1, at: H.identity)   // the SHA-256 identity section is filled by seal
        b.u32(m.layers.count, at: H.layerCount)
        b.u32(m.inputCount, at: H.inputCount)
        b.u32(m.outputCount, at: H.outputCount)
        b.u32(m.scratchCount, at: H.scratchCount)
        b.u32(m.labels.count, at: H.labelCount)
        b.u32(layout.labelsOffset, at: H.labelsOffset)
        b.u32(layout.labelsSize, at: H.labelsSize)
        b.u32(layout.normalizationOffset, at: H.normalizationOffset)
        b.u32(layout.goldenOffset, at: H.goldenOffset)
        b.u32(m.goldenInputs.count, at: H.goldenCount)
        b.u32(layout.goldenSize, at: H.goldenSize)
        b.f64(m.goldenMaxError, at: H.goldenMaxError)
        b.u32(BlobFormat.headerSize, at: H.layerTableOffset)
        b.u32(layout.weightsOffset, at: H.weightsOffset)
        b.u32(layout.featureNamesOffset, at: H.featureNamesOffset)
        b.u32(layout.featureNamesSize, at: H.featureNamesSize)
        b.raw(Array(m.producer.utf8.prefix(BlobFormat.producerSize)), at: H.producer)

        for (l, layer) in m.layers.enumerated() {
            let rec = layout.recordOffset(l)
            b.u32(layer.inputCount, at: rec + L.inputCount)
            b.u32(layer.outputCount, at: rec + L.outputCount)
            b.u32(layer.paddedOutputCount, at: rec + L.paddedOutputCount)
            b.u8(layer.activation.rawValue, at: rec + L.activation)
            b.u8(LayerKind.dense.rawValue, at: rec + L.kind)
            b.u8(layer.elementType.rawValue, at: rec + L.elementType)
            b.f32(layer.alpha, at: rec + L.alpha)
            b.u32(layout.layerDataOffsets[l], at: rec + L.dataOffset)
            b.u32(layout.layerDataSizes[l], at: rec + L.dataSize)
        }
        b.strings(m.labels, at: layout.labelsOffset)
        b.strings(m.featureNames, at: layout.featureNamesOffset)
        if m.normalization == .stored {
            for (i, v) in m.mean.enumerated() { b.f32(v, at: layout.normalizationOffset + 4 * i) }
            for (i, v) in m.std.enumerated() { b.f32(v, at: layout.normalizationOffset + 4 * (m.inputCount + i)) }
        }
        let record = 4 * m.inputCount + 8 * m.outputCount
        for (g, input) in m.goldenInputs.enumerated() {
            let o = layout.goldenOffset + g * record
            for (i, v) in input.enumerated() { b.f32(v, at: o + 4 * i) }
            for j in 0..<m.outputCount { b.f64(m.goldenReference[g * m.outputCount + j], at: o + 4 * m.inputCount + 8 * j) }
        }
        for (l, layer) in m.layers.enumerated() {
            let o = layout.layerDataOffsets[l]
            let weightBytes = layer.inputCount * layer.paddedOutputCount * layer.elementType.byteWidth
            switch layer.weights {
            case .float32(let w): for (k, v) in w.enumerated() { b.f32(v, at: o + 4 * k) }
            case .float16(let h): for (k, v) in h.enumerated() { b.u16(v, at: o + 2 * k) }
            case .int8(let q, let scales):
                for (k, v) in q.enumerated() { b.u8(UInt8(bitPattern: v), at: o + k) }
                for (k, v) in scales.enumerated() { b.f32(v, at: o + weightBytes + 4 * (layer.paddedOutputCount + k)) }
            }
            for (k, v) in layer.biases.enumerated() { b.f32(v, at: o + weightBytes + 4 * k) }
        }
        var bytes = b.bytes
        seal(&bytes)
        return bytes
    }

    /// Stores a measured golden error into a written blob and reseals it.
    static func patchGoldenMaxError(_ e: Double, in bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: e.bitPattern.littleEndian, toByteOffset: BlobFormat.Header.goldenMaxError, as: UInt64.self) }
        seal(&bytes)
    }

    /// Recomputes the identity (when the blob has the section), the model hash and
    /// the checksum of a blob in place, as the writer does (after an edit).
    public static func seal(_ bytes: inout [UInt8]) {
        let end = bytes.count - BlobFormat.checksumSize
        bytes.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            let typeOffset = BlobFormat.Header.elementType
            if raw[BlobFormat.Header.identity] == 1, end - BlobFormat.identitySize > typeOffset {
                let at = end - BlobFormat.identitySize
                let digest = SHA256.digest(base + typeOffset, count: at - typeOffset)
                for i in 0..<BlobFormat.identitySize { raw[at + i] = digest.byte(i) }
            }
            let hash = BlobHash.hash(base + typeOffset, count: end - typeOffset, seed: BlobFormat.modelHashSeed)
            raw.storeBytes(of: hash.littleEndian, toByteOffset: BlobFormat.Header.modelHash, as: UInt64.self)
            let sum = BlobHash.hash(base, count: end, seed: BlobFormat.checksumSeed)
            raw.storeBytes(of: sum.littleEndian, toByteOffset: end, as: UInt64.self)
        }
    }

    /// A zeroed buffer of the blob's final size, written at absolute offsets.
    struct Bytes {
        var bytes: [UInt8]
        init(count: Int) { bytes = [UInt8](repeating: 0, count: count) }
        mutating func u8(_ v: UInt8, at o: Int) { bytes[o] = v }
        mutating func u16(_ v: UInt16, at o: Int) { bytes[o] = UInt8(v & 0xFF); bytes[o + 1] = UInt8(v >> 8) }
        mutating func u32(_ v: Int, at o: Int) { u32(UInt32(v), at: o) }
        mutating func u32(_ v: UInt32, at o: Int) { for k in 0..<4 { bytes[o + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) } }
        mutating func u64(_ v: UInt64, at o: Int) { for k in 0..<8 { bytes[o + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) } }
        mutating func f32(_ v: Float, at o: Int) { u32(v.bitPattern, at: o) }
        mutating func f64(_ v: Double, at o: Int) { u64(v.bitPattern, at: o) }
        mutating func raw(_ b: [UInt8], at o: Int) { for (k, v) in b.enumerated() { bytes[o + k] = v } }
        /// (u16 length, UTF-8) entries from `o`.
        mutating func strings(_ s: [String], at o: Int) {
            var p = o
            for text in s {
                let b = Array(text.utf8)
                u16(UInt16(b.count), at: p); raw(b, at: p + 2)
                p += 2 + b.count
            }
        }
    }
}
