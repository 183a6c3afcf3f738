/// Float32 activations, scalar and `SIMD16`, the same operations in the same order,
/// so the two forms agree bit for bit lane by lane. Softmax is a layer-wide
/// operation and lives in `Model+Predict.swift`.
///
/// Absolute error against the Float64 definitions (measured in FloatMathTests):
/// sigmoid, tanh, SiLU/x, softplus, ELU, SELU, Gaussian ≤ 4e-7·max(1, |f|); GELU ≤ 3e-7·max(1, |x|).
public enum Activations {
    public static let seluLambda: Float = 1.05070098735548049
    public static let seluAlpha: Float = 1.67326324235437728

    @inlinable
    public static func apply(_ code: ActivationCode, alpha: Float, _ x: Float) -> Float {
        switch code {
        case .identity, .softmax: return x
        case .step: return x >= 0 ? 1 : 0
        case .sigmoid: return 1 / (1 + FloatMath.exp(-x))
        case .tanh: return 1 - 2 / (FloatMath.exp(x + x) + 1)
        case .relu: return x > 0 ? x : 0
        case .leakyReLU, .prelu: return x >= 0 ? x : alpha * x
        case .elu: return x > 0 ? x : alpha * (FloatMath.exp(x) - 1)
        case .selu: return seluLambda * (x >= 0 ? x : seluAlpha * (FloatMath.exp(x) - 1))
        case .softplus:
            let ax = x >= 0 ? x : -x
            return (x > 0 ? x : 0) + FloatMath.log1pUnit(FloatMath.exp(-ax))
        case .gelu: return 0.5 * x * (1 + FloatMath.erf(x * 0.707106781))
        case .silu: return x / (1 + FloatMath.exp(-x))
        case .gaussian: return FloatMath.exp(-(x * x))
        case .hardSigmoid:
            let y = alpha * x + 0.5
            return y > 0 ? (y < 1 ? y : 1) : 0
        }
    }

    /// Always inlined, so a generated kernel's constant `code` folds the switch
    /// away and the SIMD16 value never crosses a call boundary.
    @inlinable @inline(__always)
    public static func apply(_ code: ActivationCode, alpha: Float, _ x: SIMD16<Float>) -> SIMD16<Float> {
        let zero = SIMD16<Float>(repeating: 0)
        switch code {
        case .identity, .softmax: return x
        case .step: return zero.replacing(with: 1, where: x .>= 0)
        case .sigmoid: return 1 / (1 + FloatMath.exp(-x))
        case .tanh: return 1 - 2 / (FloatMath.exp(x + x) + 1)
        case .relu: return zero.replacing(with: x, where: x .> 0)
        case .leakyReLU, .prelu: return (alpha * x).replacing(with: x, where: x .>= 0)
        case .elu: return (alpha * (FloatMath.exp(x) - 1)).replacing(with: x, where: x .> 0)
        case .selu: return seluLambda * (seluAlpha * (FloatMath.exp(x) - 1)).replacing(with: x, where: x .>= 0)
        case .softplus:
            let ax = (-x).replacing(with: x, where: x .>= 0)
            return zero.replacing(with: x, where: x .> 0) + FloatMath.log1pUnit(FloatMath.exp(-ax))
        case .gelu: return 0.5 * x * (1 + FloatMath.erf(x * 0.707106781))
        case .silu: return x / (1 + FloatMath.exp(-x))
        case .gaussian: return FloatMath.exp(-(x * x))
        case .hardSigmoid:
            let y = alpha * x + 0.5
            return zero.replacing(with: SIMD16<Float>(repeating: 1).replacing(with: y, where: y .< 1), where: y .> 0)
        }
    }
}

/// An activation known at compile time, applied to a SIMD16 of sums still in
/// registers (the narrow kernels of `DenseKernel.forwardActivated`). Each is
/// `Activations.apply` with a constant code, so its bits are that function's.
@usableFromInline
protocol RegisterActivation {
    static func apply(_ v: SIMD16<Float>, alpha: Float) -> SIMD16<Float>
}

@usableFromInline
enum InRegisters {
    @usableFromInline enum ReLU: RegisterActivation {
        @inlinable @inline(__always) static func apply(_ v: SIMD16<Float>, alpha: Float) -> SIMD16<Float> { Activations.apply(.relu, alpha: alpha, v) }
    }
    @usableFromInline enum Sigmoid: RegisterActivation {
        @inlinable @inline(__always) static func apply(_ v: SIMD16<Float>, alpha: Float) -> SIMD16<Float> { Activations.apply(.sigmoid, alpha: alpha, v) }
    }
    @usableFromInline enum Tanh: RegisterActivation {
        @inlinable @inline(__always) static func apply(_ v: SIMD16<Float>, alpha: Float) -> SIMD16<Float> { Activations.apply(.tanh, alpha: alpha, v) }
    }
    @usableFromInline enum Identity: RegisterActivation {
        @inlinable @inline(__always) static func apply(_ v: SIMD16<Float>, alpha: Float) -> SIMD16<Float> { v }
    }
}
