/// The end of the walk: the output kind, labels and metadata, the final checks, and
/// reading constant inputs.
extension ONNXGraphWalk {
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
