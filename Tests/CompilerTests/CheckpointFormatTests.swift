import Testing
@testable import Compiler

/// The checkpoint file (`Checkpoint`): version 2 carries the run identity that
/// `fnc train --resume` compares; version 1 files keep loading.
@Suite struct CheckpointFormatTests {
    static func state() -> TrainingState {
        let net = Network(sizes: [3, 4, 2], activations: [.tanh, .softmax], seed: 5, task: .classification(labels: ["a", "b"]))
        var options = TrainingOptions()
        options.optimizer = .defaultAdam
        return TrainingState(network: net, options: options)
    }

    @Test func identityRoundTrips() throws {
        let identity: Checkpoint.RunIdentity = [("data", "10×3, fnv1a 0x1"), ("--lr", "0.01"), ("--hidden", "")]
        let (s, back) = try Checkpoint.decodeWithIdentity(Checkpoint.encode(Self.state(), identity: identity), file: "ck")
        #expect(back.map(\.key) == identity.map(\.key) && back.map(\.value) == identity.map(\.value))
        #expect(s.network == Self.state().network)
    }

    @Test func versionOneStillLoadsWithAnEmptyIdentity() throws {
        var bytes = Checkpoint.encode(Self.state(), identity: [])
        // v1 = v3 without the identity count (a u32) and the 28 bytes of dropout generator and plateau state before the checksum.
        bytes.removeSubrange((bytes.count - 40)..<(bytes.count - 8))
        bytes[4] = 1
        bytes.removeLast(8)
        var w = ByteWriter(); w.u64(ModelFile.fnv1a(bytes)); bytes += w.bytes
        let (s, identity) = try Checkpoint.decodeWithIdentity(bytes, file: "v1")
        #expect(identity.isEmpty)
        #expect(s.network == Self.state().network)
    }

    @Test func fingerprintSeesEveryValue() {
        let a = Dataset(featureNames: ["x", "y"], features: [1, 2, 3, 4], labels: [0, 1], task: .classification(labels: ["p", "q"]))
        var b = a; b.features[3] = 4.000000000000001
        var c = a; c.labels = [1, 0]
        var d = a; d.featureNames = ["x", "z"]
        let prints = [a, b, c, d].map(Checkpoint.fingerprint)
        #expect(Set(prints).count == 4)
        #expect(Checkpoint.fingerprint(a) == Checkpoint.fingerprint(a))
    }
}

/// Inputs the resealing checkpoint fuzzer (scripts/fuzz.sh checkpoint-sealed) found:
/// each must throw a typed error, never trap.
@Suite struct CheckpointFuzzRegressionTests {
    @Test(arguments: ["checkpoint-crash-1.resume"])
    func resealedInputThrows(name: String) throws {
        var bytes = try FileBytes.read(Fixtures.path("fuzz/" + name))
        let sum = ModelFile.fnv1a(Array(bytes[..<(bytes.count - 8)]))
        for k in 0..<8 { bytes[bytes.count - 8 + k] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(k))) }
        #expect(throws: DataError.self) { try Checkpoint.decodeWithIdentity(bytes, file: name) }
    }
}
