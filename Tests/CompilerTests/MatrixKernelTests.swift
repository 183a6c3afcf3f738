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

    @Test(arguments: [(1, 1, 1), (3, 10, 7), (4, 16, 5), (5, 31, 9), (7, 27, 33), (9, 64, 3), (32, 256, 64)])
    func blockedProductsEqualTheTripleLoop(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a = Self.values(m * k, seed: 1), b = Self.values(k * n, seed: 2), c0 = Self.values(m * n, seed: 3)
        for transposed in [false, true] {
            for accumulate in [false, true] {
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
                    MatrixKernels.multiplyTransposedA(m: m, n: n, k: k, a, b, into: &got, accumulate: accumulate)
                } else {
                    MatrixKernels.multiply(m: m, n: n, k: k, a, b, into: &got, accumulate: accumulate)
                }
                #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "m \(m) n \(n) k \(k) transposed \(transposed) accumulate \(accumulate)")
            }
        }
    }
}
