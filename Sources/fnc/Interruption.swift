import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// SIGINT / SIGTERM during training: the first one asks the run to stop at the end
/// of the current epoch (so its checkpoint is consistent); the handler resets, so a
/// second one ends the process at once.
enum Interruption {
    /// The signal received, or 0. Written by the handler, read between epochs.
    nonisolated(unsafe) static var received: Int32 = 0

    static func install() {
        // A parent (a supervisor, a test runner thread) may have started us with these
        // signals blocked; the mask is inherited, so unblock them explicitly.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { Interruption.received = $0 }
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(sig, &action, nil)
        }
    }
}
