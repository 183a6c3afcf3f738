/// Float32 elementary functions in pure Swift (the standard library has none, and
/// the runtime may not import libm). Each has a scalar and a `SIMD16` form that
/// run the same operations in the same order, so lane i of the SIMD form is
/// bit-identical to the scalar form on the same input (tested). On
/// microcontrollers (`Platform.isMicrocontroller`) the runtime takes the scalar
/// forms, and linking with `--gc-sections` drops the SIMD16 ones.
///
/// Error bounds, measured against Float64 references over dense sweeps
/// (Tests/FixedNetTests/FloatMathTests.swift):
/// - `exp`: ≤ 2 ulp relative for results ≥ 2⁻¹²⁶; 0 below e⁻¹⁰⁴; +∞ above 88.73.
/// - `log1p` on [0, 1]: ≤ 2e-7 absolute.
/// - `erf`: ≤ 2e-7 absolute (Maclaurin series below |x| = 1, Abramowitz–Stegun 7.1.26 above).
public enum FloatMath {
    // exp: x = k·ln2 + r, |r| ≤ ln2/2, e^r by a degree-6 minimax polynomial (relative
    // error 1.9e-9 before rounding) in Estrin form, (c₀ + c₁r) + r²(c₂ + c₃r) +
    // r⁴((c₄ + c₅r) + c₆r²): 13 cycles of latency where Horner's 7 steps took 35.
    // Scaled by 2^k in two steps so k down to −150 stays exact.
    @usableFromInline static let log2e: Float = 1.44269504088896341
    @usableFromInline static let ln2Hi: Float = 0.693145752   // 0x3f317200: k·ln2Hi is exact for |k| ≤ 2¹¹
    @usableFromInline static let ln2Lo: Float = 1.42860677e-6
    /// 1.5·2²³: adding it rounds to an integer held in the low mantissa bits.
    @usableFromInline static let roundingMagic: Float = 12582912
    @usableFromInline static let expLow: Float = -104
    @usableFromInline static let expHigh: Float = 89
    /// c₂…c₆ of the degree-6 fit (c₀ = c₁ = 1): weighted least squares on 4,000
    /// Chebyshev nodes of [−ln2/2, ln2/2], iterated towards minimax, rounded to Float32.
    @usableFromInline static let expC2: Float = 0.49999991059303284
    @usableFromInline static let expC3: Float = 0.16666419804096222
    @usableFromInline static let expC4: Float = 0.04166822507977486
    @usableFromInline static let expC5: Float = 0.008374824188649654
    @usableFromInline static let expC6: Float = 0.0013836835278198123

    /// Out of line on purpose: every scalar activation calls it, and one shared copy
    /// keeps an embedded build ~1 KB smaller. Hot SIMD paths use the SIMD16 form.
    @inline(never)
    public static func exp(_ v: Float) -> Float {
        let x = Swift.min(Swift.max(v, expLow), expHigh)
        let shifted = x * log2e + roundingMagic
        let kf = shifted - roundingMagic
        let k = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
        let r = (x - kf * ln2Hi) - kf * ln2Lo
        let r2 = r * r, r4 = r2 * r2
        let q0 = 1 + r, q1 = expC2 + expC3 * r, q2 = (expC4 + expC5 * r) + expC6 * r2
        let p = (q0 + r2 * q1) + r4 * q2
        let k1 = k &>> 1, k2 = k &- (k &>> 1)
        let s1 = Float(bitPattern: UInt32(bitPattern: (k1 &+ 127) &<< 23))
        let s2 = Float(bitPattern: UInt32(bitPattern: (k2 &+ 127) &<< 23))
        return p * s1 * s2
    }

    /// Always inlined: as a call, the SIMD16 argument and result cross in four XMM
    /// registers each (inserts, extracts, `vzeroupper`), 1/3 of the sigmoid's time.
    @inlinable @inline(__always)
    public static func exp(_ v: SIMD16<Float>) -> SIMD16<Float> {
        // Swift.min(Swift.max(v, lo), hi) lane by lane, as compare-and-select:
        // pointwiseMin/Max become a per-lane loop through memory without AVX.
        let lo = SIMD16<Float>(repeating: expLow), hi = SIMD16<Float>(repeating: expHigh)
        let floored = v.replacing(with: lo, where: v .<= lo)
        let x = floored.replacing(with: hi, where: floored .> hi)
        let shifted = x * log2e + roundingMagic
        let kf = shifted - roundingMagic
        let k = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
        let r = (x - kf * ln2Hi) - kf * ln2Lo
        let r2 = r * r, r4 = r2 * r2
        let q0 = 1 + r, q1 = expC2 + expC3 * r, q2 = (expC4 + expC5 * r) + expC6 * r2
        let p = (q0 + r2 * q1) + r4 * q2
        let k1 = k &>> 1, k2 = k &- (k &>> 1)
        let s1 = unsafeBitCast((k1 &+ 127) &<< 23, to: SIMD16<Float>.self)
        let s2 = unsafeBitCast((k2 &+ 127) &<< 23, to: SIMD16<Float>.self)
        return p * s1 * s2
    }

    // log1p(u) for u ∈ [0, 1]: m = 1 + u ∈ [1, 2]; above √2 use ln2 + log(m/2) so the
    // argument of the series s = (m − 1)/(m + 1) stays within |s| ≤ 0.1716, where
    // 2(s + s³/3 + … + s⁹/9) truncates at 2s¹¹/11 ≤ 7e-10.
    @inlinable
    public static func log1pUnit(_ u: Float) -> Float {
        let m = 1 + u
        let big = m > 1.41421356
        let mm = big ? m * 0.5 : m
        let s = (mm - 1) / (mm + 1)
        let s2 = s * s
        var q: Float = 1.0 / 9
        q = q * s2 + 1.0 / 7
        q = q * s2 + 1.0 / 5
        q = q * s2 + 1.0 / 3
        q = q * s2 + 1
        let l = 2 * s * q
        return big ? l + 0.693147181 : l
    }

    @inlinable
    public static func log1pUnit(_ u: SIMD16<Float>) -> SIMD16<Float> {
        let m = 1 + u
        let big = m .> 1.41421356
        let mm = m.replacing(with: m * 0.5, where: big)
        let s = (mm - 1) / (mm + 1)
        let s2 = s * s
        var q = SIMD16<Float>(repeating: 1.0 / 9)
        q = q * s2 + 1.0 / 7
        q = q * s2 + 1.0 / 5
        q = q * s2 + 1.0 / 3
        q = q * s2 + 1
        let l = 2 * s * q
        return l.replacing(with: l + 0.693147181, where: big)
    }

    // erf(x) = sign(x)·(1 − t·poly(t)·e^(−x²)), t = 1/(1 + p|x|) (Abramowitz–Stegun 7.1.26).
    @usableFromInline static let erfP: Float = 0.3275911
    @usableFromInline static let erfA: (Float, Float, Float, Float, Float) = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)

    // For |x| < 1, the Maclaurin series 2/√π·Σ (−1)ⁿx²ⁿ⁺¹/(n!(2n+1)) to n = 9
    // (truncation ≤ 1/(10!·21)·1.13 ≈ 1.5e-8) avoids the cancellation of 1 − … near 0.
    @usableFromInline static let erfSeries: (Float, Float, Float, Float, Float, Float, Float, Float, Float, Float) = (
        1.128379167, -0.3761263890, 0.1128379167, -0.02686617064, 0.005223977625,
        -0.0008548327024, 0.0001205533, -0.00001492565, 1.6462e-6, -1.6365e-7)

    @inlinable
    public static func erf(_ x: Float) -> Float {
        let ax = Swift.abs(x)
        let t = 1 / (1 + erfP * ax)
        var p = erfA.4
        p = p * t + erfA.3
        p = p * t + erfA.2
        p = p * t + erfA.1
        p = p * t + erfA.0
        let tail = 1 - p * t * exp(-(ax * ax))
        let x2 = x * x
        var q = erfSeries.9
        q = q * x2 + erfSeries.8
        q = q * x2 + erfSeries.7
        q = q * x2 + erfSeries.6
        q = q * x2 + erfSeries.5
        q = q * x2 + erfSeries.4
        q = q * x2 + erfSeries.3
        q = q * x2 + erfSeries.2
        q = q * x2 + erfSeries.1
        q = q * x2 + erfSeries.0
        let small = q * ax
        let y = ax < 1 ? small : tail
        return x < 0 ? -y : y
    }

    @inlinable
    public static func erf(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let ax = x.replacing(with: -x, where: x .< 0)
        let t = 1 / (1 + erfP * ax)
        var p = SIMD16<Float>(repeating: erfA.4)
        p = p * t + erfA.3
        p = p * t + erfA.2
        p = p * t + erfA.1
        p = p * t + erfA.0
        let tail = 1 - p * t * exp(-(ax * ax))
        let x2 = x * x
        var q = SIMD16<Float>(repeating: erfSeries.9)
        q = q * x2 + erfSeries.8
        q = q * x2 + erfSeries.7
        q = q * x2 + erfSeries.6
        q = q * x2 + erfSeries.5
        q = q * x2 + erfSeries.4
        q = q * x2 + erfSeries.3
        q = q * x2 + erfSeries.2
        q = q * x2 + erfSeries.1
        q = q * x2 + erfSeries.0
        let small = q * ax
        let y = tail.replacing(with: small, where: ax .< 1)
        return y.replacing(with: -y, where: x .< 0)
    }
}
