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

    /// `C (m, n) = A (m, k) · B (k, n)`, plus C when `accumulate`.
    static func multiply(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        accumulate: Bool = false
    ) {
        blocked(m: m, n: n, k: k, a, rowStride: k, depthStride: 1, b, into: c, accumulate: accumulate)
    }

    /// `C (m, n) = Aᵀ · B` where A is (k, m) and B is (k, n), plus C when `accumulate`.
    static func multiplyTransposedA(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        accumulate: Bool = false
    ) {
        blocked(m: m, n: n, k: k, a, rowStride: 1, depthStride: m, b, into: c, accumulate: accumulate)
    }

    /// The one GEMM micro-kernel: C (m, n) (+)= Â · B with Â(i, p) = a[i·rowStride + p·depthStride].
    /// A 4-row × 16-column block of C stays in registers while p runs over the whole
    /// depth, so B is read once per 4 rows and C once in all. Every c[i][j] is the sum
    /// c + Â(i, 0)·b[0][j] + Â(i, 1)·b[1][j] + … in ascending p: the same bits as the
    /// plain triple loop, whatever the blocking.
    static func blocked(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, rowStride rs: Int, depthStride ds: Int,
        _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>, accumulate: Bool
    ) {
        typealias V = SIMD8<Double>
        if !accumulate { c.update(repeating: 0, count: m * n) }
        let rb = UnsafeRawPointer(b), rc = UnsafeMutableRawPointer(c)
        var i = 0
        while i < m {
            let rowsHere = min(4, m - i)
            let a0 = a + i * rs
            let a1 = a + min(i + 1, m - 1) * rs, a2 = a + min(i + 2, m - 1) * rs, a3 = a + min(i + 3, m - 1) * rs
            var j = 0
            while j + 16 <= n {
                func ld(_ r: Int, _ o: Int) -> V { rc.loadUnaligned(fromByteOffset: ((i + r) * n + j + o) * 8, as: V.self) }
                if rowsHere == 4 {
                    var c00 = ld(0, 0), c01 = ld(0, 8), c10 = ld(1, 0), c11 = ld(1, 8)
                    var c20 = ld(2, 0), c21 = ld(2, 8), c30 = ld(3, 0), c31 = ld(3, 8)
                    for p in 0..<k {
                        let b0 = rb.loadUnaligned(fromByteOffset: (p * n + j) * 8, as: V.self)
                        let b1 = rb.loadUnaligned(fromByteOffset: (p * n + j + 8) * 8, as: V.self)
                        let s0 = V(repeating: a0[p * ds]), s1 = V(repeating: a1[p * ds])
                        let s2 = V(repeating: a2[p * ds]), s3 = V(repeating: a3[p * ds])
                        c00 = c00 + s0 * b0; c01 = c01 + s0 * b1
                        c10 = c10 + s1 * b0; c11 = c11 + s1 * b1
                        c20 = c20 + s2 * b0; c21 = c21 + s2 * b1
                        c30 = c30 + s3 * b0; c31 = c31 + s3 * b1
                    }
                    func st(_ r: Int, _ o: Int, _ v: V) { rc.storeBytes(of: v, toByteOffset: ((i + r) * n + j + o) * 8, as: V.self) }
                    st(0, 0, c00); st(0, 8, c01); st(1, 0, c10); st(1, 8, c11)
                    st(2, 0, c20); st(2, 8, c21); st(3, 0, c30); st(3, 8, c31)
                } else {
                    for r in 0..<rowsHere {
                        let ar = a + (i + r) * rs
                        var x = ld(r, 0), y = ld(r, 8)
                        for p in 0..<k {
                            let s = V(repeating: ar[p * ds])
                            x = x + s * rb.loadUnaligned(fromByteOffset: (p * n + j) * 8, as: V.self)
                            y = y + s * rb.loadUnaligned(fromByteOffset: (p * n + j + 8) * 8, as: V.self)
                        }
                        rc.storeBytes(of: x, toByteOffset: ((i + r) * n + j) * 8, as: V.self)
                        rc.storeBytes(of: y, toByteOffset: ((i + r) * n + j + 8) * 8, as: V.self)
                    }
                }
                j += 16
            }
            // Column tail, one element at a time in the same order.
            while j < n {
                for r in 0..<rowsHere {
                    let ar = a + (i + r) * rs
                    var acc = c[(i + r) * n + j]
                    for p in 0..<k { acc = acc + ar[p * ds] * b[p * n + j] }
                    c[(i + r) * n + j] = acc
                }
                j += 1
            }
            i += 4
        }
    }

    /// `C (m, n) = A (m, k) · Bᵀ` where B is (n, k): dot products of rows, both
    /// contiguous. Blocks of 4 × 4 outputs keep 16 SIMD8 partial sums in registers;
    /// each output's sum is: eight lane sums over p ascending in steps of 8, reduced in
    /// the fixed order of `horizontalSum`, then the scalar tail in ascending p.
    static func multiplyTransposedB(
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
