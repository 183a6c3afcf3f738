/// The argmax class of a prediction and its probability (or score).
public struct Classification: Sendable, Equatable {
    /// Index into the model's labels.
    public var index: Int
    /// The output of that class; for a binary model P(class) (1 − p for class 0).
    public var probability: Float

    public init(index: Int, probability: Float) { self.index = index; self.probability = probability }
}

extension Model {
    /// Writes the `outputCount` outputs for one input of `inputCount` features.
    /// Allocates nothing; cannot fail. Preconditions: buffer sizes, and a
    /// workspace made for a model with at least this `scratchCount`.
    @inlinable
    public func predict(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, workspace: inout Workspace) {
        if input.count < inputCount { apiMisuse("predict: input buffer count (at least inputCount)", expected: inputCount, actual: input.count) }
        if output.count < outputCount { apiMisuse("predict: output buffer count (at least outputCount)", expected: outputCount, actual: output.count) }
        if workspace.scratchCount < scratchCount { apiMisuse("predict: workspace scratchCount (make it for this model)", expected: scratchCount, actual: workspace.scratchCount) }
        let result = run(input.baseAddress!, scratch: workspace.buffer, scratchCount: workspace.scratchCount, fused: workspace.fused)
        output.baseAddress!.update(from: result, count: outputCount)
    }

    /// `predict` through the scalar reference kernel: the oracle for the SIMD path.
    public func predictReference(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, workspace: inout Workspace) {
        precondition(input.count >= inputCount && output.count >= outputCount && workspace.scratchCount >= scratchCount)
        let result = runReference(input.baseAddress!, scratch: workspace.buffer, scratchCount: workspace.scratchCount, fused: workspace.fused)
        output.baseAddress!.update(from: result, count: outputCount)
    }

    /// The most likely class. Precondition: a classifier (`outputKind != .regression`).
    @inlinable
    public func classify(_ input: UnsafeBufferPointer<Float>, workspace: inout Workspace) -> Classification {
        precondition(outputKind != .regression, "classify needs a classifier")
        if input.count < inputCount { apiMisuse("classify: input buffer count (at least inputCount)", expected: inputCount, actual: input.count) }
        if workspace.scratchCount < scratchCount { apiMisuse("classify: workspace scratchCount (make it for this model)", expected: scratchCount, actual: workspace.scratchCount) }
        let y = run(input.baseAddress!, scratch: workspace.buffer, scratchCount: workspace.scratchCount, fused: workspace.fused)
        if outputKind == .binary {
            return y[0] >= 0.5 ? Classification(index: 1, probability: y[0]) : Classification(index: 0, probability: 1 - y[0])
        }
        var best = 0
        for j in 1..<outputCount where y[j] > y[best] { best = j }
        return Classification(index: best, probability: y[best])
    }

    /// Predicts `rows` inputs `(rows, inputCount)` into `(rows, outputCount)`.
    /// Each row's outputs are bit-identical to `predict`. With a workspace of 4
    /// or more `batchRows`, tiles of that many rows go through each wide layer
    /// as one blocked GEMM (`BatchKernel`); otherwise row by row. Allocates nothing.
    @inlinable
    public func predictBatch(_ inputs: UnsafeBufferPointer<Float>, rows: Int, into outputs: UnsafeMutableBufferPointer<Float>,
                             workspace: inout Workspace) {
        if rows < 0 { apiMisuse("predictBatch: rows (at least 0)", expected: 0, actual: rows) }
        let (inNeed, inOverflow) = rows.multipliedReportingOverflow(by: inputCount)
        if inOverflow || inputs.count < inNeed { apiMisuse("predictBatch: input buffer count (rows × inputCount)", expected: inOverflow ? Int.max : inNeed, actual: inputs.count) }
        let (outNeed, outOverflow) = rows.multipliedReportingOverflow(by: outputCount)
        if outOverflow || outputs.count < outNeed { apiMisuse("predictBatch: output buffer count (rows × outputCount)", expected: outOverflow ? Int.max : outNeed, actual: outputs.count) }
        if workspace.scratchCount < scratchCount { apiMisuse("predictBatch: workspace scratchCount (make it for this model)", expected: scratchCount, actual: workspace.scratchCount) }
        if Workspace.usesTiles(batchRows: workspace.batchRows) {
            var t0 = 0
            while t0 < rows {
                let m = min(workspace.batchRows, rows - t0)
                runTile(inputs.baseAddress! + t0 * inputCount, rows: m, into: outputs.baseAddress! + t0 * outputCount,
                        scratch: workspace.buffer, scratchCount: workspace.scratchCount, tileRows: workspace.batchRows, fused: workspace.fused)
                t0 += m
            }
            return
        }
        for r in 0..<rows {
            let y = run(inputs.baseAddress! + r * inputCount, scratch: workspace.buffer, scratchCount: workspace.scratchCount, fused: workspace.fused)
            (outputs.baseAddress! + r * outputCount).update(from: y, count: outputCount)
        }
    }

    /// The one layer walk, shared by the single-row, tile and reference paths:
    /// stored standardisation into buffer `a` if the blob has it, then each layer
    /// from the current buffer into the other, ping-ponging between `a` and `b`.
    /// `layer(info, data, input, inputStride, output)` computes one layer for
    /// `rows` rows (row r of a buffer at `r × ld`). Returns where the outputs are.
    @inlinable @inline(__always)
    func walkLayers(_ x: UnsafePointer<Float>, rows: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, ld: Int,
                    _ layer: (LayerInfo, UnsafeRawPointer, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void) -> UnsafePointer<Float> {
        var current = x, ldCurrent = inputCount
        var target = a
        if normalization == .stored {
            for row in 0..<rows { standardize(x + row * inputCount, into: a + row * ld) }
            current = UnsafePointer(a); ldCurrent = ld
            target = b
        }
        for l in 0..<layerCount {
            let info = layerInfo(l)
            layer(info, base + info.dataOffset, current, ldCurrent, target)
            current = UnsafePointer(target); ldCurrent = ld
            target = target == a ? b : a
        }
        return current
    }

    /// One tile of `rows` rows through every layer. Scratch row r of a buffer is
    /// at `r × scratchCount`; the two buffers are `tileRows × scratchCount` apart.
    @usableFromInline
    func runTile(_ x: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, scratchCount ld: Int, tileRows: Int, fused: Bool) {
        let result = walkLayers(x, rows: rows, a: scratch, b: scratch + tileRows * ld, ld: ld) { info, w, input, ldx, y in
            if DenseKernel.partialSums(paddedOutputCount: info.paddedOutputCount) == 1 {
                struct Tiles: LanesKernel {
                    let info: LayerInfo, w: UnsafeRawPointer, x: UnsafePointer<Float>, ldx: Int, y: UnsafeMutablePointer<Float>, ldy: Int, rows: Int
                    @inline(__always) func run<F: WeightLanes>(_: F.Type) {
                        BatchKernel.forward(F.self, weights: w, inputCount: info.inputCount, padded: info.paddedOutputCount, x: x, ldx: ldx, y: y, ldy: ldy, rows: rows)
                    }
                }
                info.withLanes(fused: fused, Tiles(info: info, w: w, x: input, ldx: ldx, y: y, ldy: ld, rows: rows))
                for row in 0..<rows { Activations.applyPadded(info, y + row * ld) }
            } else {
                for row in 0..<rows { DenseKernel.forwardActivating(layer: info, weights: w, x: input + row * ldx, y: y + row * ld, fused: fused) }
            }
        }
        for row in 0..<rows { (out + row * outputCount).update(from: result + row * ld, count: outputCount) }
    }

    /// The stored standardisation, (x − mean) / std, of one input row. The
    /// section is 4-byte aligned in a validated blob: aligned loads, wrapping
    /// indices (on a Cortex-M4 this loop is 13 instructions per input, not 21).
    @usableFromInline
    func standardize(_ x: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>) {
        let n = inputCount
        let mean = (reader.base + normalizationOffset).assumingMemoryBound(to: Float.self)
        let std = mean + n
        var i = 0
        while i < n {
            a[i] = (x[i] - mean[i]) / std[i]
            i &+= 1
        }
    }

    /// One row through every layer; returns where the outputs are: the SIMD
    /// kernels, or on microcontrollers `MicroKernel` (the same bits).
    @usableFromInline
    func run(_ x: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, scratchCount: Int, fused: Bool) -> UnsafePointer<Float> {
        walkLayers(x, rows: 1, a: scratch, b: scratch + scratchCount, ld: scratchCount) { info, w, input, _, y in
            if Platform.isMicrocontroller {
                MicroKernel.forward(layer: info, weights: w, x: input, y: y)
                Activations.apply(info, y)
            } else {
                DenseKernel.forwardActivating(layer: info, weights: w, x: input, y: y, fused: fused)
            }
        }
    }

    /// `run` through the scalar reference kernel, the oracle. A function of its
    /// own, so firmware that never calls `predictReference` does not link it.
    @usableFromInline
    func runReference(_ x: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, scratchCount: Int, fused: Bool) -> UnsafePointer<Float> {
        walkLayers(x, rows: 1, a: scratch, b: scratch + scratchCount, ld: scratchCount) { info, w, input, _, y in
            DenseKernel.forwardReference(layer: info, weights: w, x: input, y: y, fused: fused)
            Activations.apply(info, y)
        }
    }
}

extension Activations {
    /// The activation of `info` on its `outputCount` real outputs (scalar).
    @inline(__always)
    static func apply(_ info: LayerInfo, _ y: UnsafeMutablePointer<Float>) {
        let n = info.outputCount
        switch info.activation {
        case .identity: return
        case .softmax: softmax(y, count: n)
        // The common hidden activation gets its own loop: no switch per output.
        case .relu: for o in 0..<n { y[o] = apply(.relu, alpha: 0, y[o]) }
        default: for o in 0..<n { y[o] = apply(info.activation, alpha: info.alpha, y[o]) }
        }
    }
}

/// A computation over one layer's weights, given the `WeightLanes` type of the
/// layer's element type and arithmetic (`LayerInfo.withLanes`): the one switch
/// from a blob's element type to the kernels' generic parameter.
@usableFromInline
protocol LanesKernel {
    func run<F: WeightLanes>(_: F.Type)
}

extension LayerInfo {
    /// Calls `kernel.run` with this layer's lanes: Float32, Float16 or int8, fused
    /// or not (a format left out with `-D FIXEDNET_NO_…` runs nothing: validation
    /// has refused it).
    /// Embedded Swift builds have no fused kernels at all (`Workspace.check` refuses
    /// the mode there): an unoptimized Embedded build keeps dead branches, and the
    /// fused ones would need libm's `fmaf`, which firmware does not link.
    @inlinable @inline(__always)
    func withLanes<K: LanesKernel>(fused: Bool, _ kernel: K) {
        #if !hasFeature(Embedded)
        if fused {
            switch elementType {
            case .float32: if ElementType.float32.isBuiltIn { kernel.run(Fused<Float32Lanes>.self) }
            case .float16: if ElementType.float16.isBuiltIn { kernel.run(Fused<Float16Lanes>.self) }
            case .int8: if ElementType.int8.isBuiltIn { kernel.run(Fused<Int8Lanes>.self) }
            }
            return
        }
        #endif
        switch elementType {
        case .float32: if ElementType.float32.isBuiltIn { kernel.run(Float32Lanes.self) }
        case .float16: if ElementType.float16.isBuiltIn { kernel.run(Float16Lanes.self) }
        case .int8: if ElementType.int8.isBuiltIn { kernel.run(Int8Lanes.self) }
        }
    }
}

extension DenseKernel {
    @usableFromInline
    struct Row: LanesKernel {
        @usableFromInline let info: LayerInfo, w: UnsafeRawPointer, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, reference: Bool
        @inlinable init(info: LayerInfo, w: UnsafeRawPointer, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, reference: Bool) {
            self.info = info; self.w = w; self.x = x; self.y = y; self.reference = reference
        }
        @inlinable @inline(__always)
        func run<F: WeightLanes>(_: F.Type) {
            if reference {
                DenseKernel.forwardReference(F.self, weights: w, inputCount: info.inputCount, padded: info.paddedOutputCount, x: x, y: y)
            } else {
                DenseKernel.forward(F.self, weights: w, inputCount: info.inputCount, padded: info.paddedOutputCount, x: x, y: y)
            }
        }
    }

    @usableFromInline
    struct NarrowActivated<A: RegisterActivation>: LanesKernel {
        @usableFromInline let info: LayerInfo, w: UnsafeRawPointer, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
        @inlinable init(info: LayerInfo, w: UnsafeRawPointer, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
            self.info = info; self.w = w; self.x = x; self.y = y
        }
        @inlinable @inline(__always)
        func run<F: WeightLanes>(_: F.Type) {
            DenseKernel.forwardNarrow(F.self, A.self, weights: w, inputCount: info.inputCount, padded: info.paddedOutputCount,
                                      alpha: info.alpha, x: x, y: y)
        }
    }

    /// A narrow layer (`partialSums == 4`) whose activation is ReLU, sigmoid, tanh
    /// or the identity: the SIMD kernel with the activation applied in registers
    /// before the one store, the same bits as `forward` then
    /// `Activations.applyPadded`. One switch on the activation, so each case's
    /// kernel holds only its own constants. Returns false (and does nothing) for
    /// other layers.
    @inlinable @inline(__always)
    static func forwardActivated(layer info: LayerInfo, weights w: UnsafeRawPointer, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                                 fused: Bool) -> Bool {
        guard partialSums(paddedOutputCount: info.paddedOutputCount) == 4 else { return false }
        switch info.activation {
        case .relu: info.withLanes(fused: fused, NarrowActivated<InRegisters.ReLU>(info: info, w: w, x: x, y: y))
        case .sigmoid: info.withLanes(fused: fused, NarrowActivated<InRegisters.Sigmoid>(info: info, w: w, x: x, y: y))
        case .tanh: info.withLanes(fused: fused, NarrowActivated<InRegisters.Tanh>(info: info, w: w, x: x, y: y))
        case .identity: info.withLanes(fused: fused, NarrowActivated<InRegisters.Identity>(info: info, w: w, x: x, y: y))
        default: return false
        }
        return true
    }

    /// One row through one layer, its activation included: in registers where
    /// `forwardActivated` takes the layer, else the SIMD kernel, then
    /// `Activations.applyPadded`. The single-row and tile paths share it.
    @inlinable @inline(__always)
    static func forwardActivating(layer info: LayerInfo, weights w: UnsafeRawPointer, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                                  fused: Bool) {
        if !forwardActivated(layer: info, weights: w, x: x, y: y, fused: fused) {
            forward(layer: info, weights: w, x: x, y: y, fused: fused)
            Activations.applyPadded(info, y)
        }
    }

    /// The SIMD kernel for `info`'s element type and the workspace's arithmetic.
    @inlinable @inline(__always)
    static func forward(layer info: LayerInfo, weights w: UnsafeRawPointer, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, fused: Bool) {
        info.withLanes(fused: fused, Row(info: info, w: w, x: x, y: y, reference: false))
    }

    /// The scalar reference kernel for `info`'s element type and arithmetic.
    @inline(__always)
    static func forwardReference(layer info: LayerInfo, weights w: UnsafeRawPointer, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, fused: Bool) {
        info.withLanes(fused: fused, Row(info: info, w: w, x: x, y: y, reference: true))
    }
}

extension MicroKernel {
    /// The microcontroller kernel for `info`'s element type.
    @inline(__always)
    static func forward(layer info: LayerInfo, weights w: UnsafeRawPointer, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let n = info.inputCount, m = info.outputCount, p = info.paddedOutputCount
        switch info.elementType {
        case .float32: if ElementType.float32.isBuiltIn { forward(Float32Lanes.self, weights: w, inputCount: n, outputCount: m, padded: p, x: x, y: y) }
        case .float16: if ElementType.float16.isBuiltIn { forward(Float16Lanes.self, weights: w, inputCount: n, outputCount: m, padded: p, x: x, y: y) }
        case .int8: if ElementType.int8.isBuiltIn { forward(Int8Lanes.self, weights: w, inputCount: n, outputCount: m, padded: p, x: x, y: y) }
        }
    }
}

extension Activations {
    /// In-place softmax with the fixed order: max, then e^(y−max) left to right,
    /// their sum left to right, then one division each. Shared by the runtime and
    /// generated kernels.
    @inlinable
    public static func softmax(_ y: UnsafeMutablePointer<Float>, count: Int) {
        var m = y[0]
        for j in 1..<max(count, 1) where y[j] > m { m = y[j] }
        var s: Float = 0
        for j in 0..<count { let e = FloatMath.exp(y[j] - m); y[j] = e; s = s + e }
        for j in 0..<count { y[j] = y[j] / s }
    }
}

extension Activations {
    /// The layer's activation on all `paddedOutputCount` lanes of `y` in SIMD16
    /// blocks (padded lanes too: harmless, the next layer never reads them), or
    /// its softmax over the real outputs.
    @inlinable
    static func applyPadded(_ info: LayerInfo, _ y: UnsafeMutablePointer<Float>) {
        switch info.activation {
        case .identity: return
        case .softmax: softmaxPadded(y, count: info.outputCount)
        default:
            let raw = UnsafeMutableRawPointer(y)
            var o = 0
            while o < info.paddedOutputCount {
                let v = raw.loadUnaligned(fromByteOffset: o * 4, as: SIMD16<Float>.self)
                raw.storeBytes(of: apply(info.activation, alpha: info.alpha, v), toByteOffset: o * 4, as: SIMD16<Float>.self)
                o += 16
            }
        }
    }

    /// `softmax` on SIMD16 blocks, bit-identical to it: the same maximum (found
    /// the same way), the same e^(y−max) per lane, the same
    /// left-to-right sum, the same division per lane. `y` must hold `count`
    /// rounded up to a multiple of 16 lanes; the extra lanes are overwritten.
    @inlinable
    public static func softmaxPadded(_ y: UnsafeMutablePointer<Float>, count: Int) {
        typealias V = SIMD16<Float>
        let raw = UnsafeMutableRawPointer(y)
        var top = y[0]
        for j in 1..<max(count, 1) where y[j] > top { top = y[j] }
        let m = V(repeating: top)
        var o = 0
        while o < count {
            raw.storeBytes(of: FloatMath.exp(raw.loadUnaligned(fromByteOffset: 4 * o, as: V.self) - m), toByteOffset: 4 * o, as: V.self)
            o += 16
        }
        var s: Float = 0
        for j in 0..<count { s = s + y[j] }
        let sv = V(repeating: s)
        o = 0
        while o < count {
            raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: 4 * o, as: V.self) / sv, toByteOffset: 4 * o, as: V.self)
            o += 16
        }
    }
}
