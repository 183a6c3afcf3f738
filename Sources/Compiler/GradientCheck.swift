/// Central finite differences against backpropagation (the material's check):
/// ∂L/∂θᵢ ≈ (L(θᵢ + ε) − L(θᵢ − ε)) / 2ε, with error O(ε²).
public enum GradientCheck {
    public struct Result: Sendable, Equatable {
        /// max over parameters of |analytic − numeric| / max(|analytic| + |numeric|, floor).
        public var maxRelativeError: Double
        public var maxAbsoluteError: Double
        /// Largest |analytic| gradient: a check of an all-zero gradient proves nothing,
        /// so callers should insist this is well above 0.
        public var maxGradient: Double
        public var parameterCount: Int
    }

    /// Step for the differences: ε ≈ ∛(machine ε) balances truncation and rounding.
    public static let defaultStep = 1e-5
    /// Denominator floor, so parameters with tiny gradients compare absolutely.
    public static let relativeFloor = 1e-8

    /// Compares backprop with central differences on every parameter of `network`
    /// for the batch `x (rows, inputCount)`, `y (rows, loss.targetWidth)`.
    public static func check(
        _ network: Network, x: [Double], y: [Double], rows: Int, loss: Loss, step: Double = defaultStep
    ) -> Result {
        var backprop = Backprop(network: network, capacity: rows)
        var gradients = Gradients(zeroFor: network)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                _ = backprop.step(network, x: xp.baseAddress!, y: yp.baseAddress!, rows: rows, loss: loss, gradients: &gradients)
            }
        }
        let analytic = gradients.flattened(for: network)
        let theta = network.flattenedParameters
        var probe = network
        func lossAt(_ params: [Double]) -> Double {
            probe.flattenedParameters = params
            return x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    backprop.loss(probe, x: xp.baseAddress!, y: yp.baseAddress!, rows: rows, loss: loss)
                }
            }
        }
        let numeric = numericGradient(of: lossAt, at: theta, step: step)
        var result = Result(maxRelativeError: 0, maxAbsoluteError: 0, maxGradient: 0, parameterCount: theta.count)
        for (a, n) in zip(analytic, numeric) {
            let abs = Swift.abs(a - n)
            result.maxAbsoluteError = max(result.maxAbsoluteError, abs)
            result.maxRelativeError = max(result.maxRelativeError, abs / max(Swift.abs(a) + Swift.abs(n), relativeFloor))
            result.maxGradient = max(result.maxGradient, Swift.abs(a))
        }
        return result
    }

    /// The central-difference gradient of any scalar function.
    public static func numericGradient(of f: ([Double]) -> Double, at point: [Double], step: Double = defaultStep) -> [Double] {
        var p = point
        return point.indices.map { i in
            let saved = p[i]
            p[i] = saved + step
            let up = f(p)
            p[i] = saved - step
            let down = f(p)
            p[i] = saved
            return (up - down) / (2 * step)
        }
    }
}
