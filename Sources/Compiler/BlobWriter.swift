import FixedNet

/// Why a Float64 network cannot become a blob.
public enum LoweringError: Error, CustomStringConvertible, Equatable {
    /// A parameter that is not a finite Float32 (|v| > 3.4e38), or a std that rounds to 0.
    case notRepresentable(what: String, value: Double)
    /// Beyond the blob format's limits.
    case tooLarge(what: String, value: Int, limit: Int)
    /// Classification needs at least two classes, and labels must match the outputs.
    case badLabels(labels: Int, outputs: Int)
    /// The Float64 model's outputs on the golden inputs are not finite.
    case nonFiniteOutputs
    /// The blob failed the runtime's own validation (a lowering bug).
    case invalidBlob(BlobError)

    public var description: String {
        switch self {
        case .notRepresentable(let w, let v): return "\(w) = \(v) is not representable as a finite Float32"
        case .tooLarge(let w, let v, let l): return "\(w) = \(v) exceeds the blob format's limit \(l)"
        case .badLabels(let l, let o): return "\(l) class label(s) for \(o) output(s): classification needs at least 2 classes and one output per class (or 1 for two)"
        case .nonFiniteOutputs: return "the model's outputs are not finite on its golden inputs"
        case .invalidBlob(let e): return "the lowered blob is invalid (\(e)); please report this"
        }
    }
}

/// Lowers a Float64 network to a FixedNet blob: the one place where precision
/// narrows to Float32 (layout: docs/blob-format.md, definition: FixedNet.BlobFormat).
public enum BlobWriter {
    public struct Output: Sendable {
        public var bytes: [UInt8]
        /// max |Float32 runtime − Float64 model| over the golden vectors (also in the blob).
        public var goldenMaxError: Double
        public var normalization: NormalizationKind
        public var modelHash: UInt64
    }

    /// Golden vectors written when the caller gives none.
    public static let defaultGoldenCount = 8
    static let goldenSeed: UInt64 = 0x601D_E17E_C701_2345

    /// Encodes `network`. `goldenInputs` are raw feature rows (each `inputCount`);
    /// nil draws `defaultGoldenCount` rows around the standardiser's mean (±2 std),
    /// or in [−1, 1] without one. Each is rounded to Float32, and its reference
    /// output is the Float64 model's on the rounded input.
    public static func encode(_ network: Network, goldenInputs: [[Double]]? = nil) throws(LoweringError) -> Output {
        let n = network.inputCount
        let outs = network.outputCount
        let kind: OutputKind
        switch network.task {
        case .regression: kind = .regression
        case .classification(let labels): kind = labels.count == 2 && outs == 1 ? .binary : .multiclass
        }
        try checkRepresentable(network, kind: kind)

        // Normalisation folds only where that is exact: mean 0 and power-of-two std,
        // so W/σ rounds no differently from W. Otherwise it is stored.
        var layers = network.layers
        var normalization = NormalizationKind.none
        if let s = network.standardizer {
            let exact = s.mean.allSatisfy { $0 == 0 } && s.std.allSatisfy { $0.significandBitPattern == 0 && $0 > 0 }
            if exact {
                for i in 0..<n { for o in 0..<layers[0].outputCount { layers[0].weights[i * layers[0].outputCount + o] /= s.std[i] } }
            } else {
                normalization = .stored
            }
        }

        // Golden inputs.
        var golden: [[Float]] = []
        if let given = goldenInputs {
            golden = given.prefix(BlobFormat.maxGoldenVectors).map { $0.map { Float($0) } }
        } else {
            var rng = SplitMix64(seed: goldenSeed)
            for _ in 0..<defaultGoldenCount {
                golden.append((0..<n).map { i in
                    let u = rng.nextUniform(-2, 2)
                    if let s = network.standardizer { return Float(s.mean[i] + s.std[i] * u) }
                    return Float(u / 2)
                })
            }
        }
        let goldenReference = network.predict(golden.flatMap { $0.map(Double.init) }, rows: golden.count)
        guard goldenReference.allSatisfy(\.isFinite) else { throw .nonFiniteOutputs }

        var w = ByteWriter()
        typealias H = BlobFormat.Header
        typealias L = BlobFormat.Layer
        w.raw([BlobFormat.magic.0, BlobFormat.magic.1, BlobFormat.magic.2, BlobFormat.magic.3])
        w.u16(BlobFormat.version)
        w.u16(UInt16(BlobFormat.headerSize))
        w.u64(0)                      // totalSize, patched
        w.u64(0)                      // modelHash, patched
        w.u8(ElementType.float32.rawValue)
        w.u8(kind.rawValue)
        w.u8(normalization.rawValue)
        w.u8(0)
        w.u32(UInt32(layers.count))
        w.u32(UInt32(n))
        w.u32(UInt32(outs))
        let scratch = max(BlobFormat.padded(n), layers.map { BlobFormat.padded($0.outputCount) }.max()!)
        w.u32(UInt32(scratch))
        let labels = kind == .regression ? [] : network.task.labels
        w.u32(UInt32(labels.count))
        w.u32(0); w.u32(0)            // labels offset, size: patched
        w.u32(0)                      // normalization offset: patched
        w.u32(0); w.u32(UInt32(golden.count)); w.u32(0)   // golden offset (patched), count, size (patched)
        w.f64(0)                      // golden max error: patched after measuring
        w.u32(UInt32(BlobFormat.headerSize))
        w.u32(0)                      // weights offset: patched
        w.u64(0)
        precondition(w.bytes.count == BlobFormat.headerSize)

        // Layer table (data offsets patched below).
        for layer in layers {
            w.u32(UInt32(layer.inputCount))
            w.u32(UInt32(layer.outputCount))
            w.u32(UInt32(BlobFormat.padded(layer.outputCount)))
            w.u8(layer.activation.code.rawValue)
            w.u8(0); w.u8(0); w.u8(0)
            w.f32(layer.activation.code.hasParameter ? Float(layer.activation.parameter) : 0)
            w.u32(0)
            w.u32(UInt32((layer.inputCount + 1) * BlobFormat.padded(layer.outputCount) * 4))
            w.u32(0)
        }
        let labelsOffset = w.bytes.count
        for label in labels {
            let b = Array(label.utf8.prefix(Int(UInt16.max)))
            w.u16(UInt16(b.count)); w.raw(b)
        }
        w.patchU32(UInt32(labelsOffset), at: H.labelsOffset)
        w.patchU32(UInt32(w.bytes.count - labelsOffset), at: H.labelsSize)
        w.pad(toMultipleOf: 4)
        if normalization == .stored, let s = network.standardizer {
            w.patchU32(UInt32(w.bytes.count), at: H.normalizationOffset)
            for v in s.mean { w.f32(Float(v)) }
            for v in s.std { w.f32(Float(v)) }
        }
        w.pad(toMultipleOf: 8)
        let goldenOffset = w.bytes.count
        w.patchU32(UInt32(goldenOffset), at: H.goldenOffset)
        for (g, input) in golden.enumerated() {
            for v in input { w.f32(v) }
            for j in 0..<outs { w.f64(goldenReference[g * outs + j]) }
        }
        w.patchU32(UInt32(w.bytes.count - goldenOffset), at: H.goldenSize)
        w.pad(toMultipleOf: BlobFormat.weightAlignment)
        w.patchU32(UInt32(w.bytes.count), at: H.weightsOffset)
        for (l, layer) in layers.enumerated() {
            w.pad(toMultipleOf: BlobFormat.weightAlignment)
            w.patchU32(UInt32(w.bytes.count), at: BlobFormat.headerSize + l * BlobFormat.layerRecordSize + L.dataOffset)
            let padded = BlobFormat.padded(layer.outputCount)
            for i in 0..<layer.inputCount {
                for o in 0..<padded { w.f32(o < layer.outputCount ? Float(layer.weights[i * layer.outputCount + o]) : 0) }
            }
            for o in 0..<padded { w.f32(o < layer.outputCount ? Float(layer.biases[o]) : 0) }
        }
        w.pad(toMultipleOf: 8)
        w.u64(0)                      // checksum
        w.patchU64(UInt64(w.bytes.count), at: H.totalSize)
        var bytes = w.bytes
        seal(&bytes)

        // Measure the Float32 runtime against the Float64 model, store the result, reseal.
        let model: Model
        do throws(BlobError) { model = try Model(bytes: bytes) } catch { throw .invalidBlob(error) }
        var workspace = Workspace(for: model)
        var worst = 0.0
        var y = [Float](repeating: 0, count: outs)
        for (g, input) in golden.enumerated() {
            input.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { model.predict(x, into: $0, workspace: &workspace) } }
            for j in 0..<outs { worst = max(worst, Swift.abs(Double(y[j]) - goldenReference[g * outs + j])) }
        }
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: worst.bitPattern.littleEndian, toByteOffset: H.goldenMaxError, as: UInt64.self) }
        seal(&bytes)
        let hash = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: H.modelHash, as: UInt64.self)) }
        return Output(bytes: bytes, goldenMaxError: worst, normalization: normalization, modelHash: hash)
    }

    /// Everything the blob cannot hold is refused here, with what and where.
    static func checkRepresentable(_ network: Network, kind: OutputKind) throws(LoweringError) {
        let labels = network.task.labels
        if kind != .regression {
            guard labels.count >= 2, kind == .binary || labels.count == network.outputCount else {
                throw .badLabels(labels: labels.count, outputs: network.outputCount)
            }
            guard labels.count <= BlobFormat.maxLabels else { throw .tooLarge(what: "label count", value: labels.count, limit: BlobFormat.maxLabels) }
        }
        guard network.layers.count <= BlobFormat.maxLayers else {
            throw .tooLarge(what: "layer count", value: network.layers.count, limit: BlobFormat.maxLayers)
        }
        for w in network.sizes where w > BlobFormat.maxWidth { throw .tooLarge(what: "layer width", value: w, limit: BlobFormat.maxWidth) }
        func finite(_ v: Double, _ what: @autoclosure () -> String) throws(LoweringError) {
            guard Float(v).isFinite else { throw .notRepresentable(what: what(), value: v) }
        }
        for (l, layer) in network.layers.enumerated() {
            for (k, v) in layer.weights.enumerated() { try finite(v, "layers[\(l)] weight \(k)") }
            for (k, v) in layer.biases.enumerated() { try finite(v, "layers[\(l)] bias \(k)") }
            try finite(layer.activation.parameter, "layers[\(l)] alpha")
        }
        if let s = network.standardizer {
            for (i, v) in s.mean.enumerated() { try finite(v, "normalization mean \(i)") }
            for (i, v) in s.std.enumerated() where !(Float(v).isFinite && Float(v) > 0) {
                throw .notRepresentable(what: "normalization std \(i)", value: v)
            }
        }
    }

    /// Recomputes the model hash and the checksum of a blob in place (after an edit).
    public static func seal(_ bytes: inout [UInt8]) {
        let end = bytes.count - BlobFormat.checksumSize
        bytes.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            let typeOffset = BlobFormat.Header.elementType
            let hash = BlobHash.hash(base + typeOffset, count: end - typeOffset, seed: BlobFormat.modelHashSeed)
            raw.storeBytes(of: hash.littleEndian, toByteOffset: BlobFormat.Header.modelHash, as: UInt64.self)
            let sum = BlobHash.hash(base, count: end, seed: BlobFormat.checksumSeed)
            raw.storeBytes(of: sum.littleEndian, toByteOffset: end, as: UInt64.self)
        }
    }
}
