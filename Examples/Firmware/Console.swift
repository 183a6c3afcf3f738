// Console output without `print` (which costs ~26 KB of text in Embedded Swift):
// a line is built in one static buffer (not on the stack, which the firmware
// measures) and written once.

/// The one line buffer (192 bytes, in .bss). The firmware is single-threaded.
nonisolated(unsafe) var lineBuffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                     UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                                     UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
    (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

/// A line of text of at most 191 bytes, written by `end()`. Longer text is cut.
/// One line at a time: starting a line discards one not yet ended.
struct Line: ~Copyable {
    private var count = 0
    static var capacity: Int { 191 }

    init(_ text: StaticString) { add(text) }

    mutating func byte(_ b: UInt8) {
        guard count < Line.capacity else { return }
        let n = count
        withUnsafeMutableBytes(of: &lineBuffer) { $0[n] = b }
        count += 1
    }

    mutating func add(_ text: StaticString) {
        let p = text.utf8Start
        for i in 0..<text.utf8CodeUnitCount { byte(p[i]) }
    }

    /// Unsigned decimal.
    mutating func add(_ value: UInt64) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var n = 0, v = value
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[n] = UInt8(truncatingIfNeeded: v % 10) + 48; v /= 10; n += 1 } while v > 0
        }
        withUnsafeBytes(of: &digits) { d in
            while n > 0 { n -= 1; byte(d[n]) }
        }
    }

    mutating func add(_ value: Int) {
        if value < 0 { byte(45); add(UInt64(-value)) } else { add(UInt64(value)) }
    }

    /// `0x` and `digits` hexadecimal digits, most significant first.
    mutating func hex(_ value: UInt64, digits: Int) {
        add("0x")
        var shift = (digits - 1) * 4
        while shift >= 0 {
            let d = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & 15)
            byte(d < 10 ? 48 + d : 87 + d)
            shift -= 4
        }
    }

    /// A Float32 as its exact bit pattern, `0x3f800000`: what the host diff compares.
    mutating func bits(_ value: Float) { hex(UInt64(value.bitPattern), digits: 8) }

    mutating func bytes(_ raw: UnsafeRawBufferPointer) { for b in raw { byte(b) } }

    consuming func end() {
        byte(10)
        let n = count
        withUnsafeBytes(of: &lineBuffer) { boardWrite($0.baseAddress!.assumingMemoryBound(to: UInt8.self), n) }
    }
}
