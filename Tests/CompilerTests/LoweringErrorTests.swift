import Testing
import FixedNet
@testable import Compiler

/// Networks the blob cannot hold are refused with a reason, never a trap.
@Suite struct LoweringErrorTests {
    static func net(weight: Double = 1, labels: [String]? = nil, outputs: Int = 1, std: Double = 1) -> Network {
        var n = Network(layers: [DenseLayer(inputCount: 1, outputCount: outputs, activation: outputs > 1 ? .softmax : .sigmoid,
                                            weights: [Double](repeating: weight, count: outputs))],
                        task: labels.map { .classification(labels: $0) } ?? .regression)
        n.standardizer = Standardizer(mean: [0], std: [std])
        return n
    }

    @Test func refusals() {
        #expect(throws: LoweringError.notRepresentable(.weight(layer: 0, index: 0), value: 1e300, as: .float32)) { try BlobWriter.encode(Self.net(weight: 1e300)) }
        #expect(throws: LoweringError.badLabels(labels: 1, outputs: 1)) { try BlobWriter.encode(Self.net(labels: ["a"])) }
        #expect(throws: LoweringError.badLabels(labels: 3, outputs: 2)) { try BlobWriter.encode(Self.net(labels: ["a", "b", "c"], outputs: 2)) }
        #expect(throws: LoweringError.notRepresentable(.std(feature: 0), value: 1e-50, as: .float32)) { try BlobWriter.encode(Self.net(std: 1e-50)) }
        #expect(throws: Never.self) { try BlobWriter.encode(Self.net(labels: ["a", "b"])) }
        // Float16 holds |v| ≤ 65504: a larger weight is refused by name, not made infinite.
        #expect(throws: LoweringError.notRepresentable(.weight(layer: 0, index: 0), value: 70000, as: .float16)) {
            try BlobWriter.encode(Self.net(weight: 70000), weights: .float16)
        }
        #expect(throws: Never.self) { try BlobWriter.encode(Self.net(weight: 65504), weights: .float16) }
        #expect(throws: Never.self) { try BlobWriter.encode(Self.net(weight: 1e30), weights: .int8) }
    }

    /// Found by the ONNX fuzzer: a std near Float32's limit made the drawn golden
    /// inputs (mean ± 2 std) infinite, and compile reported an invalid blob of its own.
    @Test func goldenInputsStayInsideFloat32() throws {
        var n = Self.net()
        n.standardizer = Standardizer(mean: [2.1973519558161823e37], std: [2.3134821776182687e38])
        #expect(throws: Never.self) { try BlobWriter.encode(n) }
        #expect(throws: LoweringError.notRepresentable(.goldenInput(vector: 0, feature: 0), value: 1e39, as: .float32)) {
            try BlobWriter.encode(Self.net(), goldenInputs: [[1e39]])
        }
    }
}
