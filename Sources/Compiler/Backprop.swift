/// Batched forward and backward passes (the material's BP1–BP4 in matrix form).
///
/// A `Backprop` owns every buffer one training step needs, sized for `capacity`
/// rows; `step` allocates nothing. Rows are samples: Z = X·W + b, A = f(Z).
///
/// The objective it differentiates is the loss's batch mean, with each row's
/// term times its weight when `rowWeights` are given (class weights:
/// Σ wᵣ·Lᵣ / rows), plus the L2 penalty α/(2·rows)·Σ W² over every layer's
/// weights (biases excluded: scikit-learn's `alpha`, which scales by the batch's
/// rows). With dropout masks drawn (`drawDropoutMasks`), hidden layer l's output
/// is A·M with M ∈ {0, 1/(1 − pₗ)} per element (inverted dropout), in the
/// forward pass and the gradients alike, until `clearDropoutMasks`.
public struct Backprop {
    public let capacity: Int
    private var z: [[Double]]      // per layer (capacity, outputCount)
    private var a: [[Double]]      // per layer (capacity, outputCount)
    private var delta: [Double]    // (capacity, widest layer): ∂L/∂Z of the current layer
    private var upstream: [Double] // (capacity, widest layer): ∂L/∂A of the layer below / scratch
    private var transposed: [Double] // (widest layer, capacity): the layer input's transpose for Xᵀ·δ
    private var termIndices: [Int32] // (widest layer, capacity): Xᵀ·δ's nonzero terms of a sparse input (MatrixKernels.sparseProduct)
    /// Per layer, the drop probability (0: no dropout; never on the output layer).
    public let dropout: [Double]
    private var masks: [[Double]]   // per layer with dropout (capacity, outputCount): 0 or 1/(1 − p)
    private var dropped: [[Double]] // per layer with dropout (capacity, outputCount): A·M, the next layer's input
    public private(set) var masksDrawn = false
    private var maskRows = 0
    /// The GEMMs' worker threads (nil: the calling thread alone).
    var pool: TrainingThreads?

    /// - Parameter dropout: per hidden layer (or one value for all of them), each in [0, 1).
    public init(network: Network, capacity: Int, dropout: [Double] = []) {
        precondition(capacity > 0)
        self.capacity = capacity
        z = network.layers.map { [Double](repeating: 0, count: capacity * $0.outputCount) }
        a = z
        let widest = network.sizes.max()!
        delta = [Double](repeating: 0, count: capacity * widest)
        upstream = delta
        transposed = delta
        termIndices = [Int32](repeating: 0, count: capacity * widest)
        let hidden = network.layers.count - 1
        var p = [Double](repeating: 0, count: network.layers.count)
        for l in 0..<hidden where !dropout.isEmpty { p[l] = dropout.count == 1 ? dropout[0] : (l < dropout.count ? dropout[l] : 0) }
        precondition(p.allSatisfy { $0 >= 0 && $0 < 1 }, "dropout probabilities must be in [0, 1)")
        self.dropout = p
        masks = network.layers.indices.map { p[$0] > 0 ? [Double](repeating: 0, count: capacity * network.layers[$0].outputCount) : [] }
        dropped = masks
    }

    /// Draws fresh masks for the next `rows` rows from `rng`: per layer with
    /// dropout, row by row, output by output, keep when `rng.nextUnit() ≥ p`.
    /// (The peers' and PyTorch's masks come from other generators, so a run with
    /// dropout matches no reference bit for bit; it is the same run for the same seed.)
    public mutating func drawDropoutMasks(rows: Int, rng: inout SplitMix64) {
        precondition(rows <= capacity)
        for l in dropout.indices where dropout[l] > 0 {
            let p = dropout[l], keep = 1 / (1 - p)
            let count = rows * (masks[l].count / capacity)
            masks[l].withUnsafeMutableBufferPointer { m in
                for i in 0..<count { m[i] = rng.nextUnit() < p ? 0 : keep }
            }
        }
        masksDrawn = dropout.contains { $0 > 0 }
        maskRows = rows
    }

    /// Back to the plain network (validation, evaluation).
    public mutating func clearDropoutMasks() { masksDrawn = false }

    /// Whether layer l's output goes through its mask in this pass.
    @inline(__always) private func masked(_ l: Int) -> Bool { masksDrawn && dropout[l] > 0 }

    /// Layer l's output as the next layer sees it: A, or A·M under dropout.
    @inline(__always) private func output(_ l: Int) -> [Double] { masked(l) ? dropped[l] : a[l] }

    /// Forward pass for `rows` rows of `x (rows, inputCount)`; returns the output
    /// buffer (rows × outputCount valid entries).
    @discardableResult
    public mutating func forward(_ network: Network, x: UnsafePointer<Double>, rows: Int) -> [Double] {
        precondition(rows <= capacity)
        precondition(!masksDrawn || rows == maskRows, "dropout masks were drawn for another row count")
        let pool = pool
        for (l, layer) in network.layers.enumerated() {
            let n = layer.outputCount, k = layer.inputCount
            let input: UnsafePointer<Double>? = l == 0 ? x : nil
            let below = l == 0 ? [] : output(l - 1)
            z[l].withUnsafeMutableBufferPointer { zp in
                layer.weights.withUnsafeBufferPointer { wp in
                    func run(_ xin: UnsafePointer<Double>) {
                        transposed.withUnsafeMutableBufferPointer { tp in
                            termIndices.withUnsafeMutableBufferPointer { ip in
                                MatrixKernels.multiply(m: rows, n: n, k: k, xin, wp.baseAddress!, into: zp.baseAddress!, threads: pool,
                                                       sparse: tp.baseAddress!, indices: ip.baseAddress!)
                            }
                        }
                    }
                    if let input { run(input) } else { below.withUnsafeBufferPointer { run($0.baseAddress!) } }
                }
                layer.biases.withUnsafeBufferPointer {
                    MatrixKernels.addRowVector(m: rows, n: n, $0.baseAddress!, to: zp.baseAddress!)
                }
                a[l].withUnsafeMutableBufferPointer { ap in
                    layer.activation.apply(zp.baseAddress!, into: ap.baseAddress!, rows: rows, cols: n)
                }
            }
            if masked(l) {
                a[l].withUnsafeBufferPointer { ap in
                    masks[l].withUnsafeBufferPointer { mp in
                        dropped[l].withUnsafeMutableBufferPointer { dp in
                            for i in 0..<(rows * n) { dp[i] = ap[i] * mp[i] }
                        }
                    }
                }
            }
        }
        return a[a.count - 1]
    }

    /// α/(2·rows)·Σ W² over every layer's weights, each layer's sum in index order.
    private func penalty(_ network: Network, l2: Double, rows: Int) -> Double {
        guard l2 > 0 else { return 0 }
        var total = 0.0
        for layer in network.layers {
            var s = 0.0
            layer.weights.withUnsafeBufferPointer { w in for i in 0..<w.count { s += w[i] * w[i] } }
            total += s
        }
        return 0.5 * l2 * total / Double(rows)
    }

    /// ∂L/∂α of a PReLU layer = Σ (∂L/∂a)·z over z < 0, with ∂L/∂a in `upstream`.
    private func alphaGradient(layer l: Int, rows: Int, cols: Int) -> Double {
        var s = 0.0
        z[l].withUnsafeBufferPointer { zp in
            upstream.withUnsafeBufferPointer { up in
                for i in 0..<(rows * cols) where zp[i] < 0 { s += up[i] * zp[i] }
            }
        }
        return s
    }

    /// Forward pass and the objective (see the type's comment), without gradients.
    public mutating func loss(
        _ network: Network, x: UnsafePointer<Double>, y: UnsafePointer<Double>, rows: Int, loss: Loss,
        l2: Double = 0, rowWeights: UnsafePointer<Double>? = nil
    ) -> Double {
        forward(network, x: x, rows: rows)
        let last = network.layers.count - 1
        let outLayer = network.layers[last]
        let value = z[last].withUnsafeBufferPointer { zp in
            a[last].withUnsafeBufferPointer { ap in
                loss.value(z: zp.baseAddress!, a: ap.baseAddress!, y: y, rows: rows,
                           cols: outLayer.outputCount, activation: outLayer.activation, rowWeights: rowWeights)
            }
        }
        return l2 > 0 ? value + penalty(network, l2: l2, rows: rows) : value
    }

    /// Forward, loss and backward for one batch. Writes ∂L/∂θ into `gradients`
    /// (overwriting) and returns the batch's mean loss.
    /// - Parameters: `x (rows, inputCount)`, `y (rows, loss.targetWidth)`.
    public mutating func step(
        _ network: Network, x: UnsafePointer<Double>, y: UnsafePointer<Double>, rows: Int,
        loss: Loss, l2: Double = 0, rowWeights: UnsafePointer<Double>? = nil, gradients: inout Gradients
    ) -> Double {
        forward(network, x: x, rows: rows)
        let pool = pool
        let last = network.layers.count - 1
        let outLayer = network.layers[last]
        var value = z[last].withUnsafeBufferPointer { zp in
            a[last].withUnsafeBufferPointer { ap in
                loss.value(z: zp.baseAddress!, a: ap.baseAddress!, y: y, rows: rows,
                           cols: outLayer.outputCount, activation: outLayer.activation, rowWeights: rowWeights)
            }
        }
        if l2 > 0 { value += penalty(network, l2: l2, rows: rows) }
        // BP1: δᴸ = ∂L/∂Zᴸ
        z[last].withUnsafeBufferPointer { zp in
            a[last].withUnsafeBufferPointer { ap in
                upstream.withUnsafeMutableBufferPointer { up in
                    delta.withUnsafeMutableBufferPointer { dp in
                        loss.outputGradient(z: zp.baseAddress!, a: ap.baseAddress!, y: y, rows: rows,
                                            cols: outLayer.outputCount, activation: outLayer.activation,
                                            scratch: up.baseAddress!, into: dp.baseAddress!)
                        if let w = rowWeights {
                            let cols = outLayer.outputCount
                            for r in 0..<rows { for j in 0..<cols { dp[r * cols + j] *= w[r] } }
                        }
                    }
                }
            }
        }
        if outLayer.learnsAlpha { gradients.alphas[last] = alphaGradient(layer: last, rows: rows, cols: outLayer.outputCount) }
        for l in stride(from: last, through: 0, by: -1) {
            let layer = network.layers[l]
            let n = layer.outputCount, k = layer.inputCount
            let input = l == 0 ? [] : output(l - 1)
            delta.withUnsafeBufferPointer { dp in
                // BP4: ∂L/∂W = Xᵀ·δ ; BP3: ∂L/∂b = Σ_rows δ
                gradients.weights[l].withUnsafeMutableBufferPointer { gw in
                    func run(_ xin: UnsafePointer<Double>) {
                        transposed.withUnsafeMutableBufferPointer { tp in
                            termIndices.withUnsafeMutableBufferPointer { ip in
                                MatrixKernels.multiplyTransposedA(m: k, n: n, k: rows, xin, dp.baseAddress!, into: gw.baseAddress!,
                                                                  threads: pool, transposing: tp.baseAddress!, indices: ip.baseAddress!)
                            }
                        }
                    }
                    if l == 0 { run(x) } else { input.withUnsafeBufferPointer { run($0.baseAddress!) } }
                    if l2 > 0 {
                        // ∂/∂W of α/(2·rows)·Σ W²: + (α/rows)·W.
                        let scale = l2 / Double(rows)
                        layer.weights.withUnsafeBufferPointer { wp in
                            for i in 0..<wp.count { gw[i] += scale * wp[i] }
                        }
                    }
                }
                gradients.biases[l].withUnsafeMutableBufferPointer { gb in
                    MatrixKernels.sumRows(m: rows, n: n, dp.baseAddress!, into: gb.baseAddress!)
                }
                guard l > 0 else { return }
                // BP2: ∂L/∂A^{l-1} = δ (rows, n) · Wᵀ, W (k, n): row-by-row dot products,
                // both operands contiguous (no transposed copy of W).
                upstream.withUnsafeMutableBufferPointer { up in
                    layer.weights.withUnsafeBufferPointer { wp in
                        MatrixKernels.multiplyTransposedB(m: rows, n: k, k: n, dp.baseAddress!, wp.baseAddress!, into: up.baseAddress!, threads: pool)
                    }
                }
            }
            guard l > 0 else { break }
            if masked(l - 1) {
                // ∂L/∂A = ∂L/∂(A·M) · M
                masks[l - 1].withUnsafeBufferPointer { mp in
                    upstream.withUnsafeMutableBufferPointer { up in for i in 0..<(rows * k) { up[i] *= mp[i] } }
                }
            }
            let below = network.layers[l - 1]
            if below.learnsAlpha { gradients.alphas[l - 1] = alphaGradient(layer: l - 1, rows: rows, cols: k) }
            z[l - 1].withUnsafeBufferPointer { zp in
                a[l - 1].withUnsafeBufferPointer { ap in
                    upstream.withUnsafeBufferPointer { up in
                        delta.withUnsafeMutableBufferPointer { dp in
                            below.activation.backward(z: zp.baseAddress!, a: ap.baseAddress!, upstream: up.baseAddress!,
                                                      into: dp.baseAddress!, rows: rows, cols: k)
                        }
                    }
                }
            }
        }
        return value
    }
}
