import Foundation
import Testing
import Compiler
import FixedNet

/// Pins the blob format: a fixed tiny model's bytes are compared with a committed
/// golden file (FIXEDNET_RECORD=1 rewrites it), and header fields are spelled out.
@Suite struct BlobFormatTests {
    /// 2 → 3 (tanh) → 2 (softmax), fixed weights, stored normalisation, labels "no"/"yes".
    static func tinyNetwork() -> Network {
        let l0 = DenseLayer(inputCount: 2, outputCount: 3, activation: .tanh,
                            weights: [0.5, -0.25, 1, 0.75, 0.125, -1], biases: [0.1, 0, -0.1])
        let l1 = DenseLayer(inputCount: 3, outputCount: 2, activation: .softmax,
                            weights: [1, -1, 0.5, 0.25, -0.5, 2], biases: [0, 0.5])
        return Network(layers: [l0, l1], standardizer: Standardizer(mean: [1, 2], std: [3, 0.5]),
                       task: .classification(labels: ["no", "yes"]))
    }

    static func tinyBlob() -> [UInt8] { try! BlobWriter.encode(tinyNetwork()).bytes }

    @Test func goldenBlobIsByteIdentical() throws {
        let bytes = Self.tinyBlob()
        let golden = Fixtures.path("golden/tiny.fnb")
        if Fixtures.recording {
            try FileManager.default.createDirectory(atPath: Fixtures.path("golden"), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: golden, contents: Data(bytes))
        }
        let committed = try #require(FileManager.default.contents(atPath: golden), "missing \(golden); run with FIXEDNET_RECORD=1")
        #expect([UInt8](committed) == bytes, "blob bytes changed: the format moved (bump BlobFormat.version) or lowering changed")
    }

    @Test func headerFieldsAreWhereTheSpecSays() throws {
        let b = Self.tinyBlob()
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { (0..<4).reduce(0) { $0 | Int(b[o + $1]) << (8 * $1) } }
        #expect(Array(b[0..<4]) == Array("FNB1".utf8))
        #expect(u16(4) == 1 && u16(6) == 96)
        #expect(u32(8) == b.count)
        #expect(b[24] == 1 && b[25] == OutputKind.multiclass.rawValue && b[26] == NormalizationKind.stored.rawValue)
        #expect(u32(28) == 2 && u32(32) == 2 && u32(36) == 2 && u32(40) == 16)
        #expect(u32(44) == 2 && u32(48) == 96 + 2 * 32 && u32(52) == 2 + 2 + 2 + 3)
        #expect(u32(80) == 96 && u32(84) % 64 == 0)
        // Layer 0 record.
        #expect(u32(96) == 2 && u32(100) == 3 && u32(104) == 16 && b[108] == ActivationCode.tanh.rawValue)
        #expect(u32(116) == u32(84) && u32(120) == (2 + 1) * 16 * 4)
        let model = try Model(bytes: b)
        #expect(model.label(0) == "no" && model.label(1) == "yes")
        #expect(model.normalization == .stored && model.goldenCount == 8)
    }

    @Test func predictionsFollowTheFloat64Model() throws {
        let net = Self.tinyNetwork()
        let model = try Model(bytes: Self.tinyBlob())
        let x: [Double] = [0.3, 2.5]
        let want = net.predict(x, rows: 1)
        let got = model.predict(x.map(Float.init))
        for j in 0..<2 { #expect(Swift.abs(Double(got[j]) - want[j]) < 1e-6) }
        var ws = Workspace(for: model)
        let check = model.verifyGoldenVectors(workspace: &ws)
        #expect(check.passed && check.vectorCount == 8 && check.maxError < 1e-6)
    }
}
