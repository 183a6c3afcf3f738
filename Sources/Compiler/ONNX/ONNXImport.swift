/// Lowers an ONNX graph to a FixedNet `Network` (docs/onnx.md).
///
/// The walk follows the data path from the one graph input to the chosen
/// output (a ZipMap's probability input, else the one float output), node by
/// node. Nodes that do not feed that output (skl2onnx's label branch, Dropout's
/// mask) are dropped. Constants fold into the layers:
/// - elementwise Sub/Add/Mul/Div, `Scaler` and `BatchNormalization` before the
///   first dense layer become the model's standardisation (x − mean) / std;
///   between layers they fold into the next dense layer; right after a dense
///   layer they fold into its weights and bias;
/// - Gemm's alpha and beta multiply the weights and bias.
///
/// Exact: Sub then Div, Gemm with alpha = beta = 1, a bias Add after MatMul,
/// Cast of a constant (FixedNet keeps the wider value). Rounded once per
/// parameter (Float64): Mul (std = 1/k), Scaler (std = 1/scale), BatchNormalization,
/// alpha/beta ≠ 1, and folds into the next layer. docs/onnx.md states it too.
public enum ONNXImport {
    /// The ops the importer lowers, for messages and docs.
    public static let supportedOps = [
        "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Sigmoid", "Tanh",
        "Softplus", "HardSigmoid", "Gelu", "Softmax", "LogSoftmax", "Identity", "Dropout", "Flatten", "Reshape", "Cast",
        "Constant", "BatchNormalization", "Scaler (ai.onnx.ml)",
        "the exact-erf GELU, x·sigmoid(x), exp(−x²) and x ≥ 0 patterns (Div, Erf, Exp, Neg, Mul, GreaterOrEqual)",
        "skl2onnx's Sub/Concat binary output", "ZipMap, ArgMax, ArrayFeatureExtractor, Cast and Reshape on a dropped label branch",
    ]

    /// What the importer makes of outputs that carry no softmax or sigmoid.
    public enum TaskChoice: Sendable { case fromGraph, classify }

    /// Decodes and lowers `bytes` (a `.onnx` file).
    public static func network(decoding bytes: [UInt8], task: TaskChoice = .fromGraph) throws(ONNXError) -> Network {
        try network(try ONNXModel.decode(bytes), task: task)
    }

    public static func network(_ model: ONNXModel, task: TaskChoice = .fromGraph) throws(ONNXError) -> Network {
        var walk = try ONNXGraphWalk(model)
        return try walk.lower(task: task)
    }

    /// Metadata keys that `fnc export --onnx` writes and the importer reads back.
    public static let labelsKey = "fixednet.labels", featureNamesKey = "fixednet.feature_names", alphasKey = "fixednet.alphas"
    public static let taskKey = "fixednet.task"
}

/// One lowering of one graph: the data-path walk and the layers it builds.
struct ONNXGraphWalk {
    let model: ONNXModel
    let nodes: [ONNXNode]
    var constants: [String: ONNXTensor] = [:]
    var producer: [String: Int] = [:]
    /// Consumers on the path to the output only.
    var consumers: [String: [Int]] = [:]
    let input: String
    var target = ""
    var width: Int?

    var layers: [DenseLayer] = []
    /// The dense layer whose activation is still to come.
    var open: DenseLayer?
    var openNode: ONNXNode?
    var standardizer: Standardizer?
    /// A per-feature affine (x − mean) / std waiting for the next dense layer; length 1 broadcasts.
    var pendingMean: [Double] = [0], pendingStd: [Double] = [1]
    var pendingSince: ONNXNode?
    var binaryOutput = false
    var labels: [String]?

    init(_ model: ONNXModel) throws(ONNXError) {
        self.model = model
        let g = model.graph
        for t in g.initializers { constants[t.name] = t }
        var kept: [ONNXNode] = []
        for node in g.nodes {
            // Constants and casts of constants fold away before the walk.
            if node.opType == "Constant", node.domain.isEmpty, let out = node.outputs.first {
                constants[out] = try Self.constantValue(node)
                continue
            }
            if ["Cast", "Identity"].contains(node.opType), node.domain.isEmpty, node.inputs.count == 1,
               let c = constants[node.inputs[0]], let out = node.outputs.first {
                var t = c
                t.name = out
                if node.opType == "Cast", let to = node.attribute("to")?.int, [1, 10, 11, 16].contains(Int(to)), c.isFloatingPoint || !c.integers.isEmpty {
                    if !c.isFloatingPoint { t.doubles = c.integers.map(Double.init); t.integers = [] }
                    t.dataType = 11
                }
                constants[out] = t
                continue
            }
            kept.append(node)
        }
        nodes = kept
        let known = constants
        let inputs = g.inputs.filter { known[$0.name] == nil }
        guard inputs.count == 1 else { throw .graphInputs(names: inputs.map(\.name)) }
        input = inputs[0].name
        if let t = inputs[0].elementType, t != 1 && t != 11 { throw .nonFloatInput(name: input, elementType: t) }
        if inputs[0].elementType == nil { throw .nonFloatInput(name: input, elementType: 0) }
        if let shape = inputs[0].shape, let last = shape.last, case .value(let v) = last, v > 0 {
            guard v <= ModelFile.maxWidth else { throw .tooLarge(what: "input width", value: Int(v), limit: ModelFile.maxWidth) }
            width = Int(v)
        }
        for (k, node) in nodes.enumerated() {
            for o in node.outputs where !o.isEmpty { producer[o] = k }
        }
    }

    static func constantValue(_ node: ONNXNode) throws(ONNXError) -> ONNXTensor {
        var t = ONNXTensor()
        t.name = node.outputs[0]
        if let a = node.attribute("value"), let v = a.tensor { t = v; t.name = node.outputs[0] }
        else if let a = node.attribute("value_float") { t.dataType = 1; t.doubles = [Double(a.float)] }
        else if let a = node.attribute("value_floats") { t.dataType = 1; t.doubles = a.floats; t.dims = [Int64(a.floats.count)] }
        else if let a = node.attribute("value_int") { t.dataType = 7; t.integers = [a.int] }
        else if let a = node.attribute("value_ints") { t.dataType = 7; t.integers = a.ints; t.dims = [Int64(a.ints.count)] }
        else { throw .unsupportedAttribute(node: node.name, opType: "Constant", attribute: "value", value: "(not a tensor, float or int)") }
        return t
    }

    // MARK: Choosing the output

    mutating func chooseTarget() throws(ONNXError) {
        // Tensors that depend on the input, by a breadth-first walk over all consumers.
        var allConsumers: [String: [Int]] = [:]
        for (k, n) in nodes.enumerated() { for i in n.inputs where !i.isEmpty { allConsumers[i, default: []].append(k) } }
        var reached: Set<String> = [input]
        var queue = [input]
        while let t = queue.popLast() {
            for k in allConsumers[t] ?? [] { for o in nodes[k].outputs where !o.isEmpty && reached.insert(o).inserted { queue.append(o) } }
        }
        var candidates: [String] = []
        for out in model.graph.outputs where reached.contains(out.name) {
            if let p = producer[out.name], nodes[p].opType == "ZipMap", let probabilities = nodes[p].inputs.first {
                if let ints = nodes[p].attribute("classlabels_int64s"), !ints.ints.isEmpty { labels = ints.ints.map { String($0) } }
                if let strings = nodes[p].attribute("classlabels_strings"), !strings.strings.isEmpty {
                    labels = strings.strings.map { String(decoding: $0, as: UTF8.self) }
                }
                candidates.append(probabilities)
            } else if out.elementType == nil || [1, 10, 11, 16].contains(out.elementType!) {
                candidates.append(out.name)
            } else if labels == nil, let found = labelsFeeding(out.name) {
                labels = found
            }
        }
        var unique: [String] = []
        for c in candidates where !unique.contains(c) { unique.append(c) }
        guard unique.count == 1 else { throw .outputChoice(candidates: unique) }
        target = unique[0]
        // The nodes the target needs, by a walk backwards over data inputs.
        var needed: Set<Int> = []
        var stack = [target]
        var seen: Set<String> = []
        while let t = stack.popLast() {
            guard seen.insert(t).inserted, let p = producer[t] else { continue }
            needed.insert(p)
            for i in nodes[p].inputs where !i.isEmpty && constants[i] == nil { stack.append(i) }
        }
        for k in needed.sorted() {
            for i in nodes[k].inputs where !i.isEmpty && constants[i] == nil {
                guard producer[i] != nil || i == input else { throw .undefinedTensor(node: nodes[k].name, tensor: i) }
                if consumers[i]?.last != k { consumers[i, default: []].append(k) }
            }
        }
        guard seen.contains(input) || target == input else { throw .outputChoice(candidates: []) }
    }

    /// The class labels of an ArgMax → ArrayFeatureExtractor(classes) label branch.
    func labelsFeeding(_ tensor: String) -> [String]? {
        var t = tensor
        for _ in 0..<8 {
            guard let p = producer[t] else { return nil }
            let n = nodes[p]
            if n.opType == "ArrayFeatureExtractor", let first = n.inputs.first, let c = constants[first] {
                if !c.strings.isEmpty { return c.strings }
                if !c.integers.isEmpty { return c.integers.map { String($0) } }
                return nil
            }
            guard ["Cast", "Reshape", "Identity", "Squeeze", "Flatten"].contains(n.opType), let next = n.inputs.first else { return nil }
            t = next
        }
        return nil
    }

    // MARK: The walk

    mutating func lower(task: ONNXImport.TaskChoice) throws(ONNXError) -> Network {
        try chooseTarget()
        var cur = input
        var steps = 0
        while cur != target {
            steps += 1
            guard steps <= nodes.count + 1 else { throw .outputChoice(candidates: [target]) }
            let cs = consumers[cur] ?? []
            guard let first = cs.first else { throw .outputChoice(candidates: []) }
            if cs.count == 2, let next = try binaryConstruction(cs, data: cur) { cur = next; continue }
            let node = nodes[first]
            let readsTwice = node.inputs.filter { $0 == cur }.count > 1
            if cs.count > 1 || readsTwice || ActivationPattern.patternOnlyOps.contains(node.opType) {
                cur = try matchPattern(from: cur)
                continue
            }
            cur = try apply(node, data: cur)
        }
        return try finish(task: task)
    }

    mutating func apply(_ node: ONNXNode, data: String) throws(ONNXError) -> String {
        let op = node.opType
        let out = node.outputs.first ?? ""
        let isML = node.domain == "ai.onnx.ml"
        guard node.domain.isEmpty || node.domain == "ai.onnx" || (isML && op == "Scaler") else { throw unsupported(node) }
        switch op {
        case "Identity": return out
        case "Dropout":
            if node.inputs.count >= 3, !node.inputs[2].isEmpty {
                guard let mode = constants[node.inputs[2]], mode.integers.allSatisfy({ $0 == 0 }), mode.doubles.allSatisfy({ $0 == 0 }) else {
                    throw .unsupportedAttribute(node: node.name, opType: op, attribute: "training_mode", value: "true or not constant")
                }
            }
            return out
        case "Cast":
            let to = Int(node.attribute("to")?.int ?? 0)
            guard [1, 10, 11, 16].contains(to) else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "to", value: ONNXError.typeName(to)) }
            return out
        case "Flatten":
            let axis = node.attribute("axis")?.int ?? 1
            guard axis == 1 || axis == -1 else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "axis", value: "\(axis)") }
            return out
        case "Reshape":
            guard node.inputs.count >= 2, let shape = constants[node.inputs[1]] else {
                throw .dynamicWeight(node: node.name, opType: op, input: node.inputs.count >= 2 ? node.inputs[1] : "shape")
            }
            let s = shape.integers
            let keepsRows = s.count == 2 && (s[0] == -1 || s[0] == 0)
            if keepsRows && s[1] > 0 && (width == nil || width == Int(s[1])) {
                if width == nil { width = Int(s[1]) }
                return out
            }
            if keepsRows && s[1] == -1 && s[0] == 0 { return out }
            throw .unsupportedAttribute(node: node.name, opType: op, attribute: "shape", value: "\(s) (only [N, features] is supported)")
        case "Add", "Sub", "Mul", "Div":
            try applyArithmetic(node, data: data)
            return out
        case "Scaler":
            let offset = node.attribute("offset")?.floats ?? [0], scale = node.attribute("scale")?.floats ?? [1]
            let n = try resolveWidth(max(offset.count, scale.count), node)
            let o = try broadcast(offset, n, node, "offset"), c = try broadcast(scale, n, node, "scale")
            guard c.allSatisfy({ $0 != 0 }) else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "scale", value: "0") }
            try composePending(node, mean: o, scale: c.map { 1 / $0 })
            return out
        case "BatchNormalization":
            try applyBatchNorm(node)
            return out
        case "Gemm":
            guard node.inputs.count >= 2, node.inputs[0] == data else { throw .dynamicWeight(node: node.name, opType: op, input: node.inputs.first ?? "A") }
            if let t = node.attribute("transA")?.int, t != 0 { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "transA", value: "\(t)") }
            let b = try constant(node, 1)
            guard b.dims.count == 2 else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "B", value: "dims \(b.dims)") }
            let transB = (node.attribute("transB")?.int ?? 0) != 0
            let alpha = Double(node.attribute("alpha")?.float ?? 1), beta = Double(node.attribute("beta")?.float ?? 1)
            let k = Int(transB ? b.dims[1] : b.dims[0]), n = Int(transB ? b.dims[0] : b.dims[1])
            try checkWidths(k, n, node)
            var w = [Double](repeating: 0, count: k * n)
            for i in 0..<k { for o in 0..<n { w[i * n + o] = alpha * (transB ? b.doubles[o * k + i] : b.doubles[i * n + o]) } }
            var bias = [Double](repeating: 0, count: n)
            if node.inputs.count >= 3, !node.inputs[2].isEmpty {
                let c = try constant(node, 2)
                bias = try broadcast(c.doubles, n, node, "C").map { beta * $0 }
            }
            try startDense(node, inputs: k, outputs: n, weights: w, biases: bias)
            return out
        case "MatMul":
            guard node.inputs.count == 2, node.inputs[0] == data else { throw .dynamicWeight(node: node.name, opType: op, input: node.inputs.first ?? "A") }
            let b = try constant(node, 1)
            guard b.dims.count == 2 else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "B", value: "dims \(b.dims)") }
            let k = Int(b.dims[0]), n = Int(b.dims[1])
            try checkWidths(k, n, node)
            try startDense(node, inputs: k, outputs: n, weights: b.doubles, biases: [Double](repeating: 0, count: n))
            return out
        default:
            if let activation = try activation(node) {
                try finishLayer(node, activation)
                return out
            }
            throw unsupported(node)
        }
    }

    func unsupported(_ node: ONNXNode) -> ONNXError {
        .unsupportedOp(node: node.name, opType: node.opType, domain: node.domain, opset: model.opset(node.domain))
    }

    /// The activation an activation node names, nil for other ops.
    func activation(_ node: ONNXNode) throws(ONNXError) -> Activation? {
        let op = node.opType
        func attr(_ name: String) -> ONNXAttribute? { node.attribute(name) }
        switch op {
        case "Relu": return .relu
        case "Sigmoid": return .sigmoid
        case "Tanh": return .tanh
        case "Softplus": return .softplus
        case "LeakyRelu": return .leakyReLU(alpha: Double(attr("alpha")?.float ?? 0.01))
        case "Elu": return .elu(alpha: Double(attr("alpha")?.float ?? 1))
        case "Selu":
            let a = attr("alpha")?.float ?? 1.67326319217681884765625, g = attr("gamma")?.float ?? 1.05070102214813232421875
            guard a == Float(Activation.seluAlpha) else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "alpha", value: "\(a) (only the standard SELU constants)") }
            guard g == Float(Activation.seluLambda) else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "gamma", value: "\(g) (only the standard SELU constants)") }
            return .selu
        case "PRelu":
            let slope = try constant(node, 1)
            guard let s = slope.doubles.first, slope.doubles.allSatisfy({ $0 == s }) else {
                throw .unsupportedAttribute(node: node.name, opType: op, attribute: "slope", value: "one slope per channel (FixedNet has one α per layer)")
            }
            return .prelu(alpha: s)
        case "HardSigmoid":
            return .hardSigmoid(alpha: Double(attr("alpha")?.float ?? 0.2))
        case "Gelu":
            let approximate = attr("approximate")?.text ?? "none"
            guard approximate == "none" else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "approximate", value: "\"\(approximate)\" (only the exact erf form)") }
            return .gelu
        case "Softmax", "LogSoftmax":
            let axis = attr("axis")?.int ?? (model.opset("") >= 13 ? -1 : 1)
            guard axis == -1 || axis == 1 else { throw .unsupportedAttribute(node: node.name, opType: op, attribute: "axis", value: "\(axis) (only the last axis)") }
            return .softmax
        default: return nil
        }
    }

    // MARK: Layers

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

    // MARK: Patterns

    /// skl2onnx's binary output: p = sigmoid(z) (one output), then Concat(Sub(1, p), p).
    mutating func binaryConstruction(_ cs: [Int], data p: String) throws(ONNXError) -> String? {
        guard open == nil, let last = layers.last, last.activation == .sigmoid, last.outputCount == 1 else { return nil }
        let a = nodes[cs[0]], b = nodes[cs[1]]
        guard let sub = [a, b].first(where: { $0.opType == "Sub" }), let concat = [a, b].first(where: { $0.opType == "Concat" }),
              sub.inputs.count == 2, sub.inputs[1] == p, sub.outputs.count == 1, let one = constants[sub.inputs[0]], one.doubles == [1],
              concat.inputs == [sub.outputs[0], p], let out = concat.outputs.first else { return nil }
        let axis = concat.attribute("axis")?.int ?? 1
        guard axis == 1 || axis == -1 else { return nil }
        guard consumers[sub.outputs[0]] == [cs.firstIndex(where: { nodes[$0].opType == "Concat" }).map { cs[$0] }!] else { return nil }
        binaryOutput = true
        return out
    }

    /// An elementwise subgraph from `start` that reconverges to one tensor and
    /// computes a known activation (exact GELU, SiLU, Gaussian, step …).
    mutating func matchPattern(from start: String) throws(ONNXError) -> String {
        let firstNode = nodes[consumers[start]![0]]
        var region: [Int] = []
        var available: Set<String> = [start]
        var reconverged: Int?
        while region.count < ActivationPattern.maxNodes {
            // The next node: reads only available tensors and constants.
            var next: Int?
            for t in available.sorted() {
                for k in consumers[t] ?? [] where !region.contains(k) {
                    let ins = nodes[k].inputs.filter { !$0.isEmpty && constants[$0] == nil }
                    if ins.allSatisfy(available.contains) && (next == nil || k < next!) { next = k }
                }
            }
            guard let k = next else { break }
            let node = nodes[k]
            guard ActivationPattern.ops.contains(node.opType), node.domain.isEmpty else { break }
            region.append(k)
            for o in node.outputs where !o.isEmpty { available.insert(o) }
            // Open tensors: available ones with consumers outside the region.
            let open = available.filter { t in (consumers[t] ?? []).contains { !region.contains($0) } || t == target }
            if open.count == 1, let t = open.first, t != start {
                reconverged = k
                if let activation = ActivationPattern.identify(region.map { nodes[$0] }, input: start, output: t, constants: constants) {
                    guard self.open != nil else {
                        throw .misplaced(node: firstNode.name, opType: firstNode.opType, reason: "an activation must follow a dense layer (Gemm, or MatMul and Add)")
                    }
                    try finishLayer(nodes[region.last!], activation)
                    return t
                }
            }
        }
        if let k = reconverged ?? region.first(where: { ActivationPattern.patternOnlyOps.contains(nodes[$0].opType) }) {
            throw .misplaced(node: nodes[k].name, opType: nodes[k].opType,
                             reason: "not part of a recognised activation pattern (exact-erf GELU, x·sigmoid(x), exp(−x²), x ≥ 0)")
        }
        if region.isEmpty, (consumers[start] ?? []).count == 1 { throw unsupported(firstNode) }
        let readers = (consumers[start] ?? []).map { nodes[$0] }
        let reader = readers.last ?? firstNode
        throw .notAChain(node: reader.name, opType: reader.opType, tensor: start)
    }

    // MARK: Finishing

    mutating func finish(task: ONNXImport.TaskChoice) throws(ONNXError) -> Network {
        if let o = open { layers.append(o); open = nil }
        if let node = pendingSince {
            throw .misplaced(node: node.name, opType: node.opType, reason: "a scaling after the last dense layer's activation cannot be folded into a layer")
        }
        guard !layers.isEmpty else { throw .noDenseLayer }
        let last = layers[layers.count - 1]
        let k = last.outputCount
        let meta = model.metadataValue(ONNXImport.labelsKey).flatMap(Self.stringArray)
        let isClassifier: Bool
        if last.activation == .softmax || binaryOutput || (last.activation == .sigmoid && k == 1 && model.metadataValue(ONNXImport.taskKey) != "regression") {
            isClassifier = true
        } else if task == .classify {
            guard last.activation == .identity else {
                throw .misplaced(node: openNode?.name ?? "", opType: openNode?.opType ?? "", reason:
                    "--task classify reads raw logits, but the last layer applies \(last.activation.name)")
            }
            layers[layers.count - 1].activation = k == 1 ? .sigmoid : .softmax
            isClassifier = true
        } else {
            isClassifier = false
        }
        var result: Task = .regression
        if isClassifier {
            let names = labels ?? meta ?? (0..<max(k, 2)).map { String($0) }
            guard names.count == (k == 1 ? 2 : k) else { throw .labelCount(labels: names.count, outputs: k) }
            for n in names where !LabelText.isAcceptable(n) {
                throw .unsupportedAttribute(node: "", opType: "ZipMap", attribute: "class label", value: DataError.quote(n) + " (empty or a control character)")
            }
            guard Set(names).count == names.count else {
                throw .unsupportedAttribute(node: "", opType: "ZipMap", attribute: "class labels", value: "duplicates")
            }
            result = .classification(labels: names)
        }
        if let alphas = model.metadataValue(ONNXImport.alphasKey).flatMap(Self.numberArray), alphas.count == layers.count {
            // The exact Float64 α that export wrote beside the Float32 attribute.
            for l in layers.indices where layers[l].activation.code.hasParameter {
                if Float(alphas[l]) == Float(layers[l].activation.parameter) {
                    layers[l].activation = Activation(code: layers[l].activation.code, parameter: alphas[l])
                }
            }
        }
        for (l, layer) in layers.enumerated() {
            guard layer.weights.allSatisfy(\.isFinite), layer.biases.allSatisfy(\.isFinite), layer.activation.parameter.isFinite else {
                throw .nonFiniteValue(tensor: "layer \(l) after folding")
            }
        }
        if let s = standardizer, !(s.mean.allSatisfy(\.isFinite) && s.std.allSatisfy { $0.isFinite && $0 != 0 }) {
            throw .nonFiniteValue(tensor: "the input scaling after folding")
        }
        var net = Network(layers: layers, standardizer: standardizer, task: result)
        if let names = model.metadataValue(ONNXImport.featureNamesKey).flatMap(Self.stringArray), names.count == net.inputCount {
            net.featureNames = names
        }
        return net
    }

    static func stringArray(_ json: String) -> [String]? {
        guard case .array(let items)? = try? JSONParser.parse(Array(json.utf8), file: "metadata") else { return nil }
        var out: [String] = []
        for i in items { guard case .string(let s) = i else { return nil }; out.append(s) }
        return out
    }

    static func numberArray(_ json: String) -> [Double]? {
        guard case .array(let items)? = try? JSONParser.parse(Array(json.utf8), file: "metadata") else { return nil }
        var out: [Double] = []
        for i in items { guard case .number(let d) = i else { return nil }; out.append(d) }
        return out
    }

    // MARK: Constants

    /// Input `index` of `node` as a constant float tensor with finite values.
    func constant(_ node: ONNXNode, _ index: Int) throws(ONNXError) -> ONNXTensor {
        guard index < node.inputs.count, !node.inputs[index].isEmpty else {
            throw .unsupportedAttribute(node: node.name, opType: node.opType, attribute: "input \(index)", value: "missing")
        }
        let name = node.inputs[index]
        guard var t = constants[name] else { throw .dynamicWeight(node: node.name, opType: node.opType, input: name) }
        // Values must match dims (decode checks this; a model built in code may not).
        guard let count = t.elementCount else { throw .tensorShape(tensor: name, dims: t.dims) }
        if !t.isFloatingPoint {
            guard [2, 3, 4, 5, 6, 7, 9, 12, 13].contains(t.dataType) else { throw .unsupportedTensorType(tensor: name, dataType: t.dataType) }
            guard t.integers.count == count else { throw .tensorValueCount(tensor: name, expected: count, found: t.integers.count) }
            t.doubles = t.integers.map(Double.init)
        }
        guard t.doubles.count == count else { throw .tensorValueCount(tensor: name, expected: count, found: t.doubles.count) }
        guard t.doubles.allSatisfy(\.isFinite) else { throw .nonFiniteValue(tensor: name) }
        return t
    }

    mutating func resolveWidth(_ count: Int, _ node: ONNXNode) throws(ONNXError) -> Int {
        if let w = width { return w }
        if count > 1 { width = count; return count }
        return 1
    }

    /// `v` broadcast to `n` values (one value, or exactly `n`).
    func broadcast(_ v: [Double], _ n: Int, _ node: ONNXNode, _ what: String) throws(ONNXError) -> [Double] {
        if v.count == n { return v }
        if v.count == 1 { return [Double](repeating: v[0], count: n) }
        throw .shapeMismatch(node: node.name, opType: node.opType, expected: n, found: v.count)
    }
}
