/// SHA-256 (FIPS 180-4) in plain Swift: the blob's model identity.
///
/// The 64-bit model hash and checksum are fast and catch corruption, but every
/// step of them is a bijection, so a deliberate edit can be cancelled in the next
/// word. SHA-256 is collision-resistant: two blobs with the same digest are the
/// same model. It allocates nothing (the state and the message schedule live in
/// SIMD values) and builds as Embedded Swift. It runs once per `bind`, `inspect`
/// or `--verify`, never per prediction and not at load.
public struct SHA256Digest: Equatable, Hashable, Sendable {
    /// The eight 32-bit words of the digest, h0 first (the digest's bytes are each word big-endian).
    public var words: SIMD8<UInt32>

    public init(words: SIMD8<UInt32>) { self.words = words }

    /// The digest's 32 bytes in order.
    public func byte(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: words[i / 4] >> (24 - 8 * UInt32(i % 4))) }
}

#if !hasFeature(Embedded)
extension SHA256Digest: CustomStringConvertible {
    /// 64 lowercase hex digits, as `sha256sum` prints.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for i in 0..<32 { let b = byte(i); out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
#endif

public enum SHA256 {
    // Computed, not stored: a stored SIMD global needs a lazy, atomic initialisation,
    // which a Cortex-M0 (no atomics) cannot link.
    @inline(__always) static var k0: SIMD16<UInt32> { SIMD16<UInt32>(0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
                                   0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174) }
    @inline(__always) static var k1: SIMD16<UInt32> { SIMD16<UInt32>(0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
                                   0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967) }
    @inline(__always) static var k2: SIMD16<UInt32> { SIMD16<UInt32>(0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
                                   0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070) }
    @inline(__always) static var k3: SIMD16<UInt32> { SIMD16<UInt32>(0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
                                   0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2) }
    @inline(__always) static var initial: SIMD8<UInt32> { SIMD8<UInt32>(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19) }

    @inline(__always) static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }

    /// One 64-byte block, as 16 big-endian words.
    static func compress(_ h: inout SIMD8<UInt32>, _ block: SIMD16<UInt32>) {
        var w = block
        let k0 = Self.k0, k1 = Self.k1, k2 = Self.k2, k3 = Self.k3
        var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
        for i in 0..<64 {
            let j = i & 15
            if i >= 16 {
                let w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15]
                let s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >> 3)
                let s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >> 10)
                w[j] = w[j] &+ s0 &+ w[(i - 7) & 15] &+ s1
            }
            let k = i < 16 ? k0[j] : i < 32 ? k1[j] : i < 48 ? k2[j] : k3[j]
            let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k &+ w[j]
            let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
            hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
        }
        h &+= SIMD8(a, b, c, d, e, f, g, hh)
    }

    /// The digest of `count` bytes at `p`.
    public static func digest(_ p: UnsafeRawPointer, count: Int) -> SHA256Digest {
        var h = initial
        var offset = 0
        while count - offset >= 64 {
            var block = SIMD16<UInt32>()
            for i in 0..<16 {
                let q = p + offset + 4 * i
                block[i] = UInt32(q.load(as: UInt8.self)) << 24 | UInt32(q.load(fromByteOffset: 1, as: UInt8.self)) << 16
                    | UInt32(q.load(fromByteOffset: 2, as: UInt8.self)) << 8 | UInt32(q.load(fromByteOffset: 3, as: UInt8.self))
            }
            compress(&h, block)
            offset += 64
        }
        // The tail, 0x80, zeros and the bit length: one or two blocks.
        let rest = count - offset
        let bits = UInt64(count) &* 8
        var tail = (SIMD16<UInt32>(), SIMD16<UInt32>())
        func put(_ i: Int, _ byte: UInt8) {
            let shift = UInt32(24 - 8 * (i % 4))
            if i < 64 { tail.0[i / 4] |= UInt32(byte) << shift } else { tail.1[(i - 64) / 4] |= UInt32(byte) << shift }
        }
        for i in 0..<rest { put(i, p.load(fromByteOffset: offset + i, as: UInt8.self)) }
        put(rest, 0x80)
        let blocks = rest + 9 <= 64 ? 1 : 2
        for i in 0..<8 { put(64 * blocks - 8 + i, UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64(i)))) }
        compress(&h, tail.0)
        if blocks == 2 { compress(&h, tail.1) }
        return SHA256Digest(words: h)
    }
}
