import Foundation
import Testing
import Compiler

/// `fnc import MODEL.onnx` and `fnc export --onnx` as a user runs them, on the
/// fixtures of Tests/Fixtures/onnx (onnxruntime's outputs are in manifest.json).
@Suite struct ONNXCommandTests {
    struct Manifest: Decodable {
        struct Entry: Decodable { var name, file: String; var labels: [String]?; var inputs: [[Double]]; var outputs: [[Double]] }
        var models: [Entry]
    }
    static let manifest = try! JSONDecoder().decode(Manifest.self, from: Data(contentsOf: CLIHarness.repository.appendingPathComponent("Tests/Fixtures/onnx/manifest.json")))

    /// import → compile → predict --proba reproduces onnxruntime (≤ 1e-5) and prints the graph's class labels.
    @Test(arguments: ["sklearn-multiclass", "torch-classifier", "keras-normalization"])
    func importCompilePredict(name: String) throws {
        let e = Self.manifest.models.first { $0.name == name }!
        let h = try CLIHarness(models: [])
        defer { h.cleanUp() }
        try FileManager.default.copyItem(at: CLIHarness.repository.appendingPathComponent("Tests/Fixtures/onnx/" + e.file),
                                         to: h.directory.appendingPathComponent("m.onnx"))
        let imported = try h.run(["import", "m.onnx", "-o", "m.fnm"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try h.run(["compile", "m.fnm", "-o", "m.fnb"]).status == 0)
        let rows = e.inputs.map { $0.map { "\(Float($0))" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        let r = try h.run(["predict", "m.fnb", "--proba", "--no-header"], stdin: rows)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == e.inputs.count)
        for (line, expected) in zip(lines, e.outputs) {
            let fields = line.split(separator: ",").map(String.init)
            let p = fields.dropFirst().compactMap(Double.init)
            let ort = expected.count == 1 ? [1 - expected[0], expected[0]] : expected
            #expect(p.count == ort.count)
            for (a, b) in zip(p, ort) { #expect(abs(a - b) <= 1e-5, "\(name): \(a) vs ORT \(b)") }
            let labels = e.labels ?? []
            let best = ort.indices.max { ort[$0] < ort[$1] }!
            #expect(fields[0] == labels[best], "\(name): label \(fields[0]), ORT's argmax is \(labels[best])")
        }
    }

    /// export --onnx then import gives the model file back byte for byte, for every bundled model;
    /// a regression model's target standardisation comes back folded into its last layer (sine).
    @Test func exportThenImportIsTheSameModelFile() throws {
        let h = try CLIHarness(models: ["xor", "sine", "iris", "digits"])
        defer { h.cleanUp() }
        for m in ["xor", "sine", "iris", "digits"] {
            #expect(try h.run(["export", "\(m)/model.fnm", "--onnx", "-o", "\(m).onnx"]).status == 0)
            let r = try h.run(["import", "\(m).onnx", "-o", "\(m)-back.fnm"])
            #expect(r.status == 0, "\(r.stderr)")
            var original = try ModelFile.decode([UInt8](h.read("\(m)/model.fnm")!), file: m)
            if original.targetScaler != nil { original = original.foldingTargetScale(); original.targetNames = nil }
            #expect(h.read("\(m)-back.fnm") == Data(ModelFile.encode(original)), "\(m): the round trip changed the model file")
            // compile and inspect take the ONNX file directly too
            #expect(try h.run(["compile", "\(m).onnx", "-o", "\(m).fnb"]).status == 0)
        }
    }
}
