import FixedNet

// A minimal firmware entry point for scripts/embedded-check.sh: what a device
// that validates a blob in flash and predicts would link. Not part of the package.
// No heap: the model keeps a pointer to the blob, the workspace uses `scratch`.

/// Validates the blob at `blob` in place and predicts one row into `output`;
/// returns 0 on success, 1 when the blob is rejected, 2 when `scratch`
/// (`scratchBytes` long, 16-byte aligned) is too small or misaligned.
@_cdecl("fixednet_firmware_predict")
public func firmwarePredict(
    _ blob: UnsafeRawPointer, _ count: Int, _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>,
    _ scratch: UnsafeMutableRawPointer, _ scratchBytes: Int
) -> Int32 {
    let model: Model
    do throws(BlobError) { model = try Model(referencing: UnsafeRawBufferPointer(start: blob, count: count)) } catch { return 1 }
    do throws(BlobError) {
        var workspace = try Workspace(for: model, memory: UnsafeMutableRawBufferPointer(start: scratch, count: scratchBytes))
        model.predict(UnsafeBufferPointer(start: input, count: model.inputCount),
                      into: UnsafeMutableBufferPointer(start: output, count: model.outputCount), workspace: &workspace)
        return 0
    } catch {
        return 2
    }
}
