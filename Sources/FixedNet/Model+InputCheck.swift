extension Model {
    /// The first feature of `input (inputCount)` whose stored standardisation,
    /// (x − mean) / std in Float32 exactly as `predict` computes it, is not finite;
    /// nil when every one is (or the model stores no normalisation). Callers that
    /// accept untrusted rows check this before predicting, so that no NaN or
    /// infinity reaches an output. Allocates nothing.
    public func firstNonFiniteStandardizedInput(_ input: UnsafeBufferPointer<Float>) -> Int? {
        precondition(input.count >= inputCount,
                     "firstNonFiniteStandardizedInput: input shorter than inputCount")
        let x = input.baseAddress!
        guard normalization == .stored else {
            for i in 0..<inputCount where !x[i].isFinite { return i }
            return nil
        }
        let stats = reader.base + normalizationOffset
        let n = inputCount
        for i in 0..<n {
            let mean = stats.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
            let std = stats.loadUnaligned(fromByteOffset: 4 * (n + i), as: Float.self)
            if !((x[i] - mean) / std).isFinite { return i }
        }
        return nil
    }
}
