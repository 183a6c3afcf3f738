import FixedNet

/// Where each section of a version-2 blob of a `LoweredModel` starts, computed
/// once from the sizes (docs/blob-format.md). The writer fills bytes at these
/// offsets; the kernel emitter bakes them into generated code.
public struct BlobLayout: Sendable, Equatable {
    public let layerCount: Int
    public let labelsOffset: Int
    public let labelsSize: Int
    /// 0 when the model has no feature names.
    public let featureNamesOffset: Int
    public let featureNamesSize: Int
    /// 0 when normalisation is not stored.
    public let normalizationOffset: Int
    public let goldenOffset: Int
    public let goldenSize: Int
    /// Each layer's data offset (64-aligned) and size.
    public let layerDataOffsets: [Int]
    public let layerDataSizes: [Int]
    /// The SHA-256 identity section (32 bytes, 8-aligned after the last layer).
    public let identityOffset: Int
    public let checksumOffset: Int
    public var totalSize: Int { checksumOffset + BlobFormat.checksumSize }
    public var weightsOffset: Int { layerDataOffsets[0] }

    /// Byte offset of layer `l`'s record.
    public func recordOffset(_ l: Int) -> Int { BlobFormat.headerSize + l * BlobFormat.layerRecordSize }

    public init(_ m: LoweredModel) {
        func align(_ x: Int, _ a: Int) -> Int { (x + a - 1) / a * a }
        func textSize(_ strings: [String]) -> Int { strings.reduce(0) { $0 + 2 + $1.utf8.count } }
        layerCount = m.layers.count
        labelsOffset = BlobFormat.headerSize + m.layers.count * BlobFormat.layerRecordSize
        labelsSize = textSize(m.labels)
        var next = labelsOffset + labelsSize
        featureNamesOffset = m.featureNames.isEmpty ? 0 : next
        featureNamesSize = textSize(m.featureNames)
        next = align(next + featureNamesSize, 4)
        normalizationOffset = m.normalization == .stored ? next : 0
        if m.normalization == .stored { next += 8 * m.inputCount }
        goldenOffset = align(next, 8)
        goldenSize = m.goldenInputs.count * (4 * m.inputCount + 8 * m.outputCount)
        next = goldenOffset + goldenSize
        var offsets: [Int] = [], sizes: [Int] = []
        for layer in m.layers {
            next = align(next, BlobFormat.weightAlignment)
            offsets.append(next); sizes.append(layer.dataSize)
            next += layer.dataSize
        }
        layerDataOffsets = offsets
        layerDataSizes = sizes
        identityOffset = align(next, 8)
        checksumOffset = identityOffset + BlobFormat.identitySize
    }
}
