/// The 64-bit hash behind the checksum and the model hash.
///
/// Four independent lanes each absorb one 64-bit word per 32-byte stripe:
/// h = rotl((h ^ w) &* P, 31). Each step is a bijection of h for a fixed word and of
/// the word for a fixed h, and the final mix is a bijection of each lane in turn, so
/// a change confined to one word (every single-bit flip) always changes the hash.
/// Not cryptographic. Allocates nothing.
public enum BlobHash {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    @inline(__always)
    static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x &<< r) | (x &>> (64 &- r)) }

    @inline(__always)
    static func word(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Hash of `count` bytes at `base`.
    public static func hash(_ base: UnsafeRawPointer, count: Int, seed: UInt64) -> UInt64 {
        var l0 = seed ^ prime1, l1 = seed &+ prime2, l2 = ~seed, l3 = seed &* prime1
        var i = 0
        while i + 32 <= count {
            l0 = rotl((l0 ^ word(base, i)) &* prime1, 31)
            l1 = rotl((l1 ^ word(base, i + 8)) &* prime1, 31)
            l2 = rotl((l2 ^ word(base, i + 16)) &* prime1, 31)
            l3 = rotl((l3 ^ word(base, i + 24)) &* prime1, 31)
            i += 32
        }
        while i + 8 <= count {
            l0 = rotl((l0 ^ word(base, i)) &* prime1, 31)
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) &<< shift
            shift += 8
            i += 1
        }
        l1 = rotl((l1 ^ tail) &* prime1, 31)
        var h = l0 &* prime2
        h = (h ^ l1) &* prime2
        h = (h ^ l2) &* prime2
        h = (h ^ l3) &* prime2
        h ^= UInt64(truncatingIfNeeded: count)
        // Avalanche (each step invertible).
        h ^= h &>> 33; h = h &* prime1
        h ^= h &>> 29; h = h &* prime2
        h ^= h &>> 32
        return h
    }
}
