/// y = b + xᵀ·W for one layer, on the blob's layout: W is (inputCount, padded)
/// row-major Float32 (`[in][out]`), then b (padded). All pointer arithmetic of the
/// runtime's single-row prediction lives here.
///
/// The reduction order is fixed by the layer's shape and shared by every kernel
/// (SIMD, scalar, batch and generated), with multiplies and adds never fused, so
/// every kernel equals the scalar reference bit for bit on every CPU and flag:
/// - wide layers (`padded > 32`, `partialSums == 1`): acc = b[o], then
///   acc = acc + W[i][o]·x[i] for i = 0, 1, …, inputCount − 1;
/// - narrow layers (`padded ≤ 32`, `partialSums == 4`): four partial sums
///   p_k over the inputs i ≡ k (mod 4) in increasing i, p₀ starting at b[o] and
///   p₁…p₃ at 0, then y[o] = (p₀ + p₁) + (p₂ + p₃).
/// Narrow layers have too few outputs to hide the add latency with independent
/// output lanes; the four partial sums give each lane four independent chains.
public enum DenseKernel {
    /// False on 32-bit microcontroller targets, whose cores have no 512-bit (or
    /// any) vector unit: there `predict` takes the scalar path, which gives the
    /// same bits and a fraction of the code size.
    #if arch(arm) || arch(riscv32)
    public static let prefersSIMD = false
    #else
    public static let prefersSIMD = true
    #endif

    /// How many partial sums each output of a layer with `padded` output lanes
    /// uses: 4 for `padded ≤ 32`, else 1. Part of the numeric contract above.
    @inlinable
    public static func partialSums(paddedOutputCount padded: Int) -> Int { padded <= 32 ? 4 : 1 }

    #if !(arch(arm) || arch(riscv32))
    /// SIMD kernel. Wide layers: output blocks of 8, then 4, then 1 × SIMD16 in
    /// registers; narrow layers: 1 or 2 SIMD16 blocks × 4 partial sums. `y`
    /// receives `padded` lanes. Allocates nothing.
    @inlinable
    public static func forward(
        weights w: UnsafeRawPointer, inputCount: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        if partialSums(paddedOutputCount: padded) == 4 {
            forwardNarrow(weights: w, inputCount: inputCount, padded: padded, x: x, y: y)
            return
        }
        typealias V = SIMD16<Float>
        let stride = padded * 4
        let bias = w + inputCount * stride
        let out = UnsafeMutableRawPointer(y)
        var col = 0
        while col + 128 <= padded {
            let c = col * 4
            var a0 = bias.loadUnaligned(fromByteOffset: c, as: V.self)
            var a1 = bias.loadUnaligned(fromByteOffset: c + 64, as: V.self)
            var a2 = bias.loadUnaligned(fromByteOffset: c + 128, as: V.self)
            var a3 = bias.loadUnaligned(fromByteOffset: c + 192, as: V.self)
            var a4 = bias.loadUnaligned(fromByteOffset: c + 256, as: V.self)
            var a5 = bias.loadUnaligned(fromByteOffset: c + 320, as: V.self)
            var a6 = bias.loadUnaligned(fromByteOffset: c + 384, as: V.self)
            var a7 = bias.loadUnaligned(fromByteOffset: c + 448, as: V.self)
            var row = w + c
            for i in 0..<inputCount {
                let xi = V(repeating: x[i])
                a0 = a0 + row.loadUnaligned(as: V.self) * xi
                a1 = a1 + row.loadUnaligned(fromByteOffset: 64, as: V.self) * xi
                a2 = a2 + row.loadUnaligned(fromByteOffset: 128, as: V.self) * xi
                a3 = a3 + row.loadUnaligned(fromByteOffset: 192, as: V.self) * xi
                a4 = a4 + row.loadUnaligned(fromByteOffset: 256, as: V.self) * xi
                a5 = a5 + row.loadUnaligned(fromByteOffset: 320, as: V.self) * xi
                a6 = a6 + row.loadUnaligned(fromByteOffset: 384, as: V.self) * xi
                a7 = a7 + row.loadUnaligned(fromByteOffset: 448, as: V.self) * xi
                row += stride
            }
            out.storeBytes(of: a0, toByteOffset: c, as: V.self)
            out.storeBytes(of: a1, toByteOffset: c + 64, as: V.self)
            out.storeBytes(of: a2, toByteOffset: c + 128, as: V.self)
            out.storeBytes(of: a3, toByteOffset: c + 192, as: V.self)
            out.storeBytes(of: a4, toByteOffset: c + 256, as: V.self)
            out.storeBytes(of: a5, toByteOffset: c + 320, as: V.self)
            out.storeBytes(of: a6, toByteOffset: c + 384, as: V.self)
            out.storeBytes(of: a7, toByteOffset: c + 448, as: V.self)
            col += 128
        }
        while col + 64 <= padded {
            let c = col * 4
            var a0 = bias.loadUnaligned(fromByteOffset: c, as: V.self)
            var a1 = bias.loadUnaligned(fromByteOffset: c + 64, as: V.self)
            var a2 = bias.loadUnaligned(fromByteOffset: c + 128, as: V.self)
            var a3 = bias.loadUnaligned(fromByteOffset: c + 192, as: V.self)
            var row = w + c
            for i in 0..<inputCount {
                let xi = V(repeating: x[i])
                a0 = a0 + row.loadUnaligned(as: V.self) * xi
                a1 = a1 + row.loadUnaligned(fromByteOffset: 64, as: V.self) * xi
                a2 = a2 + row.loadUnaligned(fromByteOffset: 128, as: V.self) * xi
                a3 = a3 + row.loadUnaligned(fromByteOffset: 192, as: V.self) * xi
                row += stride
            }
            out.storeBytes(of: a0, toByteOffset: c, as: V.self)
            out.storeBytes(of: a1, toByteOffset: c + 64, as: V.self)
            out.storeBytes(of: a2, toByteOffset: c + 128, as: V.self)
            out.storeBytes(of: a3, toByteOffset: c + 192, as: V.self)
            col += 64
        }
        while col < padded {
            let c = col * 4
            var a0 = bias.loadUnaligned(fromByteOffset: c, as: V.self)
            var row = w + c
            for i in 0..<inputCount {
                a0 = a0 + row.loadUnaligned(as: V.self) * V(repeating: x[i])
                row += stride
            }
            out.storeBytes(of: a0, toByteOffset: c, as: V.self)
            col += 16
        }
    }

    /// Narrow layers (`padded` is 16 or 32): every SIMD16 block keeps four partial
    /// sums, so each lane has four independent add chains. One specialised body
    /// per width, with wrapping index arithmetic: on 2-8-1 the setup of a shared
    /// body (overflow checks, spilled offsets) cost more than the arithmetic.
    @inlinable
    static func forwardNarrow(
        weights w: UnsafeRawPointer, inputCount n: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        let out = UnsafeMutableRawPointer(y)
        if padded == 16 {
            out.storeBytes(of: narrow16(w, n, x), as: SIMD16<Float>.self)
        } else {
            let (lo, hi) = narrow32(w, n, x)
            out.storeBytes(of: lo, as: SIMD16<Float>.self)
            out.storeBytes(of: hi, toByteOffset: 64, as: SIMD16<Float>.self)
        }
    }

    /// y = b + xᵀ·W for a layer of 16 output lanes, returned in a register so the
    /// caller can apply the activation before the one store.
    @inlinable @inline(__always)
    static func narrow16(_ w: UnsafeRawPointer, _ n: Int, _ x: UnsafePointer<Float>) -> SIMD16<Float> {
        typealias V = SIMD16<Float>
        var p0 = w.loadUnaligned(fromByteOffset: n &* 64, as: V.self), p1 = V(), p2 = V(), p3 = V()
        var row = w, xi = x
        let end = x + (n & ~3)
        while xi < end {
            p0 = p0 + row.loadUnaligned(as: V.self) * V(repeating: xi[0])
            p1 = p1 + row.loadUnaligned(fromByteOffset: 64, as: V.self) * V(repeating: xi[1])
            p2 = p2 + row.loadUnaligned(fromByteOffset: 128, as: V.self) * V(repeating: xi[2])
            p3 = p3 + row.loadUnaligned(fromByteOffset: 192, as: V.self) * V(repeating: xi[3])
            row += 256
            xi += 4
        }
        let left = n & 3
        if left > 0 { p0 = p0 + row.loadUnaligned(as: V.self) * V(repeating: xi[0]) }
        if left > 1 { p1 = p1 + row.loadUnaligned(fromByteOffset: 64, as: V.self) * V(repeating: xi[1]) }
        if left > 2 { p2 = p2 + row.loadUnaligned(fromByteOffset: 128, as: V.self) * V(repeating: xi[2]) }
        return (p0 + p1) + (p2 + p3)
    }

    /// `narrow16` for 32 output lanes: lanes 0–15, then 16–31.
    @inlinable @inline(__always)
    static func narrow32(_ w: UnsafeRawPointer, _ n: Int, _ x: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        typealias V = SIMD16<Float>
        let bias = w + n &* 128
        var p0 = bias.loadUnaligned(as: V.self), p1 = V(), p2 = V(), p3 = V()
        var q0 = bias.loadUnaligned(fromByteOffset: 64, as: V.self), q1 = V(), q2 = V(), q3 = V()
        var row = w, xi = x
        let end = x + (n & ~3)
        while xi < end {
            let x0 = V(repeating: xi[0]), x1 = V(repeating: xi[1]), x2 = V(repeating: xi[2]), x3 = V(repeating: xi[3])
            p0 = p0 + row.loadUnaligned(as: V.self) * x0
            q0 = q0 + row.loadUnaligned(fromByteOffset: 64, as: V.self) * x0
            p1 = p1 + row.loadUnaligned(fromByteOffset: 128, as: V.self) * x1
            q1 = q1 + row.loadUnaligned(fromByteOffset: 192, as: V.self) * x1
            p2 = p2 + row.loadUnaligned(fromByteOffset: 256, as: V.self) * x2
            q2 = q2 + row.loadUnaligned(fromByteOffset: 320, as: V.self) * x2
            p3 = p3 + row.loadUnaligned(fromByteOffset: 384, as: V.self) * x3
            q3 = q3 + row.loadUnaligned(fromByteOffset: 448, as: V.self) * x3
            row += 512
            xi += 4
        }
        let left = n & 3
        if left > 0 { p0 = p0 + row.loadUnaligned(as: V.self) * V(repeating: xi[0])
                      q0 = q0 + row.loadUnaligned(fromByteOffset: 64, as: V.self) * V(repeating: xi[0]) }
        if left > 1 { p1 = p1 + row.loadUnaligned(fromByteOffset: 128, as: V.self) * V(repeating: xi[1])
                      q1 = q1 + row.loadUnaligned(fromByteOffset: 192, as: V.self) * V(repeating: xi[1]) }
        if left > 2 { p2 = p2 + row.loadUnaligned(fromByteOffset: 256, as: V.self) * V(repeating: xi[2])
                      q2 = q2 + row.loadUnaligned(fromByteOffset: 320, as: V.self) * V(repeating: xi[2]) }
        return ((p0 + p1) + (p2 + p3), (q0 + q1) + (q2 + q3))
    }
    #endif

    /// The scalar reference kernel: the oracle the SIMD, batch and generated
    /// kernels are tested against. Same reduction order, one output at a time.
    public static func forwardReference(
        weights w: UnsafeRawPointer, inputCount n: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        func weight(_ i: Int, _ o: Int) -> Float { w.loadUnaligned(fromByteOffset: (i * padded + o) * 4, as: Float.self) }
        let split = partialSums(paddedOutputCount: padded) == 4
        for o in 0..<padded {
            let b = w.loadUnaligned(fromByteOffset: (n * padded + o) * 4, as: Float.self)
            if !split {
                var acc = b
                for i in 0..<n { acc = acc + weight(i, o) * x[i] }
                y[o] = acc
                continue
            }
            var p0 = b, p1: Float = 0, p2: Float = 0, p3: Float = 0
            var i = 0
            while i + 4 <= n {
                p0 = p0 + weight(i, o) * x[i]
                p1 = p1 + weight(i + 1, o) * x[i + 1]
                p2 = p2 + weight(i + 2, o) * x[i + 2]
                p3 = p3 + weight(i + 3, o) * x[i + 3]
                i += 4
            }
            if i < n { p0 = p0 + weight(i, o) * x[i] }
            if i + 1 < n { p1 = p1 + weight(i + 1, o) * x[i + 1] }
            if i + 2 < n { p2 = p2 + weight(i + 2, o) * x[i + 2] }
            y[o] = (p0 + p1) + (p2 + p3)
        }
    }
}
