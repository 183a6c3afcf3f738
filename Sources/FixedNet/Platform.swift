#if canImport(Glibc) && !hasFeature(Embedded)
import Glibc
#endif

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

    /// Whether the batch kernel may use its 32-register tile (4 rows × 64 lanes,
    /// 16 SIMD16<Float> accumulators): a build declaring `-DFIXEDNET_CPU_NATIVE`
    /// (next to `-target-cpu native`) on a CPU with AVX-512F (Linux reports it in
    /// /proc/cpuinfo, read once). Everywhere else, where a SIMD16<Float> takes two
    /// ymm registers (AVX2), four xmm (SSE) or four q registers (NEON), the
    /// 4 × 64 tile spills and the 6 × 16 tile is used. The tile shape changes
    /// which lanes are computed together, never a sum's order: the same bits.
    public static var hasWideVectorRegisters: Bool {
        #if FIXEDNET_CPU_NATIVE && os(Linux) && arch(x86_64) && !hasFeature(Embedded)
        return cpuReportsAVX512
        #else
        return false
        #endif
    }

    #if FIXEDNET_CPU_NATIVE && os(Linux) && arch(x86_64) && !hasFeature(Embedded)
    /// The "flags" line of /proc/cpuinfo names avx512f.
    static let cpuReportsAVX512: Bool = {
        guard let file = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(file) }
        // On the stack (the stdlib's temporary allocation takes the heap above 1 KiB);
        // a flags line is under 2 KiB on every x86-64 CPU so far.
        var storage = InlineArray<4096, CChar>(repeating: 0)
        var span = storage.mutableSpan
        return span.withUnsafeMutableBufferPointer { buffer in
            let line = buffer.baseAddress!
            while fgets(line, Int32(buffer.count), file) != nil {
                let bytes = UnsafeRawBufferPointer(start: line, count: strlen(line))
                guard bytes.starts(with: "flags".utf8) else { continue }
                let needle = Array(" avx512f".utf8)
                guard bytes.count >= needle.count else { return false }
                for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
                    if bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
                }
                return false
            }
            return false
        }
    }()
    #endif
}
