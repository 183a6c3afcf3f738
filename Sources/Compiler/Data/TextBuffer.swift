/// The Swift runtime's shortest round-trip formatter (SwiftDtoa), the one behind
/// `Float.description`: writes the digits into `buffer` and returns their count.
/// Declared here so prediction output can be formatted into bytes without a
/// `String` per number; `TextBufferTests` pins it to `description` for every case.
@_silgen_name("swift_float32ToString")
func _swiftFloat32ToString(_ buffer: UnsafeMutablePointer<UInt8>, _ bufferLength: UInt, _ value: Float, _ debug: Bool) -> UInt64

/// Output text assembled as bytes: numbers, labels and punctuation appended
/// without building `String`s, then written in large pieces.
///
/// `append(_ value: Float)` writes exactly `value.description` (shortest text
/// that reads back as the same Float32: "0.1", "1.0", "1e-05", "inf", "nan").
public struct TextBuffer {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    public var count: Int { bytes.count }
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    @inline(__always) public mutating func append(byte: UInt8) { bytes.append(byte) }
    public mutating func append(_ b: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: b) }
    public mutating func append(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    public mutating func append(ascii s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// The shortest round-trip text of `value` (see the type's summary).
    public mutating func append(_ value: Float) {
        // 48 bytes (SwiftDtoa needs ≤ 32), prefilled with "0": the formatter writes
        // only the significant digits and leaves zeros to the buffer.
        let zeros: UInt64 = 0x3030_3030_3030_3030
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (zeros, zeros, zeros, zeros, zeros, zeros)
        withUnsafeMutableBytes(of: &scratch) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let n = Int(_swiftFloat32ToString(p, UInt(raw.count), value, false))
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        }
    }

    /// A decimal integer.
    public mutating func append(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            var i = raw.count
            repeat { i -= 1; raw[i] = UInt8(ascii: "0") + UInt8(m % 10); m /= 10 } while m > 0
            bytes.append(contentsOf: raw[i...])
        }
    }

    /// `text` as a JSON string literal (quotes, escapes for `"` `\` and control characters).
    public mutating func appendJSONString(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        let hex: StaticString = "0123456789abcdef"
        for b in text {
            switch b {
            case UInt8(ascii: "\""): bytes.append(92); bytes.append(b)
            case 92: bytes.append(92); bytes.append(92)
            case 10: bytes.append(92); bytes.append(UInt8(ascii: "n"))
            case 13: bytes.append(92); bytes.append(UInt8(ascii: "r"))
            case 9: bytes.append(92); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7F:
                append(ascii: "\\u00")
                hex.withUTF8Buffer { h in bytes.append(h[Int(b >> 4)]); bytes.append(h[Int(b & 15)]) }
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func appendJSONString(_ text: String) {
        var t = text
        t.withUTF8 { appendJSONString($0) }
    }
}
