import FixedNet

// A minimal firmware entry point for scripts/embedded-check.sh: what a device
// that loads a blob from flash and predicts would link. Not part of the package.

/// Validates the blob at `blob` and predicts one row; returns 0 on success, or
/// 1 when the blob is rejected. `scratch` must hold 2 × the model's scratchCount.
@_cdecl("fixednet_firmware_predict")
public func firmwarePredict(
    _ blob: UnsafeRawPointer, _ count: Int, _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>
) -> Int32 {
    do throws(BlobError) {
        let model = try Model(bytes: UnsafeRawBufferPointer(start: blob, count: count))
        var workspace = Workspace(for: model)
        model.predict(UnsafeBufferPointer(start: input, count: model.inputCount),
                      into: UnsafeMutableBufferPointer(start: output, count: model.outputCount), workspace: &workspace)
        return 0
    } catch {
        return 1
    }
}
