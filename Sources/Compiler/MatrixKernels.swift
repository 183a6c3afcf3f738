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
        if !accumulate { c.update(repeating: 0, count: m * n) }
        for i in 0..<m {
            let ci = c + i * n, ai = a + i * k
            for p in 0..<k {
                let s = ai[p]
                if s != 0 { axpy(n, s, b + p * n, ci) }
            }
        }
    }

    /// `C (m, n) = Aᵀ · B` where A is (k, m) and B is (k, n), plus C when `accumulate`.
    static func multiplyTransposedA(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>,
        accumulate: Bool = false
    ) {
        if !accumulate { c.update(repeating: 0, count: m * n) }
        for p in 0..<k {
            let ap = a + p * m, bp = b + p * n
            for i in 0..<m {
                let s = ap[i]
                if s != 0 { axpy(n, s, bp, c + i * n) }
            }
        }
    }

    /// `C (m, n) = A (m, k) · Bᵀ` where B is (n, k).
    static func multiplyTransposedB(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>
    ) {
        for i in 0..<m {
            let ai = UnsafeRawPointer(a + i * k)
            for j in 0..<n {
                let bj = UnsafeRawPointer(b + j * k)
                var acc = SIMD8<Double>()
                var p = 0
                while p + 8 <= k {
                    acc += ai.loadUnaligned(fromByteOffset: p * 8, as: SIMD8<Double>.self)
                        * bj.loadUnaligned(fromByteOffset: p * 8, as: SIMD8<Double>.self)
                    p += 8
                }
                // Fixed-order horizontal sum, then the scalar tail.
                let h4 = acc.lowHalf + acc.highHalf
                let h2 = h4.lowHalf + h4.highHalf
                var sum = h2[0] + h2[1]
                while p < k { sum += a[i * k + p] * b[j * k + p]; p += 1 }
                c[i * n + j] = sum
            }
        }
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
