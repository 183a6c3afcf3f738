/// Protocol Buffers wire-format reading (protobuf.dev/programming-guides/encoding),
/// just enough for ONNX: varints, fixed 32/64-bit words and length-delimited fields.
///
/// Every length and offset is checked against the end of the enclosing message
/// before it is used, so a reader never reads outside `bytes`, and nested
/// messages are read through `message(_:)`, which counts depth against
/// `ProtobufReader.depthLimit`. Nothing here traps on any input.
struct ProtobufReader {
    /// Nested messages deeper than this are refused (ONNX needs about 8).
    static let depthLimit = 32

    enum WireType: UInt8 { case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5 }

    /// One field's key and where its payload lies.
    struct Field {
        var number: Int
        var wireType: WireType
        /// Offset of the key in the whole file, for messages.
        var offset: Int
        /// The varint value or the fixed word (fixed32 in the low half).
        var scalar: UInt64
        /// The payload of a length-delimited field.
        var payload: Range<Int>
    }

    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int
    let depth: Int

    init(_ bytes: [UInt8]) { self.init(bytes, range: 0..<bytes.count, depth: 0) }

    private init(_ bytes: [UInt8], range: Range<Int>, depth: Int) {
        self.bytes = bytes; self.position = range.lowerBound; self.end = range.upperBound; self.depth = depth
    }

    var isAtEnd: Bool { position >= end }

    /// A reader over a length-delimited field's payload, one level deeper.
    func message(_ field: Field) throws(ONNXError) -> ProtobufReader {
        guard field.wireType == .lengthDelimited else {
            throw .wire(.wrongWireType(offset: field.offset, field: field.number, found: Int(field.wireType.rawValue), expected: 2))
        }
        guard depth + 1 <= Self.depthLimit else { throw .wire(.nestingTooDeep(offset: field.offset, limit: Self.depthLimit)) }
        return ProtobufReader(bytes, range: field.payload, depth: depth + 1)
    }

    mutating func varint() throws(ONNXError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw .wire(.truncated(offset: start, reading: "a varint")) }
            let b = bytes[position]
            position += 1
            if shift == 63 && b > 1 { throw .wire(.varintTooLong(offset: start)) }
            value |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw .wire(.varintTooLong(offset: start)) }
        }
    }

    private mutating func fixed(_ count: Int) throws(ONNXError) -> UInt64 {
        guard end - position >= count else { throw .wire(.truncated(offset: position, reading: "a \(count * 8)-bit word")) }
        var v: UInt64 = 0
        for i in 0..<count { v |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
        position += count
        return v
    }

    /// The next field, or nil at the end of the message. Groups (wire types 3
    /// and 4, unused by ONNX) are refused.
    mutating func next() throws(ONNXError) -> Field? {
        guard !isAtEnd else { return nil }
        let offset = position
        let key = try varint()
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else { throw .wire(.badFieldNumber(offset: offset, number: Int(truncatingIfNeeded: number))) }
        guard let wire = WireType(rawValue: UInt8(key & 7)), wire != .startGroup, wire != .endGroup else {
            throw .wire(.badWireType(offset: offset, field: Int(number), wireType: Int(key & 7)))
        }
        var field = Field(number: Int(number), wireType: wire, offset: offset, scalar: 0, payload: position..<position)
        switch wire {
        case .varint: field.scalar = try varint()
        case .fixed64: field.scalar = try fixed(8)
        case .fixed32: field.scalar = try fixed(4)
        case .lengthDelimited:
            let lengthAt = position
            let length = try varint()
            guard length <= UInt64(end - position) else {
                throw .wire(.lengthBeyondEnd(offset: lengthAt, length: length, left: end - position))
            }
            field.payload = position..<(position + Int(length))
            position += Int(length)
        case .startGroup, .endGroup: break
        }
        return field
    }

    // MARK: Typed payloads

    func string(_ field: Field, _ what: String) throws(ONNXError) -> String {
        let raw = try self.raw(field, what)
        guard let s = String(validating: raw, as: UTF8.self) else { throw .wire(.notUTF8(offset: field.offset, what: what)) }
        return s
    }

    func raw(_ field: Field, _ what: String) throws(ONNXError) -> ArraySlice<UInt8> {
        guard field.wireType == .lengthDelimited else {
            throw .wire(.wrongWireType(offset: field.offset, field: field.number, found: Int(field.wireType.rawValue), expected: 2))
        }
        return bytes[field.payload]
    }

    func int64(_ field: Field) throws(ONNXError) -> Int64 {
        guard field.wireType == .varint else {
            throw .wire(.wrongWireType(offset: field.offset, field: field.number, found: Int(field.wireType.rawValue), expected: 0))
        }
        return Int64(bitPattern: field.scalar)
    }

    func float32(_ field: Field) throws(ONNXError) -> Float {
        guard field.wireType == .fixed32 else {
            throw .wire(.wrongWireType(offset: field.offset, field: field.number, found: Int(field.wireType.rawValue), expected: 5))
        }
        return Float(bitPattern: UInt32(truncatingIfNeeded: field.scalar))
    }

    /// A repeated int64 field's values, packed or not, appended to `out`.
    func appendInt64s(_ field: Field, to out: inout [Int64], limit: Int) throws(ONNXError) {
        if field.wireType == .varint { out.append(Int64(bitPattern: field.scalar)) }
        else {
            var r = try message(field)
            while !r.isAtEnd {
                guard out.count < limit else { throw .wire(.tooManyValues(offset: field.offset, limit: limit)) }
                out.append(Int64(bitPattern: try r.varint()))
            }
        }
        guard out.count <= limit else { throw .wire(.tooManyValues(offset: field.offset, limit: limit)) }
    }

    /// A repeated float or double field's values (packed or not), widened to Double.
    func appendFloats(_ field: Field, width: Int, to out: inout [Double], limit: Int) throws(ONNXError) {
        let single: WireType = width == 4 ? .fixed32 : .fixed64
        if field.wireType == single {
            out.append(width == 4 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: field.scalar))) : Double(bitPattern: field.scalar))
        } else {
            let payload = try raw(field, "packed values")
            guard payload.count % width == 0 else {
                throw .wire(.packedLength(offset: field.offset, length: payload.count, elementWidth: width))
            }
            guard out.count + payload.count / width <= limit else { throw .wire(.tooManyValues(offset: field.offset, limit: limit)) }
            out.reserveCapacity(out.count + payload.count / width)
            ProtobufReader.decodeLittleEndian(payload, width: width, into: &out)
        }
        guard out.count <= limit else { throw .wire(.tooManyValues(offset: field.offset, limit: limit)) }
    }

    /// Little-endian float32 (`width` 4) or float64 (8) words, widened to Double.
    static func decodeLittleEndian(_ payload: ArraySlice<UInt8>, width: Int, into out: inout [Double]) {
        var i = payload.startIndex
        while i + width <= payload.endIndex {
            var v: UInt64 = 0
            for k in 0..<width { v |= UInt64(payload[i + k]) << (8 * UInt64(k)) }
            out.append(width == 4 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: v))) : Double(bitPattern: v))
            i += width
        }
    }
}
