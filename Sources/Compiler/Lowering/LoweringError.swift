import FixedNet

/// Why a Float64 network cannot become a blob. Cases carry the numbers.
public enum LoweringError: Error, CustomStringConvertible, Equatable {
    /// A parameter that the chosen element type cannot hold (Float32: |v| > 3.4e38;
    /// Float16: |v| > 65504), or a std that rounds to 0.
    case notRepresentable(Parameter, value: Double, as: ElementType)
    /// Beyond the blob format's limits.
    case tooLarge(Limit, value: Int, limit: Int)
    /// Classification needs at least two classes, and labels must match the outputs.
    case badLabels(labels: Int, outputs: Int)
    /// The Float64 model's outputs on the golden inputs are not finite.
    case nonFiniteOutputs
    /// The blob failed the runtime's own validation (a lowering bug).
    case invalidBlob(BlobError)

    /// Which parameter (0-based indices).
    public enum Parameter: Equatable, Sendable, CustomStringConvertible {
        case weight(layer: Int, index: Int)
        case bias(layer: Int, output: Int)
        case alpha(layer: Int)
        case mean(feature: Int)
        case std(feature: Int)
        case goldenInput(vector: Int, feature: Int)

        public var description: String {
            switch self {
            case .weight(let l, let k): return "layers[\(l)] weight \(k)"
            case .bias(let l, let o): return "layers[\(l)] bias \(o)"
            case .alpha(let l): return "layers[\(l)] alpha"
            case .mean(let i): return "normalization mean \(i)"
            case .std(let i): return "normalization std \(i)"
            case .goldenInput(let g, let i): return "golden input \(g) feature \(i)"
            }
        }
    }

    /// Which limit of the blob format.
    public enum Limit: String, Equatable, Sendable {
        case labelCount = "label count", layerCount = "layer count", layerWidth = "layer width"
        case featureNameBytes = "feature name length", labelBytes = "label length"
    }

    public var description: String {
        switch self {
        case .notRepresentable(let p, let v, let t):
            return "\(p) = \(v) is not representable as a finite \(t.name)" + (t == .float16 ? " (|v| ≤ 65504); compile with --weights f32 or int8" : "")
        case .tooLarge(let w, let v, let l): return "\(w.rawValue) = \(v) exceeds the blob format's limit \(l)"
        case .badLabels(let l, let o): return "\(l) class label(s) for \(o) output(s): classification needs at least 2 classes and one output per class (or 1 for two)"
        case .nonFiniteOutputs: return "the model's outputs are not finite on its golden inputs"
        case .invalidBlob(let e): return "the lowered blob is invalid (\(e)); please report this"
        }
    }
}
