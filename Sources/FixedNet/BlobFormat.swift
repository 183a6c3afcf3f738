/// The one definition of the FixedNet blob layout (spec: docs/blob-format.md).
///
/// A blob is little-endian: a 96-byte header, a layer table of 32-byte records,
/// then the labels, normalisation and golden-vector sections, then each layer's
/// weights and biases at a 64-byte-aligned offset, and an 8-byte checksum last.
public enum BlobFormat {
    /// "FNB1"
    public static let magic: (UInt8, UInt8, UInt8, UInt8) = (0x46, 0x4E, 0x42, 0x31)
    public static let version: UInt16 = 1
    public static let headerSize = 96
    public static let layerRecordSize = 32
    /// Weight sections start at multiples of this.
    public static let weightAlignment = 64
    /// Output counts are padded to a multiple of this many Float32 lanes.
    public static let laneCount = 16
    public static let checksumSize = 8

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
        public static let elementType = 24     // u8
        public static let outputKind = 25      // u8
        public static let normalization = 26   // u8
        public static let reserved27 = 27      // u8, 0
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
        public static let reserved88 = 88      // 8 bytes, 0
    }

    // Layer record field offsets (relative to the record).
    public enum Layer {
        public static let inputCount = 0       // u32
        public static let outputCount = 4      // u32
        public static let paddedOutputCount = 8 // u32, outputCount rounded up to laneCount
        public static let activation = 12      // u8 ActivationCode
        public static let reserved13 = 13      // 3 bytes, 0
        public static let alpha = 16           // f32
        public static let dataOffset = 20      // u32: weights (inputCount, padded) f32, then biases (padded) f32
        public static let dataSize = 24        // u32 = (inputCount + 1) · padded · 4
        public static let reserved28 = 28      // u32, 0
    }

    /// Seeds of the two hashes, so a blob's model hash never equals its checksum.
    public static let modelHashSeed: UInt64 = 0x4D4F_4445_4C48_4153   // "MODELHAS"
    public static let checksumSeed: UInt64 = 0x4348_4543_4B53_554D    // "CHECKSUM"

    /// `outputCount` rounded up to the lane count.
    @inlinable
    public static func padded(_ count: Int) -> Int { (count + laneCount - 1) / laneCount * laneCount }
}

/// How the weights are stored. Only Float32 exists today; the byte leaves room.
public enum ElementType: UInt8, Sendable {
    case float32 = 1
    // 2: float16, 3: int8 with per-layer scale (reserved).
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
