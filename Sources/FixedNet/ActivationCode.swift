/// The activation of a layer, as one byte in the blob and the model file.
/// Values are part of the blob format: never renumber, only append.
public enum ActivationCode: UInt8, Sendable, CaseIterable {
    case identity = 0
    case step = 1
    case sigmoid = 2
    case tanh = 3
    case relu = 4
    /// Parameter α.
    case leakyReLU = 5
    /// Parameter α (learned at training time, fixed in the blob).
    case prelu = 6
    /// Parameter α.
    case elu = 7
    case selu = 8
    case softplus = 9
    case gelu = 10
    case silu = 11
    case gaussian = 12
    /// Applies to the whole layer output; only valid on the last layer.
    case softmax = 13
    /// clip(αz + ½, 0, 1) (ONNX HardSigmoid with β = ½; torch's Hardsigmoid is α = 1/6).
    case hardSigmoid = 14

    /// Whether the activation reads its α parameter.
    public var hasParameter: Bool { self == .leakyReLU || self == .prelu || self == .elu || self == .hardSigmoid }

}

#if !hasFeature(Embedded)
// Names are for hosts: String comparison would cost an embedded build ~20 KB.
extension ActivationCode {
    /// The name in the CLI and the JSON form.
    public var name: String {
        switch self {
        case .identity: return "identity"
        case .step: return "step"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .relu: return "relu"
        case .leakyReLU: return "leaky_relu"
        case .prelu: return "prelu"
        case .elu: return "elu"
        case .selu: return "selu"
        case .softplus: return "softplus"
        case .gelu: return "gelu"
        case .silu: return "silu"
        case .gaussian: return "gaussian"
        case .softmax: return "softmax"
        case .hardSigmoid: return "hard_sigmoid"
        }
    }

    public init?(name: String) {
        for c in ActivationCode.allCases where c.name == name { self = c; return }
        return nil
    }
}
#endif
