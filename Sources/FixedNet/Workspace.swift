/// Scratch memory for one thread's predictions: two buffers of `scratchCount`
/// Float32 lanes, allocated once here and reused by every call. Not copyable, so
/// two threads cannot share one by accident.
public struct Workspace: ~Copyable {
    @usableFromInline let buffer: UnsafeMutablePointer<Float>
    public let scratchCount: Int

    /// Sized for `model` (one allocation of `model.scratchByteCount` bytes).
    public init(for model: Model) {
        scratchCount = model.scratchCount
        buffer = UnsafeMutableRawPointer.allocate(byteCount: 2 * scratchCount * 4, alignment: BlobFormat.weightAlignment)
            .bindMemory(to: Float.self, capacity: 2 * scratchCount)
        buffer.initialize(repeating: 0, count: 2 * scratchCount)
    }

    /// The scratch memory, `2 × scratchCount` Float32 lanes, for generated kernels.
    /// Valid while the workspace lives.
    public var scratchPointer: UnsafeMutablePointer<Float> { buffer }

    deinit { buffer.deallocate() }
}
