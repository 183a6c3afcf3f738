import Foundation
import Testing
import FixedNet
@testable import Compiler

/// The ONNX fixtures of Tests/Fixtures/onnx (built by make.py with torch,
/// scikit-learn/skl2onnx, onnx.helper and onnxruntime; no Python here).
///
/// Tolerances, both absolute:
/// - 1e-5 between the compiled blob (FixedNet's Float32 runtime) and onnxruntime
///   (Float32): two Float32 evaluations of the same graph, each with rounding
///   ~6e-8 × Σ|wᵢxᵢ| per layer and activations accurate to ~4e-7.
/// - 1e-6 between the Float64 import and onnxruntime: only ORT's Float32
///   rounding remains (weights, inputs and each sum rounded to 2⁻²⁴ relative,
///   outputs of order 1); the worst fixture was 1.1e-7 when this was written.
/// Argmax of every classifier row must agree exactly.
@Suite struct ONNXFixtureTests {
    struct Manifest: Decodable {
        var versions: [String: String]
        var models: [Entry]
        var errors: [Refusal]
        var exports: [Export]
    }
    struct Entry: Decodable {
        var name, file, source, task: String
        var labels: [String]?
        var ops: [String]
        var importArgs: [String]
        var inputs: [[Double]]
        var outputs: [[Double]]
    }
    struct Refusal: Decodable { var name, file, expect: String }
    struct Export: Decodable {
        var model, file: String
        var inputs: [[Double]]
        var outputs: [[Double]]
    }

    static let manifest: Manifest = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Fixtures.path("onnx/manifest.json")))
        return try! JSONDecoder().decode(Manifest.self, from: data)
    }()

    static func bytes(_ file: String) -> [UInt8] { try! FileBytes.read(Fixtures.path("onnx/" + file)) }

    static let runtimeTolerance = 1e-5, float64Tolerance = 1e-6

    /// ORT's output columns as FixedNet's: a binary classifier's one output p is [1 − p, p] when ORT gives two columns.
    static func comparable(_ outputs: [Float], columns: Int) -> [Double] {
        if outputs.count == 1 && columns == 2 { return [1 - Double(outputs[0]), Double(outputs[0])] }
        return outputs.map(Double.init)
    }

    @Test(arguments: manifest.models.map(\.name))
    func importedModelMatchesOnnxruntime(name: String) throws {
        let e = Self.manifest.models.first { $0.name == name }!
        let task: ONNXImport.TaskChoice = e.importArgs.contains("classify") ? .classify : .fromGraph
        let net = try ONNXImport.network(decoding: Self.bytes(e.file), task: task)
        #expect((net.task == .regression ? "regression" : "classification") == e.task)
        if let labels = e.labels { #expect(net.task.labels == labels) }
        let model = try Model(bytes: BlobWriter.encode(net).bytes)
        var worstRuntime = 0.0, worstFloat64 = 0.0
        for (x, expected) in zip(e.inputs, e.outputs) {
            let y = Self.comparable(model.predict(x.map { Float($0) }), columns: expected.count)
            let exact = net.predict(x, rows: 1)
            let exactColumns = exact.count == 1 && expected.count == 2 ? [1 - exact[0], exact[0]] : exact
            #expect(y.count == expected.count, "\(name): \(y.count) outputs, ORT \(expected.count)")
            for k in 0..<min(y.count, expected.count) {
                worstRuntime = max(worstRuntime, abs(y[k] - expected[k]))
                worstFloat64 = max(worstFloat64, abs(exactColumns[k] - expected[k]))
            }
            if e.task == "classification" {
                let a = y.indices.max { y[$0] < y[$1] }!, b = expected.indices.max { expected[$0] < expected[$1] }!
                #expect(a == b || abs(expected[a] - expected[b]) < 1e-6, "\(name): argmax \(a) vs ORT \(b) for \(x)")
            }
        }
        #expect(worstRuntime <= Self.runtimeTolerance, "\(name): runtime vs ORT \(worstRuntime)")
        #expect(worstFloat64 <= Self.float64Tolerance, "\(name): Float64 vs ORT \(worstFloat64)")
        print("\(name): |runtime − ORT| ≤ \(worstRuntime), |Float64 − ORT| ≤ \(worstFloat64)")
    }

    /// Every op docs/onnx.md lists as supported appears in at least one fixture that imports.
    @Test func everySupportedOpHasAFixture() {
        let used = Set(Self.manifest.models.flatMap(\.ops))
        let required = ["Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Sigmoid", "Tanh",
                        "Softplus", "HardSigmoid", "Gelu", "Erf", "Softmax", "LogSoftmax", "Identity", "Dropout", "Flatten", "Reshape",
                        "Cast", "Constant", "BatchNormalization", "Concat", "ai.onnx.ml.Scaler", "ai.onnx.ml.ZipMap"]
        let missing = required.filter { !used.contains($0) }
        #expect(missing.isEmpty, "no fixture uses \(missing)")
        let sources = Self.manifest.models.map(\.source).joined(separator: "\n")
        for exporter in ["torch.onnx.export(dynamo=False", "torch.onnx.export(dynamo=True", "skl2onnx", "tf2onnx"] {
            #expect(sources.contains(exporter), "no fixture from \(exporter)")
        }
    }

    @Test(arguments: manifest.errors.map(\.name))
    func refusalNamesTheProblem(name: String) {
        let e = Self.manifest.errors.first { $0.name == name }!
        do {
            let net = try ONNXImport.network(decoding: Self.bytes(e.file))
            Issue.record("\(name) imported as \(net.sizes)")
        } catch {
            #expect(error.description.contains(e.expect), "\(name): \(error.description)")
        }
    }

    /// `fnc export --onnx` of each bundled model: the committed file is what the exporter
    /// writes today, importing it gives the same Float64 network, and the runtime
    /// agrees with onnxruntime's run of it within 1e-6.
    @Test(arguments: manifest.exports.map(\.model))
    func exportRoundTripsAndMatchesOnnxruntime(model name: String) throws {
        let e = Self.manifest.exports.first { $0.model == name }!
        // The bundled model as it was when make.py ran onnxruntime on its export (exported/NAME.fnm).
        let net = try ModelFile.load(path: Fixtures.path("onnx/exported/\(name).fnm"))
        let committed = try ONNXModel.decode(Self.bytes(e.file))
        var fresh = ONNXExport.model(net, producerVersion: committed.producerVersion)
        fresh.producerVersion = committed.producerVersion
        #expect(fresh == committed, "\(name): the exporter no longer writes the committed file (rerun make.py)")
        #expect(try ONNXImport.network(decoding: fresh.encode()) == net, "\(name): export then import changed the network")
        let model = try Model(bytes: BlobWriter.encode(net).bytes)
        var worst = 0.0
        for (x, expected) in zip(e.inputs, e.outputs) {
            var y = model.predict(x.map { Float($0) }).map(Double.init)
            if y.count == 2 && expected.count == 1 { y = [y[1]] }
            for k in 0..<expected.count { worst = max(worst, abs(y[k] - expected[k])) }
        }
        #expect(worst <= 1e-6, "\(name): runtime vs ORT \(worst)")
    }

    /// Export of every activation (those without an opset-13 op go out as patterns) imports back unchanged.
    @Test func everyActivationRoundTrips() throws {
        let acts: [Activation] = [.identity, .step, .sigmoid, .tanh, .relu, .leakyReLU(alpha: 0.2), .prelu(alpha: 0.3), .elu(alpha: 0.7),
                                  .selu, .softplus, .gelu, .silu, .gaussian, .hardSigmoid(alpha: 1.0 / 6)]
        for a in acts {
            var net = Network(sizes: [3, 5, 4], activations: [a, .softmax], seed: 11, task: .classification(labels: ["a", "b", "c", "d"]))
            net.standardizer = Standardizer(mean: [0.1, -2, 3], std: [1.5, 0.25, 7])
            net.featureNames = ["x", "y", "z"]
            let back = try ONNXImport.network(decoding: ONNXExport.encode(net, producerVersion: "test"))
            #expect(back == net, "\(a): export then import changed the network")
        }
        let regression = Network(sizes: [2, 3, 1], activations: [.tanh, .sigmoid], seed: 3)
        #expect(try ONNXImport.network(decoding: ONNXExport.encode(regression, producerVersion: "t")) == regression)
    }

    /// No prefix of a real export traps: each throws a typed error, or (cut between
    /// top-level fields after the graph, a valid protobuf) imports the same network.
    @Test func everyTruncationThrowsATypedError() throws {
        let full = Self.bytes("models/torch-classifier.onnx")
        let net = try ONNXImport.network(decoding: full)
        var refused = 0
        for n in 0..<full.count {
            do { #expect(try ONNXImport.network(decoding: Array(full[0..<n])) == net, "prefix \(n)") } catch { refused += 1 }
        }
        #expect(refused >= full.count - 4)
    }

    @Test func wireFormatLimits() {
        // A varint of 11 bytes, a length past the end, a group, and nesting beyond the limit.
        func fails(_ bytes: [UInt8], _ check: (ONNXError.Wire) -> Bool) {
            do { _ = try ONNXModel.decode(bytes); Issue.record("decoded \(bytes)") } catch {
                if case .wire(let w) = error { #expect(check(w), "\(w)") } else { Issue.record("\(error)") }
            }
        }
        fails([0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01]) { if case .varintTooLong = $0 { return true }; return false }
        fails([0x3A, 0x05, 0x0A]) { if case .lengthBeyondEnd = $0 { return true }; return false }
        fails([0x0B]) { if case .badWireType = $0 { return true }; return false }
        // Depth is counted per nested message() call.
        var nested: [UInt8] = []
        for _ in 0..<40 { nested = [0x0A, UInt8(nested.count)] + nested }
        var reader = ProtobufReader(nested)
        var depthReached = 0
        do {
            while let field = try reader.next() { reader = try reader.message(field); depthReached += 1 }
        } catch {
            if case .wire(.nestingTooDeep(_, let limit)) = error { #expect(limit == ProtobufReader.depthLimit) } else { Issue.record("\(error)") }
        }
        #expect(depthReached == ProtobufReader.depthLimit)
    }
}
