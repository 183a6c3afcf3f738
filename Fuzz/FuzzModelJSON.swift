// Fuzz target: the JSON model importer. Whatever imports must encode back to JSON
// and to the model file, decode again to the same network, and compile to a blob.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let net = try? ModelJSON.decode(bytes, file: "fuzz.json") else { return 0 }
    guard net.parameterCount < 100_000 else { return 0 }   // keep each run fast
    let again = try! ModelJSON.decode(Array(ModelJSON.encode(net).utf8), file: "again.json")
    precondition(again == net, "JSON round trip changed the network")
    precondition(try! ModelFile.decode(ModelFile.encode(net), file: "m") == net, "model file round trip changed the network")
    checkLowers(net)
    return 0
}

/// A network whose parameters fit Float32 must lower to a blob the runtime accepts:
/// lowering may refuse it with a reason, never produce an invalid blob. Shared by
/// the JSON and ONNX targets.
func checkLowers(_ net: Network) {
    guard net.layers.allSatisfy({ $0.weights.allSatisfy { Float($0).isFinite } && $0.biases.allSatisfy { Float($0).isFinite } }),
          net.standardizer.map({ $0.std.allSatisfy { Float($0).isFinite && Float($0) != 0 } && $0.mean.allSatisfy { Float($0).isFinite } }) ?? true,
          net.layers.allSatisfy({ $0.activation.parameter.magnitude < 1e30 }) else { return }
    do { _ = try BlobWriter.encode(net) } catch let e as LoweringError { if case .invalidBlob = e { fatalError("lowered an invalid blob: \(e)") } } catch {}
}
