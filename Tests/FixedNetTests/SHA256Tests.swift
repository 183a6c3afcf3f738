import Foundation
import Testing
import FixedNet

/// SHA-256 against the FIPS 180-4 examples and sha256sum, at every length around the block and padding edges.
@Suite struct SHA256Tests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { SHA256.digest($0.baseAddress!, count: $0.count) }.description }

    @Test func knownVectors() {
        #expect(Self.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(Self.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths 0…200 against coreutils' sha256sum (the padding's one- and two-block cases).
    @Test func everyLengthMatchesSha256sum() throws {
        let tool = URL(fileURLWithPath: "/usr/bin/sha256sum")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var mine: [String] = []
        for n in 0...200 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try Data(bytes).write(to: dir.appendingPathComponent("\(n)"))
            mine.append(Self.hex(bytes))
        }
        let p = Process()
        p.executableURL = tool
        p.arguments = (0...200).map { dir.appendingPathComponent("\($0)").path }
        let out = Pipe(); p.standardOutput = out
        try p.run(); p.waitUntilExit()
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        #expect(lines.map { String($0.prefix(64)) } == mine)
    }
}
