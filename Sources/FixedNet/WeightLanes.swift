/// How the weights of one element type become Float32 values: the only place
/// that knows a format's bytes. Every conversion here is exact (a Float16 or an
/// int8 is a Float32 value), so the SIMD and scalar kernels that use it compute
/// with the same numbers and stay bit-identical, with or without `-target-cpu`.
public protocol WeightLanes {
    /// Bytes per weight.
    static var width: Int { get }
    /// True for int8: each output's sum starts at 0 and becomes
    /// `sum · scale[o] + bias[o]` (a multiply, then an add) after the last input.
    /// Otherwise the sum starts at `bias[o]`.
    static var isScaled: Bool { get }
    /// Weight `index` (counted in weights) from `p`.
    static func scalar(_ p: UnsafeRawPointer, _ index: Int) -> Float
    /// Weight `index` from `p`, where `p` is aligned to the element (as every
    /// weight of a validated blob is): an aligned load, wrapping arithmetic.
    /// The microcontroller kernel's access; the same value as `scalar`.
    static func element(_ p: UnsafeRawPointer, _ index: Int) -> Float
    /// The 16 weights at byte offset `offset` from `p`, widened in registers.
    static func lanes(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD16<Float>
    /// One term of a sum, acc + w·x, as the `Arithmetic` of these lanes does it:
    /// a multiply then an add (every format here), or one fused multiply-add
    /// (`Fused<F>`). Every kernel's sums go through these two.
    static func madd(_ acc: SIMD16<Float>, _ w: SIMD16<Float>, _ x: SIMD16<Float>) -> SIMD16<Float>
    static func madd(_ acc: Float, _ w: Float, _ x: Float) -> Float
}

extension WeightLanes {
    @inlinable @inline(__always)
    public static func madd(_ acc: SIMD16<Float>, _ w: SIMD16<Float>, _ x: SIMD16<Float>) -> SIMD16<Float> { acc + w * x }
    @inlinable @inline(__always)
    public static func madd(_ acc: Float, _ w: Float, _ x: Float) -> Float { acc + w * x }
}

/// IEEE binary32 weights.
public enum Float32Lanes: WeightLanes {
    @inlinable public static var width: Int { 4 }
    @inlinable public static var isScaled: Bool { false }
    @inlinable @inline(__always)
    public static func scalar(_ p: UnsafeRawPointer, _ index: Int) -> Float {
        p.loadUnaligned(fromByteOffset: index &* 4, as: Float.self)
    }
    @inlinable @inline(__always)
    public static func element(_ p: UnsafeRawPointer, _ index: Int) -> Float {
        p.load(fromByteOffset: index &* 4, as: Float.self)
    }
    @inlinable @inline(__always)
    public static func lanes(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD16<Float> {
        p.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
    }
}

/// IEEE binary16 weights, widened by integer arithmetic instead of a Float16
/// conversion (baseline x86-64 has no F16C, and the standard library's SIMD
/// conversion is an out-of-line call): sign-extend h to 32 bits, shift the
/// exponent and mantissa into Float32 position, keep the sign bit, and multiply by
/// 2¹¹² to rebias the exponent. The multiply is by a power of two and its result
/// is normal, so it is exact, subnormal halves included. Validation has refused
/// infinities and NaNs, the one case this does not map.
public enum Float16Lanes: WeightLanes {
    @inlinable public static var width: Int { 2 }
    @inlinable public static var isScaled: Bool { false }
    /// Keeps the sign bit (bit 31) and the 15 shifted exponent and mantissa bits.
    @inlinable static var mask: Int32 { Int32(bitPattern: 0x8FFF_E000) }

    @inlinable @inline(__always)
    public static func scalar(_ p: UnsafeRawPointer, _ index: Int) -> Float {
        let h = Int32(Int16(littleEndian: p.loadUnaligned(fromByteOffset: index &* 2, as: Int16.self)))
        return Float(bitPattern: UInt32(bitPattern: (h &<< 13) & mask)) * 0x1p112
    }

    @inlinable @inline(__always)
    public static func element(_ p: UnsafeRawPointer, _ index: Int) -> Float {
        value(bits: p.load(fromByteOffset: index &* 2, as: UInt16.self))
    }

    /// The Float32 value of a binary16 bit pattern (finite), as the kernels compute it.
    @inlinable
    public static func value(bits: UInt16) -> Float {
        let h = Int32(Int16(bitPattern: bits))
        return Float(bitPattern: UInt32(bitPattern: (h &<< 13) & mask)) * 0x1p112
    }

    #if FIXEDNET_CPU_NATIVE && arch(x86_64) && !os(macOS)
    /// Builds declaring `-target-cpu native` (every x86-64 CPU with AVX has F16C):
    /// the hardware conversion, one `vcvtph2ps` per 8 or 16 lanes. Exact, like the
    /// integer path, so the bits are the same.
    @inlinable @inline(__always)
    public static func lanes(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD16<Float> {
        let h = p.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float16>.self)
        return SIMD16<Float>(Float(h[0]), Float(h[1]), Float(h[2]), Float(h[3]), Float(h[4]), Float(h[5]),
                             Float(h[6]), Float(h[7]), Float(h[8]), Float(h[9]), Float(h[10]), Float(h[11]),
                             Float(h[12]), Float(h[13]), Float(h[14]), Float(h[15]))
    }
    #else
    @inlinable @inline(__always)
    public static func lanes(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD16<Float> {
        let h = p.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int16>.self)
        // Lane by lane: LLVM makes this one vpmovsxwd (the SIMD conversion
        // initialiser is an out-of-line generic call).
        let s = SIMD16<Int32>(Int32(h[0]), Int32(h[1]), Int32(h[2]), Int32(h[3]), Int32(h[4]), Int32(h[5]),
                              Int32(h[6]), Int32(h[7]), Int32(h[8]), Int32(h[9]), Int32(h[10]), Int32(h[11]),
                              Int32(h[12]), Int32(h[13]), Int32(h[14]), Int32(h[15]))
        let bits = (s &<< 13) & SIMD16<Int32>(repeating: mask)
        return unsafeBitCast(bits, to: SIMD16<Float>.self) * SIMD16<Float>(repeating: 0x1p112)
    }
    #endif
}

/// Symmetric int8 weights (zero point 0); the per-output scales and the biases
/// follow the weights as two rows of padded Float32.
public enum Int8Lanes: WeightLanes {
    @inlinable public static var width: Int { 1 }
    @inlinable public static var isScaled: Bool { true }
    @inlinable @inline(__always)
    public static func scalar(_ p: UnsafeRawPointer, _ index: Int) -> Float {
        element(p, index)
    }
    /// Through `Int`: `Float(Int8)` is the generic BinaryInteger conversion, which
    /// Embedded Swift on 32-bit Arm compiles to a 64-bit soft-float call per weight;
    /// `Float(Int)` is one `vcvt`.
    @inlinable @inline(__always)
    public static func element(_ p: UnsafeRawPointer, _ index: Int) -> Float {
        Float(Int(p.load(fromByteOffset: index, as: Int8.self)))
    }
    @inlinable @inline(__always)
    public static func lanes(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD16<Float> {
        let q = p.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int8>.self)
        // Lane by lane: vpmovsxbd + vcvtdq2ps with an AVX target.
        return SIMD16<Float>(Float(q[0]), Float(q[1]), Float(q[2]), Float(q[3]), Float(q[4]), Float(q[5]),
                             Float(q[6]), Float(q[7]), Float(q[8]), Float(q[9]), Float(q[10]), Float(q[11]),
                             Float(q[12]), Float(q[13]), Float(q[14]), Float(q[15]))
    }
}
