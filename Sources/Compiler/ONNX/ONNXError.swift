/// Why an ONNX file cannot be read or lowered to a FixedNet network. Cases
/// carry the numbers and names the message shows; `fnc` prefixes the path and
/// exits 65 for every case.
public enum ONNXError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a well-formed protobuf message (offsets count bytes from the file's start).
    case wire(Wire)
    /// A tensor whose element type this reader does not decode.
    case unsupportedTensorType(tensor: String, dataType: Int)
    /// A tensor stored outside the file (`data_location = EXTERNAL`).
    case externalData(tensor: String)
    /// A sparse tensor, as an initializer or an attribute.
    case sparseTensor(name: String)
    /// `dims` promise a different number of values than the tensor holds.
    case tensorValueCount(tensor: String, expected: Int, found: Int)
    /// A negative dimension, or more elements than `ONNXTensor.elementLimit`.
    case tensorShape(tensor: String, dims: [Int64])
    /// The model has no graph.
    case noGraph
    /// An op outside the supported set (`ONNXImport.supportedOps`).
    case unsupportedOp(node: String, opType: String, domain: String, opset: Int)
    /// Not exactly one graph input that is not an initializer.
    case graphInputs(names: [String])
    /// The graph input is not a float or double tensor.
    case nonFloatInput(name: String, elementType: Int)
    /// A weight that is not a constant: it comes from the graph input or another node.
    case dynamicWeight(node: String, opType: String, input: String)
    /// A tensor on the path to the output that feeds more than one node (beyond
    /// the recognised patterns), or a node that reads the data path twice.
    case notAChain(node: String, opType: String, tensor: String)
    /// An attribute value that FixedNet cannot represent.
    case unsupportedAttribute(node: String, opType: String, attribute: String, value: String)
    /// An op where FixedNet's layer structure cannot place it (the reason says why).
    case misplaced(node: String, opType: String, reason: String)
    /// Shapes that do not chain: `expected` and `found` count features.
    case shapeMismatch(node: String, opType: String, expected: Int, found: Int)
    /// A node input that no node, initializer or graph input defines.
    case undefinedTensor(node: String, tensor: String)
    /// No float output that depends on the input, or several.
    case outputChoice(candidates: [String])
    /// The path from input to output holds no dense layer (Gemm or MatMul).
    case noDenseLayer
    /// Class labels found in the graph do not match the outputs.
    case labelCount(labels: Int, outputs: Int)
    /// A weight, bias or preprocessing constant that is NaN or infinite.
    case nonFiniteValue(tensor: String)
    /// Beyond the model file's limits (widths, layers).
    case tooLarge(what: String, value: Int, limit: Int)

    /// Malformed protobuf.
    public enum Wire: Equatable, Sendable {
        case truncated(offset: Int, reading: String)
        case varintTooLong(offset: Int)
        case badFieldNumber(offset: Int, number: Int)
        case badWireType(offset: Int, field: Int, wireType: Int)
        case wrongWireType(offset: Int, field: Int, found: Int, expected: Int)
        case lengthBeyondEnd(offset: Int, length: UInt64, left: Int)
        case nestingTooDeep(offset: Int, limit: Int)
        case notUTF8(offset: Int, what: String)
        case tooManyValues(offset: Int, limit: Int)
        case packedLength(offset: Int, length: Int, elementWidth: Int)
    }

    /// ONNX `TensorProto.DataType` names, for messages.
    public static func typeName(_ code: Int) -> String {
        let names = [0: "undefined", 1: "float", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64",
                     8: "string", 9: "bool", 10: "float16", 11: "double", 12: "uint32", 13: "uint64", 14: "complex64",
                     15: "complex128", 16: "bfloat16", 17: "float8e4m3fn", 18: "float8e4m3fnuz", 19: "float8e5m2",
                     20: "float8e5m2fnuz", 21: "uint4", 22: "int4", 23: "float4e2m1"]
        return names[code].map { "\($0) (\(code))" } ?? "type \(code)"
    }

    static func quote(_ s: String) -> String { DataError.quote(s) }

    /// `node "name" (Op)`, or `node #k (Op)` text the importer builds.
    static func nodeName(_ node: String, _ op: String) -> String {
        "node \(quote(node)) (\(op))"
    }

    public var description: String {
        switch self {
        case .wire(let w): return "not a valid ONNX protobuf: " + w.description
        case .unsupportedTensorType(let t, let d):
            return "tensor \(Self.quote(t)) has element type \(Self.typeName(d)); weights must be float, double, float16 or bfloat16"
        case .externalData(let t):
            return "tensor \(Self.quote(t)) is stored in an external file; save the model with all tensors inside "
                + "(onnx.save_model(m, path, save_as_external_data=False))"
        case .sparseTensor(let n): return "sparse tensor \(Self.quote(n)) is not supported; store it dense"
        case .tensorValueCount(let t, let e, let f): return "tensor \(Self.quote(t)) has dims for \(e) values but holds \(f)"
        case .tensorShape(let t, let d):
            return "tensor \(Self.quote(t)) has dims \(d), which is negative or above \(ONNXTensor.elementLimit) elements"
        case .noGraph: return "the model holds no graph"
        case .unsupportedOp(let n, let op, let domain, let opset):
            return "\(Self.nodeName(n, op)) in domain \(Self.quote(domain.isEmpty ? "ai.onnx" : domain)), opset \(opset), is not supported. "
                + "Supported: " + ONNXImport.supportedOps.joined(separator: ", ") + " (docs/onnx.md)"
        case .graphInputs(let names):
            if names.isEmpty { return "the graph has no input (every input is an initializer)" }
            return "the graph has \(names.count) inputs (\(names.map(Self.quote).joined(separator: ", "))); FixedNet models take one feature vector"
        case .nonFloatInput(let n, let t):
            return "graph input \(Self.quote(n)) is \(Self.typeName(t)); FixedNet models read float or double features"
        case .dynamicWeight(let n, let op, let i):
            return "\(Self.nodeName(n, op)) takes its weight \(Self.quote(i)) from the data path, not from a constant; only constant weights lower to dense layers"
        case .notAChain(let n, let op, let t):
            return "the graph is not a chain: tensor \(Self.quote(t)) feeds \(Self.nodeName(n, op)) and another node on the path to the output; "
                + "FixedNet lowers sequential MLPs (docs/onnx.md lists the recognised patterns)"
        case .unsupportedAttribute(let n, let op, let a, let v):
            return "\(Self.nodeName(n, op)): attribute \(a) = \(v) is not supported"
        case .misplaced(let n, let op, let why): return "\(Self.nodeName(n, op)): \(why)"
        case .shapeMismatch(let n, let op, let e, let f): return "\(Self.nodeName(n, op)) expects \(e) features here but its weights take \(f)"
        case .undefinedTensor(let n, let t): return "node \(Self.quote(n)) reads \(Self.quote(t)), which nothing defines"
        case .outputChoice(let c):
            if c.isEmpty { return "no float graph output depends on the input" }
            return "several float outputs (\(c.map(Self.quote).joined(separator: ", "))) depend on the input; FixedNet models have one"
        case .noDenseLayer: return "no dense layer (Gemm or MatMul) between the input and the output"
        case .labelCount(let l, let o): return "the graph names \(l) class labels for \(o) outputs"
        case .nonFiniteValue(let t): return "tensor \(Self.quote(t)) holds NaN or an infinity"
        case .tooLarge(let what, let v, let l): return "\(what) \(v) exceeds FixedNet's limit \(l)"
        }
    }
}

extension ONNXError.Wire: CustomStringConvertible {
    public var description: String {
        switch self {
        case .truncated(let o, let what): return "truncated at byte \(o) reading \(what)"
        case .varintTooLong(let o): return "varint at byte \(o) is longer than 64 bits"
        case .badFieldNumber(let o, let n): return "field number \(n) at byte \(o) is out of range"
        case .badWireType(let o, let f, let w): return "field \(f) at byte \(o) has wire type \(w), which is not a protobuf wire type this reader accepts"
        case .wrongWireType(let o, let f, let found, let e): return "field \(f) at byte \(o) has wire type \(found), expected \(e)"
        case .lengthBeyondEnd(let o, let l, let left): return "length \(l) at byte \(o) runs past the end of its message (\(left) bytes left)"
        case .nestingTooDeep(let o, let limit): return "messages nest deeper than \(limit) at byte \(o)"
        case .notUTF8(let o, let what): return "\(what) at byte \(o) is not UTF-8"
        case .tooManyValues(let o, let limit): return "repeated field at byte \(o) holds more than \(limit) values"
        case .packedLength(let o, let l, let w): return "packed field at byte \(o) is \(l) bytes, not a multiple of \(w)"
        }
    }
}
