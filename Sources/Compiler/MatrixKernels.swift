/// Float64 matrix products for training, on raw row-major buffers.
///
/// All pointer arithmetic of the training engine lives in this file. Every
/// function has a fixed summation order, so results are bit-identical run to run.
/// Nothing here allocates.
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

    /// `C (m, n) = A (m, k) · B (k, n)`, plus C when `accumulate`.
    static func multiply(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        accumulate: Bool = false, threads: TrainingThreads? = nil
    ) {
        sharingRows(m: m, work: m * n * k, threads: threads) { rows in
            blocked(m: rows.count, n: n, k: k, a + rows.lowerBound * k, rowStride: k, depthStride: 1, b,
                    into: c + rows.lowerBound * n, accumulate: accumulate)
        }
    }

    /// `C (m, n) = Aᵀ · B` where A is (k, m) and B is (k, n), plus C when `accumulate`.
    static func multiplyTransposedA(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        accumulate: Bool = false, threads: TrainingThreads? = nil
    ) {
        sharingRows(m: m, work: m * n * k, threads: threads) { rows in
            blocked(m: rows.count, n: n, k: k, a + rows.lowerBound, rowStride: 1, depthStride: m, b,
                    into: c + rows.lowerBound * n, accumulate: accumulate)
        }
    }

    /// The one GEMM micro-kernel: C (m, n) (+)= Â · B with Â(i, p) = a[i·rowStride + p·depthStride].
    /// Register tiles of 4 rows × (16, 8, 4, 2 or 1) columns of C stay in registers
    /// while p runs over the whole depth, so B is read once per 4 rows and C once in
    /// all; the narrow tiles keep a 10-wide output layer off a scalar add chain.
    /// Every c[i][j] is the sum c + Â(i, 0)·b[0][j] + Â(i, 1)·b[1][j] + … in
    /// ascending p: the same bits as the plain triple loop, whatever the blocking.
    static func blocked(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, rowStride rs: Int, depthStride ds: Int,
        _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>, accumulate: Bool
    ) {
        // Without `accumulate` the tiles start from +0 instead of loading C: the same
        // bits (+0 + x == x for every x, −0 included), without a memset and a reload.
        // Column panels outermost: a panel of B (k × 16 doubles, ≤ 32 KiB for k ≤ 256)
        // stays in L1 while every 4-row block of A passes over it.
        func panel<V: SIMD>(_ v: V.Type, double: Bool, _ j: Int) where V.Scalar == Double {
            var i = 0
            while i < m {
                tile(v, double: double, rows: min(4, m - i), i: i, j: j, n: n, k: k, a, rs, ds, b, c, fromZero: !accumulate)
                i += 4
            }
        }
        var j = 0
        while j + 16 <= n { panel(SIMD8<Double>.self, double: true, j); j += 16 }
        if j + 8 <= n { panel(SIMD8<Double>.self, double: false, j); j += 8 }
        if j + 4 <= n { panel(SIMD4<Double>.self, double: false, j); j += 4 }
        if j + 2 <= n { panel(SIMD2<Double>.self, double: false, j); j += 2 }
        if j < n {
            var i = 0
            while i < m { scalarColumn(rows: min(4, m - i), i: i, j: j, n: n, k: k, a, rs, ds, b, c, fromZero: !accumulate); i += 4 }
        }
    }

    /// One register tile: rows i..<i+rows (≤ 4) × one or two V-wide column blocks
    /// at j. Rows past the end repeat the last row's pointers (computed, never stored).
    @inline(__always)
    static func tile<V: SIMD>(
        _: V.Type, double: Bool, rows: Int, i: Int, j: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ rs: Int, _ ds: Int, _ b: UnsafePointer<Double>, _ c: UnsafeMutablePointer<Double>,
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
        var brow = UnsafeRawPointer(b + j)
        let bstep = n &* 8
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

    /// The last odd column of a 4-row block: four independent scalar chains.
    @inline(__always)
    static func scalarColumn(
        rows: Int, i: Int, j: Int, n: Int, k: Int,
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
            pb &+= n
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
        threads: TrainingThreads? = nil
    ) {
        sharingRows(m: m, work: m * n * k, threads: threads) { rows in
            dotRows(m: rows.count, n: n, k: k, a + rows.lowerBound * k, b, into: c + rows.lowerBound * n)
        }
    }

    static func dotRows(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>
    ) {
        typealias V = SIMD8<Double>
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        let body = k / 8 * 8
        func tail(_ i: Int, _ j: Int) -> Double {
            var s = 0.0
            var p = body
            while p < k { s = s + a[i &* k &+ p] * b[j &* k &+ p]; p &+= 1 }
            return s
        }
        var i = 0
        while i < m {
            let ri = min(4, m - i)
            var j = 0
            while j < n {
                let rj = min(4, n - j)
                if ri == 4 && rj == 4 {
                    var acc = (V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V(), V())
                    var p = 0
                    while p < body {
                        let o = p &* 8
                        let a0 = ra.loadUnaligned(fromByteOffset: i &* k &* 8 &+ o, as: V.self)
                        let a1 = ra.loadUnaligned(fromByteOffset: (i &+ 1) &* k &* 8 &+ o, as: V.self)
                        let a2 = ra.loadUnaligned(fromByteOffset: (i &+ 2) &* k &* 8 &+ o, as: V.self)
                        let a3 = ra.loadUnaligned(fromByteOffset: (i &+ 3) &* k &* 8 &+ o, as: V.self)
                        let b0 = rb.loadUnaligned(fromByteOffset: j &* k &* 8 &+ o, as: V.self)
                        let b1 = rb.loadUnaligned(fromByteOffset: (j &+ 1) &* k &* 8 &+ o, as: V.self)
                        let b2 = rb.loadUnaligned(fromByteOffset: (j &+ 2) &* k &* 8 &+ o, as: V.self)
                        let b3 = rb.loadUnaligned(fromByteOffset: (j &+ 3) &* k &* 8 &+ o, as: V.self)
                        acc.0 = acc.0 + a0 * b0; acc.1 = acc.1 + a0 * b1; acc.2 = acc.2 + a0 * b2; acc.3 = acc.3 + a0 * b3
                        acc.4 = acc.4 + a1 * b0; acc.5 = acc.5 + a1 * b1; acc.6 = acc.6 + a1 * b2; acc.7 = acc.7 + a1 * b3
                        acc.8 = acc.8 + a2 * b0; acc.9 = acc.9 + a2 * b1; acc.10 = acc.10 + a2 * b2; acc.11 = acc.11 + a2 * b3
                        acc.12 = acc.12 + a3 * b0; acc.13 = acc.13 + a3 * b1; acc.14 = acc.14 + a3 * b2; acc.15 = acc.15 + a3 * b3
                        p &+= 8
                    }
                    func put(_ r: Int, _ q: Int, _ v: V) { c[(i + r) * n + j + q] = horizontalSum(v) + tail(i + r, j + q) }
                    put(0, 0, acc.0); put(0, 1, acc.1); put(0, 2, acc.2); put(0, 3, acc.3)
                    put(1, 0, acc.4); put(1, 1, acc.5); put(1, 2, acc.6); put(1, 3, acc.7)
                    put(2, 0, acc.8); put(2, 1, acc.9); put(2, 2, acc.10); put(2, 3, acc.11)
                    put(3, 0, acc.12); put(3, 1, acc.13); put(3, 2, acc.14); put(3, 3, acc.15)
                } else {
                    for r in 0..<ri {
                        for q in 0..<rj {
                            var v = V()
                            var p = 0
                            while p < body {
                                v = v + ra.loadUnaligned(fromByteOffset: ((i + r) &* k &+ p) &* 8, as: V.self)
                                      * rb.loadUnaligned(fromByteOffset: ((j + q) &* k &+ p) &* 8, as: V.self)
                                p &+= 8
                            }
                            c[(i + r) * n + j + q] = horizontalSum(v) + tail(i + r, j + q)
                        }
                    }
                }
                j += 4
            }
            i += 4
        }
    }

    /// The one fixed-order horizontal sum: ((v0+v4)+(v2+v6)) + ((v1+v5)+(v3+v7)).
    @inline(__always)
    static func horizontalSum(_ v: SIMD8<Double>) -> Double {
        let h4 = v.lowHalf + v.highHalf
        let h2 = h4.lowHalf + h4.highHalf
        return h2[0] + h2[1]
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
