// Fuzz target: the JSON model importer. Whatever imports must encode back to JSON
// and to the model file, decode again to the same network, and compile to a blob.
// At exit it prints how many inputs the JSON syntax refused, how many parsed and
// were refused by the model's checks (schema, shapes, labels, values), and how many
// imported, for scripts/fuzz.sh.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var jsonStageCounts = [0, 0, 0]   // syntax, model checks, imported
nonisolated(unsafe) var jsonStatsRegistered = false

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModelJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if !jsonStatsRegistered {
        jsonStatsRegistered = true
        atexit {
            let c = jsonStageCounts
            print("json stages: JSON syntax \(c[0]), model checks \(c[1]), imported \(c[2]); "
                  + "reached deep validation \(fuzzShare(c[1] + c[2], of: c.reduce(0, +)))")
        }
    }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard (try? JSONParser.parse(bytes, file: "fuzz.json")) != nil else { jsonStageCounts[0] += 1; return 0 }
    guard let net = try? ModelJSON.decode(bytes, file: "fuzz.json") else { jsonStageCounts[1] += 1; return 0 }
    jsonStageCounts[2] += 1
    checkImportedJSON(net)
    return 0
}

/// What every imported JSON model must do: encode back to JSON and to the model file,
/// decode to the same network, and lower to a blob or be refused with a reason.
/// Shared by the byte-level and tree-level JSON targets.
func checkImportedJSON(_ net: Network) {
    guard net.parameterCount < 100_000 else { return }   // keep each run fast
    let again = try! ModelJSON.decode(Array(ModelJSON.encode(net).utf8), file: "again.json")
    precondition(again == net, "JSON round trip changed the network")
    precondition(try! ModelFile.decode(ModelFile.encode(net), file: "m") == net, "model file round trip changed the network")
    checkLowers(net)
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
