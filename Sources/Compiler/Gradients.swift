/// ∂L/∂θ for every parameter of a network, shaped like its layers.
public struct Gradients: Sendable, Equatable {
    /// Per layer, (inputCount, outputCount) row-major, like `DenseLayer.weights`.
    public var weights: [[Double]]
    /// Per layer, (outputCount).
    public var biases: [[Double]]
    /// Per layer, ∂L/∂α of a learned PReLU (0 for other layers).
    public var alphas: [Double]

    public init(zeroFor network: Network) {
        weights = network.layers.map { [Double](repeating: 0, count: $0.weights.count) }
        biases = network.layers.map { [Double](repeating: 0, count: $0.biases.count) }
        alphas = [Double](repeating: 0, count: network.layers.count)
    }

    /// The global L2 norm √(Σ g²) over every gradient (weights, biases, learned α),
    /// summed layer by layer in storage order.
    public func norm(for network: Network) -> Double {
        var total = 0.0
        for (l, layer) in network.layers.enumerated() {
            for buffer in [weights[l], biases[l]] {
                buffer.withUnsafeBufferPointer { g in for i in 0..<g.count { total += g[i] * g[i] } }
            }
            if layer.learnsAlpha { total += alphas[l] * alphas[l] }
        }
        return total.squareRoot()
    }

    /// Gradient clipping by global norm (PyTorch's `clip_grad_norm_`): when the
    /// norm exceeds `maxNorm`, every gradient is multiplied by maxNorm / (norm + 10⁻⁶).
    /// Returns the norm before clipping.
    @discardableResult
    public mutating func clip(toNorm maxNorm: Double, for network: Network) -> Double {
        let n = norm(for: network)
        let scale = maxNorm / (n + 1e-6)
        guard scale < 1 else { return n }
        for l in weights.indices {
            weights[l].withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= scale } }
            biases[l].withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= scale } }
            alphas[l] *= scale
        }
        return n
    }

    /// All gradients in one vector, layer by layer: weights, biases, then α if learned.
    public func flattened(for network: Network) -> [Double] {
        var out: [Double] = []
        for (l, layer) in network.layers.enumerated() {
            out += weights[l]
            out += biases[l]
            if layer.learnsAlpha { out.append(alphas[l]) }
        }
        return out
    }
}

extension Network {
    /// All parameters in one vector, in the order of `Gradients.flattened(for:)`.
    public var flattenedParameters: [Double] {
        get {
            var out: [Double] = []
            for layer in layers {
                out += layer.weights
                out += layer.biases
                if layer.learnsAlpha { out.append(layer.alpha ?? 0) }
            }
            return out
        }
        set {
            var k = 0
            for l in layers.indices {
                let nw = layers[l].weights.count, nb = layers[l].biases.count
                layers[l].weights = Array(newValue[k..<(k + nw)]); k += nw
                layers[l].biases = Array(newValue[k..<(k + nb)]); k += nb
                if layers[l].learnsAlpha { layers[l].alpha = newValue[k]; k += 1 }
            }
        }
    }
}
