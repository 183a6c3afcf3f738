import FixedNet

/// The narrowing of one layer's Float64 weights to a blob element type: the one
/// place where weights lose precision.
enum Quantization {
    /// The binary16 bit pattern nearest to `v` (ties to even), rounded once from
    /// the Float64 value; nil when |v| rounds beyond the largest half, 65504.
    static func halfBits(_ v: Double) -> UInt16? {
        let sign: UInt16 = v.sign == .minus ? 0x8000 : 0
        let a = Swift.abs(v)
        guard a.isFinite else { return nil }
        if a == 0 { return sign }
        if a < 0x1p-14 {
            // Subnormal (or rounding up into the smallest normal): units of 2⁻²⁴, exact scaling.
            let q = (a * 0x1p24).rounded(.toNearestOrEven)
            return sign | UInt16(q)
        }
        var e = Int(a.exponent)
        var fraction = ((a.significand - 1) * 1024).rounded(.toNearestOrEven)
        if fraction == 1024 { e += 1; fraction = 0 }
        guard e + 15 < 31 else { return nil }
        return sign | UInt16((e + 15) << 10) | UInt16(fraction)
    }

    /// Symmetric per-output int8: scale[o] = max over inputs |W[i][o]| / 127
    /// (Float32), q = W / scale rounded to nearest (ties to even) and clamped to
    /// ±127. An all-zero column gets scale 0 and q 0. `weights` is `[in][out]`
    /// unpadded; the result is padded to `padded` lanes.
    static func int8(_ weights: [Double], inputCount n: Int, outputCount m: Int, padded: Int) -> (q: [Int8], scales: [Float]) {
        var scales = [Float](repeating: 0, count: padded)
        var q = [Int8](repeating: 0, count: n * padded)
        for o in 0..<m {
            var top = 0.0
            for i in 0..<n { top = Swift.max(top, Swift.abs(weights[i * m + o])) }
            let s = Float(top / 127)
            scales[o] = s
            guard s > 0 else { continue }
            for i in 0..<n {
                let r = (weights[i * m + o] / Double(s)).rounded(.toNearestOrEven)
                q[i * padded + o] = Int8(Swift.max(-127, Swift.min(127, r)))
            }
        }
        return (q, scales)
    }
}
