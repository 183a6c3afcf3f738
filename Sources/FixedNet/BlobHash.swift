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
        var lanes = Lanes(seed: seed)
        var i = 0
        while i + 32 <= count { lanes.stripe(base + i); i += 32 }
        return lanes.finish(base, from: i, count: count)
    }

    /// `(hash(base, count, seed), hash(base + offset, count − offset, seed2))` in
    /// one pass: the two lane sets are independent chains, so interleaving them
    /// hides each step's multiply latency (the load-time validation needs both).
    public static func hashPair(_ base: UnsafeRawPointer, count: Int, seed: UInt64,
                                offset: Int, seed2: UInt64) -> (UInt64, UInt64) {
        precondition(offset >= 0 && offset <= count)
        var a = Lanes(seed: seed), b = Lanes(seed: seed2)
        let second = base + offset, count2 = count - offset
        var i = 0, j = 0
        while i + 32 <= count && j + 32 <= count2 {
            a.stripe(base + i); b.stripe(second + j)
            i += 32; j += 32
        }
        while i + 32 <= count { a.stripe(base + i); i += 32 }
        while j + 32 <= count2 { b.stripe(second + j); j += 32 }
        return (a.finish(base, from: i, count: count), b.finish(second, from: j, count: count2))
    }

    /// The four lanes of one hash.
    struct Lanes {
        var l0: UInt64, l1: UInt64, l2: UInt64, l3: UInt64

        @inline(__always)
        init(seed: UInt64) { l0 = seed ^ prime1; l1 = seed &+ prime2; l2 = ~seed; l3 = seed &* prime1 }

        /// Absorbs the 32-byte stripe at `p`.
        @inline(__always)
        mutating func stripe(_ p: UnsafeRawPointer) {
            l0 = rotl((l0 ^ word(p, 0)) &* prime1, 31)
            l1 = rotl((l1 ^ word(p, 8)) &* prime1, 31)
            l2 = rotl((l2 ^ word(p, 16)) &* prime1, 31)
            l3 = rotl((l3 ^ word(p, 24)) &* prime1, 31)
        }

        /// The words and bytes left after the last whole stripe (from byte `i`), then the final mix.
        @inline(__always)
        func finish(_ base: UnsafeRawPointer, from start: Int, count: Int) -> UInt64 {
            var l0 = self.l0, l1 = self.l1
            var i = start
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
}
