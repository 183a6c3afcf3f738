/// A validated FixedNet blob, ready to predict.
///
/// Both initialisers check every byte before use (magic, version, sizes, offsets
/// with overflow-safe arithmetic, layer chaining, element types, activation codes,
/// padding, finite values, checksum and model hash) and throw a `BlobError`
/// carrying the numbers. After that, prediction cannot fail. A model is immutable
/// and `Sendable`: share one across threads, with one `Workspace` per thread.
///
/// Two ways to hold the bytes:
/// - `init(bytes:)` copies them into 64-byte-aligned memory the model owns (one
///   allocation);
/// - `init(referencing:)` keeps a pointer to the caller's memory (flash, a mapped
///   file, a static buffer) and allocates nothing, ever.
#if FIXEDNET_NO_HEAP
/// Firmware that links no allocator: every model is over caller memory.
typealias BlobOwner = Never
#else
typealias BlobOwner = BlobStorage
#endif

public struct Model: @unchecked Sendable {
    /// The validated bytes: the model's own copy, or the caller's memory.
    @usableFromInline let base: UnsafeRawPointer
    /// Keeps the copy alive; nil for a model over caller memory (always, in a
    /// `FIXEDNET_NO_HEAP` build, where the type is `Never?` and costs no
    /// reference counting).
    let owner: BlobOwner?
    /// The decoded layer records of a copying model; nil over caller memory,
    /// where each record is decoded from the blob when used.
    @usableFromInline let layerTable: UnsafePointer<LayerInfo>?
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
    /// The blob format version (1 or 2).
    public let formatVersion: Int
    /// Byte offset of the stored SHA-256 identity, 0 when the blob has none (v1, and v2 of release 0.2.0).
    public let identityOffset: Int
    public let byteCount: Int
    /// Byte offset of layer 0's record (the header size of `formatVersion`).
    @usableFromInline let recordsOffset: Int

    /// Bytes of one single-row workspace (two scratch buffers).
    public var scratchByteCount: Int { 2 * scratchCount * 4 }

    /// Validates `bytes` and copies them into aligned memory the model owns (one
    /// allocation). `bytes` may have any alignment and may be freed afterwards.
    #if !FIXEDNET_NO_HEAP
    public init(bytes: UnsafeRawBufferPointer) throws(BlobError) {
        try Model.validate(bytes)
        let r = BlobReader(bytes.baseAddress!)
        let version = r.u16(BlobFormat.Header.version)
        let storage = BlobStorage(copying: bytes, layerCount: r.u32(BlobFormat.Header.layerCount),
                                  recordsOffset: BlobFormat.headerSize(version: version), version: version)
        self.init(validated: UnsafeRawPointer(storage.base), count: bytes.count, owner: storage)
    }
    #endif

    /// Validates `bytes` in place and keeps a pointer to them: no copy and no
    /// allocation, so a blob in flash or in a mapped file is used where it lies.
    ///
    /// Contract: the bytes must stay valid and unchanged for as long as this model
    /// or any copy of it is used (they are read on every prediction). They must
    /// start at a multiple of `BlobFormat.minimumAlignment` (16) bytes, or this
    /// throws `.misaligned`; 64 puts every weight section on a cache line.
    public init(referencing bytes: UnsafeRawBufferPointer) throws(BlobError) {
        if let p = bytes.baseAddress {
            let remainder = Int(bitPattern: UInt(bitPattern: p)) % BlobFormat.minimumAlignment
            guard remainder == 0 else { throw .misaligned(required: BlobFormat.minimumAlignment, remainder: remainder) }
        }
        try Model.validate(bytes)
        self.init(validated: bytes.baseAddress!, count: bytes.count, owner: nil)
    }

    /// Reads the header of a blob that `validate` accepted.
    init(validated p: UnsafeRawPointer, count: Int, owner: BlobOwner?) {
        typealias H = BlobFormat.Header
        base = p
        self.owner = owner
        #if FIXEDNET_NO_HEAP
        layerTable = nil
        #else
        layerTable = owner?.layers
        #endif
        byteCount = count
        let r = BlobReader(p)
        formatVersion = r.u16(H.version)
        recordsOffset = BlobFormat.headerSize(version: formatVersion)
        layerCount = r.u32(H.layerCount)
        inputCount = r.u32(H.inputCount)
        outputCount = r.u32(H.outputCount)
        scratchCount = r.u32(H.scratchCount)
        outputKind = OutputKind(rawValue: UInt8(r.u8(H.outputKind))) ?? .regression
        normalization = NormalizationKind(rawValue: UInt8(r.u8(H.normalization))) ?? .none
        modelHash = r.u64(H.modelHash)
        checksum = r.u64(count - BlobFormat.checksumSize)
        labelCount = r.u32(H.labelCount)
        goldenCount = r.u32(H.goldenCount)
        goldenMaxError = r.f64(H.goldenMaxError)
        identityOffset = r.u8(H.identity) == 1 ? count - BlobFormat.checksumSize - BlobFormat.identitySize : 0
    }

    #if !FIXEDNET_NO_HEAP
    /// Validates and copies a byte array.
    public init(bytes: [UInt8]) throws(BlobError) {
        var result: Result<Model, BlobError> = .failure(.badMagic)
        bytes.withUnsafeBytes { raw in
            do throws(BlobError) { result = .success(try Model(bytes: raw)) } catch { result = .failure(error) }
        }
        self = try result.get()
    }
    #endif

    @usableFromInline var reader: BlobReader { BlobReader(base) }

    /// Layer `l`'s record: from the decoded table of a copying model, or decoded
    /// from the blob (a model over caller memory keeps no storage of its own).
    @inlinable @inline(__always)
    func layerInfo(_ l: Int) -> LayerInfo {
        if let t = layerTable { return t[l] }
        return LayerInfo(reader: reader, record: recordsOffset + l &* BlobFormat.layerRecordSize, version: formatVersion)
    }

    /// Byte offset of the stored mean and std (inputCount Float32 each), or 0 when
    /// normalisation is not stored. For generated kernels.
    public var normalizationOffset: Int { reader.u32(BlobFormat.Header.normalizationOffset) }

    /// The validated blob bytes, for generated kernels that read weights at offsets
    /// they were generated with. Valid while this model (or the caller's memory
    /// under a referencing model) lives.
    public var unsafeBlobPointer: UnsafeRawPointer { base }

    /// The layer record `l` (0-based): sizes, activation, element type and where its data is.
    public func layer(_ l: Int) -> LayerInfo {
        if l < 0 || l >= layerCount { apiMisuse("layer: index (0 ..< layerCount)", expected: layerCount, actual: l) }
        return layerInfo(l)
    }

    /// The UTF-8 bytes of class label `i`, valid while the model lives.
    /// O(i): it walks the section from the first label; use `forEachLabel` (or `labels`) for all of them.
    public func labelBytes(_ i: Int) -> UnsafeRawBufferPointer {
        if i < 0 || i >= labelCount { apiMisuse("labelBytes: index (0 ..< labelCount)", expected: labelCount, actual: i) }
        return entry(i, inSectionAt: reader.u32(BlobFormat.Header.labelsOffset))
    }

    /// How many feature names the blob holds: `inputCount`, or 0 (version 1, or
    /// a model trained without a header).
    public var featureNameCount: Int {
        formatVersion >= 2 && reader.u32(BlobFormat.Header.featureNamesOffset) != 0 ? inputCount : 0
    }

    /// The UTF-8 bytes of feature name `i`, valid while the model lives.
    public func featureNameBytes(_ i: Int) -> UnsafeRawBufferPointer {
        if i < 0 || i >= featureNameCount { apiMisuse("featureNameBytes: index (0 ..< featureNameCount)", expected: featureNameCount, actual: i) }
        return entry(i, inSectionAt: reader.u32(BlobFormat.Header.featureNamesOffset))
    }

    /// The tool that wrote the blob ("fnc 0.2.0"), as printable ASCII bytes;
    /// empty for version 1, which did not record it.
    public var producerBytes: UnsafeRawBufferPointer {
        guard formatVersion >= 2 else { return UnsafeRawBufferPointer(start: base, count: 0) }
        var n = 0
        while n < BlobFormat.producerSize && reader.u8(BlobFormat.Header.producer + n) != 0 { n += 1 }
        return UnsafeRawBufferPointer(start: base + BlobFormat.Header.producer, count: n)
    }

    /// Entry `i` of a section of (u16 length, UTF-8 bytes) records.
    /// Every label's UTF-8 bytes in order, in one pass over the section (`labelBytes(i)`
    /// walks from the first label, so calling it for every i is quadratic).
    public func forEachLabel(_ body: (Int, UnsafeRawBufferPointer) -> Void) {
        let r = reader
        var o = r.u32(BlobFormat.Header.labelsOffset)
        for i in 0..<labelCount {
            body(i, UnsafeRawBufferPointer(start: r.base + o + 2, count: r.u16(o)))
            o += 2 + r.u16(o)
        }
    }

    func entry(_ i: Int, inSectionAt offset: Int) -> UnsafeRawBufferPointer {
        let r = reader
        var o = offset
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
    /// How the weights are stored (always Float32 in a version-1 blob).
    public let elementType: ElementType
    /// Byte offset of the weights `(inputCount, paddedOutputCount)` of `elementType`.
    public let dataOffset: Int

    /// Byte offset of the biases, `paddedOutputCount` Float32, right after the weights.
    @inlinable
    public var biasOffset: Int { dataOffset + inputCount * paddedOutputCount * elementType.byteWidth }
    /// Byte offset of an int8 layer's scales, `paddedOutputCount` Float32, after the biases.
    @inlinable
    public var scalesOffset: Int { biasOffset + paddedOutputCount * 4 }

    @inlinable
    init(reader r: BlobReader, record o: Int, version: Int) {
        typealias L = BlobFormat.Layer
        inputCount = r.u32(o + L.inputCount)
        outputCount = r.u32(o + L.outputCount)
        paddedOutputCount = r.u32(o + L.paddedOutputCount)
        activation = ActivationCode(rawValue: UInt8(r.u8(o + L.activation))) ?? .identity
        alpha = r.f32(o + L.alpha)
        elementType = version == 1 ? .float32 : (ElementType(rawValue: UInt8(r.u8(o + L.elementType))) ?? .float32)
        dataOffset = r.u32(o + L.dataOffset)
    }
}
