// Fuzz target: the blob loader behind the checksum. Each input is resealed as
// BlobWriter.seal does (totalSize set to the byte count, model hash and checksum
// recomputed), so mutations reach the structural checks instead of dying at the
// checksum. The input is validated in place (Model(referencing:), the zero-copy
// path); whatever loads must predict, classify and verify without trapping.
// At exit it prints how many inputs each stage stopped, for scripts/fuzz.sh.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var stageCounts = [Int](repeating: 0, count: 5)   // short, header, hash, structure, loaded
nonisolated(unsafe) var statsRegistered = false

func printSealedStats() {
    let names = ["too short to seal", "header", "hash", "structure", "loaded"]
    let total = stageCounts.reduce(0, +)
    var line = "sealed-blob stages:"
    for (k, n) in stageCounts.enumerated() { line += " \(names[k]) \(n)," }
    let deep = stageCounts[3] + stageCounts[4]
    line += " reached structure checks \(fuzzShare(deep, of: total))"
    print(line)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSealedBlob(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if !statsRegistered { statsRegistered = true; atexit { printSealedStats() } }
    guard size >= BlobFormat.headerSizeV1 + BlobFormat.checksumSize, size <= BlobFormat.maxTotalSize else { stageCounts[0] += 1; return 0 }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
    defer { buffer.deallocate() }
    buffer.copyMemory(from: UnsafeRawBufferPointer(start: data, count: size))
    let p = buffer.baseAddress!
    p.storeBytes(of: UInt64(size).littleEndian, toByteOffset: BlobFormat.Header.totalSize, as: UInt64.self)
    let end = size - BlobFormat.checksumSize
    let typeOffset = BlobFormat.Header.elementType
    let hash = BlobHash.hash(p + typeOffset, count: end - typeOffset, seed: BlobFormat.modelHashSeed)
    p.storeBytes(of: hash.littleEndian, toByteOffset: BlobFormat.Header.modelHash, as: UInt64.self)
    let sum = BlobHash.hash(p, count: end, seed: BlobFormat.checksumSeed)
    p.storeBytes(of: sum.littleEndian, toByteOffset: end, as: UInt64.self)
    let model: Model
    do throws(BlobError) {
        model = try Model(referencing: UnsafeRawBufferPointer(buffer))
    } catch {
        switch error {
        case .badMagic, .unsupportedVersion, .badHeaderSize, .truncated, .sizeMismatch: stageCounts[1] += 1
        case .checksumMismatch, .modelHashMismatch: stageCounts[2] += 1
        case .countOutOfRange(let f, _, _) where f == .totalSize: stageCounts[1] += 1
        default: stageCounts[3] += 1
        }
        return 0
    }
    stageCounts[4] += 1
    var workspace = Workspace(for: model, batchRows: 4)
    let x = UnsafeMutableBufferPointer<Float>.allocate(capacity: 4 * model.inputCount)
    let y = UnsafeMutableBufferPointer<Float>.allocate(capacity: 4 * model.outputCount)
    defer { x.deallocate(); y.deallocate() }
    x.initialize(repeating: 0.5)
    model.predict(UnsafeBufferPointer(x), into: y, workspace: &workspace)
    model.predictReference(UnsafeBufferPointer(x), into: y, workspace: &workspace)
    model.predictBatch(UnsafeBufferPointer(x), rows: 4, into: y, workspace: &workspace)
    if model.outputKind != .regression { _ = model.classify(UnsafeBufferPointer(x), workspace: &workspace) }
    _ = model.verifyGoldenVectors(workspace: &workspace)
    for i in 0..<model.labelCount { _ = model.label(i) }
    for i in 0..<model.featureNameCount { _ = model.featureNameBytes(i) }
    _ = model.sections
    _ = model.producerBytes
    return 0
}
