#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FixedNet

/// The Float64 model file (`.fnm`): the trained network exactly, bit for bit.
///
/// Layout (little-endian): "FNM1", u32 version, u32 inputCount, u32 layerCount,
/// u8 hasStandardizer, u8 task (0 regression, 1 classification), u16 0, u32 labelCount,
/// labels (u32 byte length + UTF-8 each); per layer: u32 outputCount, u8 activation
/// code, u8 learnsAlpha, u16 0, f64 α, weights (inputCount, outputCount) f64, biases f64;
/// standardiser mean and std f64 if present; version 2 only: u32 feature-name
/// count (inputCount) and the names (u32 byte length + UTF-8 each); then u64
/// FNV-1a of all preceding bytes. Version 3 (regression models with a target
/// standardisation or target names) writes the feature-name section always
/// (count 0 when there are none), then u32 target-name count (0 or
/// outputCount) and the names, u8 hasTargetScaler and, if 1, the target mean
/// and std (outputCount f64 each). A model without feature names or targets is
/// written as version 1, byte for byte as before; all three versions load.
public enum ModelFile {
    public static let magic: [UInt8] = Array("FNM1".utf8)
    /// The newest version written (2 when the model has feature names, 3 when it
    /// has a target standardisation or target names).
    public static let version: UInt32 = 3
    /// Bounds on declared sizes, checked before any allocation.
    public static let maxWidth = 1 << 20, maxLayers = 1024, maxLabels = 1 << 16

    public static func encode(_ network: Network) -> [UInt8] {
        var w = ByteWriter()
        w.raw(magic)
        let hasTargets = network.targetScaler != nil || network.targetNames != nil
        w.u32(hasTargets ? 3 : network.featureNames == nil ? 1 : 2)
        w.u32(UInt32(network.inputCount))
        w.u32(UInt32(network.layers.count))
        w.u8(network.standardizer == nil ? 0 : 1)
        w.u8(network.task == .regression ? 0 : 1)
        w.u16(0)
        let labels = network.task.labels
        w.u32(UInt32(labels.count))
        for l in labels { let b = Array(l.utf8); w.u32(UInt32(b.count)); w.raw(b) }
        for layer in network.layers {
            w.u32(UInt32(layer.outputCount))
            w.u8(layer.activation.code.rawValue)
            w.u8(layer.learnsAlpha ? 1 : 0)
            w.u16(0)
            w.f64(layer.activation.parameter)
            for v in layer.weights { w.f64(v) }
            for v in layer.biases { w.f64(v) }
        }
        if let s = network.standardizer {
            for v in s.mean { w.f64(v) }
            for v in s.std { w.f64(v) }
        }
        func texts(_ names: [String]) {
            w.u32(UInt32(names.count))
            for n in names { let b = Array(n.utf8); w.u32(UInt32(b.count)); w.raw(b) }
        }
        if let names = network.featureNames { texts(names) } else if hasTargets { w.u32(0) }
        if hasTargets {
            texts(network.targetNames ?? [])
            w.u8(network.targetScaler == nil ? 0 : 1)
            if let t = network.targetScaler {
                for v in t.mean { w.f64(v) }
                for v in t.std { w.f64(v) }
            }
        }
        w.u64(fnv1a(w.bytes))
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8], file: String) throws(DataError) -> Network {
        var r = ByteReader(bytes, file: file)
        guard try r.bytes(4, "magic") == magic else { throw DataError(file: file, .notAModelFile) }
        let version = try r.u32("version")
        guard (1...3).contains(version) else { throw DataError(file: file, .unsupportedVersion(what: "model file", found: Int(version), supported: [1, 2, 3])) }
        guard bytes.count >= 8 else { throw DataError(file: file, .truncated(offset: 8, reading: "checksum", needed: 8, left: bytes.count - 8)) }
        let stored = bytes[(bytes.count - 8)...].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        let actual = fnv1a(Array(bytes[..<(bytes.count - 8)]))
        guard stored == actual else {
            throw DataError(file: file, .checksumMismatch(stored: stored, computed: actual))
        }
        let inputCount = Int(try r.u32("input count"))
        let layerCount = Int(try r.u32("layer count"))
        guard (1...maxWidth).contains(inputCount) else { throw DataError(file: file, .countOutOfRange(what: "input count", value: inputCount, limit: maxWidth)) }
        guard (1...maxLayers).contains(layerCount) else { throw DataError(file: file, .countOutOfRange(what: "layer count", value: layerCount, limit: maxLayers)) }
        let hasStandardizer = try r.u8("standardizer flag")
        let taskCode = try r.u8("task")
        _ = try r.bytes(2, "reserved")
        guard hasStandardizer <= 1, taskCode <= 1 else { throw DataError(file: file, .badFlags(standardizer: Int(hasStandardizer), task: Int(taskCode))) }
        let labelCount = Int(try r.u32("label count"))
        guard labelCount <= maxLabels else { throw DataError(file: file, .countOutOfRange(what: "label count", value: labelCount, limit: maxLabels)) }
        var labels: [String] = []
        for i in 0..<labelCount {
            let n = Int(try r.u32("label \(i) length"))
            guard let s = String(validating: try r.bytes(n, "label \(i)"), as: UTF8.self) else {
                throw DataError(file: file, .textNotUTF8(what: "label", index: i))
            }
            guard LabelText.isAcceptable(s) else { throw DataError(file: file, .labelControlCharacter(s)) }
            labels.append(s)
        }
        guard Set(labels).count == labels.count else {
            throw DataError(file: file, .invalid("the model file repeats a class label; labels must be distinct"))
        }
        var layers: [DenseLayer] = []
        var fanIn = inputCount
        for l in 0..<layerCount {
            let out = Int(try r.u32("layer \(l) output count"))
            guard (1...maxWidth).contains(out) else { throw DataError(file: file, .countOutOfRange(what: "layer \(l) output count", value: out, limit: maxWidth)) }
            let codeByte = try r.u8("layer \(l) activation")
            guard let code = ActivationCode(rawValue: codeByte) else { throw DataError(file: file, .unknownActivationCode(layer: l, code: Int(codeByte))) }
            let learns = try r.u8("layer \(l) flags") == 1
            _ = try r.bytes(2, "reserved")
            let alpha = try r.f64("layer \(l) alpha")
            let needed = (fanIn * out + out) * 8
            guard needed <= bytes.count - r.offset else {
                throw DataError(file: file, .truncated(offset: r.offset, reading: "layer \(l) weights", needed: needed, left: bytes.count - r.offset))
            }
            var weights = [Double](); weights.reserveCapacity(fanIn * out)
            for _ in 0..<(fanIn * out) { weights.append(try r.f64("weights")) }
            var biases = [Double]()
            for _ in 0..<out { biases.append(try r.f64("biases")) }
            guard alpha.isFinite, weights.allSatisfy(\.isFinite), biases.allSatisfy(\.isFinite) else {
                throw DataError(file: file, .nonFiniteParameter(layer: l))
            }
            layers.append(DenseLayer(inputCount: fanIn, outputCount: out, activation: Activation(code: code, parameter: alpha),
                                     learnsAlpha: learns, weights: weights, biases: biases))
            fanIn = out
        }
        var standardizer: Standardizer? = nil
        if hasStandardizer == 1 {
            var mean = [Double](), std = [Double]()
            for _ in 0..<inputCount { mean.append(try r.f64("mean")) }
            for _ in 0..<inputCount { std.append(try r.f64("std")) }
            guard mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 != 0 }) else {
                throw DataError(file: file, .badStandardizer)
            }
            standardizer = Standardizer(mean: mean, std: std)
        }
        func texts(_ what: String) throws(DataError) -> [String] {
            let n = Int(try r.u32("\(what) count"))
            guard n <= maxWidth else { throw DataError(file: file, .countOutOfRange(what: "\(what) count", value: n, limit: maxWidth)) }
            var names: [String] = []
            for i in 0..<n {
                let length = Int(try r.u32("\(what) \(i) length"))
                guard let s = String(validating: try r.bytes(length, "\(what) \(i)"), as: UTF8.self) else {
                    throw DataError(file: file, .textNotUTF8(what: what, index: i))
                }
                names.append(s)
            }
            return names
        }
        var featureNames: [String]? = nil
        if version >= 2 {
            let names = try texts("feature name")
            guard names.count == inputCount || (version == 3 && names.isEmpty) else {
                throw DataError(file: file, .featureNameCount(names: names.count, inputs: inputCount))
            }
            featureNames = names.isEmpty ? nil : names
        }
        let outputCount = layers[layers.count - 1].outputCount
        var targetNames: [String]? = nil
        var targetScaler: Standardizer? = nil
        if version == 3 {
            let names = try texts("target name")
            guard names.isEmpty || (taskCode == 0 && names.count == outputCount) else {
                throw DataError(file: file, .invalid("the model file names \(names.count) targets for \(taskCode == 0 ? "\(outputCount) outputs" : "a classifier")"))
            }
            targetNames = names.isEmpty ? nil : names
            let flag = try r.u8("target scaler flag")
            guard flag <= 1 else { throw DataError(file: file, .invalid("target scaler flag \(flag); 0 or 1 expected")) }
            if flag == 1 {
                guard taskCode == 0, layers[layers.count - 1].activation == .identity else {
                    throw DataError(file: file, .invalid("a target standardisation needs a regression model with an identity output layer"))
                }
                var mean = [Double](), std = [Double]()
                for _ in 0..<outputCount { mean.append(try r.f64("target mean")) }
                for _ in 0..<outputCount { std.append(try r.f64("target std")) }
                guard mean.allSatisfy(\.isFinite), std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                    throw DataError(file: file, .badStandardizer)
                }
                targetScaler = Standardizer(mean: mean, std: std)
            }
            guard targetNames != nil || targetScaler != nil else {
                throw DataError(file: file, .invalid("a version 3 model file without targets; version 1 or 2 is written for it"))
            }
        }
        guard r.offset == bytes.count - 8 else {
            throw DataError(file: file, .sizeMismatch(expected: r.offset + 8, found: bytes.count))
        }
        guard taskCode == 0 || labels.count >= 2 else { throw DataError(file: file, .tooFewLabels(found: labels.count)) }
        let task: Task = taskCode == 0 ? .regression : .classification(labels: labels)
        var network = Network(layers: layers, standardizer: standardizer, task: task)
        network.featureNames = featureNames
        network.targetNames = targetNames
        network.targetScaler = targetScaler
        return network
    }

    /// Reads a model from `.fnm` or, when the file starts with `{`, its JSON form.
    /// A model from a `.fnm` file, its JSON form, or an ONNX file (a `.onnx` name,
    /// or bytes that open with ModelProto's ir_version field and are not "FNM1").
    public static func load(path: String, onnxTask: ONNXImport.TaskChoice = .fromGraph) throws(DataError) -> Network {
        let bytes = try FileBytes.read(path)
        if bytes.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) == UInt8(ascii: "{") {
            return try ModelJSON.decode(bytes, file: path)
        }
        if path.lowercased().hasSuffix(".onnx") || (bytes.first == 0x08 && !bytes.starts(with: magic)) {
            do throws(ONNXError) { return try ONNXImport.network(decoding: bytes, task: onnxTask) } catch {
                throw DataError(file: path, .onnx(error))
            }
        }
        return try decode(bytes, file: path)
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

}
