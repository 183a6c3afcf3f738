/// The one definition of the FixedNet blob layout (spec: docs/blob-format.md).
///
/// A blob is little-endian: a header (96 bytes in version 1, 128 in version 2), a
/// layer table of 32-byte records, then the labels, feature-name (v2),
/// normalisation and golden-vector sections, then each layer's weights, biases
/// (and int8 scales) at a 64-byte-aligned offset, and an 8-byte checksum last.
/// The compiler writes version 2; the runtime reads both.
public enum BlobFormat {
    /// "FNB1"
    public static let magic: (UInt8, UInt8, UInt8, UInt8) = (0x46, 0x4E, 0x42, 0x31)
    /// The version the compiler writes.
    public static let version: UInt16 = 2
    /// The oldest version the runtime reads.
    public static let oldestVersion: UInt16 = 1
    /// Header bytes of the current version.
    public static let headerSize = 128
    /// Header bytes of version 1.
    public static let headerSizeV1 = 96
    /// The header size of `version` (1 or 2).
    @inlinable
    public static func headerSize(version: Int) -> Int { version == 1 ? headerSizeV1 : headerSize }
    /// Bytes of the producer field (v2): the tool and version that wrote the blob,
    /// printable ASCII, zero-padded.
    public static let producerSize = 16
    /// A zero-copy blob (`Model(referencing:)`) and a caller-owned workspace must
    /// start at a multiple of this; 64 (`weightAlignment`) puts every weight
    /// section on a cache line.
    public static let minimumAlignment = 16
    public static let layerRecordSize = 32
    /// Weight sections start at multiples of this.
    public static let weightAlignment = 64
    /// Output counts are padded to a multiple of this many Float32 lanes.
    public static let laneCount = 16
    public static let checksumSize = 8
    /// The SHA-256 identity section (v2, header byte 27 = 1): 8-aligned, right before the checksum.
    public static let identitySize = 32

    /// Limits that keep every size computation far from overflow and make a
    /// hostile header fail before any allocation.
    public static let maxLayers = 256
    public static let maxWidth = 1 << 16
    public static let maxTotalSize = 1 << 30
    public static let maxLabels = 1 << 16
    public static let maxGoldenVectors = 64

    // Header field offsets.
    public enum Header {
        public static let magic = 0            // 4 bytes
        public static let version = 4          // u16
        public static let headerSize = 6       // u16
        public static let totalSize = 8        // u64, including the checksum
        public static let modelHash = 16       // u64, hash of bytes [24, totalSize − 8)
        public static let elementType = 24     // u8: v1 1 = Float32; v2 0 (per layer)
        public static let outputKind = 25      // u8
        public static let normalization = 26   // u8
        /// u8: v2 1 = a 32-byte SHA-256 identity section before the checksum, 0 = none
        /// (the blobs of release 0.2.0); v1: reserved 0.
        public static let identity = 27
        public static let layerCount = 28      // u32
        public static let inputCount = 32      // u32
        public static let outputCount = 36     // u32
        public static let scratchCount = 40    // u32, Float32 lanes per scratch buffer
        public static let labelCount = 44      // u32
        public static let labelsOffset = 48    // u32
        public static let labelsSize = 52      // u32
        public static let normalizationOffset = 56 // u32 (0 when none)
        public static let goldenOffset = 60    // u32
        public static let goldenCount = 64     // u32
        public static let goldenSize = 68      // u32
        public static let goldenMaxError = 72  // f64
        public static let layerTableOffset = 80 // u32, = headerSize
        public static let weightsOffset = 84   // u32, first layer's weights
        public static let reserved88 = 88      // v1: 8 bytes, 0
        // Version 2 only:
        public static let featureNamesOffset = 88 // u32 (0 when none)
        public static let featureNamesSize = 92   // u32
        public static let producer = 96        // 16 bytes: printable ASCII, zero-padded ("fnc 0.2.0")
        public static let reserved112 = 112    // 16 bytes, 0
    }

    // Layer record field offsets (relative to the record).
    public enum Layer {
        public static let inputCount = 0       // u32
        public static let outputCount = 4      // u32
        public static let paddedOutputCount = 8 // u32, outputCount rounded up to laneCount
        public static let activation = 12      // u8 ActivationCode
        public static let reserved13 = 13      // v1: 3 bytes, 0
        public static let kind = 13            // v2: u8 LayerKind
        public static let elementType = 14     // v2: u8 ElementType of the weights
        public static let reserved15 = 15      // v2: u8, 0
        public static let alpha = 16           // f32
        public static let dataOffset = 20      // u32: weights (inputCount, padded), then biases (padded) f32, then int8 scales (padded) f32
        public static let dataSize = 24        // u32 = inputCount · padded · width + padded · 4 (+ padded · 4 for int8)
        public static let reserved28 = 28      // u32, 0
    }

    /// Seeds of the two hashes, so a blob's model hash never equals its checksum.
    public static let modelHashSeed: UInt64 = 0x4D4F_4445_4C48_4153   // "MODELHAS"
    public static let checksumSeed: UInt64 = 0x4348_4543_4B53_554D    // "CHECKSUM"

    /// `outputCount` rounded up to the lane count.
    @inlinable
    public static func padded(_ count: Int) -> Int { (count + laneCount - 1) / laneCount * laneCount }
}

/// How a layer's weights are stored. Biases (and int8 scales) are always Float32.
public enum ElementType: UInt8, Sendable {
    /// IEEE binary32.
    case float32 = 1
    /// IEEE binary16, widened exactly to Float32 before each multiply.
    case float16 = 2
    /// Symmetric int8 (zero point 0) with one Float32 scale per output:
    /// y[o] = (Σᵢ q[i][o]·x[i]) · scale[o] + b[o].
    case int8 = 3

    /// Bytes per weight.
    @inlinable
    public var byteWidth: Int {
        switch self {
        case .float32: return 4
        case .float16: return 2
        case .int8: return 1
        }
    }

    /// Whether this build has the kernels for the type. Firmware that ships
    /// one format can leave the others out with `-D FIXEDNET_NO_FLOAT32`,
    /// `-D FIXEDNET_NO_FLOAT16` or `-D FIXEDNET_NO_INT8` (their kernels are then
    /// not linked, about 1 KB each on a Cortex-M); validation refuses a blob
    /// with a left-out type as `.unsupportedElementType`. A constant, so every
    /// `if type.isBuiltIn` folds.
    @inlinable
    public var isBuiltIn: Bool {
        switch self {
        case .float32:
            #if FIXEDNET_NO_FLOAT32
            return false
            #else
            return true
            #endif
        case .float16:
            #if FIXEDNET_NO_FLOAT16
            return false
            #else
            return true
            #endif
        case .int8:
            #if FIXEDNET_NO_INT8
            return false
            #else
            return true
            #endif
        }
    }

    /// Bytes of a layer's data: weights, biases and (int8) scales.
    @inlinable
    public func dataSize(inputCount: Int, paddedOutputCount padded: Int) -> Int {
        inputCount * padded * byteWidth + padded * 4 * (self == .int8 ? 2 : 1)
    }
}

/// What a layer computes. Only dense layers exist; the byte leaves room.
public enum LayerKind: UInt8, Sendable {
    /// y = activation(b + xᵀ·W).
    case dense = 1
}

/// What the outputs mean.
public enum OutputKind: UInt8, Sendable {
    /// Raw values.
    case regression = 0
    /// One sigmoid output: P(class 1).
    case binary = 1
    /// One probability (or score) per class; `classify` takes the argmax.
    case multiclass = 2
}

/// Where input standardisation happens.
public enum NormalizationKind: UInt8, Sendable {
    /// No standardisation, or folded exactly into the first layer.
    case none = 0
    /// Mean and std (Float32, inputCount each) stored; inputs become (x − mean) / std.
    case stored = 1
}
