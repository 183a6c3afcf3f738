extension Model {
    /// Checks every byte of a blob. Reads only inside `bytes`; every size and offset
    /// computation is overflow-checked (Int may be 32 bits on embedded targets).
    static func validate(_ bytes: UnsafeRawBufferPointer) throws(BlobError) {
        typealias H = BlobFormat.Header
        typealias L = BlobFormat.Layer
        let count = bytes.count
        let minimum = BlobFormat.headerSizeV1 + BlobFormat.checksumSize   // the smallest blob of any version
        guard count >= 4, let base = bytes.baseAddress else { throw .truncated(expected: minimum, actual: count) }
        let r = BlobReader(base)
        let m = BlobFormat.magic
        guard r.u8(0) == Int(m.0), r.u8(1) == Int(m.1), r.u8(2) == Int(m.2), r.u8(3) == Int(m.3) else { throw .badMagic }
        guard count >= 8 else { throw .truncated(expected: minimum, actual: count) }
        let version = r.u16(H.version)
        guard version >= Int(BlobFormat.oldestVersion), version <= Int(BlobFormat.version) else {
            throw .unsupportedVersion(found: version, supported: Int(BlobFormat.version))
        }
        let headerSize = BlobFormat.headerSize(version: version)
        guard r.u16(H.headerSize) == headerSize else { throw .badHeaderSize(expected: headerSize, actual: r.u16(H.headerSize)) }
        let minimumForVersion = headerSize + BlobFormat.checksumSize
        guard count >= minimumForVersion else { throw .truncated(expected: minimumForVersion, actual: count) }
        let declared = r.u64(H.totalSize)
        guard declared <= UInt64(BlobFormat.maxTotalSize) else {
            // Int may be 32 bits on embedded targets: report the value clamped to Int.max.
            throw .countOutOfRange(field: .totalSize, value: Int(clamping: declared), limit: BlobFormat.maxTotalSize)
        }
        guard Int(declared) <= count else { throw .truncated(expected: Int(declared), actual: count) }
        guard Int(declared) == count else { throw .sizeMismatch(declared: Int(declared), actual: count) }
        let end = count - BlobFormat.checksumSize   // start of the checksum
        let stored = r.u64(end)
        // The checksum covers [0, end), the model hash [elementType, end).
        let computed: UInt64, modelHash: UInt64
        if Platform.isMicrocontroller {
            computed = BlobHash.hash(base, count: end, seed: BlobFormat.checksumSeed)
            modelHash = BlobHash.hash(base + H.elementType, count: end - H.elementType, seed: BlobFormat.modelHashSeed)
        } else {
            (computed, modelHash) = BlobHash.hashPair(base, count: end, seed: BlobFormat.checksumSeed,
                                                      offset: H.elementType, seed2: BlobFormat.modelHashSeed)
        }
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
        try validateStructure(r, count: count, version: version)
        guard modelHash == r.u64(H.modelHash) else { throw .modelHashMismatch(stored: r.u64(H.modelHash), computed: modelHash) }
    }

    /// Everything after the checksum: the structure must hold on its own, because
    /// anyone can reseal an edited blob (fuzzers reseal to reach these checks).
    static func validateStructure(_ r: BlobReader, count: Int, version: Int) throws(BlobError) {
        typealias H = BlobFormat.Header
        typealias L = BlobFormat.Layer
        let base = r.base
        let end = count - BlobFormat.checksumSize
        let headerSize = BlobFormat.headerSize(version: version)
        // Header fields. v1 names the one element type here; v2 per layer, and keeps 0.
        let headerType = version == 1 ? Int(ElementType.float32.rawValue) : 0
        guard r.u8(H.elementType) == headerType else { throw .unsupportedElementType(r.u8(H.elementType)) }
        guard let kind = OutputKind(rawValue: UInt8(r.u8(H.outputKind))) else { throw .badOutputKind(r.u8(H.outputKind)) }
        guard let norm = NormalizationKind(rawValue: UInt8(r.u8(H.normalization))) else { throw .badNormalizationKind(r.u8(H.normalization)) }
        let identityKind = r.u8(H.identity)
        guard identityKind == 0 || (identityKind == 1 && version >= 2) else { throw .nonZeroReserved(offset: H.identity) }
        if version == 1 {
            try requireZero(r, from: H.reserved88, to: headerSize)
        } else {
            // Producer: printable ASCII, then zeros to the end of the field.
            var o = H.producer, producerEnd = H.producer + BlobFormat.producerSize
            while o < producerEnd && r.u8(o) != 0 {
                guard r.u8(o) >= 0x20 && r.u8(o) < 0x7F else { throw .badProducer(offset: o) }
                o += 1
            }
            try requireZero(r, from: o, to: producerEnd)
            try requireZero(r, from: H.reserved112, to: headerSize)
        }
        let layerCount = try range(r.u32(H.layerCount), 1, BlobFormat.maxLayers, .layerCount)
        let inputCount = try range(r.u32(H.inputCount), 1, BlobFormat.maxWidth, .inputCount)
        let outputCount = try range(r.u32(H.outputCount), 1, BlobFormat.maxWidth, .outputCount)
        let labelCount = try range(r.u32(H.labelCount), 0, BlobFormat.maxLabels, .labelCount)
        let goldenCount = try range(r.u32(H.goldenCount), 0, BlobFormat.maxGoldenVectors, .goldenCount)
        switch kind {
        case .regression: guard labelCount == 0 else { throw .outputShape(kind: 0, outputs: outputCount, labels: labelCount) }
        case .binary: guard outputCount == 1, labelCount == 2 else { throw .outputShape(kind: 1, outputs: outputCount, labels: labelCount) }
        case .multiclass: guard outputCount >= 2, labelCount == outputCount else { throw .outputShape(kind: 2, outputs: outputCount, labels: labelCount) }
        }

        // Sections in canonical order; all sizes are bounded, so sums stay far below 2³¹.
        guard r.u32(H.layerTableOffset) == headerSize else {
            throw .badOffset(field: .layerTableOffset, offset: r.u32(H.layerTableOffset), expected: headerSize)
        }
        let tableEnd = headerSize + layerCount * BlobFormat.layerRecordSize
        guard tableEnd <= end else { throw .truncated(expected: tableEnd + BlobFormat.checksumSize, actual: count) }

        let labelsOffset = r.u32(H.labelsOffset)
        guard labelsOffset == tableEnd else { throw .badOffset(field: .labelsOffset, offset: labelsOffset, expected: tableEnd) }
        let labelsSize = r.u32(H.labelsSize)
        guard labelsSize <= end - labelsOffset else { throw .badOffset(field: .labelsSize, offset: labelsSize, expected: end - labelsOffset) }
        var o = labelsOffset
        let labelsEnd = labelsOffset + labelsSize
        for i in 0..<labelCount {
            guard o + 2 <= labelsEnd else { throw .badLabel(index: i) }
            let n = r.u16(o)
            // Labels are printed one per line by tools: UTF-8, non-empty, no control characters.
            guard n > 0, n <= labelsEnd - o - 2, isValidUTF8(base + o + 2, count: n), !hasControlByte(base + o + 2, count: n) else {
                throw .badLabel(index: i)
            }
            o += 2 + n
        }
        guard o == labelsEnd else { throw .badOffset(field: .labelsSize, offset: labelsSize, expected: o - labelsOffset) }

        // Feature names (v2): none (offset and size 0), or inputCount entries right after the labels.
        var namesEnd = labelsEnd
        if version >= 2 {
            let namesOffset = r.u32(H.featureNamesOffset), namesSize = r.u32(H.featureNamesSize)
            if namesOffset == 0 {
                guard namesSize == 0 else { throw .badOffset(field: .featureNamesSize, offset: namesSize, expected: 0) }
            } else {
                guard namesOffset == labelsEnd else { throw .badOffset(field: .featureNamesOffset, offset: namesOffset, expected: labelsEnd) }
                guard namesSize <= end - namesOffset else { throw .badOffset(field: .featureNamesSize, offset: namesSize, expected: end - namesOffset) }
                namesEnd = namesOffset + namesSize
                var o = namesOffset
                for i in 0..<inputCount {
                    guard o + 2 <= namesEnd else { throw .badFeatureName(index: i) }
                    let n = r.u16(o)
                    guard n <= namesEnd - o - 2, isValidUTF8(base + o + 2, count: n) else { throw .badFeatureName(index: i) }
                    o += 2 + n
                }
                guard o == namesEnd else { throw .badOffset(field: .featureNamesSize, offset: namesSize, expected: o - namesOffset) }
            }
        }

        var next = align(namesEnd, 4)
        try requireZero(r, from: namesEnd, to: min(next, end))
        let normOffset = r.u32(H.normalizationOffset)
        if norm == .stored {
            guard normOffset == next else { throw .badOffset(field: .normalizationOffset, offset: normOffset, expected: next) }
            let size = 2 * inputCount * 4
            guard size <= end - next else { throw .truncated(expected: next + size + BlobFormat.checksumSize, actual: count) }
            for i in 0..<inputCount {
                try requireFinite(r, next + 4 * i)
                let stdOffset = next + 4 * (inputCount + i)
                try requireFinite(r, stdOffset)
                guard r.f32(stdOffset) > 0 else { throw .nonFinite(offset: stdOffset) }
            }
            next += size
        } else {
            guard normOffset == 0 else { throw .badOffset(field: .normalizationOffset, offset: normOffset, expected: 0) }
        }

        let goldenOffset = r.u32(H.goldenOffset)
        let goldenStart = align(next, 8)
        try requireZero(r, from: next, to: min(goldenStart, end))
        guard goldenOffset == goldenStart else { throw .badOffset(field: .goldenOffset, offset: goldenOffset, expected: goldenStart) }
        let goldenRecord = inputCount * 4 + outputCount * 8
        let goldenSize = r.u32(H.goldenSize)
        guard goldenSize == goldenCount * goldenRecord else {
            throw .badOffset(field: .goldenSize, offset: goldenSize, expected: goldenCount * goldenRecord)
        }
        guard goldenSize <= end - goldenStart else { throw .truncated(expected: goldenStart + goldenSize + BlobFormat.checksumSize, actual: count) }
        // The outputs' scale as a binary exponent field (1.0 is 1023), at least that of 1.
        var scaleExponent = 1023
        for g in 0..<goldenCount {
            let rec = goldenStart + g * goldenRecord
            for i in 0..<inputCount { try requireFinite(r, rec + 4 * i) }
            for j in 0..<outputCount {
                try requireFiniteDouble(r, rec + inputCount * 4 + 8 * j)
                scaleExponent = max(scaleExponent, Int(truncatingIfNeeded: r.u64(rec + inputCount * 4 + 8 * j) >> 52 & 0x7FF))
            }
        }
        let maxError = r.f64(H.goldenMaxError)
        // ≥ 0 (or −0) and below a quarter of the output scale (powers of two), by its bits: a Double
        // comparison would link soft-float helpers into firmware for these checks.
        let sign = maxError.bitPattern >> 63, magnitude = maxError.bitPattern & ~(1 << 63)
        guard maxError.isFinite, sign == 0 || magnitude == 0 else { throw .nonFinite(offset: H.goldenMaxError) }
        let errorExponent = Int(truncatingIfNeeded: magnitude >> 52)
        guard errorExponent < scaleExponent - 2 else {
            throw .implausibleGoldenError(storedExponent: errorExponent - 1023, limitExponent: scaleExponent - 2 - 1023)
        }
        next = goldenStart + goldenSize

        // Layers.
        let weightsStart = align(next, BlobFormat.weightAlignment)
        guard r.u32(H.weightsOffset) == weightsStart else {
            throw .badOffset(field: .weightsOffset, offset: r.u32(H.weightsOffset), expected: weightsStart)
        }
        var fanIn = inputCount
        var scratch = BlobFormat.padded(inputCount)
        for l in 0..<layerCount {
            let rec = headerSize + l * BlobFormat.layerRecordSize
            let lin = r.u32(rec + L.inputCount)
            guard lin == fanIn else { throw .layerMismatch(layer: l, expectedInputs: fanIn, actualInputs: lin) }
            let lout = try range(r.u32(rec + L.outputCount), 1, BlobFormat.maxWidth, .layerOutputCount)
            let padded = r.u32(rec + L.paddedOutputCount)
            guard padded == BlobFormat.padded(lout) else { throw .badPadding(layer: l, expected: BlobFormat.padded(lout), actual: padded) }
            guard let code = ActivationCode(rawValue: UInt8(r.u8(rec + L.activation))) else {
                throw .unknownActivation(layer: l, code: r.u8(rec + L.activation))
            }
            guard code != .softmax || l == layerCount - 1 else { throw .misplacedSoftmax(layer: l) }
            let type: ElementType
            if version == 1 {
                try requireZero(r, from: rec + L.reserved13, to: rec + L.alpha)
                type = .float32
            } else {
                guard r.u8(rec + L.kind) == Int(LayerKind.dense.rawValue) else { throw .unsupportedLayerKind(layer: l, kind: r.u8(rec + L.kind)) }
                guard let t = ElementType(rawValue: UInt8(r.u8(rec + L.elementType))) else { throw .unsupportedElementType(r.u8(rec + L.elementType)) }
                try requireZero(r, from: rec + L.reserved15, to: rec + L.alpha)
                type = t
            }
            guard type.isBuiltIn else { throw .unsupportedElementType(Int(type.rawValue)) }
            try requireZero(r, from: rec + L.reserved28, to: rec + BlobFormat.layerRecordSize)
            try requireFinite(r, rec + L.alpha)
            if !code.hasParameter { guard r.u32(rec + L.alpha) == 0 else { throw .nonZeroReserved(offset: rec + L.alpha) } }
            let expectedOffset = align(next, BlobFormat.weightAlignment)
            try requireZero(r, from: next, to: min(expectedOffset, end))
            let dataOffset = r.u32(rec + L.dataOffset)
            guard dataOffset == expectedOffset else { throw .badOffset(field: .layerDataOffset, offset: dataOffset, expected: expectedOffset) }
            // fanIn · padded · width + 2 · padded · 4 ≤ 65536 · 65536 · 4 + … may pass 2³¹: check before multiplying.
            let (cells, o1) = fanIn.multipliedReportingOverflow(by: padded)
            let (weightBytes, o2) = cells.multipliedReportingOverflow(by: type.byteWidth)
            let (size, o3) = weightBytes.addingReportingOverflow(padded * 4 * (type == .int8 ? 2 : 1))
            guard !o1, !o2, !o3, size <= BlobFormat.maxTotalSize else {
                throw .countOutOfRange(field: .layerDataSize, value: Int.max, limit: BlobFormat.maxTotalSize)
            }
            guard r.u32(rec + L.dataSize) == size else { throw .badOffset(field: .layerDataSize, offset: r.u32(rec + L.dataSize), expected: size) }
            guard size <= end - dataOffset else { throw .truncated(expected: dataOffset + size + BlobFormat.checksumSize, actual: count) }
            switch type {
            case .float32:
                // Weights then biases: inputCount + 1 rows of padded Float32.
                try checkLayerData(r, at: dataOffset, rows: fanIn + 1, outputs: lout, padded: padded)
            case .float16:
                try checkHalfWeights(r, at: dataOffset, rows: fanIn, outputs: lout, padded: padded)
                try checkLayerData(r, at: dataOffset + weightBytes, rows: 1, outputs: lout, padded: padded)
            case .int8:
                try checkInt8Padding(r, at: dataOffset, rows: fanIn, outputs: lout, padded: padded)
                // Biases then scales: two rows of padded Float32; scales are ≥ 0.
                try checkLayerData(r, at: dataOffset + weightBytes, rows: 2, outputs: lout, padded: padded)
                let scales = dataOffset + weightBytes + padded * 4
                for j in 0..<lout where r.f32(scales + 4 * j) < 0 { throw .negativeScale(offset: scales + 4 * j) }
            }
            next = dataOffset + size
            fanIn = lout
            scratch = max(scratch, padded)
        }
        guard fanIn == outputCount else { throw .layerMismatch(layer: layerCount, expectedInputs: outputCount, actualInputs: fanIn) }
        if identityKind == 1 {
            // The SHA-256 identity: any 32 bytes (it is checked where identity matters, not at load).
            let identityStart = align(next, 8)
            guard identityStart <= end, BlobFormat.identitySize <= end - identityStart else {
                throw .truncated(expected: identityStart + BlobFormat.identitySize + BlobFormat.checksumSize, actual: count)
            }
            try requireZero(r, from: next, to: identityStart)
            next = identityStart + BlobFormat.identitySize
        }
        let checksumStart = align(next, 8)
        guard checksumStart == end else { throw .sizeMismatch(declared: checksumStart + BlobFormat.checksumSize, actual: count) }
        try requireZero(r, from: next, to: end)
        guard r.u32(H.scratchCount) == scratch else { throw .badOffset(field: .scratchCount, offset: r.u32(H.scratchCount), expected: scratch) }
    }

    /// Float16 weights: every real lane finite (exponent not all ones), every
    /// padding lane exactly +0.
    static func checkHalfWeights(_ r: BlobReader, at offset: Int, rows: Int, outputs: Int, padded: Int) throws(BlobError) {
        #if _endian(little)
        if !Platform.isMicrocontroller && halfWeightsLookValid(r.base + offset, rows: rows, outputs: outputs, padded: padded) { return }
        #endif
        for row in 0..<rows {
            let rp = offset + 2 * row * padded
            for j in 0..<outputs where r.u16(rp + 2 * j) & 0x7C00 == 0x7C00 { throw .nonFinite(offset: rp + 2 * j) }
            for j in outputs..<padded where r.u16(rp + 2 * j) != 0 { throw .nonZeroReserved(offset: rp + 2 * j) }
        }
    }

    #if _endian(little)
    /// `layerDataLooksValid` for Float16 lanes, 16 at a time.
    static func halfWeightsLookValid(_ p: UnsafeRawPointer, rows: Int, outputs: Int, padded: Int) -> Bool {
        typealias U = SIMD16<UInt16>
        let e = U(repeating: 0x7C00)
        let full = outputs / 16, blocks = padded / 16
        var last = U()
        for l in 0..<(outputs % 16) { last[l] = ~0 }
        var bad = SIMDMask<SIMD16<Int16>>(repeating: false), padding = U()
        for row in 0..<rows {
            let rp = p + row * padded * 2
            for b in 0..<blocks {
                let v = rp.loadUnaligned(fromByteOffset: 32 * b, as: U.self)
                let keep = b < full ? U(repeating: ~0) : (b == full ? last : U())
                bad = bad .| (((v & keep & e) ^ e) .== U())
                padding |= v & ~keep
            }
        }
        return !any(bad) && padding == U()
    }
    #endif

    /// int8 weights: any value is valid; padding lanes are exactly 0.
    static func checkInt8Padding(_ r: BlobReader, at offset: Int, rows: Int, outputs: Int, padded: Int) throws(BlobError) {
        guard outputs < padded else { return }
        for row in 0..<rows {
            let rp = offset + row * padded
            for j in outputs..<padded where r.u8(rp + j) != 0 { throw .nonZeroReserved(offset: rp + j) }
        }
    }

    /// Every value finite; lanes past `outputs` exactly +0. Off microcontrollers a
    /// branch-free SIMD16 pass clears the whole layer first; only a layer that
    /// fails it is rescanned lane by lane, to name the first bad offset.
    static func checkLayerData(_ r: BlobReader, at offset: Int, rows: Int, outputs: Int, padded: Int) throws(BlobError) {
        #if _endian(little)
        if !Platform.isMicrocontroller && padded % 16 == 0 && layerDataLooksValid(r.base + offset, rows: rows, outputs: outputs, padded: padded) { return }
        #endif
        try checkLayerDataLaneByLane(r, at: offset, rows: rows, outputs: outputs, padded: padded)
    }

    #if _endian(little)
    /// True when no real lane has an all-ones exponent (NaN, ±∞) and every padding
    /// lane is 0. Per 16 lanes: `keep` selects the real ones; a real lane is bad
    /// iff ((v & keep & E) ^ E) == 0.
    static func layerDataLooksValid(_ p: UnsafeRawPointer, rows: Int, outputs: Int, padded: Int) -> Bool {
        typealias U = SIMD16<UInt32>
        let e = U(repeating: 0x7F80_0000)
        let full = outputs / 16, blocks = padded / 16
        var last = U()
        for l in 0..<(outputs % 16) { last[l] = ~0 }
        var bad = SIMDMask<SIMD16<Int32>>(repeating: false), padding = U()
        for row in 0..<rows {
            let rp = p + row * padded * 4
            for b in 0..<blocks {
                let v = rp.loadUnaligned(fromByteOffset: 64 * b, as: U.self)
                let keep = b < full ? U(repeating: ~0) : (b == full ? last : U())
                bad = bad .| (((v & keep & e) ^ e) .== U())
                padding |= v & ~keep
            }
        }
        return !any(bad) && padding == U()
    }
    #endif

    static func checkLayerDataLaneByLane(_ r: BlobReader, at offset: Int, rows: Int, outputs: Int, padded: Int) throws(BlobError) {
        let p = (r.base + offset).assumingMemoryBound(to: UInt32.self)
        for row in 0..<rows {
            let rp = p + row * padded
            for j in 0..<outputs {
                // Exponent all ones ⇔ NaN or ±infinity.
                if UInt32(littleEndian: UnsafeRawPointer(rp + j).loadUnaligned(as: UInt32.self)) & 0x7F80_0000 == 0x7F80_0000 {
                    throw .nonFinite(offset: offset + 4 * (row * padded + j))
                }
            }
            for j in outputs..<padded where UnsafeRawPointer(rp + j).loadUnaligned(as: UInt32.self) != 0 {
                throw .nonZeroReserved(offset: offset + 4 * (row * padded + j))
            }
        }
    }

    @inline(__always)
    static func align(_ x: Int, _ a: Int) -> Int { (x + a - 1) / a * a }

    static func range(_ v: Int, _ lo: Int, _ hi: Int, _ field: BlobError.Field) throws(BlobError) -> Int {
        guard v >= lo, v <= hi else { throw .countOutOfRange(field: field, value: v, limit: hi) }
        return v
    }

    static func requireZero(_ r: BlobReader, from: Int, to: Int) throws(BlobError) {
        var i = from
        while i < to {
            if r.u8(i) != 0 { throw .nonZeroReserved(offset: i) }
            i += 1
        }
    }

    static func requireFinite(_ r: BlobReader, _ o: Int) throws(BlobError) {
        guard r.f32(o).isFinite else { throw .nonFinite(offset: o) }
    }

    static func requireFiniteDouble(_ r: BlobReader, _ o: Int) throws(BlobError) {
        guard r.f64(o).isFinite else { throw .nonFinite(offset: o) }
    }

    /// True when a byte is an ASCII control character (0x00–0x1F, 0x7F). UTF-8
    /// continuation and lead bytes are ≥ 0x80, so this never splits a character.
    static func hasControlByte(_ p: UnsafeRawPointer, count: Int) -> Bool {
        for i in 0..<count {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            if b < 0x20 || b == 0x7F { return true }
        }
        return false
    }

    /// Structural UTF-8 check: lead and continuation bytes, no overlongs, no surrogates, ≤ U+10FFFF.
    static func isValidUTF8(_ p: UnsafeRawPointer, count: Int) -> Bool {
        var i = 0
        while i < count {
            let b = p.load(fromByteOffset: i, as: UInt8.self)
            var need = 0, lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return false
            }
            guard i + need < count else { return false }
            for k in 1...need {
                let c = p.load(fromByteOffset: i + k, as: UInt8.self)
                if k == 1 { guard c >= lo && c <= hi else { return false } } else { guard c >= 0x80 && c <= 0xBF else { return false } }
            }
            i += need + 1
        }
        return true
    }
}
