/// Scratch memory for one thread's predictions: two buffers of `batchRows ×
/// scratchCount` Float32 lanes, allocated once here and reused by every call.
/// Not copyable, so two threads cannot share one by accident.
public struct Workspace: ~Copyable {
    @usableFromInline let buffer: UnsafeMutablePointer<Float>
    public let scratchCount: Int
    /// Rows `predictBatch` pushes through the layers together. With 4 or more it
    /// uses the blocked GEMM (`BatchKernel`); 64 suits every shape measured.
    public let batchRows: Int

    /// Sized for `model` and tiles of `batchRows` rows: one allocation of
    /// `batchRows × model.scratchByteCount` bytes. The default (1 row) is all
    /// `predict` needs; pass `batchRows: 64` for fast `predictBatch`.
    public init(for model: Model, batchRows: Int = 1) {
        precondition(batchRows >= 1, "batchRows must be at least 1")
        scratchCount = model.scratchCount
        self.batchRows = batchRows
        let lanes = 2 * batchRows * scratchCount
        buffer = UnsafeMutableRawPointer.allocate(byteCount: lanes * 4, alignment: BlobFormat.weightAlignment)
            .bindMemory(to: Float.self, capacity: lanes)
        buffer.initialize(repeating: 0, count: lanes)
    }

    /// The scratch memory, `2 × scratchCount` Float32 lanes, for generated kernels.
    /// Valid while the workspace lives.
    public var scratchPointer: UnsafeMutablePointer<Float> { buffer }

    deinit { buffer.deallocate() }
}
