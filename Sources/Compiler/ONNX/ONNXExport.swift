/// A FixedNet network as an ONNX model (opset 13, IR version 7) that
/// onnxruntime runs in Float32, as the FixedNet runtime does.
///
/// Graph: input `input` (float, [N, inputCount]) → Sub(mean), Div(std) when the
/// model standardises → per layer Gemm (transB = 1, weights [out, in] as in
/// PyTorch) and its activation → output `output` (float, [N, outputCount]):
/// probabilities for classifiers (softmax, or the one sigmoid output that is
/// P(labels[1])), raw values for regression.
///
/// Exactness: every parameter is stored as a double initializer and cast to
/// float once by a Cast node, so the file holds the Float64 network bit for bit
/// and `fnc import` gives it back unchanged. Activations without an opset-13 op
/// are written as the patterns the importer recognises: GELU as
/// ½·x·(1 + erf(x/√2)), SiLU as x·sigmoid(x), gaussian as exp(−x·x), step as
/// Cast(x ≥ 0). Labels, feature names, the task and exact α values go into
/// `metadata_props` (`ONNXImport.labelsKey` …).
public enum ONNXExport {
    public static let opset: Int64 = 13

    /// A target standardisation is folded into the last layer first (`Network.foldingTargetScale`).
    public static func model(_ network: Network, producerVersion: String) -> ONNXModel {
        let net = network.foldingTargetScale()
        var b = GraphBuilder()
        var x = "input"
        if let s = net.standardizer {
            let mean = b.exact("normalization.mean", s.mean, dims: [Int64(s.mean.count)])
            let std = b.exact("normalization.std", s.std, dims: [Int64(s.std.count)])
            x = b.node("Sub", [x, mean], "standardize.centered")
            x = b.node("Div", [x, std], "standardize.scaled")
        }
        for (l, layer) in net.layers.enumerated() {
            let p = "layers.\(l)"
            var wt = [Double](repeating: 0, count: layer.weights.count)
            for o in 0..<layer.outputCount { for i in 0..<layer.inputCount { wt[o * layer.inputCount + i] = layer.weight(output: o, input: i) } }
            let w = b.exact("\(p).weight", wt, dims: [Int64(layer.outputCount), Int64(layer.inputCount)])
            let bias = b.exact("\(p).bias", layer.biases, dims: [Int64(layer.outputCount)])
            x = b.node("Gemm", [x, w, bias], "\(p).z", attributes: [.int("transB", 1)])
            x = b.activation(layer.activation, x, prefix: p)
        }
        var model = ONNXModel()
        model.irVersion = 7
        model.producerName = "fnc"
        model.producerVersion = producerVersion
        model.opsets = [.init(domain: "", version: opset)]
        var graph = ONNXGraph()
        graph.name = "fixednet"
        graph.nodes = b.nodes
        // The graph's output takes a fixed name; the last node writes it.
        let last = graph.nodes.count - 1
        graph.nodes[last].outputs[0] = "output"
        graph.initializers = b.initializers
        var input = ONNXValueInfo()
        input.name = "input"; input.elementType = 1; input.shape = [.parameter("N"), .value(Int64(net.inputCount))]
        var output = ONNXValueInfo()
        output.name = "output"; output.elementType = 1; output.shape = [.parameter("N"), .value(Int64(net.outputCount))]
        graph.inputs = [input]
        graph.outputs = [output]
        model.graph = graph
        switch net.task {
        case .regression: model.metadata.append((ONNXImport.taskKey, "regression"))
        case .classification(let labels):
            model.metadata.append((ONNXImport.taskKey, "classification"))
            model.metadata.append((ONNXImport.labelsKey, "[" + labels.map(ModelJSON.quote).joined(separator: ", ") + "]"))
        }
        if let names = net.featureNames {
            model.metadata.append((ONNXImport.featureNamesKey, "[" + names.map(ModelJSON.quote).joined(separator: ", ") + "]"))
        }
        if net.layers.contains(where: { $0.activation.code.hasParameter }) {
            model.metadata.append((ONNXImport.alphasKey, ModelJSON.numbers(net.layers.map(\.activation.parameter))))
        }
        return model
    }

    public static func encode(_ net: Network, producerVersion: String) -> [UInt8] {
        model(net, producerVersion: producerVersion).encode()
    }

    struct GraphBuilder {
        var nodes: [ONNXNode] = []
        var initializers: [ONNXTensor] = []

        /// A float tensor `name` whose double initializer `name.f64` keeps the exact values.
        mutating func exact(_ name: String, _ values: [Double], dims: [Int64]) -> String {
            var t = ONNXTensor()
            t.name = name + ".f64"; t.dataType = 11; t.dims = dims; t.doubles = values
            initializers.append(t)
            return node("Cast", [t.name], name, attributes: [.int("to", 1)])
        }

        /// A float scalar constant.
        mutating func scalar(_ name: String, _ v: Float) -> String {
            if initializers.contains(where: { $0.name == name }) { return name }
            var t = ONNXTensor()
            t.name = name; t.dataType = 1; t.doubles = [Double(v)]
            initializers.append(t)
            return name
        }

        mutating func node(_ op: String, _ inputs: [String], _ output: String, attributes: [ONNXAttribute] = []) -> String {
            var n = ONNXNode()
            n.opType = op; n.inputs = inputs; n.outputs = [output]; n.name = output; n.attributes = attributes
            nodes.append(n)
            return output
        }

        mutating func activation(_ a: Activation, _ z: String, prefix p: String) -> String {
            switch a {
            case .identity: return z
            case .relu: return node("Relu", [z], "\(p).a")
            case .sigmoid: return node("Sigmoid", [z], "\(p).a")
            case .tanh: return node("Tanh", [z], "\(p).a")
            case .softplus: return node("Softplus", [z], "\(p).a")
            case .selu: return node("Selu", [z], "\(p).a")
            case .softmax: return node("Softmax", [z], "\(p).a", attributes: [.int("axis", -1)])
            case .leakyReLU(let al): return node("LeakyRelu", [z], "\(p).a", attributes: [.float("alpha", Float(al))])
            case .elu(let al): return node("Elu", [z], "\(p).a", attributes: [.float("alpha", Float(al))])
            case .hardSigmoid(let al):
                return node("HardSigmoid", [z], "\(p).a", attributes: [.float("alpha", Float(al)), .float("beta", 0.5)])
            case .prelu(let al):
                let slope = exact("\(p).slope", [al], dims: [1])
                return node("PRelu", [z, slope], "\(p).a")
            case .gelu:
                let d = node("Div", [z, scalar("const.sqrt2", 1.41421356237309504880)], "\(p).gelu.scaled")
                let e = node("Erf", [d], "\(p).gelu.erf")
                let one = node("Add", [e, scalar("const.one", 1)], "\(p).gelu.cdf2")
                let m = node("Mul", [z, one], "\(p).gelu.product")
                return node("Mul", [m, scalar("const.half", 0.5)], "\(p).a")
            case .silu:
                let s = node("Sigmoid", [z], "\(p).silu.sigmoid")
                return node("Mul", [z, s], "\(p).a")
            case .gaussian:
                let sq = node("Mul", [z, z], "\(p).gaussian.square")
                let n = node("Neg", [sq], "\(p).gaussian.negated")
                return node("Exp", [n], "\(p).a")
            case .step:
                let ge = node("GreaterOrEqual", [z, scalar("const.zero", 0)], "\(p).step.test")
                return node("Cast", [ge], "\(p).a", attributes: [.int("to", 1)])
            }
        }
    }
}

extension ONNXAttribute {
    static func int(_ name: String, _ v: Int64) -> ONNXAttribute {
        var a = ONNXAttribute(); a.name = name; a.type = 2; a.int = v; return a
    }
    static func float(_ name: String, _ v: Float) -> ONNXAttribute {
        var a = ONNXAttribute(); a.name = name; a.type = 1; a.float = v; return a
    }
}
