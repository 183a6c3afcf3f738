/// The parts of an ONNX model (onnx/onnx.proto, IR version 3 and later) that
/// FixedNet reads and writes. Field numbers are onnx.proto's; unknown fields
/// are skipped, as protobuf requires.
public struct ONNXModel: Equatable, Sendable {
    public var irVersion: Int64 = 0
    /// (domain, version); "" is the default ai.onnx domain.
    public var opsets: [OperatorSet] = []
    public var producerName = ""
    public var producerVersion = ""
    public var graph = ONNXGraph()
    public var metadata: [(key: String, value: String)] = []

    public struct OperatorSet: Equatable, Sendable { public var domain: String; public var version: Int64 }

    public init() {}

    public static func == (a: ONNXModel, b: ONNXModel) -> Bool {
        a.irVersion == b.irVersion && a.opsets == b.opsets && a.producerName == b.producerName
            && a.producerVersion == b.producerVersion && a.graph == b.graph
            && a.metadata.map(\.key) == b.metadata.map(\.key) && a.metadata.map(\.value) == b.metadata.map(\.value)
    }

    /// The opset version imported for `domain` ("" and "ai.onnx" are the same), 0 when none is.
    public func opset(_ domain: String) -> Int {
        let d = domain == "ai.onnx" ? "" : domain
        return Int(opsets.first { ($0.domain == "ai.onnx" ? "" : $0.domain) == d }?.version ?? 0)
    }

    public func metadataValue(_ key: String) -> String? { metadata.first { $0.key == key }?.value }
}

public struct ONNXGraph: Equatable, Sendable {
    public var name = ""
    public var nodes: [ONNXNode] = []
    public var initializers: [ONNXTensor] = []
    public var inputs: [ONNXValueInfo] = []
    public var outputs: [ONNXValueInfo] = []
    public init() {}
}

public struct ONNXNode: Equatable, Sendable {
    public var inputs: [String] = []
    public var outputs: [String] = []
    public var name = ""
    public var opType = ""
    public var domain = ""
    public var attributes: [ONNXAttribute] = []
    public init() {}

    public func attribute(_ name: String) -> ONNXAttribute? { attributes.first { $0.name == name } }
}

public struct ONNXAttribute: Equatable, Sendable {
    public var name = ""
    /// AttributeProto.AttributeType: 1 float, 2 int, 3 string, 4 tensor, 5 graph, 6 floats, 7 ints, 8 strings, 11 sparse tensor …
    public var type = 0
    public var float: Float = 0
    public var int: Int64 = 0
    public var string: [UInt8] = []
    public var tensor: ONNXTensor? = nil
    public var floats: [Double] = []
    public var ints: [Int64] = []
    public var strings: [[UInt8]] = []
    public init() {}

    public var text: String { String(decoding: string, as: UTF8.self) }
}

/// A constant tensor, its values decoded to Double (float types) or Int64 (integer types).
public struct ONNXTensor: Equatable, Sendable {
    /// More elements than this are refused before any allocation.
    public static let elementLimit = 1 << 28

    public var name = ""
    public var dims: [Int64] = []
    /// TensorProto.DataType: 1 float, 6 int32, 7 int64, 8 string, 10 float16, 11 double, 16 bfloat16 …
    public var dataType = 0
    /// The values of a float, double, float16 or bfloat16 tensor.
    public var doubles: [Double] = []
    /// The values of an integer or bool tensor.
    public var integers: [Int64] = []
    /// The values of a string tensor.
    public var strings: [String] = []
    public init() {}

    /// The product of `dims`; nil when a dim is negative or the product passes `elementLimit`.
    public var elementCount: Int? {
        var n = 1
        for d in dims {
            guard d >= 0, d <= Int64(Self.elementLimit) else { return nil }
            let (p, o) = n.multipliedReportingOverflow(by: Int(d))
            guard !o, p <= Self.elementLimit else { return nil }
            n = p
        }
        return n
    }
    /// Bytes per element of the integer and bool types.
    static let integerWidth = [2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 12: 4, 13: 8]
    /// The types `decode` keeps values for.
    static let decodedTypes: Set<Int> = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16]
    public var isFloatingPoint: Bool { [1, 10, 11, 16].contains(dataType) }
}

public struct ONNXValueInfo: Equatable, Sendable {
    public enum Dimension: Equatable, Sendable { case value(Int64), parameter(String), unknown }
    public var name = ""
    /// The tensor element type; nil when the value is not a tensor (a map or sequence).
    public var elementType: Int? = nil
    /// nil when the shape is not given.
    public var shape: [Dimension]? = nil
    public init() {}
}
