/// y = b + xᵀ·W for one layer, on the blob's layout: W is (inputCount, padded)
/// row-major (`[in][out]`) in the layer's element type, then b (padded Float32),
/// then, for int8, the scales (padded Float32). All pointer arithmetic of the
/// runtime's single-row prediction lives here; `F` (`WeightLanes`) says how
/// weights become Float32.
///
/// The reduction order is fixed by the layer's shape and shared by every kernel
/// (SIMD, scalar, batch and generated), with multiplies and adds never fused, so
/// every kernel equals the scalar reference bit for bit on every CPU and flag:
/// - wide layers (`padded > 32`, `partialSums == 1`): acc = b[o] (int8: 0), then
///   acc = acc + W[i][o]·x[i] for i = 0, 1, …, inputCount − 1;
/// - narrow layers (`padded ≤ 32`, `partialSums == 4`): four partial sums
///   p_k over the inputs i ≡ k (mod 4) in increasing i, p₀ starting at b[o]
///   (int8: 0) and p₁…p₃ at 0, then y[o] = (p₀ + p₁) + (p₂ + p₃);
/// - int8 then takes y[o] = sum · scale[o] + b[o].
/// Narrow layers have too few outputs to hide the add latency with independent
/// output lanes; the four partial sums give each lane four independent chains.
public enum DenseKernel {
    /// False on 32-bit microcontroller targets, whose cores have no 512-bit (or
    /// any) vector unit: there `predict` takes the scalar path, which gives the
    /// same bits and a fraction of the code size.
    @inlinable
    public static var prefersSIMD: Bool { !Platform.isMicrocontroller }

    /// How many partial sums each output of a layer with `padded` output lanes
    /// uses: 4 for `padded ≤ 32`, else 1. Part of the numeric contract above.
    @inlinable
    public static func partialSums(paddedOutputCount padded: Int) -> Int { padded <= 32 ? 4 : 1 }

    /// The Float32 kernel (`forward(Float32Lanes.self, …)`).
    @inlinable
    public static func forward(
        weights w: UnsafeRawPointer, inputCount: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        forward(Float32Lanes.self, weights: w, inputCount: inputCount, padded: padded, x: x, y: y)
    }

    /// SIMD kernel. Wide layers: output blocks of 8, then 4, then 1 × SIMD16 in
    /// registers; narrow layers: 1 or 2 SIMD16 blocks × 4 partial sums. `y`
    /// receives `padded` lanes. Allocates nothing.
    @inlinable
    public static func forward<F: WeightLanes>(
        _ format: F.Type, weights w: UnsafeRawPointer, inputCount: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        if partialSums(paddedOutputCount: padded) == 4 {
            forwardNarrow(F.self, weights: w, inputCount: inputCount, padded: padded, x: x, y: y)
            return
        }
        let out = UnsafeMutableRawPointer(y)
        var col = 0
        while F.width == 4 && col + 128 <= padded {
            wideBlock8(F.self, w, inputCount, padded, col, x, out)
            col += 128
        }
        while col + 64 <= padded {
            wideBlock4(F.self, w, inputCount, padded, col, x, out)
            col += 64
        }
        while col < padded {
            wideBlock1(F.self, w, inputCount, padded, col, x, out)
            col += 16
        }
    }

    /// The first value of an output block's sums: its biases, or 0 for int8.
    @inlinable @inline(__always)
    static func start<F: WeightLanes>(_: F.Type, _ bias: UnsafeRawPointer, _ offset: Int) -> SIMD16<Float> {
        F.isScaled ? SIMD16<Float>() : bias.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
    }

    /// The value stored for an output block: the sum, or for int8 sum·scale + b.
    @inlinable @inline(__always)
    static func finish<F: WeightLanes>(_: F.Type, _ sum: SIMD16<Float>, _ bias: UnsafeRawPointer, _ padded: Int, _ offset: Int) -> SIMD16<Float> {
        guard F.isScaled else { return sum }
        let b = bias.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
        let s = bias.loadUnaligned(fromByteOffset: padded &* 4 &+ offset, as: SIMD16<Float>.self)
        return sum * s + b
    }

    /// 128 output lanes (8 × SIMD16) starting at `col`.
    @inlinable @inline(__always)
    static func wideBlock8<F: WeightLanes>(_: F.Type, _ w: UnsafeRawPointer, _ n: Int, _ padded: Int, _ col: Int,
                                           _ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        typealias V = SIMD16<Float>
        let stride = padded &* F.width, lane = 16 &* F.width
        let bias = w + n &* stride, c = col &* 4
        var a0 = start(F.self, bias, c), a1 = start(F.self, bias, c + 64)
        var a2 = start(F.self, bias, c + 128), a3 = start(F.self, bias, c + 192)
        var a4 = start(F.self, bias, c + 256), a5 = start(F.self, bias, c + 320)
        var a6 = start(F.self, bias, c + 384), a7 = start(F.self, bias, c + 448)
        var row = w + col &* F.width
        for i in 0..<n {
            let xi = V(repeating: x[i])
            a0 = F.madd(a0, F.lanes(row, 0), xi)
            a1 = F.madd(a1, F.lanes(row, lane), xi)
            a2 = F.madd(a2, F.lanes(row, 2 &* lane), xi)
            a3 = F.madd(a3, F.lanes(row, 3 &* lane), xi)
            a4 = F.madd(a4, F.lanes(row, 4 &* lane), xi)
            a5 = F.madd(a5, F.lanes(row, 5 &* lane), xi)
            a6 = F.madd(a6, F.lanes(row, 6 &* lane), xi)
            a7 = F.madd(a7, F.lanes(row, 7 &* lane), xi)
            row += stride
        }
        out.storeBytes(of: finish(F.self, a0, bias, padded, c), toByteOffset: c, as: V.self)
        out.storeBytes(of: finish(F.self, a1, bias, padded, c + 64), toByteOffset: c + 64, as: V.self)
        out.storeBytes(of: finish(F.self, a2, bias, padded, c + 128), toByteOffset: c + 128, as: V.self)
        out.storeBytes(of: finish(F.self, a3, bias, padded, c + 192), toByteOffset: c + 192, as: V.self)
        out.storeBytes(of: finish(F.self, a4, bias, padded, c + 256), toByteOffset: c + 256, as: V.self)
        out.storeBytes(of: finish(F.self, a5, bias, padded, c + 320), toByteOffset: c + 320, as: V.self)
        out.storeBytes(of: finish(F.self, a6, bias, padded, c + 384), toByteOffset: c + 384, as: V.self)
        out.storeBytes(of: finish(F.self, a7, bias, padded, c + 448), toByteOffset: c + 448, as: V.self)
    }

    /// 64 output lanes (4 × SIMD16) starting at `col`.
    @inlinable @inline(__always)
    static func wideBlock4<F: WeightLanes>(_: F.Type, _ w: UnsafeRawPointer, _ n: Int, _ padded: Int, _ col: Int,
                                           _ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        typealias V = SIMD16<Float>
        let stride = padded &* F.width, lane = 16 &* F.width
        let bias = w + n &* stride, c = col &* 4
        var a0 = start(F.self, bias, c), a1 = start(F.self, bias, c + 64)
        var a2 = start(F.self, bias, c + 128), a3 = start(F.self, bias, c + 192)
        var row = w + col &* F.width
        for i in 0..<n {
            let xi = V(repeating: x[i])
            a0 = F.madd(a0, F.lanes(row, 0), xi)
            a1 = F.madd(a1, F.lanes(row, lane), xi)
            a2 = F.madd(a2, F.lanes(row, 2 &* lane), xi)
            a3 = F.madd(a3, F.lanes(row, 3 &* lane), xi)
            row += stride
        }
        out.storeBytes(of: finish(F.self, a0, bias, padded, c), toByteOffset: c, as: V.self)
        out.storeBytes(of: finish(F.self, a1, bias, padded, c + 64), toByteOffset: c + 64, as: V.self)
        out.storeBytes(of: finish(F.self, a2, bias, padded, c + 128), toByteOffset: c + 128, as: V.self)
        out.storeBytes(of: finish(F.self, a3, bias, padded, c + 192), toByteOffset: c + 192, as: V.self)
    }

    /// 16 output lanes starting at `col`.
    @inlinable @inline(__always)
    static func wideBlock1<F: WeightLanes>(_: F.Type, _ w: UnsafeRawPointer, _ n: Int, _ padded: Int, _ col: Int,
                                           _ x: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        typealias V = SIMD16<Float>
        let stride = padded &* F.width
        let bias = w + n &* stride, c = col &* 4
        var a0 = start(F.self, bias, c)
        var row = w + col &* F.width
        for i in 0..<n {
            a0 = F.madd(a0, F.lanes(row, 0), V(repeating: x[i]))
            row += stride
        }
        out.storeBytes(of: finish(F.self, a0, bias, padded, c), toByteOffset: c, as: V.self)
    }

    /// Narrow layers (`padded` is 16 or 32): every SIMD16 block keeps four partial
    /// sums, so each lane has four independent add chains. One specialised body
    /// per width, with wrapping index arithmetic: on 2-8-1 the setup of a shared
    /// body (overflow checks, spilled offsets) cost more than the arithmetic.
    @inlinable
    static func forwardNarrow<F: WeightLanes>(
        _: F.Type, weights w: UnsafeRawPointer, inputCount n: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        forwardNarrow(F.self, InRegisters.Identity.self, weights: w, inputCount: n, padded: padded, alpha: 0, x: x, y: y)
    }

    /// `forwardNarrow` with the activation `A` applied to the sums in registers,
    /// before the one store: bit-identical to `forwardNarrow` then the
    /// activation on every lane (`Activations.applyPadded`), one store and reload fewer.
    @inlinable
    static func forwardNarrow<F: WeightLanes, A: RegisterActivation>(
        _: F.Type, _: A.Type, weights w: UnsafeRawPointer, inputCount n: Int, padded: Int, alpha: Float,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        let out = UnsafeMutableRawPointer(y)
        if padded == 16 {
            out.storeBytes(of: A.apply(narrow16(F.self, w, n, x), alpha: alpha), as: SIMD16<Float>.self)
        } else {
            let (lo, hi) = narrow32(F.self, w, n, x)
            out.storeBytes(of: A.apply(lo, alpha: alpha), as: SIMD16<Float>.self)
            out.storeBytes(of: A.apply(hi, alpha: alpha), toByteOffset: 64, as: SIMD16<Float>.self)
        }
    }

    /// y = b + xᵀ·W for a layer of 16 output lanes, returned in a register so the
    /// caller can apply the activation before the one store.
    @inlinable @inline(__always)
    static func narrow16<F: WeightLanes>(_: F.Type, _ w: UnsafeRawPointer, _ n: Int, _ x: UnsafePointer<Float>) -> SIMD16<Float> {
        typealias V = SIMD16<Float>
        let lane = 16 &* F.width
        let bias = w + n &* lane
        var p0 = start(F.self, bias, 0), p1 = V(), p2 = V(), p3 = V()
        var row = w, xi = x
        let end = x + (n & ~3)
        while xi < end {
            p0 = F.madd(p0, F.lanes(row, 0), V(repeating: xi[0]))
            p1 = F.madd(p1, F.lanes(row, lane), V(repeating: xi[1]))
            p2 = F.madd(p2, F.lanes(row, 2 &* lane), V(repeating: xi[2]))
            p3 = F.madd(p3, F.lanes(row, 3 &* lane), V(repeating: xi[3]))
            row += 4 &* lane
            xi += 4
        }
        let left = n & 3
        if left > 0 { p0 = F.madd(p0, F.lanes(row, 0), V(repeating: xi[0])) }
        if left > 1 { p1 = F.madd(p1, F.lanes(row, lane), V(repeating: xi[1])) }
        if left > 2 { p2 = F.madd(p2, F.lanes(row, 2 &* lane), V(repeating: xi[2])) }
        return finish(F.self, (p0 + p1) + (p2 + p3), bias, 16, 0)
    }

    /// `narrow16` for 32 output lanes: lanes 0–15, then 16–31.
    @inlinable @inline(__always)
    static func narrow32<F: WeightLanes>(_: F.Type, _ w: UnsafeRawPointer, _ n: Int, _ x: UnsafePointer<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        typealias V = SIMD16<Float>
        let lane = 16 &* F.width, stride = 2 &* lane
        let bias = w + n &* stride
        var p0 = start(F.self, bias, 0), p1 = V(), p2 = V(), p3 = V()
        var q0 = start(F.self, bias, 64), q1 = V(), q2 = V(), q3 = V()
        var row = w, xi = x
        let end = x + (n & ~3)
        while xi < end {
            let x0 = V(repeating: xi[0]), x1 = V(repeating: xi[1]), x2 = V(repeating: xi[2]), x3 = V(repeating: xi[3])
            p0 = F.madd(p0, F.lanes(row, 0), x0)
            q0 = F.madd(q0, F.lanes(row, lane), x0)
            p1 = F.madd(p1, F.lanes(row, stride), x1)
            q1 = F.madd(q1, F.lanes(row, stride &+ lane), x1)
            p2 = F.madd(p2, F.lanes(row, 2 &* stride), x2)
            q2 = F.madd(q2, F.lanes(row, 2 &* stride &+ lane), x2)
            p3 = F.madd(p3, F.lanes(row, 3 &* stride), x3)
            q3 = F.madd(q3, F.lanes(row, 3 &* stride &+ lane), x3)
            row += 4 &* stride
            xi += 4
        }
        let left = n & 3
        if left > 0 { p0 = F.madd(p0, F.lanes(row, 0), V(repeating: xi[0]))
                      q0 = F.madd(q0, F.lanes(row, lane), V(repeating: xi[0])) }
        if left > 1 { p1 = F.madd(p1, F.lanes(row, stride), V(repeating: xi[1]))
                      q1 = F.madd(q1, F.lanes(row, stride &+ lane), V(repeating: xi[1])) }
        if left > 2 { p2 = F.madd(p2, F.lanes(row, 2 &* stride), V(repeating: xi[2]))
                      q2 = F.madd(q2, F.lanes(row, 2 &* stride &+ lane), V(repeating: xi[2])) }
        return (finish(F.self, (p0 + p1) + (p2 + p3), bias, 32, 0), finish(F.self, (q0 + q1) + (q2 + q3), bias, 32, 64))
    }

    /// The Float32 scalar reference (`forwardReference(Float32Lanes.self, …)`).
    public static func forwardReference(
        weights w: UnsafeRawPointer, inputCount n: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        forwardReference(Float32Lanes.self, weights: w, inputCount: n, padded: padded, x: x, y: y)
    }

    /// The scalar reference kernel: the oracle the SIMD, batch and generated
    /// kernels are tested against. Same reduction order, one output at a time.
    /// Microcontrollers run `MicroKernel`, which computes the same bits faster.
    @inlinable
    public static func forwardReference<F: WeightLanes>(
        _: F.Type, weights w: UnsafeRawPointer, inputCount n: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        let bias = w + n * padded * F.width
        let split = partialSums(paddedOutputCount: padded) == 4
        for o in 0..<padded {
            let b = bias.loadUnaligned(fromByteOffset: o * 4, as: Float.self)
            let first: Float = F.isScaled ? 0 : b
            var sum: Float
            if !split {
                var acc = first
                for i in 0..<n { acc = F.madd(acc, F.scalar(w, i * padded + o), x[i]) }
                sum = acc
            } else {
                var p0 = first, p1: Float = 0, p2: Float = 0, p3: Float = 0
                var i = 0
                while i + 4 <= n {
                    p0 = F.madd(p0, F.scalar(w, i * padded + o), x[i])
                    p1 = F.madd(p1, F.scalar(w, (i + 1) * padded + o), x[i + 1])
                    p2 = F.madd(p2, F.scalar(w, (i + 2) * padded + o), x[i + 2])
                    p3 = F.madd(p3, F.scalar(w, (i + 3) * padded + o), x[i + 3])
                    i += 4
                }
                if i < n { p0 = F.madd(p0, F.scalar(w, i * padded + o), x[i]) }
                if i + 1 < n { p1 = F.madd(p1, F.scalar(w, (i + 1) * padded + o), x[i + 1]) }
                if i + 2 < n { p2 = F.madd(p2, F.scalar(w, (i + 2) * padded + o), x[i + 2]) }
                sum = (p0 + p1) + (p2 + p3)
            }
            if F.isScaled { sum = sum * bias.loadUnaligned(fromByteOffset: (padded + o) * 4, as: Float.self) + b }
            y[o] = sum
        }
    }
}
