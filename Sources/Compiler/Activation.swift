#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A layer's activation function, in Float64, with its exact derivative.
///
/// Every form is numerically safe for all finite inputs: no overflow to NaN or Inf
/// at ±large arguments (stable sigmoid, softplus through `log1p`, log-sum-exp softmax).
public enum Activation: Sendable, Equatable, Hashable {
    case identity
    /// Binary step: 1 if z ≥ 0, else 0. Its derivative is 0 almost everywhere, so a
    /// step layer cannot be trained by gradient descent (use the perceptron rule).
    case step
    case sigmoid
    case tanh
    case relu
    /// max(αz, z); the material's default α is 0.01.
    case leakyReLU(alpha: Double)
    /// αz for z < 0. α is a trainable parameter of the layer when the layer says so.
    case prelu(alpha: Double)
    case elu(alpha: Double)
    /// λ·(z ≥ 0 ? z : α(eᶻ − 1)) with the self-normalising constants.
    case selu
    case softplus
    /// The exact form ½z(1 + erf(z/√2)).
    case gelu
    case silu
    /// e^(−z²).
    case gaussian
    /// Row-wise softmax; its backward pass is the Jacobian-vector product.
    case softmax
    /// clip(αz + ½, 0, 1): ONNX's HardSigmoid with β = ½ (default α 0.2; torch's is 1/6).
    case hardSigmoid(alpha: Double)

    public static let seluLambda = 1.0507009873554804934193349852946
    public static let seluAlpha = 1.6732632423543772848170429916717

    /// The stable logistic function.
    @inline(__always)
    public static func logistic(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + Glibc.exp(-z)) }
        let e = Glibc.exp(z)
        return e / (1 + e)
    }

    /// log(1 + eᶻ) without overflow.
    @inline(__always)
    public static func softplusValue(_ z: Double) -> Double {
        max(z, 0) + Glibc.log1p(Glibc.exp(-Swift.abs(z)))
    }

    /// f(z) for the element-wise activations. Precondition: not softmax.
    @inline(__always)
    public func value(_ z: Double) -> Double {
        switch self {
        case .identity: return z
        case .step: return z >= 0 ? 1 : 0
        case .sigmoid: return Activation.logistic(z)
        case .tanh: return Glibc.tanh(z)
        case .relu: return z > 0 ? z : 0
        case .leakyReLU(let a), .prelu(let a): return z >= 0 ? z : a * z
        case .elu(let a): return z > 0 ? z : a * Glibc.expm1(z)
        case .selu: return Activation.seluLambda * (z >= 0 ? z : Activation.seluAlpha * Glibc.expm1(z))
        case .softplus: return Activation.softplusValue(z)
        case .gelu: return 0.5 * z * (1 + Glibc.erf(z * 0.70710678118654752440))
        case .silu: return z * Activation.logistic(z)
        case .gaussian: return Glibc.exp(-z * z)
        case .hardSigmoid(let a): return Swift.min(1, Swift.max(0, a * z + 0.5))
        case .softmax: preconditionFailure("softmax is not element-wise")
        }
    }

    /// f′(z) for the element-wise activations; `a` is f(z), used where it saves work.
    @inline(__always)
    public func derivative(_ z: Double, _ a: Double) -> Double {
        switch self {
        case .identity: return 1
        case .step: return 0
        case .sigmoid: return a * (1 - a)
        case .tanh: return 1 - a * a
        case .relu: return z > 0 ? 1 : 0
        case .leakyReLU(let al), .prelu(let al): return z >= 0 ? 1 : al
        case .elu(let al): return z > 0 ? 1 : al * Glibc.exp(z)
        case .selu: return Activation.seluLambda * (z >= 0 ? 1 : Activation.seluAlpha * Glibc.exp(z))
        case .softplus: return Activation.logistic(z)
        case .gelu:
            let cdf = 0.5 * (1 + Glibc.erf(z * 0.70710678118654752440))
            let pdf = 0.39894228040143267794 * Glibc.exp(-0.5 * z * z)
            return cdf + z * pdf
        case .silu:
            let s = Activation.logistic(z)
            return s * (1 + z * (1 - s))
        case .gaussian: return -2 * z * a
        case .hardSigmoid(let al): let y = al * z + 0.5; return y > 0 && y < 1 ? al : 0
        case .softmax: preconditionFailure("softmax is not element-wise")
        }
    }

    /// Whether the derivative carries a gradient (false for step).
    public var isDifferentiable: Bool { self != .step }

    /// `a (rows, cols) = f(z)`, row-wise for softmax.
    func apply(_ z: UnsafePointer<Double>, into a: UnsafeMutablePointer<Double>, rows: Int, cols: Int) {
        switch self {
        case .identity:
            a.update(from: z, count: rows * cols)
        case .relu:
            for i in 0..<(rows * cols) { a[i] = z[i] > 0 ? z[i] : 0 }
        case .softmax:
            for r in 0..<rows {
                let zr = z + r * cols, ar = a + r * cols
                var m = -Double.infinity
                for j in 0..<cols { m = Swift.max(m, zr[j]) }
                var s = 0.0
                for j in 0..<cols { let e = Glibc.exp(zr[j] - m); ar[j] = e; s += e }
                let inv = 1 / s
                for j in 0..<cols { ar[j] *= inv }
            }
        default:
            for i in 0..<(rows * cols) { a[i] = value(z[i]) }
        }
    }

    /// `dz (rows, cols) = ∂L/∂z` from `da = ∂L/∂a`: element-wise f′(z)·da, or
    /// the softmax Jacobian-vector product a ⊙ (da − ⟨da, a⟩) per row.
    func backward(
        z: UnsafePointer<Double>, a: UnsafePointer<Double>, upstream da: UnsafePointer<Double>,
        into dz: UnsafeMutablePointer<Double>, rows: Int, cols: Int
    ) {
        switch self {
        case .identity:
            dz.update(from: da, count: rows * cols)
        case .relu:
            for i in 0..<(rows * cols) { dz[i] = z[i] > 0 ? da[i] : 0 }
        case .softmax:
            for r in 0..<rows {
                let o = r * cols
                var dot = 0.0
                for j in 0..<cols { dot += da[o + j] * a[o + j] }
                for j in 0..<cols { dz[o + j] = a[o + j] * (da[o + j] - dot) }
            }
        default:
            for i in 0..<(rows * cols) { dz[i] = derivative(z[i], a[i]) * da[i] }
        }
    }
}
