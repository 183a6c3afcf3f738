/// Scratch memory for one thread's predictions: two buffers of `batchRows ×
/// scratchCount` Float32 lanes, reused by every call. Not copyable, so two
/// threads cannot share one by accident.
///
/// Either the workspace allocates its memory once (`init(for:batchRows:)`), or
/// it uses memory the caller owns (`init(for:memory:batchRows:)`: a static
/// buffer on a microcontroller) and allocates nothing.
///
/// Built with `-D FIXEDNET_NO_HEAP` (firmware that links no allocator), only the
/// caller-memory initialiser exists and nothing here names `malloc` or `free`.
public struct Workspace: ~Copyable {
    @usableFromInline let buffer: UnsafeMutablePointer<Float>
    /// False when the memory is the caller's: then `deinit` leaves it alone.
    let ownsMemory: Bool
    public let scratchCount: Int
    /// Rows `predictBatch` pushes through the layers together. With 4 or more it
    /// uses the blocked GEMM (`BatchKernel`).
    public let batchRows: Int

    /// The tile for fast batches (`ParallelPredictor`'s and `fnc`'s): 256 rows.
    /// Each tile reads every weight once, so a taller tile reads the weights less
    /// often per row: on 784-128-64-10 (Zen 3, 512 KiB L2) 256 rows ran 8% faster
    /// than 64 with separate arithmetic and 25% faster fused, 2 threads 2% faster;
    /// 64-32-10 and 784-512-512-10 did not move (BENCHMARKS.md). A workspace of 256 rows
    /// takes `256 × scratchByteCount` bytes (256 KiB for 128-lane layers).
    public static let recommendedBatchRows = 256
    /// How the kernels add products for predictions through this workspace
    /// (`Arithmetic`; `.separate` unless asked).
    public let arithmetic: Arithmetic
    /// `arithmetic == .fused`, where a build for microcontrollers folds it to false.
    @usableFromInline var fused: Bool {
        #if hasFeature(Embedded)
        return false
        #else
        return !Platform.isMicrocontroller && arithmetic == .fused
        #endif
    }

    /// Whether `predictBatch` with a workspace of `batchRows` rows takes the blocked
    /// GEMM (`BatchKernel`): from 4 rows, except on a microcontroller build, which
    /// runs row by row (no SIMD registers to block for).
    @inlinable
    public static func usesTiles(batchRows: Int) -> Bool { !Platform.isMicrocontroller && batchRows >= 4 }

    /// Bytes a workspace for `model` and tiles of `batchRows` rows needs:
    /// `batchRows × model.scratchByteCount`.
    public static func byteCount(for model: Model, batchRows: Int = 1) -> Int {
        if batchRows < 1 { apiMisuse("Workspace.byteCount: batchRows (at least 1)", expected: 1, actual: batchRows) }
        let (n, overflow) = batchRows.multipliedReportingOverflow(by: model.scratchByteCount)
        if overflow { apiMisuse("Workspace.byteCount: batchRows × scratchByteCount overflows", expected: Int.max / model.scratchByteCount, actual: batchRows) }
        return n
    }

    /// Sized for `model` and tiles of `batchRows` rows: one allocation of
    /// `batchRows × model.scratchByteCount` bytes. The default (1 row) is all
    /// `predict` needs; pass `batchRows: Workspace.recommendedBatchRows` for fast `predictBatch`.
    #if !FIXEDNET_NO_HEAP
    public init(for model: Model, batchRows: Int = 1, arithmetic: Arithmetic = .separate) {
        let bytes = Workspace.byteCount(for: model, batchRows: batchRows)
        Workspace.check(arithmetic)
        scratchCount = model.scratchCount
        self.batchRows = batchRows
        self.arithmetic = arithmetic
        buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: BlobFormat.weightAlignment)
            .bindMemory(to: Float.self, capacity: bytes / 4)
        buffer.initialize(repeating: 0, count: bytes / 4)
        ownsMemory = true
    }
    #endif

    /// Over caller memory: no allocation. `memory` must hold at least
    /// `Workspace.byteCount(for: model, batchRows:)` bytes (else `.bufferTooSmall`)
    /// and start at a multiple of `BlobFormat.minimumAlignment` (else
    /// `.misaligned`). Contract: it stays valid, and is used by nothing else, for
    /// as long as this workspace lives; its contents are overwritten.
    public init(for model: Model, memory: UnsafeMutableRawBufferPointer, batchRows: Int = 1,
                arithmetic: Arithmetic = .separate) throws(BlobError) {
        let bytes = Workspace.byteCount(for: model, batchRows: batchRows)
        Workspace.check(arithmetic)
        guard memory.count >= bytes, let p = memory.baseAddress else { throw .bufferTooSmall(needed: bytes, actual: memory.count) }
        let remainder = Int(bitPattern: UInt(bitPattern: p)) % BlobFormat.minimumAlignment
        guard remainder == 0 else { throw .misaligned(required: BlobFormat.minimumAlignment, remainder: remainder) }
        scratchCount = model.scratchCount
        self.batchRows = batchRows
        self.arithmetic = arithmetic
        buffer = p.bindMemory(to: Float.self, capacity: bytes / 4)
        buffer.initialize(repeating: 0, count: bytes / 4)
        ownsMemory = false
    }

    /// Fused arithmetic is not built for microcontrollers or Embedded Swift:
    /// asking for it there is a misuse. Also reads the CPU's register file once,
    /// here, so no prediction pays for it.
    static func check(_ arithmetic: Arithmetic) {
        _ = Platform.hasWideVectorRegisters
        #if hasFeature(Embedded)
        let built = false
        #else
        let built = !Platform.isMicrocontroller
        #endif
        if !built && arithmetic == .fused {
            apiMisuse("Workspace: fused arithmetic on a microcontroller or Embedded build (0: not built)", expected: 0, actual: 1)
        }
    }

    /// The scratch memory, `2 × scratchCount` Float32 lanes, for generated kernels.
    /// Valid while the workspace lives.
    public var scratchPointer: UnsafeMutablePointer<Float> { buffer }

    #if FIXEDNET_NO_HEAP
    deinit {}
    #else
    deinit { if ownsMemory { buffer.deallocate() } }
    #endif
}
