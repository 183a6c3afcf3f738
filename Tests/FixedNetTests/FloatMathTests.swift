import Foundation
import Testing
import FixedNet

/// Error bounds of the runtime's elementary functions, and SIMD/scalar identity.
@Suite struct FloatMathTests {
    static func ulpError(_ got: Float, _ exact: Double) -> Double {
        let f = Float(exact)
        guard f.isFinite, f != 0 else { return got == f ? 0 : .infinity }
        return Swift.abs(Double(got) - exact) / Double(f.ulp)
    }

    static let sweep: [Float] = stride(from: Float(-110), through: 100, by: 0.0137).map { $0 } + [0, -0, 1e-30, -1e-30, 88.7, 88.73, -87.3, -103.9, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]

    @Test func expIsWithinTwoUlp() {
        var worst = 0.0
        for x in Self.sweep {
            let exact = Foundation.exp(Double(x))
            let got = FloatMath.exp(x)
            if exact >= Double(Float.leastNormalMagnitude) && exact <= Double(Float.greatestFiniteMagnitude) {
                worst = max(worst, Self.ulpError(got, exact))
            } else if exact > Double(Float.greatestFiniteMagnitude) {
                #expect(got == .infinity, "exp(\(x))")
            } else {
                #expect(got >= 0 && Double(got) <= 2 * Double(Float.leastNormalMagnitude), "exp(\(x)) = \(got)")
            }
        }
        print("FloatMath.exp max error: \(worst) ulp")
        #expect(worst <= 2)
    }

    @Test func log1pAndErfBounds() {
        var worstLog = 0.0, worstErf = 0.0
        for k in 0...100_000 {
            let u = Float(k) / 100_000
            worstLog = max(worstLog, Swift.abs(Double(FloatMath.log1pUnit(u)) - Foundation.log1p(Double(u))))
        }
        for x in stride(from: Float(-8), through: 8, by: 0.0003) {
            worstErf = max(worstErf, Swift.abs(Double(FloatMath.erf(x)) - Foundation.erf(Double(x))))
        }
        print("log1p abs error \(worstLog), erf abs error \(worstErf)")
        #expect(worstLog <= 2e-7)
        #expect(worstErf <= 2e-7)
    }

    static func reference(_ code: ActivationCode, _ alpha: Double, _ x: Double) -> Double {
        switch code {
        case .identity, .softmax: return x
        case .step: return x >= 0 ? 1 : 0
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .tanh: return Foundation.tanh(x)
        case .relu: return max(x, 0)
        case .leakyReLU, .prelu: return x >= 0 ? x : alpha * x
        case .elu: return x > 0 ? x : alpha * Foundation.expm1(x)
        case .selu: return 1.0507009873554804934 * (x >= 0 ? x : 1.6732632423543772848 * Foundation.expm1(x))
        case .softplus: return max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x)))
        case .gelu: return 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
        case .silu: return x / (1 + Foundation.exp(-x))
        case .gaussian: return Foundation.exp(-x * x)
        case .hardSigmoid: return min(1, max(0, alpha * x + 0.5))
        }
    }

    /// Stated bounds (Activations doc comment): absolute error ≤ 4e-7·max(1, |f(x)|), GELU ≤ 3e-7·max(1, |x|).
    @Test(arguments: ActivationCode.allCases)
    func activationBoundsAndSIMDIdentity(code: ActivationCode) {
        let alpha: Float = code == .elu ? 1 : 0.1
        let xs = stride(from: Float(-60), through: 60, by: 0.0071).map { $0 } + [0, -0, 1e-20, -1e-20, 1e30, -1e30]
        var worst = 0.0
        var i = 0
        while i + 16 <= xs.count {
            var v = SIMD16<Float>()
            for k in 0..<16 { v[k] = xs[i + k] }
            let simd = Activations.apply(code, alpha: alpha, v)
            for k in 0..<16 {
                let x = xs[i + k]
                let scalar = Activations.apply(code, alpha: alpha, x)
                #expect(simd[k].bitPattern == scalar.bitPattern, "\(code)(\(x)): SIMD \(simd[k]) vs scalar \(scalar)")
                #expect(scalar.isFinite, "\(code)(\(x)) = \(scalar)")
                let exact = Self.reference(code, Double(alpha), Double(x))
                let scale = code == .gelu ? max(1, Swift.abs(Double(x))) : max(1, Swift.abs(exact))
                worst = max(worst, Swift.abs(Double(scalar) - exact) / scale)
            }
            i += 16
        }
        let bound = code == .gelu ? 3e-7 : 4e-7
        print("activation \(code.name): max scaled abs error \(worst)")
        #expect(worst <= bound, "\(code): \(worst)")
    }
}
