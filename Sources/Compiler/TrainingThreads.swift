#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The worker threads of one training run (`--threads N`): made once per run,
/// used by every GEMM of every batch, stopped when the run ends.
///
/// `run(body)` calls `body(0)` on the caller and `body(1)` … `body(count − 1)` on
/// the workers, and returns when all have finished. Each part writes its own rows
/// of the result, computed exactly as one thread would compute them, so the bits
/// do not depend on the thread count.
///
/// Waiting: a worker spins on the job counter for a while (a GEMM of a small
/// batch lasts microseconds, a futex wake-up about as long), then sleeps on a
/// condition variable until the next job; the caller spins until the parts are
/// done. Past the first `yieldAfter` turns every spin yields the core, so with
/// more runnable threads than cores (parallel test runs, a busy machine) the
/// thread being waited for gets to run instead of a spinner burning its time
/// slice. Nothing here allocates after `init`.
final class TrainingThreads: @unchecked Sendable {
    let count: Int
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Guarded by `mutex`: workers asleep on `wake`.
    private var sleepers = 0
    /// Written by the caller before `generation` moves; read by workers after.
    private var job: ((Int) -> Void)?
    private var handles: [pthread_t] = []
    /// Spins before a worker sleeps (most of them yields: a few milliseconds on an idle core, longer than the single-threaded work between two GEMMs).
    static let spins = 20_000
    /// Spins before each further spin yields the core.
    static let yieldAfter = 256

    /// - Parameter count: threads in all, the caller included (≥ 1).
    init(count: Int) {
        precondition(count >= 1, "threads must be at least 1")
        self.count = count
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for index in 1..<count {
            let context = UnsafeMutablePointer<(Unmanaged<TrainingThreads>, Int)>.allocate(capacity: 1)
            context.initialize(to: (Unmanaged.passUnretained(self), index))
            var handle = pthread_t()
            let status = pthread_create(&handle, nil, { raw in
                let c = raw!.assumingMemoryBound(to: (Unmanaged<TrainingThreads>, Int).self)
                let (threads, index) = c.pointee
                c.deallocate()
                threads.takeUnretainedValue().work(index)
                return nil
            }, context)
            precondition(status == 0, "pthread_create failed: \(status)")
            handles.append(handle)
        }
    }

    /// Stops and joins the workers. Call once, from the thread that made them.
    func stop() {
        stopping.store(true, ordering: .releasing)
        pthread_mutex_lock(mutex)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        for h in handles { pthread_join(h, nil) }
        handles = []
    }

    deinit {
        if !handles.isEmpty { stop() }
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
    }

    /// Runs `body(part)` for every part in 0..<count, part 0 on the caller.
    func run(_ body: (Int) -> Void) {
        guard count > 1 else { body(0); return }
        withoutActuallyEscaping(body) { b in
            job = b
            pending.store(count - 1, ordering: .releasing)
            pthread_mutex_lock(mutex)
            generation.add(1, ordering: .releasing)
            if sleepers > 0 { pthread_cond_broadcast(wake) }
            pthread_mutex_unlock(mutex)
            b(0)
            var turns = 0
            while pending.load(ordering: .acquiring) != 0 { spinPause(&turns) }
            job = nil
        }
    }

    private func work(_ index: Int) {
        // 0, not a load: a job published before this thread first runs must not count as seen.
        var seen = 0
        while true {
            var spun = 0
            while generation.load(ordering: .acquiring) == seen && spun < Self.spins { spinPause(&spun) }
            if generation.load(ordering: .acquiring) == seen {
                pthread_mutex_lock(mutex)
                sleepers += 1
                while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(wake, mutex) }
                sleepers -= 1
                pthread_mutex_unlock(mutex)
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { return }
            job?(index)
            pending.subtract(1, ordering: .releasing)
        }
    }

    /// One turn of a spin loop: counts it, and yields the core once past `yieldAfter`.
    @inline(__always) private func spinPause(_ turns: inout Int) {
        turns += 1
        if turns > Self.yieldAfter { sched_yield() }
    }

    /// The items (rows or columns) of part `t` when `items` are shared out in
    /// blocks of `unit` (a GEMM register tile's rows or a panel's columns), the
    /// first parts taking the larger shares.
    func share(_ t: Int, of items: Int, unit: Int = 4) -> Range<Int> {
        let blocks = (items + unit - 1) / unit
        let per = blocks / count, extra = blocks % count
        let lo = unit * (t * per + min(t, extra))
        let hi = unit * ((t + 1) * per + min(t + 1, extra))
        return min(items, lo)..<min(items, hi)
    }
}
