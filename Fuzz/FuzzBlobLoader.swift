// Fuzz target: the blob loader. Whatever loads must then predict, classify and
// verify its golden vectors without trapping or reading out of bounds (ASan).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlobLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let model = try? Model(bytes: bytes) else { return 0 }
    var workspace = Workspace(for: model)
    let x = UnsafeMutableBufferPointer<Float>.allocate(capacity: model.inputCount)
    let y = UnsafeMutableBufferPointer<Float>.allocate(capacity: model.outputCount)
    defer { x.deallocate(); y.deallocate() }
    x.initialize(repeating: 0.5)
    model.predict(UnsafeBufferPointer(x), into: y, workspace: &workspace)
    model.predictReference(UnsafeBufferPointer(x), into: y, workspace: &workspace)
    if model.outputKind != .regression { _ = model.classify(UnsafeBufferPointer(x), workspace: &workspace) }
    _ = model.verifyGoldenVectors(workspace: &workspace)
    for i in 0..<model.labelCount { _ = model.label(i) }
    return 0
}
