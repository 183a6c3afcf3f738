/// The dense kernel a microcontroller runs (`Platform.isMicrocontroller`): the
/// same numbers as `DenseKernel.forwardReference`, bit for bit (same reduction
/// order per output, multiplies and adds never fused), laid out for a core with
/// one scalar FPU (or none) and 16–32 float registers:
/// - outputs in register groups: 4 outputs × 4 partial sums (16 accumulators)
///   for narrow layers, 8 outputs × 1 sum for wide ones, so each input value is
///   loaded once per group and each weight load has a constant offset;
/// - the weight rows are reached by pointers that advance a row at a time;
/// - only wrapping arithmetic and aligned loads: no bounds or overflow checks,
///   and no byte-by-byte unaligned loads (which an M0 would need).
///
/// Writes outputs `0 ..< outputCount` rounded up to the group (never beyond
/// `padded`); the other padded lanes are left as they were (nothing reads them:
/// the next layer reads `inputCount` values, the caller `outputCount`).
/// Preconditions, which a validated blob guarantees: `padded` is a multiple of
/// 16, and `w` is aligned to the element and holds weights, biases and (int8)
/// scales as `DenseKernel` describes. Allocates nothing.
public enum MicroKernel {
    @inlinable
    public static func forward<F: WeightLanes>(
        _: F.Type, weights w: UnsafeRawPointer, inputCount n: Int, outputCount m: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        if DenseKernel.partialSums(paddedOutputCount: padded) == 4 {
            narrow(F.self, w, n, m, padded, x, y)
        } else {
            wide(F.self, w, n, m, padded, x, y)
        }
    }

    /// Narrow layers: four partial sums over the inputs i ≡ k (mod 4), for
    /// four outputs at a time.
    @inlinable
    static func narrow<F: WeightLanes>(_: F.Type, _ w: UnsafeRawPointer, _ n: Int, _ m: Int, _ padded: Int,
                                       _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let row = padded &* F.width
        let bias = (w + n &* row).assumingMemoryBound(to: Float.self)
        let quads = n &>> 2, rest = n & 3
        var o = 0
        while o < m {
            var a0: Float = F.isScaled ? 0 : bias[o], a1: Float = F.isScaled ? 0 : bias[o &+ 1]
            var a2: Float = F.isScaled ? 0 : bias[o &+ 2], a3: Float = F.isScaled ? 0 : bias[o &+ 3]
            var b0: Float = 0, b1: Float = 0, b2: Float = 0, b3: Float = 0
            var c0: Float = 0, c1: Float = 0, c2: Float = 0, c3: Float = 0
            var d0: Float = 0, d1: Float = 0, d2: Float = 0, d3: Float = 0
            var r = w + o &* F.width
            var xp = x
            var q = quads
            while q > 0 {
                let x0 = xp[0], x1 = xp[1], x2 = xp[2], x3 = xp[3]
                let r1 = r + row, r2 = r1 + row, r3 = r2 + row
                a0 = F.madd(a0, F.element(r, 0), x0); a1 = F.madd(a1, F.element(r, 1), x0)
                a2 = F.madd(a2, F.element(r, 2), x0); a3 = F.madd(a3, F.element(r, 3), x0)
                b0 = F.madd(b0, F.element(r1, 0), x1); b1 = F.madd(b1, F.element(r1, 1), x1)
                b2 = F.madd(b2, F.element(r1, 2), x1); b3 = F.madd(b3, F.element(r1, 3), x1)
                c0 = F.madd(c0, F.element(r2, 0), x2); c1 = F.madd(c1, F.element(r2, 1), x2)
                c2 = F.madd(c2, F.element(r2, 2), x2); c3 = F.madd(c3, F.element(r2, 3), x2)
                d0 = F.madd(d0, F.element(r3, 0), x3); d1 = F.madd(d1, F.element(r3, 1), x3)
                d2 = F.madd(d2, F.element(r3, 2), x3); d3 = F.madd(d3, F.element(r3, 3), x3)
                r = r3 + row
                xp += 4
                q &-= 1
            }
            if rest > 0 {
                let x0 = xp[0]
                a0 = F.madd(a0, F.element(r, 0), x0); a1 = F.madd(a1, F.element(r, 1), x0)
                a2 = F.madd(a2, F.element(r, 2), x0); a3 = F.madd(a3, F.element(r, 3), x0)
            }
            if rest > 1 {
                let x1 = xp[1], r1 = r + row
                b0 = F.madd(b0, F.element(r1, 0), x1); b1 = F.madd(b1, F.element(r1, 1), x1)
                b2 = F.madd(b2, F.element(r1, 2), x1); b3 = F.madd(b3, F.element(r1, 3), x1)
            }
            if rest > 2 {
                let x2 = xp[2], r2 = r + row &* 2
                c0 = F.madd(c0, F.element(r2, 0), x2); c1 = F.madd(c1, F.element(r2, 1), x2)
                c2 = F.madd(c2, F.element(r2, 2), x2); c3 = F.madd(c3, F.element(r2, 3), x2)
            }
            y[o] = finish(F.self, (a0 + b0) + (c0 + d0), bias, padded, o)
            y[o &+ 1] = finish(F.self, (a1 + b1) + (c1 + d1), bias, padded, o &+ 1)
            y[o &+ 2] = finish(F.self, (a2 + b2) + (c2 + d2), bias, padded, o &+ 2)
            y[o &+ 3] = finish(F.self, (a3 + b3) + (c3 + d3), bias, padded, o &+ 3)
            o &+= 4
        }
    }

    /// Wide layers: one sum per output in increasing i, eight outputs at a time.
    @inlinable
    static func wide<F: WeightLanes>(_: F.Type, _ w: UnsafeRawPointer, _ n: Int, _ m: Int, _ padded: Int,
                                     _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        let row = padded &* F.width
        let bias = (w + n &* row).assumingMemoryBound(to: Float.self)
        var o = 0
        while o < m {
            var s0: Float = F.isScaled ? 0 : bias[o], s1: Float = F.isScaled ? 0 : bias[o &+ 1]
            var s2: Float = F.isScaled ? 0 : bias[o &+ 2], s3: Float = F.isScaled ? 0 : bias[o &+ 3]
            var s4: Float = F.isScaled ? 0 : bias[o &+ 4], s5: Float = F.isScaled ? 0 : bias[o &+ 5]
            var s6: Float = F.isScaled ? 0 : bias[o &+ 6], s7: Float = F.isScaled ? 0 : bias[o &+ 7]
            var r = w + o &* F.width
            var xp = x
            var i = n
            while i > 0 {
                let xi = xp[0]
                s0 = F.madd(s0, F.element(r, 0), xi); s1 = F.madd(s1, F.element(r, 1), xi)
                s2 = F.madd(s2, F.element(r, 2), xi); s3 = F.madd(s3, F.element(r, 3), xi)
                s4 = F.madd(s4, F.element(r, 4), xi); s5 = F.madd(s5, F.element(r, 5), xi)
                s6 = F.madd(s6, F.element(r, 6), xi); s7 = F.madd(s7, F.element(r, 7), xi)
                r += row
                xp += 1
                i &-= 1
            }
            y[o] = finish(F.self, s0, bias, padded, o); y[o &+ 1] = finish(F.self, s1, bias, padded, o &+ 1)
            y[o &+ 2] = finish(F.self, s2, bias, padded, o &+ 2); y[o &+ 3] = finish(F.self, s3, bias, padded, o &+ 3)
            y[o &+ 4] = finish(F.self, s4, bias, padded, o &+ 4); y[o &+ 5] = finish(F.self, s5, bias, padded, o &+ 5)
            y[o &+ 6] = finish(F.self, s6, bias, padded, o &+ 6); y[o &+ 7] = finish(F.self, s7, bias, padded, o &+ 7)
            o &+= 8
        }
    }

    /// The stored value of output `o`: the sum, or for int8 sum · scale[o] + b[o].
    @inlinable @inline(__always)
    static func finish<F: WeightLanes>(_: F.Type, _ sum: Float, _ bias: UnsafePointer<Float>, _ padded: Int, _ o: Int) -> Float {
        F.isScaled ? sum * bias[padded &+ o] + bias[o] : sum
    }
}
