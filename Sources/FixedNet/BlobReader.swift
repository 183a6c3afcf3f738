/// Little-endian reads at byte offsets the caller has already bounds-checked.
/// Every load is `loadUnaligned`, so any alignment of the source is safe.
@usableFromInline
struct BlobReader {
    @usableFromInline let base: UnsafeRawPointer

    @inlinable init(_ base: UnsafeRawPointer) { self.base = base }

    @inlinable func u8(_ o: Int) -> Int { Int(base.load(fromByteOffset: o, as: UInt8.self)) }
    @inlinable func u16(_ o: Int) -> Int { Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt16.self))) }
    @inlinable func u32(_ o: Int) -> Int { Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt32.self))) }
    @inlinable func u64(_ o: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
    @inlinable func f32(_ o: Int) -> Float { Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: o, as: UInt32.self))) }
    @inlinable func f64(_ o: Int) -> Double { Double(bitPattern: u64(o)) }
}
