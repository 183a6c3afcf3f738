import Foundation
import Testing
import Compiler
import FixedNet

/// Pins the blob format: a fixed tiny model's bytes, in each weight format, are
/// compared with committed golden files (FIXEDNET_RECORD=1 rewrites them), header
/// fields are spelled out, and version-1 blobs from before version 2 still load
/// and predict byte for byte as they did.
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

    static func tinyBlob(_ weights: ElementType = .float32) -> [UInt8] { try! BlobWriter.encode(tinyNetwork(), weights: weights).bytes }

    static let formats: [ElementType] = [.float32, .float16, .int8]

    @Test(arguments: formats)
    func goldenBlobIsByteIdentical(_ weights: ElementType) throws {
        let bytes = Self.tinyBlob(weights)
        let golden = Fixtures.path("golden/tiny-\(weights.flagName).fnb")
        if Fixtures.recording {
            try FileManager.default.createDirectory(atPath: Fixtures.path("golden"), withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: golden, contents: Data(bytes))
        }
        let committed = try #require(FileManager.default.contents(atPath: golden), "missing \(golden); run with FIXEDNET_RECORD=1")
        #expect([UInt8](committed) == bytes, "blob bytes changed: the format moved (bump BlobFormat.version) or lowering changed")
    }

    @Test(arguments: formats)
    func headerFieldsAreWhereTheSpecSays(_ weights: ElementType) throws {
        let b = Self.tinyBlob(weights)
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { (0..<4).reduce(0) { $0 | Int(b[o + $1]) << (8 * $1) } }
        #expect(Array(b[0..<4]) == Array("FNB1".utf8))
        #expect(u16(4) == 2 && u16(6) == 128)
        #expect(u32(8) == b.count)
        #expect(b[24] == 0 && b[25] == OutputKind.multiclass.rawValue && b[26] == NormalizationKind.stored.rawValue)
        #expect(u32(28) == 2 && u32(32) == 2 && u32(36) == 2 && u32(40) == 16)
        #expect(u32(44) == 2 && u32(48) == 128 + 2 * 32 && u32(52) == 2 + 2 + 2 + 3)
        #expect(u32(80) == 128 && u32(84) % 64 == 0)
        #expect(u32(88) == 0 && u32(92) == 0, "no feature names")
        #expect(String(decoding: b[96..<112].prefix { $0 != 0 }, as: UTF8.self) == "fnc \(FixedNetVersion.current)")
        #expect(b[112..<128].allSatisfy { $0 == 0 })
        // Layer 0 record: sizes, activation, kind, element type, data offset and size.
        let width = weights.byteWidth
        #expect(u32(128) == 2 && u32(132) == 3 && u32(136) == 16 && b[140] == ActivationCode.tanh.rawValue)
        #expect(b[141] == LayerKind.dense.rawValue && b[142] == weights.rawValue && b[143] == 0)
        #expect(u32(148) == u32(84) && u32(152) == 2 * 16 * width + 16 * 4 * (weights == .int8 ? 2 : 1))
        let model = try Model(bytes: b)
        #expect(model.formatVersion == 2 && model.layer(0).elementType == weights && model.layer(1).elementType == weights)
        #expect(model.label(0) == "no" && model.label(1) == "yes")
        #expect(model.normalization == .stored && model.goldenCount == 8)
        #expect(String(decoding: model.producerBytes, as: UTF8.self) == "fnc \(FixedNetVersion.current)")
        let s = model.sections
        #expect(s.header + s.layerTable + s.labels + s.featureNames + s.normalization + s.golden + s.layerData + s.padding + s.identity + s.checksum == b.count)
        #expect(s.padding >= 0 && s.padding < 64 * 3)
    }

    @Test func featureNamesAreStored() throws {
        var net = Self.tinyNetwork()
        net.featureNames = ["width", "höhe"]
        let model = try Model(bytes: try BlobWriter.encode(net).bytes)
        #expect(model.featureNameCount == 2)
        #expect(String(decoding: model.featureNameBytes(1), as: UTF8.self) == "höhe")
        #expect(try Model(bytes: Self.tinyBlob()).featureNameCount == 0)
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

    /// Version-1 blobs written before version 2 (the bundled models' blobs of
    /// release 0.1, kept in Tests/Fixtures/v1 with the predictions they gave then,
    /// as shortest round-trip text) load and predict exactly as before.
    @Test(arguments: ["sine", "iris", "digits", "xor"])
    func versionOneBlobsPredictAsBefore(_ name: String) throws {
        let model = try Model(bytes: [UInt8](Fixtures.file("v1/\(name).fnb")))
        #expect(model.formatVersion == 1 && model.producerBytes.isEmpty && model.featureNameCount == 0)
        #expect((0..<model.layerCount).allSatisfy { model.layer($0).elementType == .float32 })
        var ws = Workspace(for: model, batchRows: 64)
        #expect(model.verifyGoldenVectors(workspace: &ws).passed)
        let net = try ModelFile.load(path: Fixtures.repository.appendingPathComponent("models/\(name)/model.fnm").path)
        let data = try Dataset.load(path: Fixtures.repository.appendingPathComponent("models/\(name)/\(name)_test.csv").path, schema: net)
        let x = data.features.map(Float.init)
        var y = [Float](repeating: 0, count: data.rowCount * model.outputCount)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { model.predictBatch(xp, rows: data.rowCount, into: $0, workspace: &ws) } }
        let lines = String(decoding: Fixtures.file("v1/\(name).predictions.txt"), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == data.rowCount)
        var differ = 0
        for r in 0..<data.rowCount {
            // Each line: the label then the probabilities (classifiers), or the value.
            let fields = lines[r].split(separator: ",").map(String.init)
            let values = model.outputKind == .regression ? fields : Array(fields.dropFirst())
            let outs = model.outputKind == .binary ? [1 - y[r], y[r]].map { "\($0)" } : (0..<model.outputCount).map { "\(y[r * model.outputCount + $0])" }
            if model.outputKind == .binary { if values.last != outs.last { differ += 1 } } else if values != outs { differ += 1 }
        }
        #expect(differ == 0, "\(name): \(differ) of \(data.rowCount) v1 predictions changed")
    }

    /// The v1 tiny blob still loads, and its header keeps the v1 layout.
    @Test func versionOneHeader() throws {
        let b = [UInt8](Fixtures.file("v1/tiny.fnb"))
        #expect(b[4] == 1 && b[6] == 96 && b[24] == ElementType.float32.rawValue)
        let model = try Model(bytes: b)
        #expect(model.layer(0).dataOffset == Int(b[116]) | Int(b[117]) << 8)
        var ws = Workspace(for: model)
        #expect(model.verifyGoldenVectors(workspace: &ws).passed)
    }
}
