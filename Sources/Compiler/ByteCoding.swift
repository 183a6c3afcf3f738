/// Little-endian byte assembly for the files the compiler writes.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func raw(_ b: [UInt8]) { bytes += b }
}

/// Bounds-checked little-endian reading; every read that would pass the end throws.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset = 0
    let file: String

    init(_ bytes: [UInt8], file: String) { self.bytes = bytes; self.file = file }

    private mutating func take(_ n: Int, _ what: String) throws(DataError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - offset else {
            throw DataError(file: file, .truncated(offset: offset, reading: what, needed: n, left: bytes.count - offset))
        }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }
    private mutating func integer<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws(DataError) -> T {
        var v: T = 0
        for (i, b) in try take(MemoryLayout<T>.size, what).enumerated() { v |= T(b) << (8 * i) }
        return v
    }
    mutating func u8(_ what: String) throws(DataError) -> UInt8 { try integer(UInt8.self, what) }
    mutating func u32(_ what: String) throws(DataError) -> UInt32 { try integer(UInt32.self, what) }
    mutating func u64(_ what: String) throws(DataError) -> UInt64 { try integer(UInt64.self, what) }
    mutating func f64(_ what: String) throws(DataError) -> Double { Double(bitPattern: try u64(what)) }
    mutating func bytes(_ n: Int, _ what: String) throws(DataError) -> [UInt8] { Array(try take(n, what)) }
}
