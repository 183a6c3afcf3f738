/// How every kernel joins a product to a sum. A `Workspace` carries one; the
/// single-row, tile and scalar reference kernels all follow it, so in either mode
/// the SIMD kernels equal the scalar reference bit for bit.
public enum Arithmetic: Sendable, Equatable {
    /// `acc + w·x`: a rounded multiply, then a rounded add. The default and the
    /// contract of the blob's golden vectors: the same bits on every CPU, with or
    /// without `-target-cpu`, and the same as the generated kernels.
    case separate
    /// `acc.addingProduct(w, x)`: one correctly rounded fused multiply-add per
    /// term, in the same order. Exactly specified too, so the SIMD kernels still
    /// equal the (fused) scalar reference on every CPU; but the results differ
    /// from `.separate` in the last bits of each sum, by at most a few units in
    /// the last place of the sum's terms (`FusedArithmeticTests` states the bound
    /// against Float64), and golden-vector checks allow for it.
    /// Fast only in a build whose CPU has FMA (`-target-cpu native` on x86-64
    /// since Haswell and Zen, AArch64 always): without it every lane becomes an
    /// `fmaf` call, about 20× slower. On Intel cores, where a separate multiply
    /// and add are two µops on the same two ports, it is the faster mode.
    /// Not built for microcontrollers or Embedded Swift (firmware links no libm
    /// `fmaf`, and the microcontroller kernel is separate-only).
    case fused
}

/// The `WeightLanes` of `F` with fused multiply-adds: every conversion as `F`,
/// every `madd` one `addingProduct`.
public enum Fused<F: WeightLanes>: WeightLanes {
    @inlinable public static var width: Int { F.width }
    @inlinable public static var isScaled: Bool { F.isScaled }
    @inlinable @inline(__always)
    public static func scalar(_ p: UnsafeRawPointer, _ index: Int) -> Float { F.scalar(p, index) }
    @inlinable @inline(__always)
    public static func element(_ p: UnsafeRawPointer, _ index: Int) -> Float { F.element(p, index) }
    @inlinable @inline(__always)
    public static func lanes(_ p: UnsafeRawPointer, _ offset: Int) -> SIMD16<Float> { F.lanes(p, offset) }
    @inlinable @inline(__always)
    public static func madd(_ acc: SIMD16<Float>, _ w: SIMD16<Float>, _ x: SIMD16<Float>) -> SIMD16<Float> { acc.addingProduct(w, x) }
    @inlinable @inline(__always)
    public static func madd(_ acc: Float, _ w: Float, _ x: Float) -> Float { acc.addingProduct(w, x) }
}
