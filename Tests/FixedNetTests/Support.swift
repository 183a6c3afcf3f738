import Foundation
import Compiler
import FixedNet

enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { repository.appendingPathComponent("Tests/Fixtures/" + relative).path }
    static func file(_ relative: String) -> Data { FileManager.default.contents(atPath: path(relative))! }
    /// Set FIXEDNET_RECORD=1 to rewrite golden files instead of comparing.
    static var recording: Bool { ProcessInfo.processInfo.environment["FIXEDNET_RECORD"] == "1" }

    static func floats(_ relative: String) -> [Float] {
        let d = file(relative)
        return d.withUnsafeBytes { r in (0..<(d.count / 4)).map { Float(bitPattern: UInt32(littleEndian: r.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
    }
    static func doubles(_ relative: String) -> [Double] {
        let d = file(relative)
        return d.withUnsafeBytes { r in (0..<(d.count / 8)).map { Double(bitPattern: UInt64(littleEndian: r.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self))) } }
    }
}

/// One of the peers' inference shapes: Float32 weights W[out][in] then b, 16 inputs,
/// Float64 reference outputs, ReLU hidden layers and a sigmoid or softmax output.
struct PeerShape: CustomStringConvertible, Sendable {
    let name: String
    var description: String { name }
    var sizes: [Int] { name.split(separator: "-").map { Int($0)! } }

    static let all = ["2-8-1", "64-32-10", "784-128-64-10", "784-512-512-10"].map(PeerShape.init)

    /// `all`, but under a sanitizer (scripts/sanitize.sh sets FIXEDNET_SANITIZER)
    /// without 784-512-512-10: its 670 k weights take minutes per format there,
    /// and it exercises no code the 784-128-64-10 shape does not. The plain run
    /// keeps every shape.
    static var forThisRun: [PeerShape] {
        ProcessInfo.processInfo.environment["FIXEDNET_SANITIZER"] == nil ? all : Array(all.prefix(3))
    }

    /// The Float64 network holding the Float32 weights exactly.
    func network() -> Network {
        let s = sizes, out = s.last!
        let acts = Array(repeating: Activation.relu, count: s.count - 2) + [out == 1 ? .sigmoid : .softmax]
        let task: Task = .classification(labels: out == 1 ? ["0", "1"] : (0..<out).map(String.init))
        return Network(pytorchLayout: Fixtures.floats("infer/\(name).f32").map(Double.init), sizes: s, activations: acts, task: task)!
    }

    var inputs: [Float] { Fixtures.floats("infer/\(name).inputs.f32") }
    var reference: [Double] { Fixtures.doubles("infer/\(name).ref.f64") }
}
