/// Per-feature standardisation (x − mean) / std, fitted on a training split and
/// carried inside the model so users predict on raw features.
public struct Standardizer: Sendable, Equatable {
    /// (featureCount)
    public var mean: [Double]
    /// (featureCount); never 0: a constant feature gets std 1 (scikit-learn's rule).
    public var std: [Double]

    public init(mean: [Double], std: [Double]) {
        precondition(mean.count == std.count)
        self.mean = mean
        self.std = std
    }

    /// Fits mean and population standard deviation (ddof = 0) of `features (rows, count)`.
    public init(fitting features: [Double], rows: Int, featureCount count: Int) {
        precondition(rows > 0 && features.count == rows * count)
        var mean = [Double](repeating: 0, count: count)
        for r in 0..<rows { for j in 0..<count { mean[j] += features[r * count + j] } }
        for j in 0..<count { mean[j] /= Double(rows) }
        var variance = [Double](repeating: 0, count: count)
        for r in 0..<rows {
            for j in 0..<count { let d = features[r * count + j] - mean[j]; variance[j] += d * d }
        }
        let std = variance.map { v -> Double in
            let s = (v / Double(rows)).squareRoot()
            return s == 0 || !s.isFinite ? 1 : s
        }
        self.init(mean: mean, std: std)
    }

    public var featureCount: Int { mean.count }

    /// Standardises `features (rows, featureCount)` in place.
    public func transform(_ features: inout [Double], rows: Int) {
        let n = mean.count
        precondition(features.count == rows * n)
        for r in 0..<rows { for j in 0..<n { features[r * n + j] = (features[r * n + j] - mean[j]) / std[j] } }
    }

    /// The inverse: `values (rows, featureCount)` from standardised back to raw, v·std + mean.
    public func restore(_ values: inout [Double], rows: Int) {
        let n = mean.count
        precondition(values.count == rows * n)
        for r in 0..<rows { for j in 0..<n { values[r * n + j] = values[r * n + j] * std[j] + mean[j] } }
    }
}
