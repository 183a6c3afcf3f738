/// y = b + xᵀ·W for one layer, on the blob's layout: W is (inputCount, padded)
/// row-major Float32 (`[in][out]`), then b (padded). All pointer arithmetic of the
/// runtime's prediction lives here.
///
/// The reduction order is fixed and shared by every kernel (SIMD, scalar and
/// generated): for each output o, acc = b[o], then acc = acc + W[i][o]·x[i] for
/// i = 0, 1, …, inputCount − 1, a multiply then an add (never fused). So the
/// SIMD kernel equals the scalar reference bit for bit on every CPU and flag.
public enum DenseKernel {
    /// False on 32-bit microcontroller targets, whose cores have no 512-bit (or
    /// any) vector unit: there `predict` takes the scalar path, which gives the
    /// same bits and a fraction of the code size.
    #if arch(arm) || arch(riscv32)
    public static let prefersSIMD = false
    #else
    public static let prefersSIMD = true
    #endif

    /// SIMD kernel: output blocks of 4 × SIMD16 (64 lanes) in registers, then
    /// single SIMD16 blocks. `y` receives `padded` lanes. Allocates nothing.
    @inlinable
    public static func forward(
        weights w: UnsafeRawPointer, inputCount: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        typealias V = SIMD16<Float>
        let stride = padded * 4
        let bias = w + inputCount * stride
        let out = UnsafeMutableRawPointer(y)
        var col = 0
        while col + 64 <= padded {
            let c = col * 4
            var a0 = bias.loadUnaligned(fromByteOffset: c, as: V.self)
            var a1 = bias.loadUnaligned(fromByteOffset: c + 64, as: V.self)
            var a2 = bias.loadUnaligned(fromByteOffset: c + 128, as: V.self)
            var a3 = bias.loadUnaligned(fromByteOffset: c + 192, as: V.self)
            var row = w + c
            for i in 0..<inputCount {
                let xi = V(repeating: x[i])
                a0 = a0 + row.loadUnaligned(as: V.self) * xi
                a1 = a1 + row.loadUnaligned(fromByteOffset: 64, as: V.self) * xi
                a2 = a2 + row.loadUnaligned(fromByteOffset: 128, as: V.self) * xi
                a3 = a3 + row.loadUnaligned(fromByteOffset: 192, as: V.self) * xi
                row += stride
            }
            out.storeBytes(of: a0, toByteOffset: c, as: V.self)
            out.storeBytes(of: a1, toByteOffset: c + 64, as: V.self)
            out.storeBytes(of: a2, toByteOffset: c + 128, as: V.self)
            out.storeBytes(of: a3, toByteOffset: c + 192, as: V.self)
            col += 64
        }
        while col < padded {
            let c = col * 4
            var a0 = bias.loadUnaligned(fromByteOffset: c, as: V.self)
            var row = w + c
            for i in 0..<inputCount {
                a0 = a0 + row.loadUnaligned(as: V.self) * V(repeating: x[i])
                row += stride
            }
            out.storeBytes(of: a0, toByteOffset: c, as: V.self)
            col += 16
        }
    }

    /// The scalar reference kernel: the oracle the SIMD and generated kernels are
    /// tested against. Same reduction order, one output at a time.
    public static func forwardReference(
        weights w: UnsafeRawPointer, inputCount: Int, padded: Int,
        x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    ) {
        for o in 0..<padded {
            var acc = w.loadUnaligned(fromByteOffset: (inputCount * padded + o) * 4, as: Float.self)
            for i in 0..<inputCount {
                acc = acc + w.loadUnaligned(fromByteOffset: (i * padded + o) * 4, as: Float.self) * x[i]
            }
            y[o] = acc
        }
    }
}
