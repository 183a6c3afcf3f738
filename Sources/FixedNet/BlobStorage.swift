/// Owns a validated blob's bytes in 64-byte-aligned memory, and its layer
/// records decoded once behind them, so `predict` reads ready values: the one
/// allocation of a copying load. Immutable after init, so sharing it across
/// threads is safe.
final class BlobStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let layers: UnsafePointer<LayerInfo>

    /// Copies `bytes` (already validated) into fresh aligned memory and decodes
    /// the `layerCount` records that start at `recordsOffset`.
    init(copying bytes: UnsafeRawBufferPointer, layerCount: Int, recordsOffset: Int, version: Int) {
        let align = BlobFormat.weightAlignment
        let tableOffset = (bytes.count + align - 1) / align * align
        base = UnsafeMutableRawPointer.allocate(byteCount: tableOffset + max(layerCount, 1) * MemoryLayout<LayerInfo>.stride,
                                                alignment: align)
        if bytes.count > 0 { base.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        let table = (base + tableOffset).bindMemory(to: LayerInfo.self, capacity: layerCount)
        let reader = BlobReader(UnsafeRawPointer(base))
        for l in 0..<layerCount {
            (table + l).initialize(to: LayerInfo(reader: reader, record: recordsOffset + l * BlobFormat.layerRecordSize, version: version))
        }
        layers = UnsafePointer(table)
    }

    deinit { base.deallocate() }
}
