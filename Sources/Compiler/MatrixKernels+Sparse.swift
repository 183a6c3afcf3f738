/// The training products whose A is a ReLU layer's output: about half its entries
/// are ±0, and those terms are skipped with the bits unchanged (see `sparseProduct`).
/// `MatrixKernels.multiply` and `multiplyTransposedA` choose them; pointer arithmetic,
/// like the rest of MatrixKernels. Nothing here allocates.
extension MatrixKernels {
    /// Compacts each row of Â (m, k, row-major at `values`) in place to its nonzero
    /// terms: row i's values stay at values[i·k…], their p go to indices[i·k…]
    /// (ascending), and its count to counts[i]. Returns how many terms survived.
    @discardableResult
    static func compactRows(
        m: Int, k: Int, values: UnsafeMutablePointer<Double>, indices: UnsafeMutablePointer<Int32>,
        counts: UnsafeMutablePointer<Int32>
    ) -> Int {
        var total = 0
        for i in 0..<m {
            let row = values + i &* k, ix = indices + i &* k
            var q = 0
            // Branch-free: half the terms are zeros in no order a predictor could learn.
            for p in 0..<k {
                let v = row[p]
                row[q] = v; ix[q] = Int32(truncatingIfNeeded: p)
                q &+= isNonzero(v)
            }
            counts[i] = Int32(truncatingIfNeeded: q)
            total &+= q
        }
        return total
    }

    /// C (m, n) = Â · B from +0 (B and C n doubles a row, m ≤ 512): compacts Â's rows
    /// in place (`compactRows`), then `sparseProduct`. The one sparse step of both
    /// `multiply` and `multiplyTransposedA`.
    static func compactedProduct(
        m: Int, n: Int, k: Int, values: UnsafeMutablePointer<Double>, indices: UnsafeMutablePointer<Int32>,
        _ b: UnsafePointer<Double>, into c: UnsafeMutablePointer<Double>
    ) {
        var counts = InlineArray<512, Int32>(repeating: 0)
        var span = counts.mutableSpan
        span.withUnsafeMutableBufferPointer { cp in
            compactRows(m: m, k: k, values: values, indices: indices, counts: cp.baseAddress!)
            sparseProduct(m: m, n: n, k: k, values: values, indices: indices, counts: cp.baseAddress!, b, ldb: n, into: c, ldc: n, accumulate: false)
        }
    }

    /// C (m, n) (+)= Â · B for rows of Â compacted by `compactRows` (B's rows ldb
    /// apart, C's ldc). Strips of 32 columns of C (four SIMD8 sums in registers)
    /// run over each row's terms; for each strip, B is packed a chunk of 64 of its
    /// rows at a time (16 KiB, in L1 while all m rows pass over it), and a later
    /// chunk's sums load C and go on adding. Then strips of 8, then single columns.
    /// Same bits as the dense product when C starts from +0 (`accumulate` false):
    /// every c[i][j] adds Â(i, p)·b[p][j] in ascending p; a skipped term is ±0 (for
    /// a finite b[p][j]), and adding ±0 to a sum that started from +0 never changes
    /// it, since such a sum is never −0 (x + (−x) is +0 when rounding to nearest).
    /// A stored Double is the running sum's exact value, so chunks change nothing.
    /// Only a non-finite B could tell the difference (0·∞ is NaN), and a step whose
    /// gradients or outputs are not finite has a non-finite loss, which ends the run.
    static func sparseProduct(
        m: Int, n: Int, k: Int, values: UnsafePointer<Double>, indices: UnsafePointer<Int32>, counts: UnsafePointer<Int32>,
        _ b: UnsafePointer<Double>, ldb: Int, into c: UnsafeMutablePointer<Double>, ldc: Int, accumulate: Bool
    ) {
        typealias V = SIMD8<Double>
        let rb = UnsafeRawPointer(b)
        let chunkRows = 64
        var j = 0
        var packed = InlineArray<2048, Double>(repeating: 0)
        var cursors = InlineArray<512, Int32>(repeating: 0)
        var packedSpan = packed.mutableSpan, cursorSpan = cursors.mutableSpan
        packedSpan.withUnsafeMutableBufferPointer { buffer in
          cursorSpan.withUnsafeMutableBufferPointer { cursorBuffer in
            let strip = UnsafeMutableRawPointer(buffer.baseAddress!), cursor = cursorBuffer.baseAddress!
            while j + 32 <= n && m <= 512 {
                for i in 0..<m { cursor[i] = 0 }
                var p0 = 0
                while p0 < k {
                    let chunk = min(chunkRows, k - p0)
                    for p in 0..<chunk {
                        let from = rb + ((p0 &+ p) &* ldb &+ j) &* 8, to = strip + p &* 256
                        to.storeBytes(of: from.loadUnaligned(as: V.self), as: V.self)
                        to.storeBytes(of: from.loadUnaligned(fromByteOffset: 64, as: V.self), toByteOffset: 64, as: V.self)
                        to.storeBytes(of: from.loadUnaligned(fromByteOffset: 128, as: V.self), toByteOffset: 128, as: V.self)
                        to.storeBytes(of: from.loadUnaligned(fromByteOffset: 192, as: V.self), toByteOffset: 192, as: V.self)
                    }
                    let end = Int32(truncatingIfNeeded: p0 &+ chunk)
                    let fromZero = !accumulate && p0 == 0
                    let base = UnsafeRawPointer(strip) - p0 &* 256
                    for i in 0..<m {
                        let row = values + i &* k, ix = indices + i &* k
                        let out = UnsafeMutableRawPointer(c + (i &* ldc &+ j))
                        var x0 = V(), x1 = V(), x2 = V(), x3 = V()
                        if !fromZero {
                            x0 = out.loadUnaligned(as: V.self); x1 = out.loadUnaligned(fromByteOffset: 64, as: V.self)
                            x2 = out.loadUnaligned(fromByteOffset: 128, as: V.self); x3 = out.loadUnaligned(fromByteOffset: 192, as: V.self)
                        }
                        var q = Int(cursor[i])
                        let count = Int(counts[i])
                        while q < count && ix[q] < end {
                            let s = V(repeating: row[q])
                            let bp = base + Int(ix[q]) &* 256
                            x0 = x0 + s * bp.loadUnaligned(as: V.self)
                            x1 = x1 + s * bp.loadUnaligned(fromByteOffset: 64, as: V.self)
                            x2 = x2 + s * bp.loadUnaligned(fromByteOffset: 128, as: V.self)
                            x3 = x3 + s * bp.loadUnaligned(fromByteOffset: 192, as: V.self)
                            q &+= 1
                        }
                        cursor[i] = Int32(truncatingIfNeeded: q)
                        out.storeBytes(of: x0, as: V.self); out.storeBytes(of: x1, toByteOffset: 64, as: V.self)
                        out.storeBytes(of: x2, toByteOffset: 128, as: V.self); out.storeBytes(of: x3, toByteOffset: 192, as: V.self)
                    }
                    p0 &+= chunk
                }
                j &+= 32
            }
          }
        }
        while j + 8 <= n {
            for i in 0..<m {
                let row = values + i &* k, ix = indices + i &* k
                let out = UnsafeMutableRawPointer(c + (i &* ldc &+ j))
                var x0 = accumulate ? out.loadUnaligned(as: V.self) : V()
                let column = rb + j &* 8
                for q in 0..<Int(counts[i]) { x0 = x0 + V(repeating: row[q]) * (column + Int(ix[q]) &* ldb &* 8).loadUnaligned(as: V.self) }
                out.storeBytes(of: x0, as: V.self)
            }
            j &+= 8
        }
        while j < n {
            for i in 0..<m {
                let row = values + i &* k, ix = indices + i &* k
                var x = accumulate ? c[i &* ldc &+ j] : 0
                for q in 0..<Int(counts[i]) { x = x + row[q] * b[Int(ix[q]) &* ldb &+ j] }
                c[i &* ldc &+ j] = x
            }
            j &+= 1
        }
    }

    /// 1 when `v` is neither +0 nor −0, else 0, without a branch (a Double compare
    /// compiles to two jumps, for NaN; half of a ReLU output's entries are zeros in
    /// no order a predictor could learn).
    @inline(__always)
    static func isNonzero(_ v: Double) -> Int {
        let x = v.bitPattern &<< 1
        return Int(truncatingIfNeeded: (x | (0 &- x)) >> 63)
    }
}
