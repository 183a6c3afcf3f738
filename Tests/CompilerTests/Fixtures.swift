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
        let acts = Array(repeating: hidden, count: sizes.count - 2) + [output]
        return Network(pytorchLayout: doubles(file), sizes: sizes, activations: acts)!
    }
}
