/// The one place that decides whether this build targets a microcontroller: a
/// 32-bit Arm or RISC-V core, or any target built with `-DFIXEDNET_MCU`. There
/// `predict` takes `MicroKernel`, the scalar kernel (the same bits, a fraction of the code
/// size: these cores have no 512-bit, or any, vector unit), batches go row by
/// row, and validation hashes in one pass per hash. Everything else reads this
/// constant with a plain `if`, which the optimizer folds, so the SIMD code is
/// compiled everywhere but linked only where it runs.
public enum Platform {
    @inlinable
    public static var isMicrocontroller: Bool {
        #if arch(arm) || arch(riscv32) || FIXEDNET_MCU
        return true
        #else
        return false
        #endif
    }
}
