import Foundation
import Testing
@testable import FixedNet
import Compiler

/// The model identity (SHA-256) against a deliberate edit that keeps the 64-bit
/// model hash (issue 19: such a forged digits blob passed `bind` and `--verify`).
@Suite struct ModelIdentityTests {
    static let fixture = "Tests/Fixtures/forged/digits-forged.fnb"
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The inverse of an odd number modulo 2⁶⁴ (Newton's iteration).
    static func inverse(_ p: UInt64) -> UInt64 {
        var x = p
        for _ in 0..<6 { x = x &* (2 &- p &* x) }
        return x
    }

    static func word(_ b: [UInt8], _ o: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[o + $1]) << (8 * UInt64($1)) } }
    static func put(_ b: inout [UInt8], _ o: Int, _ v: UInt64) { for k in 0..<8 { b[o + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) } }

    /// Changes two weights of the digits blob's first layer and picks the next word
    /// of the same hash lane so that the lane, and so the model hash, end as before;
    /// then recomputes only the checksum, as anyone can. The stored identity is left alone.
    static func forge(_ good: [UInt8]) -> [UInt8] {
        let step = { (h: UInt64, w: UInt64) in BlobHash.rotl((h ^ w) &* BlobHash.prime1, 31) }
        let seed = BlobFormat.modelHashSeed
        let start = BlobFormat.Header.elementType
        let data0 = Int(word(good, 128 + 20) & 0xFFFF_FFFF)
        let o = data0 + 64                               // row 0, lanes 16 and 17 of layer 0's first row
        let rel = o - start, lane = (rel % 32) / 8, stripe = rel / 32
        precondition(rel % 8 == 0)
        var h = [seed ^ BlobHash.prime1, seed &+ BlobHash.prime2, ~seed, seed &* BlobHash.prime1][lane]
        for s in 0..<stripe { h = step(h, word(good, start + 32 * s + 8 * lane)) }
        let h2 = step(step(h, word(good, o)), word(good, o + 32))
        var forged = good
        for attempt in 1...1000 {
            let w0 = Float(bitPattern: UInt32(truncatingIfNeeded: word(good, o))) + 0.25 * Float(attempt)
            let w1 = Float(bitPattern: UInt32(truncatingIfNeeded: word(good, o) >> 32)) - 0.25
            let edited = UInt64(w0.bitPattern) | UInt64(w1.bitPattern) << 32
            let fix = (BlobHash.rotl(h2, 33) &* inverse(BlobHash.prime1)) ^ step(h, edited)
            let a = Float(bitPattern: UInt32(truncatingIfNeeded: fix)), b = Float(bitPattern: UInt32(truncatingIfNeeded: fix >> 32))
            guard a.isFinite, b.isFinite, abs(a) < 1e6, abs(b) < 1e6 else { continue }
            put(&forged, o, edited); put(&forged, o + 32, fix)
            break
        }
        let end = forged.count - BlobFormat.checksumSize
        let sum = forged.withUnsafeBytes { BlobHash.hash($0.baseAddress!, count: end, seed: BlobFormat.checksumSeed) }
        put(&forged, end, sum)
        return forged
    }

    @Test func anEditThatKeepsTheModelHashChangesTheIdentity() throws {
        let good = try [UInt8](Data(contentsOf: Self.repository.appendingPathComponent("models/digits/model.fnb")))
        let forged = Self.forge(good)
        #expect(forged != good)
        let original = try Model(bytes: good), edited = try Model(bytes: forged)   // structurally valid: it loads
        #expect(edited.modelHash == original.modelHash, "the forgery must keep the 64-bit model hash")
        #expect(edited.computeIdentity() != original.computeIdentity())
        #expect(edited.storedIdentity == original.computeIdentity(), "the forger left the stored identity")
        // bind refuses it (a generated kernel carries its own identity) …
        #expect(throws: BlobError.wrongIdentity(expected: Digits.identity, actual: edited.computeIdentity())) { try Digits.bind(edited) }
        #expect(Digits.identity == original.computeIdentity())
        _ = try Digits.bind(original)
        // … and so does --verify, which compares the stored identity with the content.
        #expect(edited.storedIdentity != edited.computeIdentity())
        // The edit matters: some predictions change.
        var changed = 0
        for k in 0..<64 {
            let x = (0..<64).map { Float(($0 * 5 + k * 3) % 17) }
            if original.predict(x) != edited.predict(x) { changed += 1 }
        }
        #expect(changed > 0)
        // The fnc catalogue runs `predict --verify` on this file (blob-forged).
        let path = Self.repository.appendingPathComponent(Self.fixture)
        if ProcessInfo.processInfo.environment["FIXEDNET_RECORD"] != nil {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(forged).write(to: path)
        }
        #expect((try? [UInt8](Data(contentsOf: path))) == forged, "\(Self.fixture) is stale (FIXEDNET_RECORD=1)")
    }

    @Test func everyBlobHasAnIdentityAndOldOnesLoad() throws {
        // v1 (release 0.1) and v2 without the section (release 0.2.0) still load; the identity is computed for them.
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("Tests/Fixtures/v1").path) where name.hasSuffix(".fnb") {
            let m = try Model(bytes: [UInt8](Data(contentsOf: Self.repository.appendingPathComponent("Tests/Fixtures/v1/" + name))))
            #expect(m.storedIdentity == nil)
            #expect(m.computeIdentity() == m.computeIdentity())
        }
        // Today's compile of the model file 0.2.0 compiled (Tests/Fixtures/v2-0.2.0/iris.fnm).
        let network = try ModelFile.load(path: Self.repository.appendingPathComponent("Tests/Fixtures/v2-0.2.0/iris.fnm").path)
        let fresh = try Model(bytes: BlobWriter.encode(network).bytes)
        #expect(fresh.storedIdentity == fresh.computeIdentity())
        // A v2 blob written by release 0.2.0 (no identity section) loads and predicts what today's blob of the same model does.
        let old = try Model(bytes: [UInt8](Data(contentsOf: Self.repository.appendingPathComponent("Tests/Fixtures/v2-0.2.0/iris.fnb"))))
        #expect(old.storedIdentity == nil && old.identityOffset == 0)
        for k in 0..<32 {
            let x = (0..<4).map { Float(($0 * 7 + k) % 9) * 0.9 }
            #expect(old.predict(x) == fresh.predict(x))
        }
        _ = try Model(bytes: [UInt8](Data(contentsOf: Self.repository.appendingPathComponent("Tests/Fixtures/v2-0.2.0/digits-int8.fnb"))))
    }
}

/// Labels decode in one pass (issue 19: `fnc inspect` and `predict` called label(i)
/// for every i, each walk starting from the first label: 65,536 labels took 98 s in a
/// debug build, 0.9 s now).
@Suite struct LabelTableTests {
    @Test func forEachLabelVisitsEveryLabelOnceInOrder() throws {
        let labels = (0..<300).map { "class-\($0)-" + String(repeating: "x", count: $0 % 7) }
        let net = Network(sizes: [2, 300], activations: [.softmax], seed: 1, task: .classification(labels: labels))
        let model = try Model(bytes: BlobWriter.encode(net, goldenCount: 1).bytes)
        var seen: [String] = []
        model.forEachLabel { i, bytes in
            #expect(i == seen.count)
            seen.append(String(decoding: bytes, as: UTF8.self))
        }
        #expect(seen == labels)
        #expect(model.labels == labels)
        #expect((0..<300).map(model.label) == labels)
    }
}
