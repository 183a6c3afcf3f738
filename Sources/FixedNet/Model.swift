/// A validated FixedNet blob, ready to predict.
///
/// `init(bytes:)` checks every byte before use (magic, version, sizes, offsets with
/// overflow-safe arithmetic, alignment, layer chaining, activation codes, padding,
/// finite values, checksum and model hash) and throws a `BlobError` carrying the
/// numbers. After that, prediction cannot fail. A model is immutable and `Sendable`:
/// share one across threads, with one `Workspace` per thread.
public struct Model: Sendable {
    let storage: BlobStorage
    public let inputCount: Int
    public let outputCount: Int
    public let layerCount: Int
    /// Float32 lanes in each of a workspace's two scratch buffers.
    public let scratchCount: Int
    public let outputKind: OutputKind
    public let normalization: NormalizationKind
    public let modelHash: UInt64
    public let checksum: UInt64
    public let labelCount: Int
    public let goldenCount: Int
    /// The compiler's measured max |blob − Float64 model| on the golden vectors.
    public let goldenMaxError: Double

    public var byteCount: Int { storage.count }
    /// Bytes of one workspace (two scratch buffers).
    public var scratchByteCount: Int { 2 * scratchCount * 4 }

    /// Validates `bytes` and copies them into aligned memory (one allocation).
    public init(bytes: UnsafeRawBufferPointer) throws(BlobError) {
        try Model.validate(bytes)
        typealias H = BlobFormat.Header
        layerCount = BlobReader(bytes.baseAddress!).u32(H.layerCount)
        storage = BlobStorage(copying: bytes, layerCount: layerCount)
        let r = BlobReader(UnsafeRawPointer(storage.base))
        inputCount = r.u32(H.inputCount)
        outputCount = r.u32(H.outputCount)
        scratchCount = r.u32(H.scratchCount)
        outputKind = OutputKind(rawValue: UInt8(r.u8(H.outputKind)))!
        normalization = NormalizationKind(rawValue: UInt8(r.u8(H.normalization)))!
        modelHash = r.u64(H.modelHash)
        checksum = r.u64(storage.count - BlobFormat.checksumSize)
        labelCount = r.u32(H.labelCount)
        goldenCount = r.u32(H.goldenCount)
        goldenMaxError = r.f64(H.goldenMaxError)
    }

    /// Validates and copies a byte array.
    public init(bytes: [UInt8]) throws(BlobError) {
        var result: Result<Model, BlobError> = .failure(.badMagic)
        bytes.withUnsafeBytes { raw in
            do throws(BlobError) { result = .success(try Model(bytes: raw)) } catch { result = .failure(error) }
        }
        self = try result.get()
    }

    var reader: BlobReader { BlobReader(UnsafeRawPointer(storage.base)) }
    /// The decoded layer records (`layerCount`), valid while the model lives.
    var layerTable: UnsafePointer<LayerInfo> { storage.layers }

    /// Byte offset of the stored mean and std (inputCount Float32 each), or 0 when
    /// normalisation is not stored. For generated kernels.
    public var normalizationOffset: Int { reader.u32(BlobFormat.Header.normalizationOffset) }

    /// The validated blob bytes (64-byte aligned), for generated kernels that read
    /// weights at offsets they were generated with. Valid while this model lives.
    public var unsafeBlobPointer: UnsafeRawPointer { UnsafeRawPointer(storage.base) }

    /// The layer record `l` (0-based): sizes, activation and where its weights are.
    public func layer(_ l: Int) -> LayerInfo {
        precondition(l >= 0 && l < layerCount)
        return layerTable[l]
    }

    /// The UTF-8 bytes of class label `i`, valid while the model lives.
    public func labelBytes(_ i: Int) -> UnsafeRawBufferPointer {
        precondition(i >= 0 && i < labelCount)
        let r = reader
        var o = r.u32(BlobFormat.Header.labelsOffset)
        for _ in 0..<i { o += 2 + r.u16(o) }
        return UnsafeRawBufferPointer(start: r.base + o + 2, count: r.u16(o))
    }
}

/// One layer's record, read from a validated blob.
public struct LayerInfo: Sendable {
    public let inputCount: Int
    public let outputCount: Int
    public let paddedOutputCount: Int
    public let activation: ActivationCode
    public let alpha: Float
    /// Byte offset of the weights `(inputCount, paddedOutputCount)` then biases `(paddedOutputCount)`.
    public let dataOffset: Int

    @inlinable
    init(reader r: BlobReader, record o: Int) {
        typealias L = BlobFormat.Layer
        inputCount = r.u32(o + L.inputCount)
        outputCount = r.u32(o + L.outputCount)
        paddedOutputCount = r.u32(o + L.paddedOutputCount)
        activation = ActivationCode(rawValue: UInt8(r.u8(o + L.activation))) ?? .identity
        alpha = r.f32(o + L.alpha)
        dataOffset = r.u32(o + L.dataOffset)
    }
}
