#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decimal text → Double, returning exactly what C's `strtod` returns (round to
/// nearest, ties to even) for every string it accepts.
///
/// Accepted: `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?`, nothing
/// before or after (the CSV reader trims the field first). Refused (nil): the empty
/// string, `inf`, `nan`, hexadecimal (`0x1p3`), a lone sign or point, an exponent
/// without digits, and anything else `strtod` would stop early on. Out-of-range
/// values come back as strtod gives them: ±infinity beyond Double, subnormals or
/// ±0 below it; the caller decides what is acceptable.
///
/// Speed: Clinger's fast path (a mantissa of ≤ 2⁵³ and a power of ten of at most
/// 22, where one correctly rounded multiply or divide is exact rounding) covers
/// what spreadsheets and `%g` write; everything else (long mantissas, big
/// exponents) goes to `strtod` itself on a NUL-terminated stack copy, so equality
/// holds by construction there. Allocates nothing for tokens under 128 bytes.
public enum FloatParser {
    /// 10ᵉ for 0 ≤ e ≤ 22, each exactly representable in a Double (a constant
    /// table: no lazy global, no array bounds check in the hot path).
    @inlinable @inline(__always)
    static func exactPowerOfTen(_ e: Int) -> Double {
        let table: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double,
                    Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double) = (
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 0)
        return withUnsafeBytes(of: table) { $0.load(fromByteOffset: e &* 8, as: Double.self) }
    }

    /// Parses `count` bytes at `p`. Returns nil when the text is not a decimal number.
    @inlinable @inline(__always)
    public static func parse(_ p: UnsafePointer<UInt8>, count: Int) -> Double? {
        var length = 0
        guard let v = parsePrefix(p, limit: count, length: &length), length == count else { return nil }
        return v
    }

    /// Parses the longest decimal number at the start of `p[0..<limit]` and sets
    /// `length` to its byte count; nil when it does not start with one. An
    /// exponent marker with no digits after it ("1e,") is not a number. The value
    /// is strtod's for exactly those `length` bytes.
    @inlinable @inline(__always)
    public static func parsePrefix(_ p: UnsafePointer<UInt8>, limit count: Int, length: inout Int) -> Double? {
        var i = 0
        var negative = false
        if i < count, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { negative = p[i] == UInt8(ascii: "-"); i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0            // significant digits taken into `mantissa` (after leading zeros)
        var dropped = false       // more than 19 significant digits: not exact, go slow
        var exponent = 0          // decimal exponent applied to `mantissa`
        var sawDigit = false
        while i < count {
            let d = p[i] &- UInt8(ascii: "0")
            guard d < 10 else { break }
            sawDigit = true
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                if mantissa != 0 { digits &+= 1 }
            } else { exponent &+= 1; dropped = true }
            i &+= 1
        }
        if i < count, p[i] == UInt8(ascii: ".") {
            i &+= 1
            while i < count {
                let d = p[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    if mantissa != 0 { digits &+= 1 }
                    exponent &-= 1
                } else { dropped = true }
                i &+= 1
            }
        }
        guard sawDigit else { return nil }
        if i < count, p[i] | 0x20 == UInt8(ascii: "e") {
            i &+= 1
            var expNegative = false
            if i < count, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { expNegative = p[i] == UInt8(ascii: "-"); i &+= 1 }
            var e = 0
            var expDigits = 0
            while i < count {
                let d = p[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                if e < 1_000_000 { e = e &* 10 &+ Int(d) }   // saturates far beyond any Double
                expDigits &+= 1
                i &+= 1
            }
            guard expDigits > 0 else { return nil }
            exponent &+= expNegative ? -e : e
        }
        length = i
        if mantissa == 0 && !dropped { return negative ? -0.0 : 0.0 }
        if !dropped, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            var v = Double(mantissa)   // exact: ≤ 2⁵³
            v = exponent < 0 ? v / exactPowerOfTen(-exponent) : v * exactPowerOfTen(exponent)
            return negative ? -v : v
        }
        return slowPath(p, count: i)
    }

    /// strtod on a NUL-terminated copy (the caller has already checked the syntax).
    @usableFromInline
    static func slowPath(_ p: UnsafePointer<UInt8>, count: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            let b = buffer.baseAddress!
            UnsafeMutableRawPointer(b).copyMemory(from: p, byteCount: count)
            b[count] = 0
            return strtod(b, nil)
        }
    }

    /// Parses the UTF-8 of `text` (convenience for flags and tests; allocates).
    public static func parse(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { u in u.isEmpty ? nil : parse(u.baseAddress!, count: u.count) }
    }
}
