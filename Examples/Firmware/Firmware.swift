import FixedNet

// The firmware: validates the blob in place (it stays in flash), re-runs its
// golden vectors on the device, prints the outputs for fixed inputs as exact
// bit patterns, and measures instructions per prediction. No heap: the model
// keeps a pointer to the blob, the workspace lives in the board's static array.
//
// Built with -D FIRMWARE_KERNEL it predicts through a generated kernel
// (`FwKernel`, from `fnc compile --swift FILE --name FwKernel`) instead of the
// runtime's layer walk; the printed outputs must be the same bits.
//
// Output, one fact per line (scripts/mcu-run.sh reads it):
//   model 64-32-10 float32 hash 0x…       the blob that validated
//   ram workspace N io M                   bytes the board must reserve
//   counter instructions per tick x1024 N  how the counter is scaled (0: none)
//   validate instructions N                Model(referencing:) on the device
//   golden 8 max 0x… stored 0x… pass       verifyGoldenVectors (Float64 bits)
//   out K 0x… 0x…                          outputs for fixed input K
//   predict instructions N runs R          per prediction, over R predictions
//   stack predict N untouched since reset M  painted-stack depth of one
//                                          predict; stack never touched
//   done                                   then the board exits with the status

/// Fixed inputs after the golden ones: pseudo-random, exactly representable.
let extraInputRows = 8
/// Predictions timed for the per-prediction figure.
let timedRuns = 100

@_cdecl("firmware_main")
public func firmwareMain() -> Int32 {
    var blobCount = 0
    let blob = boardBlob(&blobCount)
    let before = boardInstructions()
    let model: Model
    do throws(BlobError) {
        model = try Model(referencing: UnsafeRawBufferPointer(start: blob, count: blobCount))
    } catch {
        Line("error blob rejected").end()
        return 1
    }
    let validateCost = boardInstructions() &- before

    var scratchCount = 0
    let scratch = boardWorkspace(&scratchCount)
    var workspace: Workspace
    do throws(BlobError) {
        workspace = try Workspace(for: model, memory: UnsafeMutableRawBufferPointer(start: scratch, count: scratchCount))
    } catch {
        var line = Line("error workspace too small: need "); line.add(Workspace.byteCount(for: model)); line.add(" bytes"); line.end()
        return 2
    }
    describe(model)
    var memory = Line("ram workspace "); memory.add(Workspace.byteCount(for: model))
    memory.add(" io "); memory.add(4 * (model.inputCount + model.outputCount)); memory.end()
    var counter = Line("counter instructions per tick x1024 "); counter.add(UInt64(boardInstructionsPerTick())); counter.end()
    var line = Line("validate instructions "); line.add(validateCost); line.end()

    let golden = model.verifyGoldenVectors(workspace: &workspace)
    line = Line("golden "); line.add(golden.vectorCount)
    line.add(" max "); line.hex(golden.maxError.bitPattern, digits: 16)
    line.add(" stored "); line.hex(golden.storedMaxError.bitPattern, digits: 16)
    line.add(golden.passed ? " pass" : " FAIL"); line.end()

    guard let predictor = Predictor(model) else { Line("error the generated kernel does not match this blob").end(); return 3 }
    let io = IOBuffer(model)
    for k in 0..<(model.goldenCount + extraInputRows) {
        io.fill(row: k, model)
        predictor.predict(model, io.input, into: io.output, workspace: &workspace)
        line = Line("out "); line.add(k)
        for j in 0..<model.outputCount { line.byte(32); line.bits(io.output[j]) }
        line.end()
    }

    io.fill(row: 0, model)
    let start = boardInstructions()
    for _ in 0..<timedRuns { predictor.predict(model, io.input, into: io.output, workspace: &workspace) }
    let spent = boardInstructions() &- start
    line = Line("predict instructions "); line.add(spent / UInt64(timedRuns)); line.add(" runs "); line.add(timedRuns); line.end()
    boardStackMark()
    predictor.predict(model, io.input, into: io.output, workspace: &workspace)
    let predictStack = boardStackUsedSinceMark()
    line = Line("stack predict "); line.add(predictStack); line.add(" untouched since reset "); line.add(boardStackUntouched()); line.end()
    Line(golden.passed ? "done" : "done with failures").end()
    return golden.passed ? 0 : 4
}

/// `model 64-32-10 float32 hash 0x…`.
func describe(_ model: Model) {
    var line = Line("model "); line.add(model.inputCount)
    for l in 0..<model.layerCount { line.byte(45); line.add(model.layer(l).outputCount) }
    switch model.layer(0).elementType {
    case .float32: line.add(" float32")
    case .float16: line.add(" float16")
    case .int8: line.add(" int8")
    }
    line.add(" hash "); line.hex(model.modelHash, digits: 16); line.end()
}

/// The input and output rows, in the board's static I/O array.
struct IOBuffer {
    let input: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>

    init(_ model: Model) {
        var count = 0
        let p = boardIO(&count)
        precondition(count >= model.inputCount + model.outputCount, "board_io is too small for this model")
        input = p
        output = p + model.inputCount
    }

    /// Row k: golden input k, or after those, xorshift values in [-8, 8) on a
    /// 1/256 grid (exact in Float32), seeded by k.
    func fill(row k: Int, _ model: Model) {
        if k < model.goldenCount {
            let g = model.goldenInput(k)
            for i in 0..<model.inputCount { input[i] = g[i] }
            return
        }
        var state = UInt32(truncatingIfNeeded: k) &* 2654435761 | 1
        for i in 0..<model.inputCount {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            input[i] = Float(Int32(state >> 20) - 2048) / 256
        }
    }
}

/// The static I/O rows (Float32), `count` set to their number.
@_extern(c, "board_io")
func boardIO(_ count: UnsafeMutablePointer<Int>) -> UnsafeMutablePointer<Float>
