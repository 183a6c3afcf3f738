import Foundation
@testable import Compiler

/// Paths to test data committed in the repository (tests never read ../shared).
enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { repository.appendingPathComponent("Tests/Fixtures/" + relative).path }
    static func model(_ relative: String) -> String { repository.appendingPathComponent("models/" + relative).path }

    /// Float64 little-endian values of a whole file.
    static func doubles(_ relative: String) -> [Double] {
        let data = FileManager.default.contents(atPath: path(relative))!
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 8)).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
    }

    /// A network from the peers' init layout: per layer W[out][in] row-major, then b[out].
    static func referenceNetwork(sizes: [Int], file: String, hidden: Activation, output: Activation) -> Network {
        let raw = doubles(file)
        var k = 0
        var layers: [DenseLayer] = []
        for l in 0..<(sizes.count - 1) {
            let nin = sizes[l], nout = sizes[l + 1]
            var w = [Double](repeating: 0, count: nin * nout)
            for o in 0..<nout { for i in 0..<nin { w[i * nout + o] = raw[k]; k += 1 } }
            let b = Array(raw[k..<(k + nout)]); k += nout
            layers.append(DenseLayer(inputCount: nin, outputCount: nout, activation: l == sizes.count - 2 ? output : hidden,
                                     weights: w, biases: b))
        }
        precondition(k == raw.count)
        return Network(layers: layers)
    }
}
