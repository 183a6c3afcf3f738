import Foundation

/// Parses one CSV line of plain numbers straight from its UTF-8 bytes with strtod.
/// Returns false for anything else (quotes, text, NaN/Inf, wrong count), and the
/// caller then re-parses the line with `CSVReader` for an exact error message.
enum FastRowParser {
    static func parse(_ line: String, into x: inout [Float]) -> Bool {
        var line = line
        return line.withUTF8 { bytes -> Bool in
            // strtod needs a terminator: copy into a small stack-like buffer.
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buf -> Bool in
                for (i, b) in bytes.enumerated() {
                    if b == UInt8(ascii: "\"") { return false }
                    buf[i] = CChar(bitPattern: b)
                }
                buf[bytes.count] = 0
                var p = buf.baseAddress!
                let end = buf.baseAddress! + bytes.count
                for i in 0..<x.count {
                    var next: UnsafeMutablePointer<CChar>? = nil
                    let v = strtod(p, &next)
                    guard let n = next, n != p, v.isFinite else { return false }
                    var q = n
                    while q < end, q.pointee == 0x20 || q.pointee == 0x09 || q.pointee == 0x0D { q += 1 }
                    x[i] = Float(v)
                    if i + 1 < x.count {
                        guard q < end, q.pointee == 0x2C else { return false }   // ","
                        p = q + 1
                    } else {
                        guard q == end else { return false }
                    }
                }
                return true
            }
        }
    }
}
