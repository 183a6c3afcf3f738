import Foundation
import Testing

/// Each models/<name>/commands.sh still reproduces the committed files byte for byte.
/// digits (up to 200 epochs of 64-32-10: minutes in a debug build) runs when
/// FIXEDNET_LONG_TESTS=1, which .ci/run sets for its release test step.
@Suite struct ModelGalleryTests {
    static let long = ProcessInfo.processInfo.environment["FIXEDNET_LONG_TESTS"] == "1"

    @Test(arguments: long ? ["xor", "sine", "iris", "digits"] : ["xor", "sine", "iris"])
    func commandsReproduceTheCommittedModel(name: String) throws {
        let h = try CLIHarness(models: [name])
        defer { h.cleanUp() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["./commands.sh"]
        p.currentDirectoryURL = h.directory.appendingPathComponent(name)
        p.environment = ["FNC": CLIHarness.binary, "PATH": "/usr/bin:/bin"]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        var files = ["model.fnm", "model.fnb", "metrics.txt", "compile.txt"]
        if name == "digits" { files += ["curve.svg", "model-f16.fnb", "compile-f16.txt", "model-int8.fnb", "compile-int8.txt"] }
        for f in files {
            let committed = FileManager.default.contents(atPath: CLIHarness.repository.appendingPathComponent("models/\(name)/\(f)").path)
            #expect(committed != nil && h.read("\(name)/\(f)") == committed, "models/\(name)/\(f) is not reproduced by commands.sh")
        }
    }
}
