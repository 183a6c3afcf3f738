/// The human-readable JSON form of a model (spec: docs/model-json.md).
///
/// Weights are written `weights[o][i]`, one row per output neuron (PyTorch's
/// `Linear.weight`). Numbers use Swift's shortest round-trip form, so
/// decode(encode(m)) == m bit for bit.
public enum ModelJSON {
    public static let formatName = "fixednet-model"
    public static let version = 1

    public static func encode(_ network: Network) -> String {
        var s = "{\n"
        s += "  \"format\": \"\(formatName)\",\n  \"version\": \(version),\n"
        s += "  \"inputCount\": \(network.inputCount),\n"
        switch network.task {
        case .regression: s += "  \"task\": \"regression\",\n"
        case .classification(let labels):
            s += "  \"task\": \"classification\",\n"
            s += "  \"labels\": [" + labels.map(quote).joined(separator: ", ") + "],\n"
        }
        if let names = network.featureNames {
            s += "  \"featureNames\": [" + names.map(quote).joined(separator: ", ") + "],\n"
        }
        if let n = network.standardizer {
            s += "  \"normalization\": {\n    \"mean\": " + numbers(n.mean) + ",\n    \"std\": " + numbers(n.std) + "\n  },\n"
        }
        if let names = network.targetNames {
            s += "  \"targetNames\": [" + names.map(quote).joined(separator: ", ") + "],\n"
        }
        if let t = network.targetScaler {
            s += "  \"targetNormalization\": {\n    \"mean\": " + numbers(t.mean) + ",\n    \"std\": " + numbers(t.std) + "\n  },\n"
        }
        s += "  \"layers\": [\n"
        for (l, layer) in network.layers.enumerated() {
            s += "    {\n      \"activation\": "
            let a = layer.activation
            if a.code.hasParameter {
                s += "{\"name\": \(quote(a.name)), \"alpha\": \(a.parameter)"
                if layer.learnsAlpha { s += ", \"learned\": true" }
                s += "}"
            } else {
                s += quote(a.name)
            }
            s += ",\n      \"weights\": [\n"
            for o in 0..<layer.outputCount {
                let row = (0..<layer.inputCount).map { layer.weight(output: o, input: $0) }
                s += "        " + numbers(row) + (o + 1 < layer.outputCount ? ",\n" : "\n")
            }
            s += "      ],\n      \"biases\": " + numbers(layer.biases) + "\n    }"
            s += l + 1 < network.layers.count ? ",\n" : "\n"
        }
        s += "  ]\n}\n"
        return s
    }

    public static func decode(_ bytes: [UInt8], file: String) throws(DataError) -> Network {
        let root = try JSONParser.parse(bytes, file: file)
        func fail(_ why: String) -> DataError { DataError(file: file, why) }
        guard case .object = root else { throw fail("the top level must be an object") }
        if let f = root["format"], f != .string(formatName) { throw fail("\"format\" must be \"\(formatName)\"") }
        if let v = root["version"], v != .number(Double(version)) { throw fail("unsupported \"version\"; this build reads \(version)") }
        guard case .number(let inputValue)? = root["inputCount"], inputValue >= 1, inputValue <= Double(ModelFile.maxWidth),
              inputValue == inputValue.rounded() else {
            throw fail("\"inputCount\" must be an integer in 1...\(ModelFile.maxWidth)")
        }
        let inputCount = Int(inputValue)
        let task: Task
        switch root["task"] {
        case .string("regression")? where root["labels"] != nil:
            throw fail("a regression model takes no \"labels\"; set \"task\": \"classification\" or drop them")
        case .string("regression")?, nil where root["labels"] == nil: task = .regression
        case .string("classification")?, nil:
            guard case .array(let items)? = root["labels"] else { throw fail("a classification model needs \"labels\"") }
            var labels: [String] = []
            for item in items {
                switch item {
                case .string(let s): labels.append(s)
                case .number(let d): labels.append(Dataset.canonicalLabel(String(d)))
                default: throw fail("\"labels\" must hold strings")
                }
            }
            guard labels.count >= 2, Set(labels).count == labels.count else { throw fail("\"labels\" must hold at least two distinct classes") }
            if let bad = labels.first(where: { !LabelText.isAcceptable($0) }) {
                throw fail("label \(DataError.quote(bad)) is empty or holds a control character (a newline would break fnc predict's one line per row)")
            }
            task = .classification(labels: labels)
        default: throw fail("\"task\" must be \"regression\" or \"classification\"")
        }
        var standardizer: Standardizer? = nil
        if let norm = root["normalization"], norm != .null {
            let mean = try vector(norm["mean"], "normalization.mean", file: file)
            let std = try vector(norm["std"], "normalization.std", file: file)
            guard mean.count == inputCount, std.count == inputCount else {
                throw fail("normalization needs \(inputCount) means and stds, found \(mean.count) and \(std.count)")
            }
            guard std.allSatisfy({ $0 != 0 }) else { throw fail("normalization.std holds a 0") }
            standardizer = Standardizer(mean: mean, std: std)
        }
        guard case .array(let layerValues)? = root["layers"], !layerValues.isEmpty else { throw fail("\"layers\" must be a non-empty array") }
        guard layerValues.count <= ModelFile.maxLayers else { throw fail("more than \(ModelFile.maxLayers) layers") }
        var layers: [DenseLayer] = []
        var fanIn = inputCount
        for (l, lv) in layerValues.enumerated() {
            let at = "layers[\(l)]"
            var activation: Activation
            var learns = false
            switch lv["activation"] {
            case .string(let name)?:
                guard let a = Activation(parsing: name), !name.contains(":") else { throw fail("\(at): unknown activation \"\(name)\"") }
                activation = a
            case .object?:
                guard case .string(let name)? = lv["activation"]?["name"], let a = Activation(parsing: name), !name.contains(":") else {
                    throw fail("\(at): activation needs a known \"name\"")
                }
                activation = a
                if case .number(let alpha)? = lv["activation"]?["alpha"] {
                    guard a.code.hasParameter else { throw fail("\(at): \(name) takes no alpha") }
                    activation = Activation(code: a.code, parameter: alpha)
                }
                if case .bool(true)? = lv["activation"]?["learned"] {
                    guard a.code == .prelu else { throw fail("\(at): only prelu can learn alpha") }
                    learns = true
                }
            default: throw fail("\(at): missing \"activation\"")
            }
            guard case .array(let rows)? = lv["weights"], !rows.isEmpty, rows.count <= ModelFile.maxWidth else {
                throw fail("\(at): \"weights\" must be a non-empty array of rows")
            }
            let out = rows.count
            var weights = [Double](repeating: 0, count: fanIn * out)
            for (o, row) in rows.enumerated() {
                let r = try vector(row, "\(at).weights[\(o)]", file: file)
                guard r.count == fanIn else {
                    throw fail("\(at).weights[\(o)] has \(r.count) entries, expected \(fanIn) (the layer's input count)")
                }
                for i in 0..<fanIn { weights[i * out + o] = r[i] }
            }
            let biases = try vector(lv["biases"], "\(at).biases", file: file)
            guard biases.count == out else { throw fail("\(at).biases has \(biases.count) entries, expected \(out)") }
            if activation == .softmax && l + 1 != layerValues.count { throw fail("\(at): softmax is only allowed on the last layer") }
            layers.append(DenseLayer(inputCount: fanIn, outputCount: out, activation: activation, learnsAlpha: learns,
                                     weights: weights, biases: biases))
            fanIn = out
        }
        if case .classification(let labels) = task {
            let out = layers[layers.count - 1].outputCount
            if layers[layers.count - 1].activation == .identity {
                throw fail("layers[\(layers.count - 1)]: a classifier's last layer is identity (raw logits); "
                           + "use \"softmax\" (or \"sigmoid\" for one output), which gives the probabilities fnc predict --proba prints")
            }
            guard out == labels.count || (out == 1 && labels.count == 2) else {
                throw fail("\(labels.count) labels but the last layer has \(out) outputs")
            }
        }
        var network = Network(layers: layers, standardizer: standardizer, task: task)
        /// `key`'s array of `count` strings, or nil when the key is absent.
        func names(_ key: String, count: Int, of what: String) throws(DataError) -> [String]? {
            guard let v = root[key] else { return nil }
            guard case .array(let items) = v else { throw fail("\"\(key)\" must be an array of strings") }
            var names: [String] = []
            for item in items {
                guard case .string(let n) = item else { throw fail("\"\(key)\" must hold only strings") }
                names.append(n)
            }
            guard names.count == count else { throw fail("\"\(key)\" has \(names.count) names for \(count) \(what)") }
            return names
        }
        network.featureNames = try names("featureNames", count: network.inputCount, of: "inputs")
        if root["targetNames"] != nil && task != .regression { throw fail("\"targetNames\" belongs to a regression model") }
        network.targetNames = try names("targetNames", count: network.outputCount, of: "outputs")
        if let norm = root["targetNormalization"], norm != .null {
            guard task == .regression, network.outputActivation == .identity else {
                throw fail("\"targetNormalization\" needs a regression model whose last layer is identity")
            }
            let mean = try vector(norm["mean"], "targetNormalization.mean", file: file)
            let std = try vector(norm["std"], "targetNormalization.std", file: file)
            guard mean.count == network.outputCount, std.count == network.outputCount else {
                throw fail("targetNormalization needs \(network.outputCount) means and stds, found \(mean.count) and \(std.count)")
            }
            guard std.allSatisfy({ $0 > 0 }) else { throw fail("targetNormalization.std must be positive") }
            network.targetScaler = Standardizer(mean: mean, std: std)
        }
        return network
    }

    private static func vector(_ v: JSONValue?, _ what: String, file: String) throws(DataError) -> [Double] {
        guard case .array(let items)? = v else { throw DataError(file: file, "\"\(what)\" must be an array of numbers") }
        var out = [Double]()
        out.reserveCapacity(items.count)
        for item in items {
            guard case .number(let d) = item else { throw DataError(file: file, "\"\(what)\" must hold only numbers") }
            out.append(d)
        }
        return out
    }

    static func numbers(_ v: [Double]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }

    /// A JSON string literal for `s`.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
