#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A training loss. Every loss is a mean: over the batch and the outputs for the
/// regression losses and binary cross-entropy, over the batch for categorical
/// cross-entropy (summed over classes). No loss is NaN for finite inputs.
public enum Loss: Sendable, Equatable, Hashable {
    /// mean (ŷ − y)²
    case meanSquaredError
    /// mean |ŷ − y|
    case meanAbsoluteError
    /// mean of ½e² for |e| ≤ δ, δ(|e| − ½δ) otherwise (continuous at |e| = δ).
    case huber(delta: Double)
    /// Targets in [0, 1]; one column per independent binary output.
    case binaryCrossEntropy
    /// One-hot (or probability) targets, one column per class.
    case categoricalCrossEntropy
    /// Integer class indices, one column.
    case sparseCategoricalCrossEntropy

    /// Probabilities are clipped to [ε, 1 − ε] where the loss is not fused with its
    /// output activation, so log never sees 0.
    public static let probabilityFloor = 1e-15

    /// Columns of the target matrix for `outputCount` network outputs.
    public func targetWidth(outputCount: Int) -> Int {
        self == .sparseCategoricalCrossEntropy ? 1 : outputCount
    }

    /// Whether this loss and `activation` combine into the exact, simpler
    /// gradient ∂L/∂z = (a − y)/count and a loss computed from the logits.
    public func isFused(with activation: Activation) -> Bool {
        switch (self, activation) {
        case (.categoricalCrossEntropy, .softmax), (.sparseCategoricalCrossEntropy, .softmax),
             (.binaryCrossEntropy, .sigmoid): return true
        default: return false
        }
    }

    /// The mean loss over `rows` rows of `cols` outputs; with `rowWeights (rows)`,
    /// Σ wᵣ·Lᵣ / rows where Lᵣ is row r's loss (its mean over outputs where the
    /// loss averages over outputs).
    /// - Parameters: `z`, `a`: (rows, cols) logits and outputs of the last layer;
    ///   `y`: (rows, targetWidth) targets.
    func value(
        z: UnsafePointer<Double>, a: UnsafePointer<Double>, y: UnsafePointer<Double>,
        rows: Int, cols: Int, activation: Activation, rowWeights: UnsafePointer<Double>? = nil
    ) -> Double {
        if let w = rowWeights {
            let width = targetWidth(outputCount: cols)
            var weighted = 0.0
            for r in 0..<rows {
                weighted += w[r] * value(z: z + r * cols, a: a + r * cols, y: y + r * width, rows: 1, cols: cols, activation: activation)
            }
            return weighted / Double(rows)
        }
        let count = Double(rows * cols)
        var total = 0.0
        switch self {
        case .meanSquaredError:
            for i in 0..<(rows * cols) { let e = a[i] - y[i]; total += e * e }
            return total / count
        case .meanAbsoluteError:
            for i in 0..<(rows * cols) { total += Swift.abs(a[i] - y[i]) }
            return total / count
        case .huber(let d):
            for i in 0..<(rows * cols) {
                let e = Swift.abs(a[i] - y[i])
                total += e <= d ? 0.5 * e * e : d * (e - 0.5 * d)
            }
            return total / count
        case .binaryCrossEntropy:
            if activation == .sigmoid {
                // −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z, stable.
                for i in 0..<(rows * cols) { total += Activation.softplusValue(z[i]) - y[i] * z[i] }
            } else {
                for i in 0..<(rows * cols) {
                    let p = Swift.min(Swift.max(a[i], Loss.probabilityFloor), 1 - Loss.probabilityFloor)
                    total -= y[i] * Glibc.log(p) + (1 - y[i]) * Glibc.log(1 - p)
                }
            }
            return total / count
        case .categoricalCrossEntropy, .sparseCategoricalCrossEntropy:
            let sparse = self == .sparseCategoricalCrossEntropy
            for r in 0..<rows {
                let o = r * cols
                if activation == .softmax {
                    // −log softmax(z)_c = logsumexp(z) − z_c
                    var m = -Double.infinity
                    for j in 0..<cols { m = Swift.max(m, z[o + j]) }
                    var s = 0.0
                    for j in 0..<cols { s += Glibc.exp(z[o + j] - m) }
                    let lse = m + Glibc.log(s)
                    if sparse {
                        total += lse - z[o + Int(y[r])]
                    } else {
                        for j in 0..<cols where y[o + j] != 0 { total += y[o + j] * (lse - z[o + j]) }
                    }
                } else {
                    for j in 0..<cols {
                        let t = sparse ? (Int(y[r]) == j ? 1.0 : 0.0) : y[o + j]
                        if t != 0 { total -= t * Glibc.log(Swift.max(a[o + j], Loss.probabilityFloor)) }
                    }
                }
            }
            return total / Double(rows)
        }
    }

    /// ∂L/∂z of the last layer, (rows, cols), through the fused form when exact.
    /// `da` is scratch of the same shape, used when the loss is not fused.
    func outputGradient(
        z: UnsafePointer<Double>, a: UnsafePointer<Double>, y: UnsafePointer<Double>,
        rows: Int, cols: Int, activation: Activation,
        scratch da: UnsafeMutablePointer<Double>, into dz: UnsafeMutablePointer<Double>
    ) {
        let n = rows * cols
        let sparse = self == .sparseCategoricalCrossEntropy
        @inline(__always) func target(_ r: Int, _ j: Int) -> Double {
            sparse ? (Int(y[r]) == j ? 1 : 0) : y[r * cols + j]
        }
        if isFused(with: activation) {
            let scale = self == .binaryCrossEntropy ? 1 / Double(n) : 1 / Double(rows)
            for r in 0..<rows {
                for j in 0..<cols { dz[r * cols + j] = (a[r * cols + j] - target(r, j)) * scale }
            }
            return
        }
        switch self {
        case .meanSquaredError:
            let s = 2 / Double(n)
            for i in 0..<n { da[i] = s * (a[i] - y[i]) }
        case .meanAbsoluteError:
            let s = 1 / Double(n)
            for i in 0..<n { let e = a[i] - y[i]; da[i] = e > 0 ? s : (e < 0 ? -s : 0) }
        case .huber(let d):
            let s = 1 / Double(n)
            for i in 0..<n { let e = a[i] - y[i]; da[i] = s * Swift.min(Swift.max(e, -d), d) }
        case .binaryCrossEntropy:
            let s = 1 / Double(n)
            for i in 0..<n {
                let lo = Loss.probabilityFloor, hi = 1 - Loss.probabilityFloor
                if a[i] < lo || a[i] > hi { da[i] = 0; continue }  // clipped: flat
                da[i] = s * (a[i] - y[i]) / (a[i] * (1 - a[i]))
            }
        case .categoricalCrossEntropy, .sparseCategoricalCrossEntropy:
            let s = 1 / Double(rows)
            for r in 0..<rows {
                for j in 0..<cols {
                    let p = a[r * cols + j]
                    da[r * cols + j] = p < Loss.probabilityFloor ? 0 : -s * target(r, j) / p
                }
            }
        }
        activation.backward(z: z, a: a, upstream: da, into: dz, rows: rows, cols: cols)
    }
}

extension Loss {
    /// Binary or categorical cross-entropy (either form).
    public var isCrossEntropy: Bool {
        self == .binaryCrossEntropy || self == .categoricalCrossEntropy || self == .sparseCategoricalCrossEntropy
    }

    /// The name `--loss` takes: mse, mae, huber[:delta], bce, ce, sparse-ce.
    public var flagName: String {
        switch self {
        case .meanSquaredError: return "mse"
        case .meanAbsoluteError: return "mae"
        case .huber(let d): return d == 1 ? "huber" : "huber:\(d)"
        case .binaryCrossEntropy: return "bce"
        case .categoricalCrossEntropy: return "ce"
        case .sparseCategoricalCrossEntropy: return "sparse-ce"
        }
    }

    /// Parses a `flagName`; nil for anything else (a huber delta must be positive and finite).
    public init?(flag s: String) {
        switch s {
        case "mse": self = .meanSquaredError
        case "mae": self = .meanAbsoluteError
        case "huber": self = .huber(delta: 1)
        case "bce": self = .binaryCrossEntropy
        case "ce": self = .categoricalCrossEntropy
        case "sparse-ce": self = .sparseCategoricalCrossEntropy
        default:
            guard s.hasPrefix("huber:"), let d = FloatParser.parse(String(s.dropFirst(6))), d > 0, d.isFinite else { return nil }
            self = .huber(delta: d)
        }
    }
}
