import Foundation
import Testing
import Compiler

/// Runs the built `fnc` binary in a scratch directory holding copies of the models.
struct CLIHarness {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var recording: Bool { ProcessInfo.processInfo.environment["FIXEDNET_RECORD"] == "1" }

    /// The fnc next to the test bundle (same build configuration).
    static let binary: String = {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent()] {
            let p = dir.appendingPathComponent("fnc").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return repository.appendingPathComponent(".build/debug/fnc").path
    }()

    let directory: URL

    /// A fresh directory with copies of models/<name> for each name.
    init(models: [String] = ["xor", "sine", "iris", "digits"]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fnc-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for m in models {
            try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("models/\(m)"), to: directory.appendingPathComponent(m))
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(at: directory) }

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    @discardableResult
    func run(_ args: [String], stdin: String? = nil, environment: [String: String] = [:], executable: String? = nil,
             stdoutPath: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable ?? Self.binary)
        p.arguments = executable == nil ? args : Array(args.dropFirst())
        p.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out; p.standardError = err; p.standardInput = input
        if let stdoutPath { p.standardOutput = FileHandle(forWritingAtPath: stdoutPath) }
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        if stdoutPath != nil { try out.fileHandleForWriting.close() }   // the child writes elsewhere: no EOF to wait for
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func write(_ text: String, to name: String) throws { try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    /// The file's bytes (via FileBytes: Foundation's reader leaks on empty files under ASan).
    func read(_ name: String) -> Data? { (try? FileBytes.read(directory.appendingPathComponent(name).path)).map { Data($0) } }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) }

    /// Compares "exit, stdout, stderr" with Golden/<name>.txt (FIXEDNET_RECORD=1 rewrites).
    static func expectGolden(_ name: String, _ r: Result, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = "exit: \(r.status)\n--- stdout\n\(r.stdout)--- stderr\n\(r.stderr)"
        let path = repository.appendingPathComponent("Tests/fncTests/Golden/\(name).txt").path
        if recording { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        #expect(golden == text, "output of \(name) changed (FIXEDNET_RECORD=1 to accept):\n\(text)", sourceLocation: sourceLocation)
    }
}
