import Testing
@testable import Compiler

/// The training GEMMs against the plain triple loop they promise to equal bit for
/// bit (same ascending-p sum per element), on every tile width and row remainder.
@Suite struct MatrixKernelTests {
    /// Deterministic values with varied exponents, so a changed order changes bits.
    static func values(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) / Double(1 << 53) - 0.5) * Double(1 << Int(state % 7))
        }
    }

    /// Every tile shape and thread split: both register files, one thread and two
    /// (the products from 262 k multiply-adds up are shared, by columns for A·B and
    /// A·Bᵀ, by rows for Aᵀ·B; 200 and 254 columns leave a ragged last share;
    /// a depth of 300 packs B in chunks).
    static let shapes = [(1, 1, 1), (3, 10, 7), (4, 16, 5), (5, 31, 9), (7, 27, 33), (9, 64, 3), (11, 40, 17),
                         (32, 256, 64), (32, 200, 48), (37, 254, 33), (256, 256, 32), (13, 24, 300)]

    @Test(arguments: shapes)
    func blockedProductsEqualTheTripleLoop(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = Self.values(m * k, seed: 1), b = Self.values(k * n, seed: 2), c0 = Self.values(m * n, seed: 3)
        let pool = TrainingThreads(count: 2)
        defer { pool.stop() }
        for (transposed, accumulate, registers, threads) in Self.variants(pool) {
            do {
                // Â(i, p) = a[i·k + p] (plain) or a[p·m + i] (A stored transposed, (k, m)).
                func ahat(_ i: Int, _ p: Int) -> Double { transposed ? a[p * m + i] : a[i * k + p] }
                var expected = accumulate ? c0 : [Double](repeating: 0, count: m * n)
                for i in 0..<m {
                    for j in 0..<n {
                        var acc = expected[i * n + j]
                        for p in 0..<k { acc = acc + ahat(i, p) * b[p * n + j] }
                        expected[i * n + j] = acc
                    }
                }
                var got = c0
                if transposed {
                    // With and without the transposed copy of Â (narrow with, wide without).
                    var scratch = [Double](repeating: .nan, count: m * k)
                    scratch.withUnsafeMutableBufferPointer { t in
                        MatrixKernels.multiplyTransposedA(m: m, n: n, k: k, a, b, into: &got, accumulate: accumulate, threads: threads,
                                                          registers: registers, transposing: registers == .narrow ? t.baseAddress! : nil)
                    }
                } else {
                    MatrixKernels.multiply(m: m, n: n, k: k, a, b, into: &got, accumulate: accumulate, threads: threads, registers: registers)
                }
                #expect(got.map(\.bitPattern) == expected.map(\.bitPattern),
                        "m \(m) n \(n) k \(k) transposed \(transposed) accumulate \(accumulate) \(registers) threads \(threads?.count ?? 1)")
            }
        }
    }

    static func variants(_ pool: TrainingThreads) -> [(Bool, Bool, MatrixKernels.RegisterFile, TrainingThreads?)] {
        var all: [(Bool, Bool, MatrixKernels.RegisterFile, TrainingThreads?)] = []
        for transposed in [false, true] {
            for accumulate in [false, true] {
                for registers in [MatrixKernels.RegisterFile.narrow, .wide] {
                    for threads in [nil, pool] { all.append((transposed, accumulate, registers, threads)) }
                }
            }
        }
        return all
    }

    /// C = A·Bᵀ promises, per output: eight lane sums (lane l over p = l, l + 8, …
    /// below the last multiple of 8, ascending), reduced as ((l0+l4)+(l2+l6)) +
    /// ((l1+l5)+(l3+l7)), plus the scalar tail in ascending p.
    @Test(arguments: shapes)
    func dotProductsFollowTheirLaneOrder(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = Self.values(m * k, seed: 4), b = Self.values(n * k, seed: 5)
        let body = k / 8 * 8
        var expected = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var lane = [Double](repeating: 0, count: 8)
                for p in 0..<body { lane[p % 8] = lane[p % 8] + a[i * k + p] * b[j * k + p] }
                var tail = 0.0
                for p in body..<k { tail = tail + a[i * k + p] * b[j * k + p] }
                expected[i * n + j] = (((lane[0] + lane[4]) + (lane[2] + lane[6])) + ((lane[1] + lane[5]) + (lane[3] + lane[7]))) + tail
            }
        }
        let pool = TrainingThreads(count: 2)
        defer { pool.stop() }
        for registers in [MatrixKernels.RegisterFile.narrow, .wide] {
            for threads in [nil, pool] {
                var got = [Double](repeating: .nan, count: m * n)
                MatrixKernels.multiplyTransposedB(m: m, n: n, k: k, a, b, into: &got, threads: threads, registers: registers)
                #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "m \(m) n \(n) k \(k) \(registers) threads \(threads?.count ?? 1)")
            }
        }
    }

    /// The sparse paths (an Â of a ReLU layer's output: zero terms skipped) against
    /// the same triple loop, bit for bit: A with about half its entries +0 or −0
    /// (and one row all zeros, one with none), for C = A·B (compacted once, columns
    /// shared) and C = Aᵀ·B (compacted per row share), on strips of 32 and 8
    /// columns, single columns, depth chunks past 64, one thread and two. A denser
    /// A (more than 3/4 nonzero) takes the dense path, also checked.
    static let sparseShapes = [(9, 64, 20), (32, 256, 256), (32, 100, 70), (5, 43, 9), (33, 40, 130), (256, 256, 32), (70, 10, 32)]

    @Test(arguments: sparseShapes)
    func sparseProductsEqualTheTripleLoop(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let pool = TrainingThreads(count: 2)
        defer { pool.stop() }
        for zeros in [2, 5] {   // every 2nd value or every 5th (dense) made ±0
            var a = Self.values(m * k, seed: 6)
            for e in a.indices where e % zeros == 0 || (e / k == 1 && m > 2) { a[e] = e % 3 == 0 ? -0.0 : 0 }
            if m > 3 { for p in 0..<k { a[2 * k + p] = Double(p + 1) } }   // a row with no zero
            let b = Self.values(k * n, seed: 7)
            for transposed in [false, true] {
                // Â(i, p) = a[i·k + p] (A·B), or a[p·m + i] with A read as (k, m) (Aᵀ·B).
                func ahat(_ i: Int, _ p: Int) -> Double { transposed ? a[p * m + i] : a[i * k + p] }
                var expected = [Double](repeating: 0, count: m * n)
                for i in 0..<m {
                    for j in 0..<n {
                        var acc = 0.0
                        for p in 0..<k { acc = acc + ahat(i, p) * b[p * n + j] }
                        expected[i * n + j] = acc
                    }
                }
                for threads in [nil, pool] {
                    var got = [Double](repeating: .nan, count: m * n)
                    var scratch = [Double](repeating: .nan, count: m * k)
                    var indices = [Int32](repeating: -1, count: m * k)
                    scratch.withUnsafeMutableBufferPointer { t in
                        indices.withUnsafeMutableBufferPointer { ix in
                            if transposed {
                                MatrixKernels.multiplyTransposedA(m: m, n: n, k: k, a, b, into: &got, threads: threads,
                                                                  transposing: t.baseAddress!, indices: ix.baseAddress!)
                            } else {
                                MatrixKernels.multiply(m: m, n: n, k: k, a, b, into: &got, threads: threads,
                                                       sparse: t.baseAddress!, indices: ix.baseAddress!)
                            }
                        }
                    }
                    #expect(got.map(\.bitPattern) == expected.map(\.bitPattern),
                            "m \(m) n \(n) k \(k) zeros 1/\(zeros) transposed \(transposed) threads \(threads?.count ?? 1)")
                }
            }
        }
    }
}
