import Foundation
import Testing
import FixedNet

/// Every truncation point and every single-bit flip of every bundled blob
/// (models/*/model.fnb) is rejected with a typed error.
@Suite struct BundledBlobWalkTests {
    @Test(arguments: ["xor", "sine", "iris", "digits"])
    func everyTruncationAndBitFlipIsRejected(name: String) throws {
        let path = Fixtures.repository.appendingPathComponent("models/\(name)/model.fnb").path
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        #expect((try? Model(bytes: bytes)) != nil)
        var acceptedTruncations = 0, acceptedFlips = 0
        for n in 0..<bytes.count where (try? Model(bytes: Array(bytes[0..<n]))) != nil { acceptedTruncations += 1 }
        for bit in 0..<(bytes.count * 8) {
            bytes[bit / 8] ^= 1 << (bit % 8)
            if (try? Model(bytes: bytes)) != nil { acceptedFlips += 1 }
            bytes[bit / 8] ^= 1 << (bit % 8)
        }
        print("models/\(name): \(bytes.count) truncations and \(bytes.count * 8) bit flips walked")
        #expect(acceptedTruncations == 0 && acceptedFlips == 0)
    }
}
