import FixedNet

/// Network → `LoweredModel`: the stage between training and the blob. It checks
/// what the format can hold, folds or keeps normalisation, narrows weights to the
/// chosen element type, draws golden inputs with their Float64 references, and
/// measures the runtime's error on them.
public enum Lowering {
    /// Golden vectors drawn when the caller gives none.
    public static let defaultGoldenCount = 8
    static let goldenSeed: UInt64 = 0x601D_E17E_C701_2345

    /// Lowers `network` with every layer's weights in `weights`. `goldenInputs`
    /// are raw feature rows (each `inputCount`); nil draws `goldenCount` rows
    /// (default 8; 0…64, the first N of the same seeded sequence) around the
    /// standardiser's mean (±2 std), or in [−1, 1] without one. Fewer golden
    /// vectors make a smaller blob (each costs 4·inputs + 8·outputs bytes) and a
    /// weaker self-test on the device.
    /// Each is rounded to Float32, and its reference output is the Float64
    /// model's on the rounded input. `goldenMaxError` is measured by running the
    /// written blob through the runtime (the one validation of a compile).
    public static func lower(_ network: Network, weights: ElementType = .float32, goldenInputs: [[Double]]? = nil,
                             goldenCount: Int = defaultGoldenCount) throws(LoweringError) -> (model: LoweredModel, blob: [UInt8]) {
        var lowered = try narrow(network, weights: weights, goldenInputs: goldenInputs,
                                 goldenCount: min(max(goldenCount, 0), BlobFormat.maxGoldenVectors))
        var bytes = BlobWriter.write(lowered)
        let model: Model
        do throws(BlobError) { model = try Model(bytes: bytes) } catch { throw .invalidBlob(error) }
        lowered.goldenMaxError = measure(model, lowered)
        BlobWriter.patchGoldenMaxError(lowered.goldenMaxError, in: &bytes)
        return (lowered, bytes)
    }

    /// Everything but the measurement: a `LoweredModel` with `goldenMaxError` 0.
    static func narrow(_ network: Network, weights type: ElementType, goldenInputs: [[Double]]?,
                       goldenCount: Int) throws(LoweringError) -> LoweredModel {
        // A regression target standardisation becomes the last layer's scale and
        // offset: the blob holds the network that predicts raw targets.
        let network = network.foldingTargetScale()
        let n = network.inputCount
        let kind: OutputKind
        switch network.task {
        case .regression: kind = .regression
        case .classification(let labels): kind = labels.count == 2 && network.outputCount == 1 ? .binary : .multiclass
        }
        try checkRepresentable(network, kind: kind)

        // Normalisation folds only where that is exact: mean 0 and power-of-two std,
        // so W/σ rounds no differently from W. Otherwise it is stored.
        var layers = network.layers
        var normalization = NormalizationKind.none
        var mean: [Float] = [], std: [Float] = []
        if let s = network.standardizer {
            let exact = s.mean.allSatisfy { $0 == 0 } && s.std.allSatisfy { $0.significandBitPattern == 0 && $0 > 0 }
            if exact {
                for i in 0..<n { for o in 0..<layers[0].outputCount { layers[0].weights[i * layers[0].outputCount + o] /= s.std[i] } }
            } else {
                normalization = .stored
                mean = s.mean.map { Float($0) }
                std = s.std.map { Float($0) }
            }
        }

        var out: [LoweredLayer] = []
        for (l, layer) in layers.enumerated() {
            out.append(try narrow(layer, index: l, to: type))
        }

        var golden: [[Float]] = []
        if let given = goldenInputs {
            golden = given.prefix(BlobFormat.maxGoldenVectors).map { $0.map { Float($0) } }
            for (g, row) in golden.enumerated() {
                if let i = row.firstIndex(where: { !$0.isFinite }) {
                    throw .notRepresentable(.goldenInput(vector: g, feature: i), value: given[g][i], as: .float32)
                }
            }
        } else {
            // mean ± 2 std, kept inside Float32's range (a std near 3e38 would overflow the input).
            let limit = Double(Float.greatestFiniteMagnitude)
            var rng = SplitMix64(seed: goldenSeed)
            for _ in 0..<goldenCount {
                golden.append((0..<n).map { i in
                    let u = rng.nextUniform(-2, 2)
                    if let s = network.standardizer { return Float(max(-limit, min(limit, s.mean[i] + s.std[i] * u))) }
                    return Float(u / 2)
                })
            }
        }
        let reference = network.predict(golden.flatMap { $0.map(Double.init) }, rows: golden.count)
        guard reference.allSatisfy(\.isFinite) else { throw .nonFiniteOutputs }

        return LoweredModel(inputCount: n, outputCount: network.outputCount, outputKind: kind, normalization: normalization,
                            mean: mean, std: std, layers: out, labels: kind == .regression ? [] : network.task.labels,
                            featureNames: network.featureNames ?? [], goldenInputs: golden, goldenReference: reference,
                            producer: "fnc \(FixedNetVersion.current)")
    }

    /// One layer in blob layout and `type`.
    static func narrow(_ layer: DenseLayer, index l: Int, to type: ElementType) throws(LoweringError) -> LoweredLayer {
        let n = layer.inputCount, m = layer.outputCount, padded = BlobFormat.padded(m)
        let weights: LoweredWeights
        switch type {
        case .float32:
            var w = [Float](repeating: 0, count: n * padded)
            for i in 0..<n { for o in 0..<m { w[i * padded + o] = Float(layer.weights[i * m + o]) } }
            weights = .float32(w)
        case .float16:
            var h = [UInt16](repeating: 0, count: n * padded)
            for i in 0..<n {
                for o in 0..<m {
                    let v = layer.weights[i * m + o]
                    guard let bits = Quantization.halfBits(v) else { throw .notRepresentable(.weight(layer: l, index: i * m + o), value: v, as: .float16) }
                    h[i * padded + o] = bits
                }
            }
            weights = .float16(h)
        case .int8:
            let (q, scales) = Quantization.int8(layer.weights, inputCount: n, outputCount: m, padded: padded)
            weights = .int8(q, scales: scales)
        }
        var biases = [Float](repeating: 0, count: padded)
        for o in 0..<m { biases[o] = Float(layer.biases[o]) }
        let code = layer.activation.code
        return LoweredLayer(inputCount: n, outputCount: m, activation: code,
                            alpha: code.hasParameter ? Float(layer.activation.parameter) : 0, weights: weights, biases: biases)
    }

    /// max |runtime − Float64 model| over the golden vectors.
    static func measure(_ model: Model, _ lowered: LoweredModel) -> Double {
        var workspace = Workspace(for: model)
        let outs = lowered.outputCount
        var worst = 0.0
        var y = [Float](repeating: 0, count: outs)
        for (g, input) in lowered.goldenInputs.enumerated() {
            input.withUnsafeBufferPointer { x in y.withUnsafeMutableBufferPointer { model.predict(x, into: $0, workspace: &workspace) } }
            for j in 0..<outs { worst = Swift.max(worst, Swift.abs(Double(y[j]) - lowered.goldenReference[g * outs + j])) }
        }
        return worst
    }

    /// Everything the blob cannot hold is refused here, with what and where.
    static func checkRepresentable(_ network: Network, kind: OutputKind) throws(LoweringError) {
        let labels = network.task.labels
        if kind != .regression {
            guard labels.count >= 2, kind == .binary || labels.count == network.outputCount else {
                throw .badLabels(labels: labels.count, outputs: network.outputCount)
            }
            guard labels.count <= BlobFormat.maxLabels else { throw .tooLarge(.labelCount, value: labels.count, limit: BlobFormat.maxLabels) }
            for label in labels where label.utf8.count > Int(UInt16.max) {
                throw .tooLarge(.labelBytes, value: label.utf8.count, limit: Int(UInt16.max))
            }
        }
        for name in network.featureNames ?? [] where name.utf8.count > Int(UInt16.max) {
            throw .tooLarge(.featureNameBytes, value: name.utf8.count, limit: Int(UInt16.max))
        }
        guard network.layers.count <= BlobFormat.maxLayers else {
            throw .tooLarge(.layerCount, value: network.layers.count, limit: BlobFormat.maxLayers)
        }
        for w in network.sizes where w > BlobFormat.maxWidth { throw .tooLarge(.layerWidth, value: w, limit: BlobFormat.maxWidth) }
        func finite(_ v: Double, _ what: LoweringError.Parameter) throws(LoweringError) {
            guard Float(v).isFinite else { throw .notRepresentable(what, value: v, as: .float32) }
        }
        for (l, layer) in network.layers.enumerated() {
            for (k, v) in layer.weights.enumerated() { try finite(v, .weight(layer: l, index: k)) }
            for (k, v) in layer.biases.enumerated() { try finite(v, .bias(layer: l, output: k)) }
            try finite(layer.activation.parameter, .alpha(layer: l))
        }
        if let s = network.standardizer {
            for (i, v) in s.mean.enumerated() { try finite(v, .mean(feature: i)) }
            for (i, v) in s.std.enumerated() where !(Float(v).isFinite && Float(v) > 0) {
                throw .notRepresentable(.std(feature: i), value: v, as: .float32)
            }
        }
    }
}
