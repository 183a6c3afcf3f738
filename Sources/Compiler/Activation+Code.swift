import FixedNet

extension Activation {
    /// The code and parameter the blob and the model file store for this activation.
    public var code: ActivationCode {
        switch self {
        case .identity: return .identity
        case .step: return .step
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .relu: return .relu
        case .leakyReLU: return .leakyReLU
        case .prelu: return .prelu
        case .elu: return .elu
        case .selu: return .selu
        case .softplus: return .softplus
        case .gelu: return .gelu
        case .silu: return .silu
        case .gaussian: return .gaussian
        case .softmax: return .softmax
        case .hardSigmoid: return .hardSigmoid
        }
    }

    /// α for the parametrised activations, 0 otherwise.
    public var parameter: Double {
        switch self {
        case .leakyReLU(let a), .prelu(let a), .elu(let a), .hardSigmoid(let a): return a
        default: return 0
        }
    }

    public init(code: ActivationCode, parameter: Double) {
        switch code {
        case .identity: self = .identity
        case .step: self = .step
        case .sigmoid: self = .sigmoid
        case .tanh: self = .tanh
        case .relu: self = .relu
        case .leakyReLU: self = .leakyReLU(alpha: parameter)
        case .prelu: self = .prelu(alpha: parameter)
        case .elu: self = .elu(alpha: parameter)
        case .selu: self = .selu
        case .softplus: self = .softplus
        case .gelu: self = .gelu
        case .silu: self = .silu
        case .gaussian: self = .gaussian
        case .softmax: self = .softmax
        case .hardSigmoid: self = .hardSigmoid(alpha: parameter)
        }
    }

    /// The name used by the CLI and the JSON form (`leaky_relu`, `gelu`, …).
    public var name: String { code.name }

    /// Parses `relu`, `leaky_relu`, `leaky_relu:0.2`, `elu:1.0`, `prelu:0.25` …
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        guard let first = parts.first else { return nil }
        let aliases = ["linear": "identity", "swish": "silu", "leakyrelu": "leaky_relu", "binary_step": "step", "hardsigmoid": "hard_sigmoid"]
        guard let code = ActivationCode(name: aliases[first] ?? first) else { return nil }
        var alpha: Double
        switch code {
        case .leakyReLU: alpha = 0.01
        case .prelu: alpha = 0.25
        case .elu: alpha = 1
        case .hardSigmoid: alpha = 0.2
        default: alpha = 0
        }
        if parts.count == 2 {
            guard code.hasParameter, let a = Double(parts[1]), a.isFinite else { return nil }
            alpha = a
        }
        self.init(code: code, parameter: alpha)
    }
}
