import FixedNet

#if FIRMWARE_KERNEL
/// Predicts through the generated kernel `FwKernel`, bound to the blob by hash and shape.
struct Predictor {
    let bound: FwKernel.Bound

    /// Nil when the blob is not the one the kernel was generated for.
    init?(_ model: Model) {
        do throws(BlobError) { bound = try FwKernel.bind(model) } catch { return nil }
    }

    @inline(__always)
    func predict(_ model: Model, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, workspace: inout Workspace) {
        FwKernel.predict(bound, x, into: y, scratch: workspace.scratchPointer)
    }
}
#else
/// Predicts through the runtime's layer walk (`Model.predict`).
struct Predictor {
    init?(_ model: Model) {}

    @inline(__always)
    func predict(_ model: Model, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, workspace: inout Workspace) {
        model.predict(UnsafeBufferPointer(start: x, count: model.inputCount),
                      into: UnsafeMutableBufferPointer(start: y, count: model.outputCount), workspace: &workspace)
    }
}
#endif
