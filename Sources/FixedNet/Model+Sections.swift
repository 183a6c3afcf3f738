/// The byte count of each section of a validated blob (what `fnc inspect` shows).
public struct BlobSections: Sendable, Equatable {
    public var header: Int
    public var layerTable: Int
    public var labels: Int
    public var featureNames: Int
    public var normalization: Int
    public var golden: Int
    /// All layers' weights, biases and scales.
    public var layerData: Int
    /// Zero bytes that align sections.
    public var padding: Int
    /// The SHA-256 identity (32 bytes, or 0 when the blob has none).
    public var identity: Int
    public var checksum: Int
}

extension Model {
    /// Section sizes; they add up to `byteCount`.
    public var sections: BlobSections {
        typealias H = BlobFormat.Header
        let r = reader
        let header = BlobFormat.headerSize(version: formatVersion)
        let names = formatVersion >= 2 ? r.u32(H.featureNamesSize) : 0
        let norm = normalization == .stored ? 8 * inputCount : 0
        var data = 0
        for l in 0..<layerCount {
            let info = layerInfo(l)
            data += info.elementType.dataSize(inputCount: info.inputCount, paddedOutputCount: info.paddedOutputCount)
        }
        var s = BlobSections(header: header, layerTable: layerCount * BlobFormat.layerRecordSize, labels: r.u32(H.labelsSize),
                             featureNames: names, normalization: norm, golden: r.u32(H.goldenSize), layerData: data,
                             padding: 0, identity: identityOffset != 0 ? BlobFormat.identitySize : 0, checksum: BlobFormat.checksumSize)
        s.padding = byteCount - (s.header + s.layerTable + s.labels + s.featureNames + s.normalization + s.golden + s.layerData + s.identity + s.checksum)
        return s
    }
}
