/// Central finite differences against backpropagation (the material's check).
///
/// The default is the five-point central stencil
/// ∂L/∂θᵢ ≈ (−L(θ+2h) + 8L(θ+h) − 8L(θ−h) + L(θ−2h)) / 12h, truncation error O(h⁴),
/// which resolves gradients to ~1e-10 absolute where the two-point form
/// (L(θ+h) − L(θ−h)) / 2h, error O(h²), stops near 1e-9.
public enum GradientCheck {
    public struct Result: Sendable, Equatable {
        /// max over parameters of |analytic − numeric| / max(|analytic| + |numeric|, floor).
        public var maxRelativeError: Double
        public var maxAbsoluteError: Double
        /// Largest |analytic| gradient: a check of an all-zero gradient proves nothing,
        /// so callers should insist this is well above 0.
        public var maxGradient: Double
        public var parameterCount: Int
        /// Analytic and numeric values at the worst relative error.
        public var worst: (analytic: Double, numeric: Double) = (0, 0)

        public static func == (a: Result, b: Result) -> Bool {
            a.maxRelativeError == b.maxRelativeError && a.maxAbsoluteError == b.maxAbsoluteError
                && a.maxGradient == b.maxGradient && a.parameterCount == b.parameterCount
        }
    }

    /// h for the five-point stencil: truncation h⁴ ≈ 1e-16 and rounding ε/h ≈ 2e-12
    /// are balanced near ⁵√ε ≈ 1e-3; smaller h keeps kinks (ReLU at 0) out of reach.
    public static let defaultStep = 1e-4
    /// Denominator floor of the relative error. Differencing a Double loss of
    /// size ~1 has absolute noise ≈ ε·L/h ≈ 2e-12, so a component of 1e-7 cannot be
    /// resolved to 1e-7 *relative*; below 1e-4 in magnitude, components are in
    /// effect compared absolutely (1e-7 × 1e-4 = 1e-11, still 5× the noise).
    public static let relativeFloor = 1e-4

    /// Compares backprop with central differences on every parameter of `network`
    /// for the batch `x (rows, inputCount)`, `y (rows, loss.targetWidth)`, with the
    /// L2 penalty `l2` in the objective and, when `dropout` is given, one fixed set
    /// of masks drawn from `maskSeed` for the analytic and every numeric pass.
    public static func check(
        _ network: Network, x: [Double], y: [Double], rows: Int, loss: Loss, step: Double = defaultStep,
        l2: Double = 0, dropout: [Double] = [], maskSeed: UInt64 = 1
    ) -> Result {
        var backprop = Backprop(network: network, capacity: rows, dropout: dropout)
        if !dropout.isEmpty {
            var rng = SplitMix64(seed: maskSeed)
            backprop.drawDropoutMasks(rows: rows, rng: &rng)
        }
        var gradients = Gradients(zeroFor: network)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                _ = backprop.step(network, x: xp.baseAddress!, y: yp.baseAddress!, rows: rows, loss: loss, l2: l2, gradients: &gradients)
            }
        }
        let analytic = gradients.flattened(for: network)
        let theta = network.flattenedParameters
        var probe = network
        func lossAt(_ params: [Double]) -> Double {
            probe.flattenedParameters = params
            return x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    backprop.loss(probe, x: xp.baseAddress!, y: yp.baseAddress!, rows: rows, loss: loss, l2: l2)
                }
            }
        }
        let numeric = numericGradient(of: lossAt, at: theta, step: step)
        var result = Result(maxRelativeError: 0, maxAbsoluteError: 0, maxGradient: 0, parameterCount: theta.count)
        for (a, n) in zip(analytic, numeric) {
            let abs = Swift.abs(a - n)
            result.maxAbsoluteError = max(result.maxAbsoluteError, abs)
            let rel = abs / max(Swift.abs(a) + Swift.abs(n), relativeFloor)
            if rel > result.maxRelativeError { result.maxRelativeError = rel; result.worst = (a, n) }
            result.maxGradient = max(result.maxGradient, Swift.abs(a))
        }
        return result
    }

    /// The central-difference gradient of any scalar function.
    public static func numericGradient(of f: ([Double]) -> Double, at point: [Double], step: Double = defaultStep) -> [Double] {
        var p = point
        return point.indices.map { i in
            let saved = p[i]
            p[i] = saved + 2 * step; let up2 = f(p)
            p[i] = saved + step; let up1 = f(p)
            p[i] = saved - step; let down1 = f(p)
            p[i] = saved - 2 * step; let down2 = f(p)
            p[i] = saved
            return (8 * (up1 - down1) - (up2 - down2)) / (12 * step)
        }
    }
}
