import Foundation
import Testing

/// Each models/<name>/commands.sh still reproduces the committed files byte for byte.
@Suite struct ModelGalleryTests {
    @Test(arguments: ["xor", "sine", "iris", "digits"])
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
