// The division-free sigmoid of issue 18, measured and not adopted (BENCHMARKS.md,
// "A sigmoid without division"). σ(x) = 1 − L(|x|) for x > 0, else L(|x|), with
// L(u) = 1/(1 + eᵘ) by a degree-7 polynomial in t = u − 2^⌊log₂u⌋ on the octaves
// [0,1) [1,2) [2,4) [4,8) [8,16) [16,32) (coefficients from sigmoid-segments-fit.py)
// and 0 from 32 on: no division, no 2^k scaling. Compared with the runtime's
// 1/(1 + e^(−x)): the error against Float64, a dependent chain of scalar calls
// (the latency path), and SIMD16 throughput (batch and wide layers), where the
// segment's coefficients must be selected per lane (Swift's SIMD has no gather).
//   swiftc -O -target-cpu native Benchmarks/cpu/sigmoid-segments.swift -o /tmp/sigmoid-segments && taskset -c 1 /tmp/sigmoid-segments
import Glibc

@inline(never) func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) * 1e9 + Double(t.tv_nsec) }
typealias V = SIMD16<Float>

// The runtime's FloatMath.exp, copied so this file builds alone.
let log2e: Float = 1.44269504088896341, ln2Hi: Float = 0.693145752, ln2Lo: Float = 1.42860677e-6, roundingMagic: Float = 12582912
let expC2: Float = 0.49999991059303284, expC3: Float = 0.16666419804096222, expC4: Float = 0.04166822507977486
let expC5: Float = 0.008374824188649654, expC6: Float = 0.0013836835278198123
@inline(__always) func expScalar(_ v: Float) -> Float {
    let x = Swift.min(Swift.max(v, -104), 89)
    let shifted = x * log2e + roundingMagic
    let kf = shifted - roundingMagic
    let k = Int32(bitPattern: shifted.bitPattern) &- 0x4B40_0000
    let r = (x - kf * ln2Hi) - kf * ln2Lo
    let r2 = r * r, r4 = r2 * r2
    let q0 = 1 + r, q1 = expC2 + expC3 * r, q2 = (expC4 + expC5 * r) + expC6 * r2
    let p = (q0 + r2 * q1) + r4 * q2
    let k1 = k &>> 1, k2 = k &- (k &>> 1)
    return p * Float(bitPattern: UInt32(bitPattern: (k1 &+ 127) &<< 23)) * Float(bitPattern: UInt32(bitPattern: (k2 &+ 127) &<< 23))
}
@inline(__always) func expVector(_ v: V) -> V {
    let lo = V(repeating: -104), hi = V(repeating: 89)
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
    return p * unsafeBitCast((k1 &+ 127) &<< 23, to: V.self) * unsafeBitCast((k2 &+ 127) &<< 23, to: V.self)
}
@inline(__always) func sigmoidToday(_ x: Float) -> Float { 1 / (1 + expScalar(-x)) }
@inline(never) func sigmoidToday(_ x: V) -> V { 1 / (1 + expVector(-x)) }

/// 7 rows (the six octaves, then zeros from u = 32) × c₀…c₇.
let table: [Float] = [
    0.5, -0.2500002086162567, 4.507183348323451e-06, 0.020797671750187874, 0.0001375888823531568, -0.0023670773953199387, 0.000311131589114666, 5.781630170531571e-05,
    0.2689414322376251, -0.19661186635494232, 0.045427385717630386, 0.005899124778807163, -0.005189363844692707, 0.0005105265881866217, 0.00030893352231942117, -8.324657392222434e-05,
    0.11920293420553207, -0.10499429702758789, 0.039987996220588684, -0.006498427130281925, -0.0008316734456457198, 0.0007073433371260762, -0.0001628353784326464, 1.4848244973109104e-05,
    0.017986178398132324, -0.01766199618577957, 0.008511282503604889, -0.002630565082654357, 0.0005634288536384702, -8.268432429758832e-05, 7.525173714384437e-06, -3.1856586701906053e-07,
    0.0003352246421854943, -0.0003329682513140142, 0.00016072492871899158, -4.7860587073955685e-05, 9.172434147330932e-06, -1.092947513825493e-06, 7.306827143338523e-08, -2.08104200538628e-09,
    1.1179280079431919e-07, -1.048786373303301e-07, 4.308288836796237e-08, -9.613906115646387e-09, 1.2313438046973602e-09, -8.99241861529454e-11, 3.470383052109338e-12, -5.4812084775493486e-14,
    0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
]
let coefficients: UnsafeMutablePointer<Float> = {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: 56); p.initialize(from: table, count: 56); return p
}()

@inline(__always) func sigmoidSegments(_ x: Float, _ c: UnsafePointer<Float>) -> Float {
    let u = Swift.min(Swift.abs(x), 32)
    let e = Int32(bitPattern: u.bitPattern >> 23) &- 126
    let row = c + Int(Swift.min(Swift.max(e, 0), 6)) &* 8
    let t = u - (e > 0 ? Float(bitPattern: u.bitPattern & 0xFF80_0000) : 0)
    let t2 = t * t, t4 = t2 * t2
    let l = ((row[0] + row[1] * t) + t2 * (row[2] + row[3] * t)) + t4 * ((row[4] + row[5] * t) + t2 * (row[6] + row[7] * t))
    return x > 0 ? 1 - l : l
}
/// The same arithmetic on 16 lanes; each coefficient selected from the 7 rows by
/// compare-and-blend (Float compares: SIMD16<Int32> compares go lane by lane).
@inline(never) func sigmoidSegments(_ x: V, _ c: UnsafePointer<Float>) -> V {
    let ax = x.replacing(with: -x, where: x .< 0)
    let u = ax.replacing(with: V(repeating: 32), where: ax .> 32)
    let bits = unsafeBitCast(u, to: SIMD16<Int32>.self)
    let t = u - unsafeBitCast(bits & Int32(bitPattern: 0xFF80_0000), to: V.self).replacing(with: 0, where: u .< 1)
    let m1 = u .>= 1, m2 = u .>= 2, m3 = u .>= 4, m4 = u .>= 8, m5 = u .>= 16, m6 = u .>= 32
    @inline(__always) func column(_ j: Int) -> V {
        var v = V(repeating: c[j])
        v.replace(with: V(repeating: c[8 + j]), where: m1); v.replace(with: V(repeating: c[16 + j]), where: m2)
        v.replace(with: V(repeating: c[24 + j]), where: m3); v.replace(with: V(repeating: c[32 + j]), where: m4)
        v.replace(with: V(repeating: c[40 + j]), where: m5); v.replace(with: V(repeating: c[48 + j]), where: m6)
        return v
    }
    let t2 = t * t, t4 = t2 * t2
    let l = ((column(0) + column(1) * t) + t2 * (column(2) + column(3) * t)) + t4 * ((column(4) + column(5) * t) + t2 * (column(6) + column(7) * t))
    return l.replacing(with: 1 - l, where: x .> 0)
}

@inline(__always) func chain(_ f: (Float) -> Float, _ n: Int) -> Double {
    var v: Float = 0.3
    let t0 = now()
    for _ in 0..<n { v = f(v * 7.9 - 3.1) }
    let dt = now() - t0
    if v == 12345 { print(v) }
    return dt / Double(n)
}
@inline(__always) func throughput(_ f: (V) -> V, _ n: Int) -> Double {
    var acc = V(), v = V((0..<16).map { Float($0) * 1.7 - 13 })
    let t0 = now()
    for _ in 0..<n { acc += f(v); v += 0.0001 }
    let dt = now() - t0
    if acc.sum() == 12345 { print(acc) }
    return dt / Double(n)
}

var worstToday = 0.0, worstSegments = 0.0, simdAgrees = true
var x: Float = -40
while x < 40 {
    let exact = 1 / (1 + Glibc.exp(-Double(x)))
    worstToday = max(worstToday, abs(Double(sigmoidToday(x)) - exact))
    worstSegments = max(worstSegments, abs(Double(sigmoidSegments(x, coefficients)) - exact))
    var v = V(); for k in 0..<16 { v[k] = x + Float(k) * 0.3 }
    let s = sigmoidSegments(v, coefficients)
    for k in 0..<16 where s[k].bitPattern != sigmoidSegments(v[k], coefficients).bitPattern { simdAgrees = false }
    x += 0.00037
}
print("max abs error on [-40, 40): today \(worstToday), segments \(worstSegments); SIMD16 lanes = scalar: \(simdAgrees)")
for _ in 0..<3 {
    let a = chain(sigmoidToday, 20_000_000), b = chain({ sigmoidSegments($0, coefficients) }, 20_000_000)
    let c = throughput(sigmoidToday, 5_000_000), d = throughput({ sigmoidSegments($0, coefficients) }, 5_000_000)
    print("dependent scalar chain, ns/call: today \(a), segments \(b) | SIMD16, ns per 16 lanes: today \(c), segments \(d)")
}
