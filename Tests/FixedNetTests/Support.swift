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

    /// The Float64 network holding the Float32 weights exactly.
    func network() -> Network {
        let raw = Fixtures.floats("infer/\(name).f32")
        var k = 0
        var layers: [DenseLayer] = []
        let s = sizes
        for l in 0..<(s.count - 1) {
            let nin = s[l], nout = s[l + 1]
            var w = [Double](repeating: 0, count: nin * nout)
            for o in 0..<nout { for i in 0..<nin { w[i * nout + o] = Double(raw[k]); k += 1 } }
            let b = raw[k..<(k + nout)].map(Double.init); k += nout
            let last = l == s.count - 2
            layers.append(DenseLayer(inputCount: nin, outputCount: nout,
                                     activation: last ? (nout == 1 ? .sigmoid : .softmax) : .relu, weights: w, biases: b))
        }
        precondition(k == raw.count)
        let out = s.last!
        let task: Task = .classification(labels: out == 1 ? ["0", "1"] : (0..<out).map(String.init))
        return Network(layers: layers, task: task)
    }

    var inputs: [Float] { Fixtures.floats("infer/\(name).inputs.f32") }
    var reference: [Double] { Fixtures.doubles("infer/\(name).ref.f64") }
}
