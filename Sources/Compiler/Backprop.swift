/// Batched forward and backward passes (the material's BP1–BP4 in matrix form).
///
/// A `Backprop` owns every buffer one training step needs, sized for `capacity`
/// rows; `step` allocates nothing. Rows are samples: Z = X·W + b, A = f(Z).
public struct Backprop {
    public let capacity: Int
    private var z: [[Double]]      // per layer (capacity, outputCount)
    private var a: [[Double]]      // per layer (capacity, outputCount)
    private var delta: [Double]    // (capacity, widest layer): ∂L/∂Z of the current layer
    private var upstream: [Double] // (capacity, widest layer): ∂L/∂A of the layer below / scratch

    public init(network: Network, capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        z = network.layers.map { [Double](repeating: 0, count: capacity * $0.outputCount) }
        a = z
        let widest = network.sizes.max()!
        delta = [Double](repeating: 0, count: capacity * widest)
        upstream = delta
    }

    /// Forward pass for `rows` rows of `x (rows, inputCount)`; returns the output
    /// buffer (rows × outputCount valid entries).
    @discardableResult
    public mutating func forward(_ network: Network, x: UnsafePointer<Double>, rows: Int) -> [Double] {
        precondition(rows <= capacity)
        for (l, layer) in network.layers.enumerated() {
            let n = layer.outputCount, k = layer.inputCount
            let input: UnsafePointer<Double>? = l == 0 ? x : nil
            z[l].withUnsafeMutableBufferPointer { zp in
                layer.weights.withUnsafeBufferPointer { wp in
                    func run(_ xin: UnsafePointer<Double>) {
                        MatrixKernels.multiply(m: rows, n: n, k: k, xin, wp.baseAddress!, into: zp.baseAddress!)
                    }
                    if let input { run(input) } else { a[l - 1].withUnsafeBufferPointer { run($0.baseAddress!) } }
                }
                layer.biases.withUnsafeBufferPointer {
                    MatrixKernels.addRowVector(m: rows, n: n, $0.baseAddress!, to: zp.baseAddress!)
                }
                a[l].withUnsafeMutableBufferPointer { ap in
                    layer.activation.apply(zp.baseAddress!, into: ap.baseAddress!, rows: rows, cols: n)
                }
            }
        }
        return a[a.count - 1]
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

    /// Forward pass and mean loss, without gradients.
    public mutating func loss(
        _ network: Network, x: UnsafePointer<Double>, y: UnsafePointer<Double>, rows: Int, loss: Loss
    ) -> Double {
        forward(network, x: x, rows: rows)
        let last = network.layers.count - 1
        let outLayer = network.layers[last]
        return z[last].withUnsafeBufferPointer { zp in
            a[last].withUnsafeBufferPointer { ap in
                loss.value(z: zp.baseAddress!, a: ap.baseAddress!, y: y, rows: rows,
                           cols: outLayer.outputCount, activation: outLayer.activation)
            }
        }
    }

    /// Forward, loss and backward for one batch. Writes ∂L/∂θ into `gradients`
    /// (overwriting) and returns the batch's mean loss.
    /// - Parameters: `x (rows, inputCount)`, `y (rows, loss.targetWidth)`.
    public mutating func step(
        _ network: Network, x: UnsafePointer<Double>, y: UnsafePointer<Double>, rows: Int,
        loss: Loss, gradients: inout Gradients
    ) -> Double {
        forward(network, x: x, rows: rows)
        let last = network.layers.count - 1
        let outLayer = network.layers[last]
        let value = z[last].withUnsafeBufferPointer { zp in
            a[last].withUnsafeBufferPointer { ap in
                loss.value(z: zp.baseAddress!, a: ap.baseAddress!, y: y, rows: rows,
                           cols: outLayer.outputCount, activation: outLayer.activation)
            }
        }
        // BP1: δᴸ = ∂L/∂Zᴸ
        z[last].withUnsafeBufferPointer { zp in
            a[last].withUnsafeBufferPointer { ap in
                upstream.withUnsafeMutableBufferPointer { up in
                    delta.withUnsafeMutableBufferPointer { dp in
                        loss.outputGradient(z: zp.baseAddress!, a: ap.baseAddress!, y: y, rows: rows,
                                            cols: outLayer.outputCount, activation: outLayer.activation,
                                            scratch: up.baseAddress!, into: dp.baseAddress!)
                    }
                }
            }
        }
        if outLayer.learnsAlpha { gradients.alphas[last] = alphaGradient(layer: last, rows: rows, cols: outLayer.outputCount) }
        for l in stride(from: last, through: 0, by: -1) {
            let layer = network.layers[l]
            let n = layer.outputCount, k = layer.inputCount
            delta.withUnsafeBufferPointer { dp in
                // BP4: ∂L/∂W = Xᵀ·δ ; BP3: ∂L/∂b = Σ_rows δ
                gradients.weights[l].withUnsafeMutableBufferPointer { gw in
                    func run(_ xin: UnsafePointer<Double>) {
                        MatrixKernels.multiplyTransposedA(m: k, n: n, k: rows, xin, dp.baseAddress!, into: gw.baseAddress!)
                    }
                    if l == 0 { run(x) } else { a[l - 1].withUnsafeBufferPointer { run($0.baseAddress!) } }
                }
                gradients.biases[l].withUnsafeMutableBufferPointer { gb in
                    MatrixKernels.sumRows(m: rows, n: n, dp.baseAddress!, into: gb.baseAddress!)
                }
                guard l > 0 else { return }
                // BP2: ∂L/∂A^{l-1} = δ (rows, n) · Wᵀ, W (k, n): row-by-row dot products,
                // both operands contiguous (no transposed copy of W).
                upstream.withUnsafeMutableBufferPointer { up in
                    layer.weights.withUnsafeBufferPointer { wp in
                        MatrixKernels.multiplyTransposedB(m: rows, n: k, k: n, dp.baseAddress!, wp.baseAddress!, into: up.baseAddress!)
                    }
                }
            }
            guard l > 0 else { break }
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
