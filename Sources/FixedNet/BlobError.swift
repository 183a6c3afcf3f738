/// Every reason a blob is rejected. Cases carry the numbers that show what is wrong.
public enum BlobError: Error, Equatable, Sendable {
    /// Fewer bytes than the structure needs.
    case truncated(expected: Int, actual: Int)
    case badMagic
    case unsupportedVersion(found: Int, supported: Int)
    case badHeaderSize(expected: Int, actual: Int)
    /// The header's total size differs from the byte count given.
    case sizeMismatch(declared: Int, actual: Int)
    /// An element-type byte that names no format (header of v1, or a v2 layer record).
    case unsupportedElementType(Int)
    /// A v2 layer record whose kind byte names no layer kind.
    case unsupportedLayerKind(layer: Int, kind: Int)
    case badOutputKind(Int)
    case badNormalizationKind(Int)
    /// A count beyond the format's limits (or zero where one is needed).
    case countOutOfRange(field: Field, value: Int, limit: Int)
    /// A section that does not sit where the format puts it: overlapping,
    /// out of order, misaligned or past the end.
    case badOffset(field: Field, offset: Int, expected: Int)
    case layerMismatch(layer: Int, expectedInputs: Int, actualInputs: Int)
    case badPadding(layer: Int, expected: Int, actual: Int)
    case unknownActivation(layer: Int, code: Int)
    /// Softmax on a layer other than the last.
    case misplacedSoftmax(layer: Int)
    /// A NaN or infinity at this byte offset.
    case nonFinite(offset: Int)
    /// An int8 layer's scale below zero at this byte offset.
    case negativeScale(offset: Int)
    /// A nonzero byte where the format requires 0 (reserved fields, padding).
    case nonZeroReserved(offset: Int)
    case badLabel(index: Int)
    /// A feature name (v2) whose length runs past its section or that is not UTF-8.
    case badFeatureName(index: Int)
    /// The producer field (v2) holds a byte outside printable ASCII at this offset.
    case badProducer(offset: Int)
    /// Caller memory for `Model(referencing:)` or a workspace does not start at a
    /// multiple of `required` bytes (its address modulo `required` is `remainder`).
    case misaligned(required: Int, remainder: Int)
    /// Caller memory for a workspace is smaller than the model needs.
    case bufferTooSmall(needed: Int, actual: Int)
    case checksumMismatch(stored: UInt64, computed: UInt64)
    case modelHashMismatch(stored: UInt64, computed: UInt64)
    /// Output count does not fit the output kind and label count.
    case outputShape(kind: Int, outputs: Int, labels: Int)
    #if !hasFeature(Embedded)
    /// File-level failures (hosted builds only: microcontrollers load from memory): the path, and the errno value.
    case fileNotFound(path: String)
    case ioError(path: String, errno: Int)
    #endif
    /// A generated kernel refused a blob that is not the one it was made for.
    case wrongModel(expectedHash: UInt64, actualHash: UInt64)
    /// A generated kernel refused a blob whose SHA-256 identity is not its own
    /// (even though the 64-bit model hash and every size matched: a forged edit).
    case wrongIdentity(expected: SHA256Digest, actual: SHA256Digest)
    /// `goldenMaxError` (≈ 2^storedExponent) is not below 2^limitExponent, a quarter of the golden
    /// outputs' scale (a power of two, at least 1): with such a bound, golden verification would accept anything.
    case implausibleGoldenError(storedExponent: Int, limitExponent: Int)

    /// Names of header and layer fields in errors.
    public enum Field: UInt8, Sendable {
        case layerCount, inputCount, outputCount, scratchCount, labelCount, labelsOffset, labelsSize
        case normalizationOffset, goldenOffset, goldenCount, goldenSize, layerTableOffset, weightsOffset
        case layerInputCount, layerOutputCount, layerDataOffset, layerDataSize, totalSize
        case featureNamesOffset, featureNamesSize
    }
}

#if !hasFeature(Embedded)
extension BlobError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let e, let a): return "truncated blob: need \(e) bytes, have \(a)"
        case .badMagic: return "not a FixedNet blob (bad magic; expected \"FNB1\")"
        case .unsupportedVersion(let f, let s): return "blob format version \(f) is not supported (this runtime reads versions 1 to \(s))"
        case .badHeaderSize(let e, let a): return "header size \(a), expected \(e)"
        case .sizeMismatch(let d, let a): return "header declares \(d) bytes, blob has \(a)"
        case .unsupportedElementType(let t): return "unsupported element type \(t)"
        case .badOutputKind(let k): return "unknown output kind \(k)"
        case .badNormalizationKind(let k): return "unknown normalisation kind \(k)"
        case .countOutOfRange(let f, let v, let l): return "\(f) = \(v) is out of range (limit \(l))"
        case .badOffset(let f, let o, let e): return "\(f) = \(o), expected \(e)"
        case .layerMismatch(let l, let e, let a): return "layer \(l) takes \(a) inputs, but the previous layer gives \(e)"
        case .badPadding(let l, let e, let a): return "layer \(l) padded output count \(a), expected \(e)"
        case .unknownActivation(let l, let c): return "layer \(l) has unknown activation code \(c)"
        case .misplacedSoftmax(let l): return "softmax on layer \(l), which is not the last"
        case .nonFinite(let o): return "non-finite value at byte \(o)"
        case .negativeScale(let o): return "negative int8 scale at byte \(o)"
        case .nonZeroReserved(let o): return "nonzero reserved or padding byte at \(o)"
        case .badLabel(let i): return "label \(i) is malformed (empty, length past its section, not UTF-8, or holding a control character)"
        case .unsupportedLayerKind(let l, let k): return "layer \(l) has unknown layer kind \(k)"
        case .badFeatureName(let i): return "feature name \(i) is malformed (length past its section or not UTF-8)"
        case .badProducer(let o): return "the producer field has a byte outside printable ASCII at \(o)"
        case .misaligned(let a, let r): return "memory must start at a multiple of \(a) bytes; its address is \(r) past one"
        case .bufferTooSmall(let n, let a): return "workspace memory is \(a) bytes; the model needs \(n)"
        case .checksumMismatch(let s, let c): return "checksum mismatch: stored \(hexString(s)), computed \(hexString(c)); the blob is corrupt"
        case .modelHashMismatch(let s, let c): return "model hash mismatch: stored \(hexString(s)), computed \(hexString(c))"
        case .outputShape(let k, let o, let l): return "output kind \(k) with \(o) outputs and \(l) labels is inconsistent"
        #if !hasFeature(Embedded)
        case .fileNotFound(let p): return "\(p): no such file"
        case .ioError(let p, let e): return "\(p): I/O error (errno \(e))"
        #endif
        case .wrongModel(let e, let a): return "this kernel was generated for model \(hexString(e)), the blob holds \(hexString(a))"
        case .wrongIdentity(let e, let a): return "this kernel was generated for the model with identity sha256:\(e), the blob's is sha256:\(a) (its 64-bit model hash matches: the blob was edited)"
        case .implausibleGoldenError(let s, let l):
            return "goldenMaxError ≈ 2^\(s) is implausible: it must be below 2^\(l), a quarter of the golden outputs' scale, or verification would accept any output"
        }
    }
}
#endif
