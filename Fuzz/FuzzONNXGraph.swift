// Fuzz target: the ONNX graph lowering, structure-aware. Raw protobuf mutations
// mostly die in the decoder (scripts/fuzz.sh onnx reports ~95%), so this target
// decodes a seed (Fuzz/corpus/onnx, picked by the first byte) and reads the rest
// of the input as edits to the decoded model: op types, attributes, dims, values,
// element types, rewired inputs, dropped and repeated nodes, metadata. The edited
// model is imported directly and again through encode → decode; both must agree,
// and whatever imports must round-trip and compile as in fuzzONNXImport.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var onnxGraphSeeds: [ONNXModel] =
    seedFiles(in: "../Fuzz/corpus/onnx", suffix: ".onnx").compactMap { try? ONNXModel.decode($0) }
nonisolated(unsafe) var onnxGraphCounts = [0, 0, 0]   // refused, imported, re-encoded disagreement checks
nonisolated(unsafe) var onnxGraphRegistered = false

struct EditReader {
    let bytes: [UInt8]
    var at = 1
    var done: Bool { at >= bytes.count }
    mutating func next() -> Int { defer { at += 1 }; return at < bytes.count ? Int(bytes[at]) : 0 }
    mutating func pick(_ n: Int) -> Int { n <= 0 ? 0 : next() % n }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNXGraph(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if !onnxGraphRegistered {
        onnxGraphRegistered = true
        atexit {
            let total = max(1, onnxGraphCounts[0] + onnxGraphCounts[1])
            print("onnx-graph stages: \(total) edited models (\(onnxGraphSeeds.count) seeds); refused by the graph lowering \(onnxGraphCounts[0]), "
                  + "imported \(onnxGraphCounts[1]) (\(onnxGraphCounts[1] * 100 / total)%); reached the lowering 100%")
        }
    }
    guard size >= 1, !onnxGraphSeeds.isEmpty else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    var m = onnxGraphSeeds[Int(input[0]) % onnxGraphSeeds.count]
    var r = EditReader(bytes: input)
    let ops = ONNXImport.supportedOps.filter { !$0.contains(" ") } + ["Erf", "Exp", "Neg", "Concat", "ZipMap", "Conv", "Sin", "Transpose", "GreaterOrEqual", ""]
    let floats: [Float] = [0, 1, -1, 0.5, 2, 1e-30, 1e30, .infinity, -.infinity, .nan, 1.4142135, 0.2, 3.4e38]
    let doubles: [Double] = [0, 1, -1, 0.5, 1e300, -1e300, .infinity, .nan, 1e-320, 65504, 3.5e38]
    var edits = 0
    while !r.done && edits < 64 {
        edits += 1
        let n = m.graph.nodes.count, t = m.graph.initializers.count
        switch r.pick(11) {
        case 0 where n > 0: m.graph.nodes[r.pick(n)].opType = ops[r.pick(ops.count)]
        case 1 where n > 0:
            let k = r.pick(n)
            var a = ONNXAttribute()
            a.name = ["alpha", "beta", "transA", "transB", "axis", "epsilon", "to", "approximate", "training_mode", "gamma", "offset", "scale"][r.pick(12)]
            a.type = [1, 2, 3, 6, 7][r.pick(5)]
            a.float = floats[r.pick(floats.count)]; a.int = Int64(r.pick(7)) - 2
            a.string = Array(["none", "tanh", ""][r.pick(3)].utf8)
            a.floats = (0..<r.pick(4)).map { _ in Double(floats[r.pick(floats.count)]) }
            a.ints = (0..<r.pick(4)).map { _ in Int64(r.pick(7)) - 2 }
            m.graph.nodes[k].attributes.removeAll { $0.name == a.name }
            m.graph.nodes[k].attributes.append(a)
        case 2 where t > 0:
            let k = r.pick(t)
            if !m.graph.initializers[k].dims.isEmpty {
                let j = r.pick(m.graph.initializers[k].dims.count)
                m.graph.initializers[k].dims[j] = [0, 1, 2, 3, -1, 1 << 40][r.pick(6)]
            } else { m.graph.initializers[k].dims = [Int64(r.pick(4))] }
        case 3 where t > 0:
            let k = r.pick(t)
            let c = m.graph.initializers[k].doubles.count
            if c > 0 { m.graph.initializers[k].doubles[r.pick(c)] = doubles[r.pick(doubles.count)] }
        case 4 where n > 0:
            let k = r.pick(n)
            let names = m.graph.nodes.flatMap(\.outputs) + m.graph.initializers.map(\.name) + m.graph.inputs.map(\.name) + [""]
            if !m.graph.nodes[k].inputs.isEmpty {
                m.graph.nodes[k].inputs[r.pick(m.graph.nodes[k].inputs.count)] = names[r.pick(names.count)]
            }
        case 5 where n > 0: m.graph.nodes.remove(at: r.pick(n))
        case 6 where n > 0 && n < 200: let k = r.pick(n); m.graph.nodes.insert(m.graph.nodes[k], at: r.pick(n + 1))
        case 7:
            if !m.graph.inputs.isEmpty {
                m.graph.inputs[0].elementType = [1, 11, 7, 10, nil][r.pick(5)]
                m.graph.inputs[0].shape = [nil, [.parameter("N"), .value(Int64(r.pick(9)))], [.value(Int64(r.pick(4)))], []][r.pick(4)]
            }
        case 8 where t > 0: m.graph.initializers[r.pick(t)].dataType = [1, 11, 10, 16, 7, 14, 8][r.pick(7)]
        case 9:
            let key = [ONNXImport.labelsKey, ONNXImport.taskKey, ONNXImport.alphasKey, ONNXImport.featureNamesKey][r.pick(4)]
            let value = ["[\"a\", \"b\"]", "regression", "[0.1, 1e999]", "[\"x\\n\"]", "[1, 2, 3]", "classification", "[\"a\", \"a\"]", "{"][r.pick(8)]
            m.metadata.removeAll { $0.key == key }
            m.metadata.append((key, value))
        case 10 where m.graph.outputs.count > 0:
            let names = m.graph.nodes.flatMap(\.outputs) + [m.graph.inputs.first?.name ?? ""]
            m.graph.outputs[r.pick(m.graph.outputs.count)].name = names[r.pick(names.count)]
        default: break
        }
    }
    let task: ONNXImport.TaskChoice = input.count % 2 == 0 ? .fromGraph : .classify
    let direct = try? ONNXImport.network(m, task: task)
    // The same edits through the wire format: a tensor whose values no longer fit
    // its dims or type is refused by decode instead, so only compare when it decodes.
    if let again = try? ONNXModel.decode(m.encode()), again == m {
        let viaBytes = try? ONNXImport.network(again, task: task)
        precondition((viaBytes == nil) == (direct == nil), "encode → decode changed whether the model imports")
    }
    guard let net = direct else { onnxGraphCounts[0] += 1; return 0 }
    onnxGraphCounts[1] += 1
    checkImported(net)
    return 0
}
