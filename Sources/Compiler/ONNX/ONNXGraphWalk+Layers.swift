/// Dense layers and the constants that fold into them (Gemm, MatMul, Add/Sub/Mul/Div,
/// Scaler, BatchNormalization), and where folding rounds (docs/onnx.md).
extension ONNXGraphWalk {
    mutating func checkWidths(_ k: Int, _ n: Int, _ node: ONNXNode) throws(ONNXError) {
        guard k >= 1, k <= ModelFile.maxWidth else { throw .tooLarge(what: "\(ONNXError.nodeName(node.name, node.opType)) input width", value: k, limit: ModelFile.maxWidth) }
        guard n >= 1, n <= ModelFile.maxWidth else { throw .tooLarge(what: "\(ONNXError.nodeName(node.name, node.opType)) output width", value: n, limit: ModelFile.maxWidth) }
    }

    mutating func startDense(_ node: ONNXNode, inputs k: Int, outputs n: Int, weights: [Double], biases: [Double]) throws(ONNXError) {
        if let o = open { layers.append(o); open = nil }
        if let last = layers.last, last.activation == .softmax {
            throw .misplaced(node: node.name, opType: node.opType, reason: "a dense layer after Softmax: softmax is only allowed on the last layer")
        }
        if let w = width, w != k { throw .shapeMismatch(node: node.name, opType: node.opType, expected: w, found: k) }
        guard layers.count < ModelFile.maxLayers else { throw .tooLarge(what: "layer count", value: layers.count + 1, limit: ModelFile.maxLayers) }
        var w = weights, b = biases
        if pendingSince != nil {
            let mean = try broadcast(pendingMean, k, pendingSince!, "mean"), std = try broadcast(pendingStd, k, pendingSince!, "scale")
            if layers.isEmpty && standardizer == nil {
                standardizer = Standardizer(mean: mean, std: std)
            } else {
                // (x − m)/s · W + b = x · (W/s) + (b − Σᵢ mᵢ/sᵢ · Wᵢ)
                for i in 0..<k {
                    for o in 0..<n {
                        b[o] -= mean[i] / std[i] * weights[i * n + o]
                        w[i * n + o] = weights[i * n + o] / std[i]
                    }
                }
            }
            pendingMean = [0]; pendingStd = [1]; pendingSince = nil
        }
        open = DenseLayer(inputCount: k, outputCount: n, activation: .identity, weights: w, biases: b)
        openNode = node
        width = n
    }

    mutating func finishLayer(_ node: ONNXNode, _ activation: Activation) throws(ONNXError) {
        guard var layer = open else {
            throw .misplaced(node: node.name, opType: node.opType, reason: "an activation must follow a dense layer (Gemm, or MatMul and Add)")
        }
        layer.activation = activation
        if node.opType == "HardSigmoid", let beta = node.attribute("beta")?.float, beta != 0.5 {
            // α·z + β = α·(z + (β − ½)/α) + ½: the shift moves into the bias.
            guard case .hardSigmoid(let a) = activation, a != 0 else {
                throw .unsupportedAttribute(node: node.name, opType: node.opType, attribute: "alpha", value: "0")
            }
            for o in 0..<layer.outputCount { layer.biases[o] += (Double(beta) - 0.5) / a }
        }
        layers.append(layer)
        open = nil
    }

    /// Folds Add/Sub/Mul/Div by a constant into the open layer or the pending affine.
    mutating func applyArithmetic(_ node: ONNXNode, data: String) throws(ONNXError) {
        let op = node.opType
        guard node.inputs.count == 2 else { throw unsupported(node) }
        let dataFirst = node.inputs[0] == data
        let k = try constant(node, dataFirst ? 1 : 0)
        if let layer = open {
            var l = layer
            let v = try broadcast(k.doubles, l.outputCount, node, node.inputs[dataFirst ? 1 : 0])
            for o in 0..<l.outputCount {
                switch (op, dataFirst) {
                case ("Add", _): l.biases[o] += v[o]
                case ("Sub", true): l.biases[o] -= v[o]
                case ("Sub", false):
                    l.biases[o] = v[o] - l.biases[o]
                    for i in 0..<l.inputCount { l.weights[i * l.outputCount + o] = -l.weights[i * l.outputCount + o] }
                case ("Mul", _):
                    l.biases[o] *= v[o]
                    for i in 0..<l.inputCount { l.weights[i * l.outputCount + o] *= v[o] }
                case ("Div", true):
                    l.biases[o] /= v[o]
                    for i in 0..<l.inputCount { l.weights[i * l.outputCount + o] /= v[o] }
                default:
                    throw .misplaced(node: node.name, opType: op, reason: "a constant divided by the data is not affine")
                }
            }
            open = l
            return
        }
        let n = try resolveWidth(k.doubles.count, node)
        let v = try broadcast(k.doubles, n, node, node.inputs[dataFirst ? 1 : 0])
        // y = (x − m)/s; each op gives (x − m′)/s′.
        switch (op, dataFirst) {
        case ("Sub", true): try composePending(node, mean: v, scale: [1])
        case ("Sub", false): try composePending(node, mean: v, scale: [-1])
        case ("Add", _): try composePending(node, mean: v.map { -$0 }, scale: [1])
        case ("Mul", _):
            guard v.allSatisfy({ $0 != 0 }) else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "B", value: "0 (a multiplication by 0)") }
            try composePending(node, mean: [0], scale: v.map { 1 / $0 })
        case ("Div", true):
            guard v.allSatisfy({ $0 != 0 }) else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "B", value: "0 (a division by 0)") }
            try composePending(node, mean: [0], scale: v)
        default: throw .misplaced(node: node.name, opType: op, reason: "a constant divided by the data is not affine")
        }
    }

    /// Composes y = (x − m)/s with z = (y − mean)/scale (Sub with the data second is scale −1: z = mean − y).
    mutating func composePending(_ node: ONNXNode, mean: [Double], scale: [Double]) throws(ONNXError) {
        let n = max(pendingMean.count, pendingStd.count, mean.count, scale.count)
        let m = try broadcast(pendingMean, n, node, "mean"), s = try broadcast(pendingStd, n, node, "scale")
        let a = try broadcast(mean, n, node, "mean"), c = try broadcast(scale, n, node, "scale")
        // (y − a)/c with y = (x − m)/s:  (x − m − a·s) / (s·c)
        pendingMean = (0..<n).map { m[$0] + a[$0] * s[$0] }
        pendingStd = (0..<n).map { s[$0] * c[$0] }
        pendingSince = node
    }

    mutating func applyBatchNorm(_ node: ONNXNode) throws(ONNXError) {
        guard node.inputs.count >= 5 else { throw unsupported(node) }
        if let t = node.attribute("training_mode")?.int, t != 0 {
            throw .unsupportedAttribute(node: node.name, opType: node.opType, attribute: "training_mode", value: "\(t)")
        }
        let eps = Double(node.attribute("epsilon")?.float ?? 1e-5)
        let scaleCount = try constant(node, 1).doubles.count
        let n = try resolveWidth(open?.outputCount ?? scaleCount, node)
        let gamma = try broadcast(try constant(node, 1).doubles, n, node, node.inputs[1])
        let beta = try broadcast(try constant(node, 2).doubles, n, node, node.inputs[2])
        let mu = try broadcast(try constant(node, 3).doubles, n, node, node.inputs[3])
        let variance = try broadcast(try constant(node, 4).doubles, n, node, node.inputs[4])
        let d = (0..<n).map { (variance[$0] + eps).squareRoot() }
        guard d.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw .nonFiniteValue(tensor: node.inputs[4]) }
        if var l = open {
            for o in 0..<n {
                let g = gamma[o] / d[o]
                for i in 0..<l.inputCount { l.weights[i * n + o] *= g }
                l.biases[o] = (l.biases[o] - mu[o]) * g + beta[o]
            }
            open = l
        } else {
            // γ(y − μ)/d + β = (y − (μ − β·d/γ)) / (d/γ)
            guard gamma.allSatisfy({ $0 != 0 }) else { throw .unsupportedAttribute(node: node.name, opType: node.opType, attribute: "scale", value: "0") }
            try composePending(node, mean: (0..<n).map { mu[$0] - beta[$0] * d[$0] / gamma[$0] }, scale: (0..<n).map { d[$0] / gamma[$0] })
        }
    }
}
