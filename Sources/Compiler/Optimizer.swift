#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parameter update rule.
public enum Optimizer: Sendable, Equatable {
    /// w −= η·g
    case sgd
    /// Classical momentum, as in the material: v = μ·v − η·g; w += v.
    case momentum(Double)
    /// Nesterov momentum (look-ahead form): v = μ·v − η·g; w += μ·v − η·g.
    case nesterov(Double)
    /// Adam (Kingma & Ba 2015) with bias correction.
    case adam(beta1: Double, beta2: Double, epsilon: Double)

    public static let defaultAdam = Optimizer.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
}

/// Learning rate η_t = η₀ / (1 + d·t), t the number of updates made so far.
public struct LearningRateSchedule: Sendable, Equatable {
    public var initial: Double
    public var decay: Double
    public init(initial: Double, decay: Double = 0) { self.initial = initial; self.decay = decay }
    public func rate(afterUpdates t: Int) -> Double { initial / (1 + decay * Double(t)) }
}

/// The state an optimizer keeps between updates (velocities, moments, step count).
public struct OptimizerState: Sendable, Equatable {
    public let rule: Optimizer
    public internal(set) var updates = 0
    // One slot per parameter buffer: for each layer weights, biases, alpha.
    var first: [[Double]]
    var second: [[Double]]

    public init(rule: Optimizer, network: Network) {
        self.rule = rule
        first = network.layers.flatMap { [[Double](repeating: 0, count: $0.weights.count),
                                           [Double](repeating: 0, count: $0.biases.count), [0.0]] }
        second = first
    }

    /// Applies one update with learning rate `eta` to every parameter of `network`.
    /// `weightDecay` λ > 0 first shrinks every weight (not biases, not α) by
    /// w·(1 − η·λ), then updates: decoupled weight decay (AdamW, Loshchilov &
    /// Hutter 2019, PyTorch's `AdamW` step order).
    public mutating func apply(_ gradients: Gradients, to network: inout Network, learningRate eta: Double, weightDecay: Double = 0) {
        apply(gradients, to: &network, learningRate: eta, weightDecay: weightDecay, threads: nil)
    }

    /// `apply`, with each buffer of at least `sharedFrom` parameters split over
    /// `threads` in contiguous ranges: every parameter's update is the same
    /// arithmetic whichever thread does it, so the bits do not change.
    mutating func apply(_ gradients: Gradients, to network: inout Network, learningRate eta: Double, weightDecay: Double, threads: TrainingThreads?) {
        updates += 1
        for l in network.layers.indices {
            if weightDecay > 0 {
                let shrink = 1 - eta * weightDecay
                network.layers[l].weights.withUnsafeMutableBufferPointer { wb in
                    let w = wb.baseAddress!
                    Self.sharing(wb.count, threads) { range in for i in range { w[i] *= shrink } }
                }
            }
            update(&network.layers[l].weights, gradients.weights[l], slot: 3 * l, eta: eta, threads: threads)
            update(&network.layers[l].biases, gradients.biases[l], slot: 3 * l + 1, eta: eta, threads: threads)
            if network.layers[l].learnsAlpha, var alpha = network.layers[l].alpha {
                var buffer = [alpha]
                update(&buffer, [gradients.alphas[l]], slot: 3 * l + 2, eta: eta, threads: nil)
                alpha = buffer[0]
                network.layers[l].alpha = alpha
            }
        }
    }

    /// Buffers this large are shared over the run's threads (64-256-256-10's
    /// 65 k-weight layer is; a 64-32-10 network's 2 k are not worth a hand-off).
    static let sharedFrom = 16_384

    /// Calls `body` over 0..<count: in one piece, or in a share per thread.
    private static func sharing(_ count: Int, _ pool: TrainingThreads?, _ body: (Range<Int>) -> Void) {
        guard let pool, pool.count > 1, count >= Self.sharedFrom else { body(0..<count); return }
        pool.run { t in
            let r = pool.share(t, of: count, unit: 64)
            if !r.isEmpty { body(r) }
        }
    }

    /// Element-wise, so the order of operations per parameter is fixed; on raw
    /// buffers, so the loops vectorise (through array subscripts they did not).
    private mutating func update(_ weights: inout [Double], _ gradients: [Double], slot: Int, eta: Double, threads: TrainingThreads?) {
        let rule = rule, t = Double(updates)
        weights.withUnsafeMutableBufferPointer { wb in
            gradients.withUnsafeBufferPointer { gb in
                first[slot].withUnsafeMutableBufferPointer { fb in
                    second[slot].withUnsafeMutableBufferPointer { sb in
                        let w = wb.baseAddress!, g = gb.baseAddress!, n = wb.count
                        switch rule {
                        case .sgd:
                            Self.sharing(n, threads) { r in for i in r { w[i] -= eta * g[i] } }
                        case .momentum(let mu):
                            let v = fb.baseAddress!
                            Self.sharing(n, threads) { r in for i in r { v[i] = mu * v[i] - eta * g[i]; w[i] += v[i] } }
                        case .nesterov(let mu):
                            let v = fb.baseAddress!
                            Self.sharing(n, threads) { r in for i in r { v[i] = mu * v[i] - eta * g[i]; w[i] += mu * v[i] - eta * g[i] } }
                        case .adam(let b1, let b2, let eps):
                            let c1 = 1 - Glibc.pow(b1, t), c2 = 1 - Glibc.pow(b2, t)
                            let m = fb.baseAddress!, v = sb.baseAddress!
                            Self.sharing(n, threads) { r in
                                for i in r {
                                    m[i] = b1 * m[i] + (1 - b1) * g[i]
                                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                                    w[i] -= eta * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
