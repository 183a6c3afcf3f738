import Foundation
import Testing
@testable import Compiler
import FixedNet

/// The shared vocabulary: one hex formatter, output-kind names, parameter counts, base64.
@Suite struct VocabularyTests {
    @Test func base64DecodesWhatTheEmitterEncodes() {
        var rng = SplitMix64(seed: 3)
        for n in [0, 1, 2, 3, 4, 5, 63, 64, 65, 1000] {
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var text = Array(KernelEmitter.base64(bytes).utf8)
            var out = [UInt8](repeating: 0, count: n + 4)
            let written = text.withUnsafeMutableBufferPointer { t in
                out.withUnsafeMutableBytes { Base64.decode(UnsafeBufferPointer(t), into: $0) }
            }
            #expect(written == n && Array(out[0..<n]) == bytes, "n = \(n)")
        }
    }

    @Test func namesAndCounts() throws {
        #expect(hexString(UInt64(0x4d2)) == "0x00000000000004d2" && hexString(UInt32(255)) == "0x000000ff")
        #expect(OutputKind.regression.name == "regression" && OutputKind.multiclass.name == "multiclass")
        let path = Fixtures.repository.appendingPathComponent("models/digits").path
        let model = try Model(contentsOfFile: path + "/model.fnb")
        #expect(model.parameterCount == (try ModelFile.load(path: path + "/model.fnm")).parameterCount)
    }
}
