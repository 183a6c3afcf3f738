/// Words and small codecs every layer above the runtime shares (the CLI, the
/// compiler, generated kernels, the benchmark), defined once here.

extension OutputKind {
    /// "regression", "binary" or "multiclass": the name `fnc inspect` prints.
    public var name: String {
        switch self {
        case .regression: return "regression"
        case .binary: return "binary"
        case .multiclass: return "multiclass"
        }
    }
}

extension ElementType {
    /// "float32", "float16" or "int8": the name `fnc inspect` prints.
    public var name: String {
        switch self {
        case .float32: return "float32"
        case .float16: return "float16"
        case .int8: return "int8"
        }
    }
}

extension Model {
    /// Weights and biases of every layer.
    public var parameterCount: Int {
        var n = 0
        for l in 0..<layerCount {
            let info = layerInfo(l)
            n += info.inputCount * info.outputCount + info.outputCount
        }
        return n
    }
}

/// `0x` and the value in hex, zero-padded to the type's width ("0x00000000000004d2").
public func hexString<T: FixedWidthInteger & UnsignedInteger>(_ v: T) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: T.bitWidth / 4 - s.count) + s
}

/// A kernel made by `fnc compile --swift`, seen generically (the benchmark times all
/// of them through one loop; calls are specialised, not dynamic).
public protocol GeneratedKernel {
    associatedtype Bound
    /// Checks that `model` is the blob the kernel was generated for.
    static func bind(_ model: Model) throws(BlobError) -> Bound
    /// One prediction: `x (inputCount)` → `y (outputCount)`, `scratch` as the kernel documents.
    static func predict(_ bound: Bound, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>)
}

/// Standard base64 (RFC 4648) decoding for blobs embedded in generated kernels.
public enum Base64 {
    /// Decodes `text` into `output`, skipping `=` padding and anything outside the
    /// alphabet (line breaks). Returns the bytes written; stops when `output` is full.
    /// Allocates nothing.
    public static func decode(_ text: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableRawBufferPointer) -> Int {
        var bits: UInt32 = 0, count: UInt32 = 0, written = 0
        for c in text {
            let v: UInt32
            switch c {
            case 65...90: v = UInt32(c) - 65
            case 97...122: v = UInt32(c) - 71
            case 48...57: v = UInt32(c) + 4
            case 43: v = 62
            case 47: v = 63
            default: continue
            }
            bits = bits << 6 | v
            count += 6
            if count >= 8 {
                count -= 8
                guard written < output.count else { return written }
                output[written] = UInt8(truncatingIfNeeded: bits >> count)
                written += 1
            }
        }
        return written
    }
}
