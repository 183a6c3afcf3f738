#if !hasFeature(Embedded)
extension Model {
    /// Outputs for one input. **Allocates** a workspace and the result array on
    /// every call; use `predict(_:into:workspace:)` in hot paths.
    public func predict(_ input: [Float]) -> [Float] {
        if input.count != inputCount { apiMisuse("predict: input count (the model's inputCount)", expected: inputCount, actual: input.count) }
        var workspace = Workspace(for: self)
        var out = [Float](repeating: 0, count: outputCount)
        input.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in predict(x, into: y, workspace: &workspace) }
        }
        return out
    }

    /// The class of one input. **Allocates** (a workspace per call).
    public func classify(_ input: [Float]) -> Classification {
        if input.count != inputCount { apiMisuse("classify: input count (the model's inputCount)", expected: inputCount, actual: input.count) }
        var workspace = Workspace(for: self)
        return input.withUnsafeBufferPointer { classify($0, workspace: &workspace) }
    }

    /// Class label `i` as a String. **Allocates.**
    public func label(_ i: Int) -> String { String(decoding: labelBytes(i), as: UTF8.self) }

    /// Every class label, decoded in one pass (labelCount strings; allocates).
    public var labels: [String] {
        var out: [String] = []
        out.reserveCapacity(labelCount)
        forEachLabel { _, bytes in out.append(String(decoding: bytes, as: UTF8.self)) }
        return out
    }

    /// Layer descriptions. **Allocates.**
    public var layers: [LayerInfo] { (0..<layerCount).map(layer) }
}
#endif
