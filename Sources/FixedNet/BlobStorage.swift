/// Owns a validated blob's bytes in 64-byte-aligned memory: the one allocation of
/// a copying load. Immutable after init, so sharing it across threads is safe.
final class BlobStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer

    /// Copies `bytes` (already validated) into fresh aligned memory.
    init(copying bytes: UnsafeRawBufferPointer) {
        base = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: BlobFormat.weightAlignment)
        if bytes.count > 0 { base.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
    }

    deinit { base.deallocate() }
}
