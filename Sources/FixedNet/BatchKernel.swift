/// Y = b + X·W for a tile of rows, on the blob's `[in][out]` layout: the
/// register-blocked, cache-blocked GEMM behind `predictBatch`, for every
/// element type (`WeightLanes`). Only for wide layers
/// (`DenseKernel.partialSums == 1`); every output lane is still one sequential
/// chain acc = b[o] (int8: 0), acc = acc + W[i][o]·x[i] for i = 0, 1, … (a
/// multiply then an add), then for int8 acc·scale[o] + b[o], so each row is
/// bit-identical to `DenseKernel.forward`. Each weight is widened once per
/// group of 4 rows.
///
/// Blocking, 32 vector registers (AVX-512): 64 output lanes × `kBlock` inputs
/// of W (32 KiB, held in L1) are reused by every group of 4 rows; a 4 × 64
/// register tile (16 SIMD16 accumulators) shares each weight load across 4
/// rows. 16 registers (AVX2): `forward16`, 6 × 16 tiles over input blocks of
/// `kBlock16`. Partial sums leave the registers only between input blocks,
/// through Y itself (a Float32 store and load are exact). Allocates nothing.
public enum BatchKernel {
    /// Inputs per cache block of the 32-register path: 128 × 64 lanes × 4 bytes
    /// = 32 KiB of weights.
    public static let kBlock = 128
    /// Inputs per block of the 16-register path (`forward16`): 256 × 4 bytes of
    /// each of 6 rows (6 KiB, in L1) against 256 rows of weights (128 KiB at 128
    /// lanes, in L2); 2% faster fused than 128 on 784-128-64-10 (Zen 3).
    public static let kBlock16 = 256

    /// The Float32 GEMM (`forward(Float32Lanes.self, …)`).
    @inlinable
    public static func forward(
        weights w: UnsafeRawPointer, inputCount n: Int, padded: Int,
        x: UnsafePointer<Float>, ldx: Int, y: UnsafeMutablePointer<Float>, ldy: Int, rows: Int
    ) {
        forward(Float32Lanes.self, weights: w, inputCount: n, padded: padded, x: x, ldx: ldx, y: y, ldy: ldy, rows: rows)
    }

    /// `rows` rows: x row r at `x + r·ldx` (inputCount floats), y row r at
    /// `y + r·ldy` (padded floats). `padded` is a multiple of 16. `wideTiles`:
    /// 4 × 64 register tiles (32 vector registers: AVX-512), else 6 × 16 tiles
    /// (16 registers: AVX2); the same bits either way.
    @inlinable
    public static func forward<F: WeightLanes>(
        _: F.Type, weights w: UnsafeRawPointer, inputCount n: Int, padded: Int,
        x: UnsafePointer<Float>, ldx: Int, y: UnsafeMutablePointer<Float>, ldy: Int, rows: Int,
        wideTiles: Bool = Platform.hasWideVectorRegisters
    ) {
        if !wideTiles {
            forward16(F.self, weights: w, inputCount: n, padded: padded, x: x, ldx: ldx, y: y, ldy: ldy, rows: rows)
            return
        }
        let stride = padded * F.width
        let bias = w + n * stride
        var col = 0
        while col < padded {
            let width = padded - col >= 64 ? 64 : 16
            var k0 = 0
            repeat {
                let k1 = min(n, k0 + kBlock)
                var r = 0
                // The first block's sums start at the biases (int8: at 0); later ones at what Y holds.
                let fromBias = k0 == 0 && !F.isScaled, fromZero = k0 == 0 && F.isScaled
                while r + 4 <= rows {
                    if width == 64 {
                        tile4x64(F.self, w: w + k0 * stride + col * F.width, stride: stride, x: x + r * ldx + k0, ldx: ldx,
                                 y: y + r * ldy + col, ldy: ldy, count: k1 - k0, bias: fromBias ? bias + col * 4 : nil, zero: fromZero)
                    } else {
                        for q in 0..<4 {
                            tile1x16(F.self, w: w + k0 * stride + col * F.width, stride: stride, x: x + (r + q) * ldx + k0,
                                     y: y + (r + q) * ldy + col, count: k1 - k0, bias: fromBias ? bias + col * 4 : nil, zero: fromZero)
                        }
                    }
                    r += 4
                }
                while r < rows {
                    var c = 0
                    while c < width {
                        tile1x16(F.self, w: w + k0 * stride + (col + c) * F.width, stride: stride, x: x + r * ldx + k0,
                                 y: y + r * ldy + col + c, count: k1 - k0, bias: fromBias ? bias + (col + c) * 4 : nil, zero: fromZero)
                        c += 16
                    }
                    r += 1
                }
                k0 = k1
            } while k0 < n
            if F.isScaled { scale(rows: rows, bias: bias, padded: padded, from: col, to: col + width, y: y, ldy: ldy) }
            col += width
        }
    }

    /// The 16-register path (AVX2): for each input block, for each group of 6
    /// rows, every 16-lane column. The group's 6 × `kBlock16` inputs stay in L1
    /// while the block's weights stream from L2, and a taller tile of rows reads
    /// the weights fewer times per row.
    /// Every lane's chain is still b, then i = 0, 1, … in order: the same bits.
    @inlinable @inline(__always)
    static func forward16<F: WeightLanes>(
        _: F.Type, weights w: UnsafeRawPointer, inputCount n: Int, padded: Int,
        x: UnsafePointer<Float>, ldx: Int, y: UnsafeMutablePointer<Float>, ldy: Int, rows: Int
    ) {
        let stride = padded * F.width
        let bias = w + n * stride
        var k0 = 0
        repeat {
            let k1 = min(n, k0 + kBlock16)
            let fromBias = k0 == 0 && !F.isScaled, fromZero = k0 == 0 && F.isScaled
            var r = 0
            while r < rows {
                let take = min(6, rows - r)
                var c = 0
                while c < padded {
                    tile6x16(F.self, rows: take, w: w + k0 * stride + c * F.width, stride: stride, x: x + r * ldx + k0, ldx: ldx,
                             y: y + r * ldy + c, ldy: ldy, count: k1 - k0, bias: fromBias ? bias + c * 4 : nil, zero: fromZero)
                    c += 16
                }
                r += 6
            }
            k0 = k1
        } while k0 < n
        if F.isScaled { scale(rows: rows, bias: bias, padded: padded, from: 0, to: padded, y: y, ldy: ldy) }
    }

    /// int8: y = sum · scale + b on lanes `from..<to` of every row, after the last input block.
    @inlinable @inline(__always)
    static func scale(rows: Int, bias: UnsafeRawPointer, padded: Int, from: Int, to: Int, y: UnsafeMutablePointer<Float>, ldy: Int) {
        for r in 0..<rows {
            var c = from
            while c < to {
                let out = UnsafeMutableRawPointer(y + r * ldy + c)
                let b = bias.loadUnaligned(fromByteOffset: c * 4, as: SIMD16<Float>.self)
                let s = bias.loadUnaligned(fromByteOffset: (padded + c) * 4, as: SIMD16<Float>.self)
                out.storeBytes(of: out.loadUnaligned(as: SIMD16<Float>.self) * s + b, as: SIMD16<Float>.self)
                c += 16
            }
        }
    }

    /// 4 rows × 64 lanes over `count` inputs. Accumulators start at `bias` or at 0
    /// (`zero`: int8) in the first input block, at what Y holds in the later ones.
    @inlinable @inline(__always)
    static func tile4x64<F: WeightLanes>(_: F.Type, w: UnsafeRawPointer, stride: Int, x: UnsafePointer<Float>, ldx: Int,
                                         y: UnsafeMutablePointer<Float>, ldy: Int, count: Int, bias: UnsafeRawPointer?,
                                         zero: Bool) {
        typealias V = SIMD16<Float>
        let y0 = UnsafeMutableRawPointer(y), y1 = UnsafeMutableRawPointer(y + ldy)
        let y2 = UnsafeMutableRawPointer(y + 2 * ldy), y3 = UnsafeMutableRawPointer(y + 3 * ldy)
        let s0 = bias ?? UnsafeRawPointer(y0), s1 = bias ?? UnsafeRawPointer(y1)
        let s2 = bias ?? UnsafeRawPointer(y2), s3 = bias ?? UnsafeRawPointer(y3)
        @inline(__always) func load(_ p: UnsafeRawPointer, _ o: Int) -> V { zero ? V() : p.loadUnaligned(fromByteOffset: o, as: V.self) }
        var a00 = load(s0, 0), a01 = load(s0, 64), a02 = load(s0, 128), a03 = load(s0, 192)
        var a10 = load(s1, 0), a11 = load(s1, 64), a12 = load(s1, 128), a13 = load(s1, 192)
        var a20 = load(s2, 0), a21 = load(s2, 64), a22 = load(s2, 128), a23 = load(s2, 192)
        var a30 = load(s3, 0), a31 = load(s3, 64), a32 = load(s3, 128), a33 = load(s3, 192)
        var row = w
        let lane = 16 * F.width
        let x1 = x + ldx, x2 = x + 2 * ldx, x3 = x + 3 * ldx
        for i in 0..<count {
            let w0 = F.lanes(row, 0), w1 = F.lanes(row, lane)
            let w2 = F.lanes(row, 2 * lane), w3 = F.lanes(row, 3 * lane)
            let b0 = V(repeating: x[i])
            a00 = F.madd(a00, w0, b0); a01 = F.madd(a01, w1, b0); a02 = F.madd(a02, w2, b0); a03 = F.madd(a03, w3, b0)
            let b1 = V(repeating: x1[i])
            a10 = F.madd(a10, w0, b1); a11 = F.madd(a11, w1, b1); a12 = F.madd(a12, w2, b1); a13 = F.madd(a13, w3, b1)
            let b2 = V(repeating: x2[i])
            a20 = F.madd(a20, w0, b2); a21 = F.madd(a21, w1, b2); a22 = F.madd(a22, w2, b2); a23 = F.madd(a23, w3, b2)
            let b3 = V(repeating: x3[i])
            a30 = F.madd(a30, w0, b3); a31 = F.madd(a31, w1, b3); a32 = F.madd(a32, w2, b3); a33 = F.madd(a33, w3, b3)
            row += stride
        }
        y0.storeBytes(of: a00, as: V.self); y0.storeBytes(of: a01, toByteOffset: 64, as: V.self)
        y0.storeBytes(of: a02, toByteOffset: 128, as: V.self); y0.storeBytes(of: a03, toByteOffset: 192, as: V.self)
        y1.storeBytes(of: a10, as: V.self); y1.storeBytes(of: a11, toByteOffset: 64, as: V.self)
        y1.storeBytes(of: a12, toByteOffset: 128, as: V.self); y1.storeBytes(of: a13, toByteOffset: 192, as: V.self)
        y2.storeBytes(of: a20, as: V.self); y2.storeBytes(of: a21, toByteOffset: 64, as: V.self)
        y2.storeBytes(of: a22, toByteOffset: 128, as: V.self); y2.storeBytes(of: a23, toByteOffset: 192, as: V.self)
        y3.storeBytes(of: a30, as: V.self); y3.storeBytes(of: a31, toByteOffset: 64, as: V.self)
        y3.storeBytes(of: a32, toByteOffset: 128, as: V.self); y3.storeBytes(of: a33, toByteOffset: 192, as: V.self)
    }

    /// 6 rows × 16 lanes over `count` inputs: the tile for 16 vector registers
    /// (AVX2, where a SIMD16<Float> takes two ymm registers and the 4 × 64 tile's
    /// 16 accumulators spill): 6 accumulators in 12 registers, 2 for the weights,
    /// 1 broadcast. `rows` ≤ 6 real rows; the others repeat the last (never stored).
    @inlinable @inline(__always)
    static func tile6x16<F: WeightLanes>(_: F.Type, rows: Int, w: UnsafeRawPointer, stride: Int, x: UnsafePointer<Float>, ldx: Int,
                                         y: UnsafeMutablePointer<Float>, ldy: Int, count: Int, bias: UnsafeRawPointer?,
                                         zero: Bool) {
        typealias V = SIMD16<Float>
        let r1 = rows > 1 ? 1 : 0, r2 = rows > 2 ? 2 : r1, r3 = rows > 3 ? 3 : r2, r4 = rows > 4 ? 4 : r3, r5 = rows > 5 ? 5 : r4
        let y0 = UnsafeMutableRawPointer(y), y1 = UnsafeMutableRawPointer(y + r1 * ldy), y2 = UnsafeMutableRawPointer(y + r2 * ldy)
        let y3 = UnsafeMutableRawPointer(y + r3 * ldy), y4 = UnsafeMutableRawPointer(y + r4 * ldy), y5 = UnsafeMutableRawPointer(y + r5 * ldy)
        @inline(__always) func start(_ yr: UnsafeMutableRawPointer) -> V { zero ? V() : (bias ?? UnsafeRawPointer(yr)).loadUnaligned(as: V.self) }
        var a0 = start(y0), a1 = start(y1), a2 = start(y2), a3 = start(y3), a4 = start(y4), a5 = start(y5)
        let x1 = x + r1 * ldx, x2 = x + r2 * ldx, x3 = x + r3 * ldx, x4 = x + r4 * ldx, x5 = x + r5 * ldx
        var row = w
        for i in 0..<count {
            let wv = F.lanes(row, 0)
            a0 = F.madd(a0, wv, V(repeating: x[i])); a1 = F.madd(a1, wv, V(repeating: x1[i]))
            a2 = F.madd(a2, wv, V(repeating: x2[i])); a3 = F.madd(a3, wv, V(repeating: x3[i]))
            a4 = F.madd(a4, wv, V(repeating: x4[i])); a5 = F.madd(a5, wv, V(repeating: x5[i]))
            row += stride
        }
        if rows > 5 { y5.storeBytes(of: a5, as: V.self) }
        if rows > 4 { y4.storeBytes(of: a4, as: V.self) }
        if rows > 3 { y3.storeBytes(of: a3, as: V.self) }
        if rows > 2 { y2.storeBytes(of: a2, as: V.self) }
        if rows > 1 { y1.storeBytes(of: a1, as: V.self) }
        y0.storeBytes(of: a0, as: V.self)
    }

    /// 1 row × 16 lanes: the remainder tile.
    @inlinable @inline(__always)
    static func tile1x16<F: WeightLanes>(_: F.Type, w: UnsafeRawPointer, stride: Int, x: UnsafePointer<Float>,
                                         y: UnsafeMutablePointer<Float>, count: Int, bias: UnsafeRawPointer?, zero: Bool) {
        typealias V = SIMD16<Float>
        let out = UnsafeMutableRawPointer(y)
        var a = zero ? V() : (bias ?? UnsafeRawPointer(out)).loadUnaligned(as: V.self)
        var row = w
        for i in 0..<count {
            a = F.madd(a, F.lanes(row, 0), V(repeating: x[i]))
            row += stride
        }
        out.storeBytes(of: a, as: V.self)
    }
}
