/// Owns a validated blob's bytes in 64-byte-aligned memory. Immutable after
/// init, so sharing it across threads is safe.
final class BlobStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let count: Int
    /// The `layerCount` layer records, decoded once at load and kept after the
    /// blob bytes in the same allocation, so `predict` reads ready values.
    let layers: UnsafePointer<LayerInfo>

    /// Copies `bytes` (already validated) into fresh aligned memory and decodes
    /// its `layerCount` layer records behind them: the one allocation of a load.
    init(copying bytes: UnsafeRawBufferPointer, layerCount: Int) {
        count = bytes.count
        let align = BlobFormat.weightAlignment
        let tableOffset = (count + align - 1) / align * align
        let byteCount = tableOffset + layerCount * MemoryLayout<LayerInfo>.stride
        base = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: BlobFormat.weightAlignment)
        if count > 0 { base.copyMemory(from: bytes.baseAddress!, byteCount: count) }
        let table = (base + tableOffset).bindMemory(to: LayerInfo.self, capacity: layerCount)
        let reader = BlobReader(UnsafeRawPointer(base))
        for l in 0..<layerCount {
            (table + l).initialize(to: LayerInfo(reader: reader, record: BlobFormat.headerSize + l * BlobFormat.layerRecordSize))
        }
        layers = UnsafePointer(table)
    }

    deinit { base.deallocate() }
}
