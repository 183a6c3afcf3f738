/// One fully connected layer: a = f(x·W + b).
public struct DenseLayer: Sendable, Equatable {
    public var inputCount: Int
    public var outputCount: Int
    public var activation: Activation
    /// True when a PReLU layer learns its α by gradient descent.
    public var learnsAlpha: Bool
    /// (inputCount, outputCount), row-major: `weights[i * outputCount + o]` connects
    /// input i to output o. (The JSON form stores the transpose, `weights[o][i]`.)
    public var weights: [Double]
    /// (outputCount)
    public var biases: [Double]

    public init(inputCount: Int, outputCount: Int, activation: Activation, learnsAlpha: Bool = false,
                weights: [Double]? = nil, biases: [Double]? = nil) {
        precondition(inputCount > 0 && outputCount > 0)
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.activation = activation
        self.learnsAlpha = learnsAlpha
        self.weights = weights ?? [Double](repeating: 0, count: inputCount * outputCount)
        self.biases = biases ?? [Double](repeating: 0, count: outputCount)
        precondition(self.weights.count == inputCount * outputCount && self.biases.count == outputCount)
    }

    /// The weight from input `i` to output `o`.
    public func weight(output o: Int, input i: Int) -> Double { weights[i * outputCount + o] }

    public var parameterCount: Int { weights.count + biases.count + (learnsAlpha ? 1 : 0) }

    /// α of a PReLU layer, nil for every other activation.
    public var alpha: Double? {
        get { if case .prelu(let a) = activation { return a } else { return nil } }
        set { if let a = newValue, case .prelu = activation { activation = .prelu(alpha: a) } }
    }
}

/// How initial weights are drawn. Biases start at 0, except for `uniform`, which
/// draws them from the same range (as in the material).
public enum Initializer: String, Sendable, CaseIterable {
    /// U(−0.5, 0.5) for weights and biases.
    case uniform
    /// Glorot/Xavier uniform: U(±√(6/(fanIn + fanOut))).
    case glorot
    /// He uniform: U(±√(6/fanIn)), for ReLU-family layers.
    case he
}

/// What the network predicts, and how its outputs read.
public enum Task: Sendable, Equatable {
    case regression
    /// Class labels in output order. With one sigmoid output, `labels[1]` is the positive class.
    case classification(labels: [String])

    public var labels: [String] {
        if case .classification(let l) = self { return l } else { return [] }
    }
}

/// A Float64 MLP with the input standardisation fitted on its training data and
/// the task it was trained for. Users predict on raw features.
public struct Network: Sendable, Equatable {
    public var layers: [DenseLayer]
    public var standardizer: Standardizer?
    public var task: Task
    /// (inputCount) names from the training data's header; nil when it had none.
    /// `fnc predict` checks a header row against them where the model carries them.
    public var featureNames: [String]? = nil
    /// Regression with an identity output layer: the target standardisation
    /// fitted on the training split. The layers predict (y − mean) / std; `predict`
    /// returns y. Lowering and ONNX export fold it into the last layer
    /// (`foldingTargetScale`), so blobs do not carry it.
    public var targetScaler: Standardizer? = nil
    /// Regression: (outputCount) names of the target columns, when the training data had a header.
    public var targetNames: [String]? = nil

    public init(layers: [DenseLayer], standardizer: Standardizer? = nil, task: Task = .regression) {
        precondition(!layers.isEmpty, "a network needs at least one layer")
        for (l, next) in zip(layers, layers.dropFirst()) {
            precondition(l.outputCount == next.inputCount, "layer sizes do not chain")
        }
        self.layers = layers
        self.standardizer = standardizer
        self.task = task
    }

    /// A freshly initialised network with `sizes = [inputs, hidden…, outputs]` and
    /// one activation per layer. Same seed, same bits.
    public init(sizes: [Int], activations: [Activation], initializer: Initializer = .glorot, seed: UInt64,
                learnsAlpha: Bool = false, task: Task = .regression) {
        precondition(sizes.count >= 2 && activations.count == sizes.count - 1)
        var rng = SplitMix64(seed: seed)
        var layers: [DenseLayer] = []
        for l in 0..<(sizes.count - 1) {
            let fanIn = sizes[l], fanOut = sizes[l + 1]
            var layer = DenseLayer(inputCount: fanIn, outputCount: fanOut, activation: activations[l],
                                   learnsAlpha: learnsAlpha && { if case .prelu = activations[l] { return true }; return false }())
            let limit: Double
            switch initializer {
            case .uniform: limit = 0.5
            case .glorot: limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
            case .he: limit = (6.0 / Double(fanIn)).squareRoot()
            }
            // Drawn in W[o][i] order, the order of the JSON form and of PyTorch.
            for o in 0..<fanOut { for i in 0..<fanIn { layer.weights[i * fanOut + o] = rng.nextUniform(-limit, limit) } }
            if initializer == .uniform { for o in 0..<fanOut { layer.biases[o] = rng.nextUniform(-0.5, 0.5) } }
            layers.append(layer)
        }
        self.init(layers: layers, task: task)
    }

    /// A network from flat weights in PyTorch's layout: for each layer `W[out][in]`
    /// row-major, then `b[out]` (the layout of the peers' init files and of
    /// `torch.cat([p.flatten() for p in model.parameters()])` for Linear layers).
    /// Returns nil when `flat` does not hold exactly the parameters of `sizes`.
    public init?(pytorchLayout flat: [Double], sizes: [Int], activations: [Activation], task: Task = .regression) {
        guard sizes.count >= 2, activations.count == sizes.count - 1 else { return nil }
        var k = 0
        var layers: [DenseLayer] = []
        for l in 0..<(sizes.count - 1) {
            let nin = sizes[l], nout = sizes[l + 1]
            guard k + nin * nout + nout <= flat.count else { return nil }
            var w = [Double](repeating: 0, count: nin * nout)
            for o in 0..<nout { for i in 0..<nin { w[i * nout + o] = flat[k]; k += 1 } }
            let b = Array(flat[k..<(k + nout)]); k += nout
            layers.append(DenseLayer(inputCount: nin, outputCount: nout, activation: activations[l], weights: w, biases: b))
        }
        guard k == flat.count else { return nil }
        self.init(layers: layers, task: task)
    }

    public var inputCount: Int { layers[0].inputCount }
    public var outputCount: Int { layers[layers.count - 1].outputCount }
    public var sizes: [Int] { [inputCount] + layers.map(\.outputCount) }
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    public var outputActivation: Activation { layers[layers.count - 1].activation }

    /// Outputs for raw (unstandardised) inputs. `inputs`: (rows, inputCount); result (rows, outputCount).
    /// Allocates; for the training loop's batched path see `Backprop`.
    public func predict(_ inputs: [Double], rows: Int) -> [Double] {
        precondition(inputs.count == rows * inputCount)
        var x = inputs
        standardizer?.transform(&x, rows: rows)
        var y = predictStandardized(x, rows: rows)
        targetScaler?.restore(&y, rows: rows)
        return y
    }

    /// The same predictions with the target standardisation folded into the last
    /// (identity) layer: w·std and b·std + mean per output, each one Float64
    /// multiply (and add), so the folded network agrees with `predict` to an ulp
    /// or two of Float64. A network without a target scaler is returned as it is.
    public func foldingTargetScale() -> Network {
        guard let t = targetScaler else { return self }
        precondition(outputActivation == .identity && t.featureCount == outputCount, "a target scaler needs an identity output layer")
        var folded = self
        folded.targetScaler = nil
        let l = layers.count - 1, n = outputCount
        for i in 0..<layers[l].inputCount { for o in 0..<n { folded.layers[l].weights[i * n + o] *= t.std[o] } }
        for o in 0..<n { folded.layers[l].biases[o] = layers[l].biases[o] * t.std[o] + t.mean[o] }
        return folded
    }

    /// Outputs for inputs already standardised.
    public func predictStandardized(_ inputs: [Double], rows: Int) -> [Double] {
        var x = inputs
        for layer in layers {
            var z = [Double](repeating: 0, count: rows * layer.outputCount)
            var a = z
            x.withUnsafeBufferPointer { xp in
                layer.weights.withUnsafeBufferPointer { wp in
                    z.withUnsafeMutableBufferPointer { zp in
                        MatrixKernels.multiply(m: rows, n: layer.outputCount, k: layer.inputCount,
                                               xp.baseAddress!, wp.baseAddress!, into: zp.baseAddress!)
                        layer.biases.withUnsafeBufferPointer { bp in
                            MatrixKernels.addRowVector(m: rows, n: layer.outputCount, bp.baseAddress!, to: zp.baseAddress!)
                        }
                    }
                }
            }
            z.withUnsafeBufferPointer { zp in
                a.withUnsafeMutableBufferPointer { ap in
                    layer.activation.apply(zp.baseAddress!, into: ap.baseAddress!, rows: rows, cols: layer.outputCount)
                }
            }
            x = a
        }
        return x
    }
}
