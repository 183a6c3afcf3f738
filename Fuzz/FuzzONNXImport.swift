// Fuzz target: the ONNX decoder and importer (Sources/Compiler/ONNX). Every input
// must decode and lower, or throw a typed ONNXError; nothing may trap. Whatever
// imports must survive the model file and ONNX round trips unchanged and compile
// to a blob the runtime accepts. Seeds: Fuzz/corpus/onnx (the fixtures of
// Tests/Fixtures/onnx: real exports, helper graphs and every refusal).
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNXImport(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let decoded: ONNXModel
    do { decoded = try ONNXModel.decode(bytes) } catch { onnxStages.count(.wire); return 0 }
    // Re-encoding what decoded must decode to the same model (when every tensor's type is one decode keeps values for).
    let tensors = decoded.graph.initializers + decoded.graph.nodes.flatMap { $0.attributes.compactMap(\.tensor) }
    if tensors.allSatisfy({ ONNXTensor.decodedTypes.contains($0.dataType) }) {
        let again = try? ONNXModel.decode(decoded.encode())
        precondition(again != nil, "re-encoded model does not decode")
    }
    let net: Network
    do { net = try ONNXImport.network(decoded) } catch { onnxStages.count(.graph); return 0 }
    onnxStages.count(.imported)
    checkImported(net)
    return 0
}

/// What every imported network must survive: the model file and ONNX round trips
/// unchanged, and lowering to a blob the runtime accepts. Shared by fuzzONNXGraph.
func checkImported(_ net: Network) {
    guard net.parameterCount < 100_000 else { return }   // keep each run fast
    precondition(try! ModelFile.decode(ModelFile.encode(net), file: "m") == net, "model file round trip changed the network")
    if !net.layers.contains(where: { $0.learnsAlpha }) {
        let back = try! ONNXImport.network(decoding: ONNXExport.encode(net, producerVersion: "fuzz"))
        precondition(back == net, "ONNX export round trip changed the network")
    }
    checkLowers(net)
}

/// How far inputs got: counted per run and printed at exit (scripts/fuzz.sh shows the line).
struct ONNXStageCounter {
    enum Stage: Int { case wire, graph, imported }
    var counts = [0, 0, 0]
    var registered = false
    mutating func count(_ s: Stage) {
        if !registered { registered = true; atexit { onnxStages.report() } }
        counts[s.rawValue] += 1
    }
    func report() {
        let total = max(1, counts.reduce(0, +))
        let pct = { (k: Int) in String(Double(counts[k] * 1000 / total) / 10) + "%" }
        print("onnx stages: \(total) inputs; refused by the protobuf decoder \(counts[0]) (\(pct(0))), "
              + "decoded and refused by the graph lowering \(counts[1]) (\(pct(1))), imported \(counts[2]) (\(pct(2)))")
    }
}
nonisolated(unsafe) var onnxStages = ONNXStageCounter()
