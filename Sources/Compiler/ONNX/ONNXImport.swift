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
}
