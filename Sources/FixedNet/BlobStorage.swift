/// Owns a validated blob's bytes in 64-byte-aligned memory. Immutable after
/// init, so sharing it across threads is safe.
final class BlobStorage: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let count: Int

    /// Copies `bytes` into fresh aligned memory (the one allocation of a load).
    init(copying bytes: UnsafeRawBufferPointer) {
        count = bytes.count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: BlobFormat.weightAlignment)
        if count > 0 { base.copyMemory(from: bytes.baseAddress!, byteCount: count) }
    }

    deinit { base.deallocate() }
}
