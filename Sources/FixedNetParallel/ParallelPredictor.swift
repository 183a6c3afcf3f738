// Batch prediction on several cores. Kept out of FixedNet, which imports only the
// standard library (and builds as Embedded Swift): threads need the OS.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FixedNet

/// `predictBatch` split across threads: the rows are cut into one contiguous
/// share per thread (multiples of 4 rows, for the 4-row GEMM tiles), the calling
/// thread takes the first share and `threadCount − 1` parked worker threads the
/// others. Threads and workspaces are made once, in `init`; a call allocates
/// nothing (mutex and condition-variable handoff only) and gives outputs
/// bit-identical to `Model.predictBatch` and to `predict`, row by row.
///
/// Calls from several threads are safe: they take turns (a mutex around each
/// call), so each gets exactly its sequential outputs; for calls that overlap,
/// give each calling thread its own predictor. The model is shared, not copied.
public final class ParallelPredictor: @unchecked Sendable {
    public let model: Model
    public let threadCount: Int
    let pool: Pool

    /// `threads` ≥ 1 in all, the calling thread included; each gets a workspace of
    /// `batchRows` rows (`threads × batchRows × model.scratchByteCount` bytes)
    /// with `arithmetic` (`.fused`: see `Arithmetic`).
    public init(model: Model, threads: Int, batchRows: Int = Workspace.recommendedBatchRows, arithmetic: Arithmetic = .separate) {
        precondition(threads >= 1, "threads must be at least 1")
        self.model = model
        threadCount = threads
        pool = Pool(model: model, threads: threads, batchRows: batchRows, arithmetic: arithmetic)
    }

    deinit { pool.stop() }

    /// Predicts `rows` inputs `(rows, inputCount)` into `(rows, outputCount)`.
    public func predictBatch(_ inputs: UnsafeBufferPointer<Float>, rows: Int, into outputs: UnsafeMutableBufferPointer<Float>) {
        precondition(rows >= 0 && inputs.count >= rows * model.inputCount && outputs.count >= rows * model.outputCount,
                     "predictBatch: buffer too small")
        pool.run(inputs.baseAddress, rows: rows, outputs: outputs.baseAddress)
    }
}

/// The shared state: one job description, a generation counter the workers wait
/// on, and a count of shares still running.
final class Pool: @unchecked Sendable {
    let model: Model
    let threads: Int
    let workspaces: UnsafeMutablePointer<Workspace>
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Held for a whole `run`: the job fields below serve one caller at a time.
    let callMutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    var handles: [pthread_t] = []
    // Guarded by `mutex`.
    var generation = 0
    var pending = 0
    var stopping = false
    var inputs: UnsafePointer<Float>?
    var outputs: UnsafeMutablePointer<Float>?
    var rows = 0

    init(model: Model, threads: Int, batchRows: Int, arithmetic: Arithmetic) {
        self.model = model
        self.threads = threads
        workspaces = .allocate(capacity: threads)
        for t in 0..<threads { (workspaces + t).initialize(to: Workspace(for: model, batchRows: batchRows, arithmetic: arithmetic)) }
        pthread_mutex_init(mutex, nil)
        pthread_mutex_init(callMutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(done, nil)
        for t in 1..<max(threads, 1) {
            let context = UnsafeMutablePointer<(Unmanaged<Pool>, Int)>.allocate(capacity: 1)
            context.initialize(to: (Unmanaged.passUnretained(self), t))
            var handle = pthread_t()
            let status = pthread_create(&handle, nil, { raw in
                let c = raw!.assumingMemoryBound(to: (Unmanaged<Pool>, Int).self)
                let (pool, index) = c.pointee
                c.deallocate()
                pool.takeUnretainedValue().work(index)
                return nil
            }, context)
            precondition(status == 0, "pthread_create failed: \(status)")
            handles.append(handle)
        }
    }

    /// Rows of share `t`: contiguous, multiples of 4 except the last.
    func share(_ t: Int, of rows: Int) -> Range<Int> {
        let per = ((rows + threads - 1) / threads + 3) / 4 * 4
        let lo = min(rows, t * per)
        return lo..<min(rows, lo + per)
    }

    func predict(share t: Int) {
        let range = share(t, of: rows)
        guard !range.isEmpty, let inputs, let outputs else { return }
        let n = model.inputCount, k = model.outputCount
        model.predictBatch(UnsafeBufferPointer(start: inputs + range.lowerBound * n, count: range.count * n), rows: range.count,
                           into: UnsafeMutableBufferPointer(start: outputs + range.lowerBound * k, count: range.count * k),
                           workspace: &workspaces[t])
    }

    func run(_ x: UnsafePointer<Float>?, rows r: Int, outputs y: UnsafeMutablePointer<Float>?) {
        pthread_mutex_lock(callMutex)
        defer { pthread_mutex_unlock(callMutex) }
        pthread_mutex_lock(mutex)
        inputs = x; outputs = y; rows = r
        pending = threads - 1
        generation &+= 1
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        predict(share: 0)
        pthread_mutex_lock(mutex)
        while pending > 0 { pthread_cond_wait(done, mutex) }
        pthread_mutex_unlock(mutex)
    }

    func work(_ t: Int) {
        var seen = 0
        while true {
            pthread_mutex_lock(mutex)
            while generation == seen && !stopping { pthread_cond_wait(wake, mutex) }
            if stopping { pthread_mutex_unlock(mutex); return }
            seen = generation
            pthread_mutex_unlock(mutex)
            predict(share: t)
            pthread_mutex_lock(mutex)
            pending -= 1
            if pending == 0 { pthread_cond_signal(done) }
            pthread_mutex_unlock(mutex)
        }
    }

    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        for h in handles { pthread_join(h, nil) }
    }

    deinit {
        workspaces.deinitialize(count: threads)
        workspaces.deallocate()
        pthread_cond_destroy(wake); pthread_cond_destroy(done); pthread_mutex_destroy(mutex); pthread_mutex_destroy(callMutex)
        wake.deallocate(); done.deallocate(); mutex.deallocate(); callMutex.deallocate()
    }
}
