import FixedNet

/// A network lowered for the runtime: every value in the precision and padded
/// layout the blob stores, with normalisation folded or kept, and golden vectors
/// with their Float64 references. `BlobWriter` writes it; `KernelEmitter` reads
/// it. Made by `Lowering.lower`.
public struct LoweredModel: Sendable {
    public var inputCount: Int
    public var outputCount: Int
    public var outputKind: OutputKind
    public var normalization: NormalizationKind
    /// Stored standardisation (inputCount each), when `normalization == .stored`.
    public var mean: [Float] = []
    public var std: [Float] = []
    public var layers: [LoweredLayer]
    /// Class labels (empty for regression).
    public var labels: [String]
    /// Feature names (inputCount), or empty.
    public var featureNames: [String]
    /// Golden inputs (each inputCount, raw features) and the Float64 model's
    /// outputs on them (goldenCount × outputCount).
    public var goldenInputs: [[Float]]
    public var goldenReference: [Double]
    /// max |runtime − Float64 model| on the golden vectors, measured by `Lowering.lower`.
    public var goldenMaxError: Double = 0
    /// Who wrote it, for the blob's producer field ("fnc 0.2.0").
    public var producer: String

    /// Float32 lanes per scratch buffer: the widest padded row.
    public var scratchCount: Int { max(BlobFormat.padded(inputCount), layers.map(\.paddedOutputCount).max() ?? 0) }
    /// The element types used, in layer order without repeats ("float16" for a whole f16 model).
    public var elementTypes: [ElementType] {
        var seen: [ElementType] = []
        for l in layers where !seen.contains(l.elementType) { seen.append(l.elementType) }
        return seen
    }
}

/// One dense layer in blob layout: weights `(inputCount, paddedOutputCount)`
/// row-major in the layer's element type (padding lanes 0), biases padded Float32.
public struct LoweredLayer: Sendable {
    public var inputCount: Int
    public var outputCount: Int
    public var activation: ActivationCode
    public var alpha: Float
    public var weights: LoweredWeights
    /// paddedOutputCount Float32 (padding lanes 0).
    public var biases: [Float]

    public var paddedOutputCount: Int { BlobFormat.padded(outputCount) }
    public var elementType: ElementType { weights.elementType }
    /// Bytes of this layer's data section.
    public var dataSize: Int { elementType.dataSize(inputCount: inputCount, paddedOutputCount: paddedOutputCount) }

    /// The weight from input `i` to output `o` as the runtime computes with it
    /// (int8: q·scale, the value whose error the report measures).
    public func effectiveWeight(input i: Int, output o: Int) -> Double {
        let k = i * paddedOutputCount + o
        switch weights {
        case .float32(let w): return Double(w[k])
        case .float16(let h): return Double(Float16Lanes.value(bits: h[k]))
        case .int8(let q, let s): return Double(q[k]) * Double(s[o])
        }
    }
}

/// A layer's weights in one element type, in padded `[in][out]` order.
public enum LoweredWeights: Sendable {
    case float32([Float])
    /// binary16 bit patterns.
    case float16([UInt16])
    /// Symmetric int8 values and paddedOutputCount Float32 scales (padding 0).
    case int8([Int8], scales: [Float])

    public var elementType: ElementType {
        switch self {
        case .float32: return .float32
        case .float16: return .float16
        case .int8: return .int8
        }
    }
}

extension ElementType {
    /// "f32", "f16" or "int8": the `fnc compile --weights` spelling.
    public var flagName: String {
        switch self {
        case .float32: return "f32"
        case .float16: return "f16"
        case .int8: return "int8"
        }
    }

    /// Parses a `--weights` value.
    public init?(flag: String) {
        switch flag {
        case "f32", "float32": self = .float32
        case "f16", "float16": self = .float16
        case "int8", "i8": self = .int8
        default: return nil
        }
    }
}
