/// Float64 matrix products for training, on raw row-major buffers.
///
/// All pointer arithmetic of the training engine lives in this file and in
/// MatrixKernels+Sparse.swift (the products that skip a ReLU output's zeros). Every
/// function has a fixed summation order, so results are bit-identical run to run.
/// Nothing here allocates.
#if canImport(Glibc)
import Glibc
#endif

enum MatrixKernels {
    /// `c[0..<n] += s * b[0..<n]`, eight lanes at a time.
    @inline(__always)
    static func axpy(_ n: Int, _ s: Double, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>) {
        let sv = SIMD8<Double>(repeating: s)
        var j = 0
        let rb = UnsafeRawPointer(b), rc = UnsafeMutableRawPointer(c)
        while j + 8 <= n {
            let bv = rb.loadUnaligned(fromByteOffset: j * 8, as: SIMD8<Double>.self)
            let cv = rc.loadUnaligned(fromByteOffset: j * 8, as: SIMD8<Double>.self)
            rc.storeBytes(of: cv + sv * bv, toByteOffset: j * 8, as: SIMD8<Double>.self)
            j += 8
        }
        while j < n { c[j] += s * b[j]; j += 1 }
    }

    /// How many vector registers the register tiles may fill. `.wide`: 32 that each
    /// hold a SIMD8<Double> (AVX-512). `.narrow`: 16 that each hold half of one
    /// (AVX2: a SIMD8 takes two ymm registers, so the wide tiles' 16 accumulators
    /// spill), and any other CPU. Both give the same bits: the tile shape changes
    /// which outputs are computed together, never the order of any sum.
    enum RegisterFile: Sendable { case narrow, wide }

    /// This CPU's register file: `.wide` when Linux reports AVX-512F, else `.narrow`
    /// (a build without `-target-cpu` has only 16 SSE registers anyway).
    static let cpuRegisters: RegisterFile = {
        #if os(Linux) && arch(x86_64)
        guard let file = fopen("/proc/cpuinfo", "r") else { return .narrow }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("flags") { return text.contains(" avx512f") ? .wide : .narrow }
        }
        #endif
        return .narrow
    }()

    /// Products smaller than this many multiply-adds stay on one thread: sharing
    /// them costs more than it saves.
    /// (32·64·128: the 64-32-10 digits shape's products stay on one thread, where
    /// two were measured slower; 64-256-256-10's are shared.)
    static let threadingThreshold = 262_144

    /// Splits the m rows of C over `threads` (when the product is large enough) and
    /// calls `part(rows)` for each share; each row of C is computed exactly as
    /// without threads, so the result has the same bits.
    @inline(__always)
    static func sharingRows(m: Int, work: Int, threads: TrainingThreads?, _ part: (Range<Int>) -> Void) {
        guard let threads, threads.count > 1, m >= 8, work >= threadingThreshold else { part(0..<m); return }
        threads.run { t in
            let rows = threads.share(t, of: m)
            if !rows.isEmpty { part(rows) }
        }
    }

    /// Splits the n columns of C over `threads` in multiples of `unit` (when the
    /// product is large enough) and calls `part(columns)` for each share. For a
    /// batch of a few dozen rows, a column share reads only its part of B (the
    /// layer's weights), where a row share reads all of B on every thread.
    @inline(__always)
    static func sharingColumns(n: Int, work: Int, unit: Int, threads: TrainingThreads?, _ part: (Range<Int>) -> Void) {
        guard let threads, threads.count > 1, n >= 2 * unit, work >= threadingThreshold else { part(0..<n); return }
        threads.run { t in
            let columns = threads.share(t, of: n, unit: unit)
            if !columns.isEmpty { part(columns) }
        }
    }

    /// `C (m, n) = A (m, k) · B (k, n)`, plus C when `accumulate`.
    /// With `scratch` and `indices` (room for m × k each), an A that is mostly zeros
    /// (a ReLU layer's output) is copied and compacted, each share of its rows by
    /// the thread that computes them, and the zero terms are skipped
    /// (`sparseProduct`). Same bits either way.
    static func multiply(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        accumulate: Bool = false, threads: TrainingThreads? = nil, registers: RegisterFile = cpuRegisters,
        sparse scratch: UnsafeMutablePointer<Double>? = nil, indices: UnsafeMutablePointer<Int32>? = nil
    ) {
        if let scratch, let indices, !accumulate, k >= 8, n >= 32, m <= 512 {
            var kept = 0
            for e in 0..<(m * k) { kept &+= isNonzero(a[e]) }
            if kept * 4 <= m * k * 3 {
                // Shared by rows: each thread compacts its own rows of A and reads all
                // of B (a layer's weights: 512 KiB for 256 × 256, in each core's L2).
                sharingRows(m: m, work: kept * n, threads: threads) { rows in
                    let values = scratch + rows.lowerBound * k, ix = indices + rows.lowerBound * k
                    values.update(from: a + rows.lowerBound * k, count: rows.count * k)
                    compactedProduct(m: rows.count, n: n, k: k, values: values, indices: ix, b, into: c + rows.lowerBound * n)
                }
                return
            }
        }
        sharingColumns(n: n, work: m * n * k, unit: registers == .wide ? 16 : 8, threads: threads) { columns in
            blocked(m: m, n: columns.count, k: k, a, rowStride: k, depthStride: 1, b + columns.lowerBound,
                    into: c + columns.lowerBound, accumulate: accumulate, ldb: n, ldc: n, registers: registers)
        }
    }

    /// `C (m, n) = Aᵀ · B` where A is (k, m) and B is (k, n), plus C when `accumulate`.
    /// `scratch`, when given, holds at least m × k doubles (Backprop's, made once).
    /// With `indices` (room for m × k too), rows of Â that are mostly zeros (a ReLU
    /// layer's output: about half its entries are +0) skip their zero terms: see
    /// `sparseProduct`. Same bits either way.
    static func multiplyTransposedA(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        accumulate: Bool = false, threads: TrainingThreads? = nil, registers: RegisterFile = cpuRegisters,
        transposing scratch: UnsafeMutablePointer<Double>? = nil, indices: UnsafeMutablePointer<Int32>? = nil
    ) {
        sharingRows(m: m, work: m * n * k, threads: threads) { rows in
            // Â's rows are columns of A, a whole row of A apart (2 KiB for 256 doubles:
            // the same two L1 sets again). With `scratch` (room for m × k doubles) each
            // share first copies its rows of Â out contiguously, so the tiles'
            // broadcasts read consecutive addresses (isolated Xᵀ·δ of 256 × 256 × 32:
            // 27.3 against 21.8 GFLOP/s). The copy is exact: the same sums.
            guard let scratch, rows.count > 6 else {
                blocked(m: rows.count, n: n, k: k, a + rows.lowerBound, rowStride: 1, depthStride: m, b,
                        into: c + rows.lowerBound * n, accumulate: accumulate, registers: registers)
                return
            }
            let t = scratch + rows.lowerBound * k
            for p in 0..<k {
                let src = a + p * m + rows.lowerBound
                var dst = t + p
                for i in 0..<rows.count { dst.pointee = src[i]; dst += k }
            }
            if let indices, !accumulate, k >= 8, n >= 32, rows.count <= 512 {   // (a C that may hold −0 stays dense; narrow C gains nothing)
                // Compact each row of Â to its nonzero terms in place (values in t,
                // their p in `indices`), when at most 3/4 of the terms survive.
                var kept = 0
                for e in 0..<(rows.count * k) { kept &+= isNonzero(t[e]) }
                if kept * 4 <= rows.count * k * 3 {
                    compactedProduct(m: rows.count, n: n, k: k, values: t, indices: indices + rows.lowerBound * k, b, into: c + rows.lowerBound * n)
                    return
                }
            }
            blocked(m: rows.count, n: n, k: k, UnsafePointer(t), rowStride: k, depthStride: 1, b,
                    into: c + rows.lowerBound * n, accumulate: accumulate, registers: registers)
        }
    }

    /// The one GEMM micro-kernel: C (m, n) (+)= Â · B with Â(i, p) = a[i·rowStride + p·depthStride].
    /// Column panels of B (16 columns wide on a `.wide` register file, 8 on a
    /// `.narrow` one, then 8, 4, 2, 1 for the rest) are outermost; within a panel,
    /// register tiles of rows × the panel's columns of C stay in registers while p
    /// runs over the whole depth (4 rows for 16 columns, 6 for 8 on `.narrow`).
    /// A panel of B is read down a column with the stride of a whole row of B, which
    /// for a power-of-two width (256 doubles: 2 KiB) maps every row onto the same
    /// two L1 sets; so when several row blocks will reuse it (m > 6) and its rows
    /// overflow their sets (`panelConflicts`), it is first copied, a chunk of the
    /// depth at a time, into a contiguous 16 KiB scratch on the stack that stays
    /// in L1 while every row block passes over it.
    /// Every c[i][j] is the sum c + Â(i, 0)·b[0][j] + Â(i, 1)·b[1][j] + … in
    /// ascending p: the same bits as the plain triple loop, whatever the blocking,
    /// packing or register file.
    static func blocked(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, rowStride rs: Int, depthStride ds: Int,
        _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>, accumulate: Bool,
        ldb: Int? = nil, ldc: Int? = nil, registers: RegisterFile = cpuRegisters
    ) {
        // B's and C's row strides: n, or wider when this is a column share of a product.
        let ldb = ldb ?? n, ldc = ldc ?? n
        // Without `accumulate` the tiles start from +0 instead of loading C: the same
        // bits (+0 + x == x for every x, −0 included), without a memset and a reload.
        guard m > 6 && k > 0 && panelConflicts(rows: k, rowBytes: ldb * 8) else {
            columnPanels(m: m, n: n, k: k, a, rs, ds, b, ldb: ldb, into: c, ldc: ldc, fromZero: !accumulate, registers: registers)
            return
        }
        // Packed: per panel of `width` columns, chunks of the depth of at most
        // `packedDoubles / width` rows of B, each copied into the scratch and run
        // over every row block. A later chunk's tiles load C and go on adding in
        // ascending p: a stored Double is the accumulator's exact value, so the
        // chunked sum has the bits of the unchunked one.
        var scratch = InlineArray<2048, Double>(repeating: 0)
        var span = scratch.mutableSpan
        span.withUnsafeMutableBufferPointer { buffer in
            let packed = buffer.baseAddress!
            /// Columns j..<j+width of B, a chunk of the depth at a time, copied into
            /// the scratch (SIMD moves: a memmove call per row cost 8% of a run).
            func run(_ j: Int, width: Int) {
                let depth = Self.packedDoubles / width
                var p0 = 0
                while p0 < k {
                    let chunk = min(depth, k - p0)
                    var src = UnsafeRawPointer(b + p0 * ldb + j), dst = UnsafeMutableRawPointer(packed)
                    let step = ldb * 8
                    for _ in 0..<chunk {
                        switch width {
                        case 16:
                            dst.storeBytes(of: src.loadUnaligned(as: SIMD8<Double>.self), as: SIMD8<Double>.self)
                            dst.storeBytes(of: src.loadUnaligned(fromByteOffset: 64, as: SIMD8<Double>.self), toByteOffset: 64, as: SIMD8<Double>.self)
                        case 8: dst.storeBytes(of: src.loadUnaligned(as: SIMD8<Double>.self), as: SIMD8<Double>.self)
                        case 4: dst.storeBytes(of: src.loadUnaligned(as: SIMD4<Double>.self), as: SIMD4<Double>.self)
                        default: dst.storeBytes(of: src.loadUnaligned(as: SIMD2<Double>.self), as: SIMD2<Double>.self)
                        }
                        src += step; dst += width * 8
                    }
                    columnPanels(m: m, n: width, k: chunk, a + p0 * ds, rs, ds, UnsafePointer(packed), ldb: width,
                                 into: c + j, ldc: ldc, fromZero: !accumulate && p0 == 0, registers: registers)
                    p0 += chunk
                }
            }
            let width = registers == .wide ? 16 : 8
            var j = 0
            while j + width <= n { run(j, width: width); j += width }
            if j + 8 <= n { run(j, width: 8); j += 8 }
            if j + 4 <= n { run(j, width: 4); j += 4 }
            if j + 2 <= n { run(j, width: 2); j += 2 }
            if j < n {
                columnPanels(m: m, n: n - j, k: k, a, rs, ds, b + j, ldb: ldb, into: c + j, ldc: ldc, fromZero: !accumulate, registers: registers)
            }
        }
    }

    /// Whether a column panel of `rows` rows, `rowBytes` apart, overflows the L1
    /// sets its rows map to (64 sets of 64 B lines: Zen 3's 32 KiB has 8 ways,
    /// Zen 5's and Sapphire Rapids' 48 KiB 12): a row stride that is a multiple of 64·2ʲ bytes reaches
    /// only 64 / 2ʲ sets, 8 lines each. Only then does packing pay for its copy
    /// (64-32-10's 256-byte rows reach 16 sets, room for 128 rows: packing them
    /// cost 20% of that shape's run).
    static func panelConflicts(rows: Int, rowBytes: Int) -> Bool {
        guard rowBytes % 64 == 0 else { return false }
        var lines = rowBytes / 64, sets = 64
        while lines % 2 == 0 && sets > 1 { lines /= 2; sets /= 2 }
        // Half the ways for the panel: A's rows and C pass through the same sets.
        return rows > sets * 4
    }

    /// The scratch of one packed panel chunk: 16 KiB, in an `InlineArray` on the
    /// stack (the stdlib's temporary allocation takes the heap above 1 KiB).
    static let packedDoubles = 2048

    /// The tiles over C (m, n) = Â · B (+ C unless `fromZero`) for B with row
    /// stride `ldb` and C with row stride `ldc`, unpacked: column panels outermost.
    @inline(__always)
    static func columnPanels(
        m: Int, n: Int, k: Int, _ a: UnsafePointer<Double>, _ rs: Int, _ ds: Int,
        _ b: UnsafePointer<Double>, ldb: Int, into c: UnsafeMutablePointer<Double>, ldc: Int,
        fromZero: Bool, registers: RegisterFile
    ) {
        func panel<V: SIMD>(_ v: V.Type, double: Bool, _ j: Int) where V.Scalar == Double {
            var i = 0
            while i < m {
                tile(v, double: double, rows: min(4, m - i), i: i, j: j, n: ldc, k: k, a, rs, ds, b + j, ldb, c, fromZero: fromZero)
                i += 4
            }
        }
        // 16 registers: 8-column panels in tiles of 6 rows (12 accumulators, 2 for
        // B and 1 broadcast), a last block of 1–4 rows in the 4-row tile.
        func tallPanel(_ j: Int) {
            var i = 0
            while i < m {
                let left = m - i
                if left > 4 {
                    tall(rows: min(6, left), i: i, j: j, n: ldc, k: k, a, rs, ds, b + j, ldb, c, fromZero: fromZero)
                    i += 6
                } else {
                    tile(SIMD8<Double>.self, double: false, rows: left, i: i, j: j, n: ldc, k: k, a, rs, ds, b + j, ldb, c, fromZero: fromZero)
                    i += 4
                }
            }
        }
        var j = 0
        if registers == .wide {
            while j + 16 <= n { panel(SIMD8<Double>.self, double: true, j); j += 16 }
        } else {
            while j + 8 <= n { tallPanel(j); j += 8 }
        }
        if j + 8 <= n { panel(SIMD8<Double>.self, double: false, j); j += 8 }
        if j + 4 <= n { panel(SIMD4<Double>.self, double: false, j); j += 4 }
        if j + 2 <= n { panel(SIMD2<Double>.self, double: false, j); j += 2 }
        if j < n {
            var i = 0
            while i < m { scalarColumn(rows: min(4, m - i), i: i, j: j, n: ldc, ldb: ldb, k: k, a, rs, ds, b, c, fromZero: fromZero); i += 4 }
        }
    }

    /// One register tile: rows i..<i+rows (≤ 4) × one or two V-wide column blocks
    /// at j of C, from the panel of B at `bp` (row stride `bs`). Rows past the end
    /// repeat the last row's pointers (computed, never stored).
    @inline(__always)
    static func tile<V: SIMD>(
        _: V.Type, double: Bool, rows: Int, i: Int, j: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ rs: Int, _ ds: Int, _ bp: UnsafePointer<Double>, _ bs: Int, _ c: UnsafeMutablePointer<Double>,
        fromZero: Bool
    ) where V.Scalar == Double {
        let w = V.scalarCount
        let r1 = rows > 1 ? 1 : 0, r2 = rows > 2 ? 2 : r1, r3 = rows > 3 ? 3 : r2
        let a0 = a + i &* rs, a1 = a + (i &+ r1) &* rs, a2 = a + (i &+ r2) &* rs, a3 = a + (i &+ r3) &* rs
        let c0 = UnsafeMutableRawPointer(c + (i &* n &+ j)), c1 = UnsafeMutableRawPointer(c + ((i &+ r1) &* n &+ j))
        let c2 = UnsafeMutableRawPointer(c + ((i &+ r2) &* n &+ j)), c3 = UnsafeMutableRawPointer(c + ((i &+ r3) &* n &+ j))
        let hi = double ? w &* 8 : 0
        var x0 = V(), y0 = V(), x1 = V(), y1 = V(), x2 = V(), y2 = V(), x3 = V(), y3 = V()
        if !fromZero {
            x0 = c0.loadUnaligned(as: V.self); y0 = c0.loadUnaligned(fromByteOffset: hi, as: V.self)
            x1 = c1.loadUnaligned(as: V.self); y1 = c1.loadUnaligned(fromByteOffset: hi, as: V.self)
            x2 = c2.loadUnaligned(as: V.self); y2 = c2.loadUnaligned(fromByteOffset: hi, as: V.self)
            x3 = c3.loadUnaligned(as: V.self); y3 = c3.loadUnaligned(fromByteOffset: hi, as: V.self)
        }
        var brow = UnsafeRawPointer(bp)
        let bstep = bs &* 8
        var pa = 0
        let end = k &* ds
        if double {
            while pa != end {
                let b0 = brow.loadUnaligned(as: V.self), b1 = brow.loadUnaligned(fromByteOffset: hi, as: V.self)
                let s0 = V(repeating: a0[pa]), s1 = V(repeating: a1[pa]), s2 = V(repeating: a2[pa]), s3 = V(repeating: a3[pa])
                x0 = x0 + s0 * b0; y0 = y0 + s0 * b1
                x1 = x1 + s1 * b0; y1 = y1 + s1 * b1
                x2 = x2 + s2 * b0; y2 = y2 + s2 * b1
                x3 = x3 + s3 * b0; y3 = y3 + s3 * b1
                brow += bstep
                pa &+= ds
            }
        } else {
            while pa != end {
                let b0 = brow.loadUnaligned(as: V.self)
                x0 = x0 + V(repeating: a0[pa]) * b0
                x1 = x1 + V(repeating: a1[pa]) * b0
                x2 = x2 + V(repeating: a2[pa]) * b0
                x3 = x3 + V(repeating: a3[pa]) * b0
                brow += bstep
                pa &+= ds
            }
        }
        // Only the `rows` real rows are stored; the clamped repeats are dropped.
        if rows > 3 { c3.storeBytes(of: x3, as: V.self); if double { c3.storeBytes(of: y3, toByteOffset: hi, as: V.self) } }
        if rows > 2 { c2.storeBytes(of: x2, as: V.self); if double { c2.storeBytes(of: y2, toByteOffset: hi, as: V.self) } }
        if rows > 1 { c1.storeBytes(of: x1, as: V.self); if double { c1.storeBytes(of: y1, toByteOffset: hi, as: V.self) } }
        c0.storeBytes(of: x0, as: V.self)
        if double { c0.storeBytes(of: y0, toByteOffset: hi, as: V.self) }
    }

    /// The 16-register tile: rows i..<i+rows (≤ 6) × 8 columns at j of C, from the
    /// panel of B at `bp` (row stride `bs`), one SIMD8 accumulator per row. Rows past the end repeat the last row (computed, never stored).
    @inline(__always)
    static func tall(
        rows: Int, i: Int, j: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ rs: Int, _ ds: Int, _ bp: UnsafePointer<Double>, _ bs: Int, _ c: UnsafeMutablePointer<Double>,
        fromZero: Bool
    ) {
        typealias V = SIMD8<Double>
        let r1 = rows > 1 ? 1 : 0, r2 = rows > 2 ? 2 : r1, r3 = rows > 3 ? 3 : r2, r4 = rows > 4 ? 4 : r3, r5 = rows > 5 ? 5 : r4
        let a0 = a + i &* rs, a1 = a + (i &+ r1) &* rs, a2 = a + (i &+ r2) &* rs
        let a3 = a + (i &+ r3) &* rs, a4 = a + (i &+ r4) &* rs, a5 = a + (i &+ r5) &* rs
        func row(_ r: Int) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(c + ((i &+ r) &* n &+ j)) }
        let c0 = row(0), c1 = row(r1), c2 = row(r2), c3 = row(r3), c4 = row(r4), c5 = row(r5)
        var x0 = V(), x1 = V(), x2 = V(), x3 = V(), x4 = V(), x5 = V()
        if !fromZero {
            x0 = c0.loadUnaligned(as: V.self); x1 = c1.loadUnaligned(as: V.self); x2 = c2.loadUnaligned(as: V.self)
            x3 = c3.loadUnaligned(as: V.self); x4 = c4.loadUnaligned(as: V.self); x5 = c5.loadUnaligned(as: V.self)
        }
        var brow = UnsafeRawPointer(bp)
        let bstep = bs &* 8
        var pa = 0
        let end = k &* ds
        while pa != end {
            let b0 = brow.loadUnaligned(as: V.self)
            x0 = x0 + V(repeating: a0[pa]) * b0
            x1 = x1 + V(repeating: a1[pa]) * b0
            x2 = x2 + V(repeating: a2[pa]) * b0
            x3 = x3 + V(repeating: a3[pa]) * b0
            x4 = x4 + V(repeating: a4[pa]) * b0
            x5 = x5 + V(repeating: a5[pa]) * b0
            brow += bstep
            pa &+= ds
        }
        if rows > 5 { c5.storeBytes(of: x5, as: V.self) }
        if rows > 4 { c4.storeBytes(of: x4, as: V.self) }
        if rows > 3 { c3.storeBytes(of: x3, as: V.self) }
        if rows > 2 { c2.storeBytes(of: x2, as: V.self) }
        if rows > 1 { c1.storeBytes(of: x1, as: V.self) }
        c0.storeBytes(of: x0, as: V.self)
    }

    /// The last odd column of a 4-row block: four independent scalar chains.
    @inline(__always)
    static func scalarColumn(
        rows: Int, i: Int, j: Int, n: Int, ldb: Int, k: Int,
        _ a: UnsafePointer<Double>, _ rs: Int, _ ds: Int, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
        fromZero: Bool
    ) {
        let r1 = rows > 1 ? 1 : 0, r2 = rows > 2 ? 2 : r1, r3 = rows > 3 ? 3 : r2
        let a0 = a + i &* rs, a1 = a + (i &+ r1) &* rs, a2 = a + (i &+ r2) &* rs, a3 = a + (i &+ r3) &* rs
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        if !fromZero { s0 = c[i &* n &+ j]; s1 = c[(i &+ r1) &* n &+ j]; s2 = c[(i &+ r2) &* n &+ j]; s3 = c[(i &+ r3) &* n &+ j] }
        var pb = j, pa = 0
        for _ in 0..<k {
            let bv = b[pb]
            s0 = s0 + a0[pa] * bv; s1 = s1 + a1[pa] * bv; s2 = s2 + a2[pa] * bv; s3 = s3 + a3[pa] * bv
            pb &+= ldb
            pa &+= ds
        }
        c[(i &+ r3) &* n &+ j] = s3; c[(i &+ r2) &* n &+ j] = s2; c[(i &+ r1) &* n &+ j] = s1; c[i &* n &+ j] = s0
    }

    /// `C (m, n) = A (m, k) · Bᵀ` where B is (n, k): dot products of rows, both
    /// contiguous. Blocks of 4 × 4 outputs keep 16 SIMD8 partial sums in registers;
    /// each output's sum is: eight lane sums over p ascending in steps of 8, reduced in
    /// the fixed order of `horizontalSum`, then the scalar tail in ascending p.
    static func multiplyTransposedB(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        threads: TrainingThreads? = nil, registers: RegisterFile = cpuRegisters
    ) {
        sharingColumns(n: n, work: m * n * k, unit: registers == .wide ? 4 : 3, threads: threads) { columns in
            dotRows(m: m, n: columns.count, k: k, a, b + columns.lowerBound * k, into: c + columns.lowerBound, ldc: n, registers: registers)
        }
    }

    /// The dot-product kernel behind `multiplyTransposedB`. Blocks of outputs share
    /// their loads: 4 rows of A × 4 rows of B (16 SIMD8 sums) on a `.wide` register
    /// file, 2 × 3 (6 sums in 12 of the 16 ymm registers) on a `.narrow` one, one
    /// output at a time for the rest. Blocks of B's rows are outermost, so a block
    /// stays in L1 while A (the batch's δ, the smaller operand) passes over it.
    /// Every output is the same sum, whichever block computes it.
    static func dotRows(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        ldc: Int? = nil, registers: RegisterFile = cpuRegisters
    ) {
        typealias V = SIMD8<Double>
        let ldc = ldc ?? n
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        let body = k / 8 * 8
        @inline(__always) func load(_ raw: UnsafeRawPointer, row: Int, _ o: Int) -> V {
            raw.loadUnaligned(fromByteOffset: row &* k &* 8 &+ o, as: V.self)
        }
        func tail(_ i: Int, _ j: Int) -> Double {
            var s = 0.0
            var p = body
            while p < k { s = s + a[i &* k &+ p] * b[j &* k &+ p]; p &+= 1 }
            return s
        }
        @inline(__always) func put(_ i: Int, _ j: Int, _ v: V) { c[i &* ldc &+ j] = horizontalSum(v) + tail(i, j) }
        /// Outputs i..<i+ri × j..<j+rj one at a time.
        func single(_ i: Int, _ ri: Int, _ j: Int, _ rj: Int) {
            for r in i..<(i + ri) {
                for q in j..<(j + rj) {
                    var v = V()
                    var o = 0
                    while o < body &* 8 { v = v + load(ra, row: r, o) * load(rb, row: q, o); o &+= 64 }
                    put(r, q, v)
                }
            }
        }
        func wide(_ i: Int, _ j: Int) {
            var acc = (V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V())
            var o = 0
            while o < body &* 8 {
                let a0 = load(ra, row: i, o), a1 = load(ra, row: i &+ 1, o), a2 = load(ra, row: i &+ 2, o), a3 = load(ra, row: i &+ 3, o)
                let b0 = load(rb, row: j, o), b1 = load(rb, row: j &+ 1, o), b2 = load(rb, row: j &+ 2, o), b3 = load(rb, row: j &+ 3, o)
                acc.0 = acc.0 + a0 * b0; acc.1 = acc.1 + a0 * b1; acc.2 = acc.2 + a0 * b2; acc.3 = acc.3 + a0 * b3
                acc.4 = acc.4 + a1 * b0; acc.5 = acc.5 + a1 * b1; acc.6 = acc.6 + a1 * b2; acc.7 = acc.7 + a1 * b3
                acc.8 = acc.8 + a2 * b0; acc.9 = acc.9 + a2 * b1; acc.10 = acc.10 + a2 * b2; acc.11 = acc.11 + a2 * b3
                acc.12 = acc.12 + a3 * b0; acc.13 = acc.13 + a3 * b1; acc.14 = acc.14 + a3 * b2; acc.15 = acc.15 + a3 * b3
                o &+= 64
            }
            put(i, j, acc.0); put(i, j &+ 1, acc.1); put(i, j &+ 2, acc.2); put(i, j &+ 3, acc.3)
            put(i &+ 1, j, acc.4); put(i &+ 1, j &+ 1, acc.5); put(i &+ 1, j &+ 2, acc.6); put(i &+ 1, j &+ 3, acc.7)
            put(i &+ 2, j, acc.8); put(i &+ 2, j &+ 1, acc.9); put(i &+ 2, j &+ 2, acc.10); put(i &+ 2, j &+ 3, acc.11)
            put(i &+ 3, j, acc.12); put(i &+ 3, j &+ 1, acc.13); put(i &+ 3, j &+ 2, acc.14); put(i &+ 3, j &+ 3, acc.15)
        }
        // Each SIMD8 sum as two SIMD4 halves (the same lanes, so the same bits), in
        // the order that needs 12 accumulators + 2 loaded halves of A + 1 product:
        // 15 of the 16 ymm registers, where SIMD8 operands spilled.
        func narrow(_ i: Int, _ j: Int) {
            typealias H = SIMD4<Double>
            var l00 = H(), l01 = H(), l02 = H(), l10 = H(), l11 = H(), l12 = H()
            var h00 = H(), h01 = H(), h02 = H(), h10 = H(), h11 = H(), h12 = H()
            let a0 = ra + i &* k &* 8, a1 = ra + (i &+ 1) &* k &* 8
            let b0 = rb + j &* k &* 8, b1 = rb + (j &+ 1) &* k &* 8, b2 = rb + (j &+ 2) &* k &* 8
            var o = 0
            while o < body &* 8 {
                let x0 = a0.loadUnaligned(fromByteOffset: o, as: H.self), x1 = a1.loadUnaligned(fromByteOffset: o, as: H.self)
                var y = b0.loadUnaligned(fromByteOffset: o, as: H.self)
                l00 = l00 + x0 * y; l10 = l10 + x1 * y
                y = b1.loadUnaligned(fromByteOffset: o, as: H.self)
                l01 = l01 + x0 * y; l11 = l11 + x1 * y
                y = b2.loadUnaligned(fromByteOffset: o, as: H.self)
                l02 = l02 + x0 * y; l12 = l12 + x1 * y
                let z0 = a0.loadUnaligned(fromByteOffset: o &+ 32, as: H.self), z1 = a1.loadUnaligned(fromByteOffset: o &+ 32, as: H.self)
                y = b0.loadUnaligned(fromByteOffset: o &+ 32, as: H.self)
                h00 = h00 + z0 * y; h10 = h10 + z1 * y
                y = b1.loadUnaligned(fromByteOffset: o &+ 32, as: H.self)
                h01 = h01 + z0 * y; h11 = h11 + z1 * y
                y = b2.loadUnaligned(fromByteOffset: o &+ 32, as: H.self)
                h02 = h02 + z0 * y; h12 = h12 + z1 * y
                o &+= 64
            }
            put(i, j, V(lowHalf: l00, highHalf: h00)); put(i, j &+ 1, V(lowHalf: l01, highHalf: h01)); put(i, j &+ 2, V(lowHalf: l02, highHalf: h02))
            put(i &+ 1, j, V(lowHalf: l10, highHalf: h10)); put(i &+ 1, j &+ 1, V(lowHalf: l11, highHalf: h11)); put(i &+ 1, j &+ 2, V(lowHalf: l12, highHalf: h12))
        }
        let (ri, rj) = registers == .wide ? (4, 4) : (2, 3)
        var j = 0
        while j < n {
            let cj = min(rj, n - j)
            var i = 0
            while i < m {
                let ci = min(ri, m - i)
                if ci == ri && cj == rj {
                    if registers == .wide { wide(i, j) } else { narrow(i, j) }
                } else {
                    single(i, ci, j, cj)
                }
                i += ri
            }
            j += rj
        }
    }

    /// The one fixed-order horizontal sum: ((v0+v4)+(v2+v6)) + ((v1+v5)+(v3+v7)).
    @inline(__always)
    static func horizontalSum(_ v: SIMD8<Double>) -> Double {
        let h4 = v.lowHalf + v.highHalf
        let h2 = h4.lowHalf + h4.highHalf
        return h2[0] + h2[1]
    }

    /// Copies rows `order[0..<m]` of `source (·, n)` into `into (m, n)`, in order:
    /// a training batch from the epoch's visiting order. (Element by element through
    /// the arrays, each store checked uniqueness: 9% of a 64-32-10 run.)
    static func gatherRows(
        _ order: UnsafeBufferPointer<Int>, n: Int, from source: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>
    ) {
        for (r, row) in order.enumerated() { (c + r &* n).update(from: source + row &* n, count: n) }
    }

    /// Adds `bias (n)` to every row of `c (m, n)`.
    static func addRowVector(m: Int, n: Int, _ bias: UnsafePointer<Double>, to c: UnsafeMutablePointer<Double>) {
        for i in 0..<m { axpy(n, 1, bias, c + i * n) }
    }

    /// `out (n) = Σ_rows c (m, n)`.
    static func sumRows(m: Int, n: Int, _ c: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        out.update(repeating: 0, count: n)
        for i in 0..<m { axpy(n, 1, c + i * n, out) }
    }
}
