/// The result of re-checking a model on its golden vectors.
public struct GoldenCheck: Sendable, Equatable {
    public var vectorCount: Int
    /// max |runtime output − stored Float64 reference| now.
    public var maxError: Double
    /// The bound the compiler measured and stored (with separate multiply and add).
    public var storedMaxError: Double
    /// The arithmetic the check ran with.
    public var arithmetic: Arithmetic = .separate
    /// The bound a run must meet: the stored one, or with fused arithmetic
    /// `fusedMargin` times it (fused sums round differently, not worse in kind).
    public var allowedMaxError: Double { arithmetic == .fused ? storedMaxError * GoldenCheck.fusedMargin : storedMaxError }
    /// How far a fused run may exceed the stored (separate) bound: 4×. Both are
    /// Float32 rounding errors of the same sums, so they are of one size, but the
    /// maximum over a few golden vectors varies: fused ÷ stored measured 0.67–1.10
    /// on the peer shapes and 1.0–1.65 on the bundled models (`FusedArithmeticTests`),
    /// so 4× leaves room, while a wrong model misses by orders of magnitude.
    public static let fusedMargin = 4.0
    /// True when the runtime reproduces the compiler's measurement (maxError ≤ the
    /// allowed bound); a NaN output counts as an infinite error, so it never passes.
    public var passed: Bool { maxError <= allowedMaxError }
}

extension Model {
    /// Golden input `g` (inputCount Float32) inside the blob.
    public func goldenInput(_ g: Int) -> UnsafeBufferPointer<Float> {
        precondition(g >= 0 && g < goldenCount)
        let r = reader
        let record = inputCount * 4 + outputCount * 8
        let p = r.base + r.u32(BlobFormat.Header.goldenOffset) + g * record
        // Golden records are 8-byte aligned within a 64-byte-aligned allocation, and
        // inputs come first, so this pointer is 4-byte aligned.
        return UnsafeBufferPointer(start: p.assumingMemoryBound(to: Float.self), count: inputCount)
    }

    /// Reference output `j` of golden vector `g` (the Float64 model's value).
    public func goldenOutput(_ g: Int, _ j: Int) -> Double {
        precondition(g >= 0 && g < goldenCount && j >= 0 && j < outputCount)
        let r = reader
        let record = inputCount * 4 + outputCount * 8
        return r.f64(r.u32(BlobFormat.Header.goldenOffset) + g * record + inputCount * 4 + 8 * j)
    }

    /// Runs the golden inputs and compares with the stored Float64 outputs.
    /// Allocates nothing beyond the caller's workspace.
    public func verifyGoldenVectors(workspace: inout Workspace) -> GoldenCheck {
        var worst = 0.0
        for g in 0..<goldenCount {
            let y = run(goldenInput(g).baseAddress!, scratch: workspace.buffer, scratchCount: workspace.scratchCount, fused: workspace.fused)
            for j in 0..<outputCount {
                let e = Double(y[j]) - goldenOutput(g, j)
                let magnitude = e < 0 ? -e : e
                // NaN never compares greater, so it would vanish in max(): count it as an infinite error.
                if !(magnitude <= worst) { worst = magnitude.isNaN ? .infinity : magnitude }
            }
        }
        return GoldenCheck(vectorCount: goldenCount, maxError: worst, storedMaxError: goldenMaxError, arithmetic: workspace.arithmetic)
    }
}
