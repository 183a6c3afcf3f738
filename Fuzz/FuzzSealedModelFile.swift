// Fuzz target: the Float64 model file (.fnm) and training checkpoint (.resume)
// readers behind their FNV-1a trailers. Each input is resealed (the last 8 bytes
// replaced by the checksum of the rest), so mutations reach the structural checks
// instead of dying at the checksum, as in fuzzSealedBlob; the magic and version
// are set to supported values too. Whatever decodes must
// encode and decode back to the same value. FIXEDNET_FUZZ_TARGET picks the reader:
// fuzzSealedModelFile or fuzzSealedCheckpoint. At exit it prints how many inputs
// each stage stopped, for scripts/fuzz.sh.
#if canImport(Glibc)
import Glibc
#endif

/// Counts per stage: too short, refused before the structure (magic, version), refused by the structure, loaded.
nonisolated(unsafe) var sealedFileCounts = [0, 0, 0, 0]
nonisolated(unsafe) var sealedFileRegistered = false

func resealed(_ data: UnsafePointer<UInt8>, _ size: Int, magic: [UInt8], versions: UInt8, nested: Bool = false) -> [UInt8]? {
    if !sealedFileRegistered {
        sealedFileRegistered = true
        atexit {
            let c = sealedFileCounts, total = max(1, c.reduce(0, +))
            print("\(fuzzTargetName == "fuzzSealedCheckpoint" ? "sealed-checkpoint" : "sealed-model") stages: too short \(c[0]), "
                  + "magic or version \(c[1]), structure \(c[2]), loaded \(c[3]); reached structure checks \(c[2] + c[3]) of \(total) "
                  + "(\((c[2] + c[3]) * 1000 / total / 10).\((c[2] + c[3]) * 1000 / total % 10)%)")
        }
    }
    guard size >= 16 else { sealedFileCounts[0] += 1; return nil }
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The magic and a supported version (1 or 2) are set too, as the trailer is:
    // mutations of those bytes only meet the first two checks, which the tests cover.
    seal(&bytes, 0..<size, magic: magic, versions: versions)
    if nested { resealNestedModels(&bytes) }
    seal(&bytes, 0..<size, magic: magic, versions: versions)
    return bytes
}

/// Sets the magic and a version in 1...versions (kept if it is one) at the start of `range` and
/// rewrites its last 8 bytes as the FNV-1a of the rest.
func seal(_ bytes: inout [UInt8], _ range: Range<Int>, magic: [UInt8], versions: UInt8) {
    guard range.count >= 16 else { return }
    let o = range.lowerBound
    for k in 0..<4 { bytes[o + k] = magic[k] }
    // A supported version stays as it is (the seeds are version 3 files: mapping
    // every byte onto 1 + v mod 3 made them version 1, and no input ever loaded).
    if !(1...versions).contains(bytes[o + 4]) { bytes[o + 4] = 1 + bytes[o + 4] % versions }
    bytes[o + 5] = 0; bytes[o + 6] = 0; bytes[o + 7] = 0
    let sum = ModelFile.fnv1a(Array(bytes[o..<(range.upperBound - 8)]))
    for k in 0..<8 { bytes[range.upperBound - 8 + k] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(k))) }
}

/// A checkpoint holds two .fnm files with trailers of their own: reseal each one
/// its length field places inside the input, so mutations reach the model
/// decoder's structure too (before, a third of the inputs stopped there).
func resealNestedModels(_ bytes: inout [UInt8]) {
    func u32(_ at: Int) -> Int? {
        guard at >= 0, at + 4 <= bytes.count else { return nil }
        return (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
    }
    // Fixed header: 65 bytes; then the curve (u32 count, 36 bytes per record).
    guard let curve = u32(65), curve <= 1 << 20 else { return }
    var at = 69 + curve * 36
    for _ in 0..<2 {
        guard let n = u32(at), n <= bytes.count - at - 4 else { return }
        seal(&bytes, (at + 4)..<(at + 4 + n), magic: ModelFile.magic, versions: 3)
        at += 4 + n
    }
}

/// Whether a decode failure happened before the structure: the magic or the version.
func beforeStructure(_ e: DataError) -> Bool {
    switch e.reason {
    case .notAModelFile, .notACheckpoint, .unsupportedVersion, .checksumMismatch, .checkpointChecksumMismatch: return true
    default: return false
    }
}

public func fuzzSealedModelFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let bytes = resealed(data, size, magic: ModelFile.magic, versions: 3) else { return 0 }
    let net: Network
    do { net = try ModelFile.decode(bytes, file: "fuzz.fnm") } catch {
        sealedFileCounts[beforeStructure(error) ? 1 : 2] += 1
        return 0
    }
    sealedFileCounts[3] += 1
    let again = try! ModelFile.decode(ModelFile.encode(net), file: "again.fnm")
    precondition(again == net, "model file round trip changed the network")
    return 0
}

public func fuzzSealedCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let bytes = resealed(data, size, magic: Checkpoint.magic, versions: 3, nested: true) else { return 0 }
    let decoded: (state: TrainingState, identity: Checkpoint.RunIdentity)
    do { decoded = try Checkpoint.decodeWithIdentity(bytes, file: "fuzz.resume") } catch {
        sealedFileCounts[beforeStructure(error) ? 1 : 2] += 1
        return 0
    }
    sealedFileCounts[3] += 1
    let again = try! Checkpoint.decodeWithIdentity(Checkpoint.encode(decoded.state, identity: decoded.identity), file: "again.resume")
    precondition(again.state.epochsDone == decoded.state.epochsDone && again.identity.map(\.key) == decoded.identity.map(\.key)
                 && again.identity.map(\.value) == decoded.identity.map(\.value) && again.state.plateau == decoded.state.plateau
                 && again.state.dropoutRNG.state == decoded.state.dropoutRNG.state && again.state.network == decoded.state.network,
                 "checkpoint round trip changed the state")
    return 0
}
