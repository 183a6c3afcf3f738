/// Encoding `ONNXModel` as the protobuf bytes of a `.onnx` file (field numbers
/// from onnx/onnx.proto). Tensors are written as `raw_data`, little-endian;
/// a tensor of a type the decoder keeps no values for is written without data.
extension ONNXModel {
    public func encode() -> [UInt8] {
        var w = ProtobufWriter()
        w.int64(1, irVersion)
        if !producerName.isEmpty { w.string(2, producerName) }
        if !producerVersion.isEmpty { w.string(3, producerVersion) }
        w.message(7) { Self.encode(graph, into: &$0) }
        for set in opsets {
            w.message(8) { m in
                if !set.domain.isEmpty { m.string(1, set.domain) }
                m.int64(2, set.version)
            }
        }
        for entry in metadata { w.message(14) { m in m.string(1, entry.key); m.string(2, entry.value) } }
        return w.bytes
    }

    static func encode(_ g: ONNXGraph, into w: inout ProtobufWriter) {
        for node in g.nodes {
            w.message(1) { m in
                for i in node.inputs { m.string(1, i) }
                for o in node.outputs { m.string(2, o) }
                if !node.name.isEmpty { m.string(3, node.name) }
                m.string(4, node.opType)
                for a in node.attributes { m.message(5) { encode(a, into: &$0) } }
                if !node.domain.isEmpty { m.string(7, node.domain) }
            }
        }
        if !g.name.isEmpty { w.string(2, g.name) }
        for t in g.initializers { w.message(5) { encode(t, into: &$0) } }
        for v in g.inputs { w.message(11) { encode(v, into: &$0) } }
        for v in g.outputs { w.message(12) { encode(v, into: &$0) } }
    }

    static func encode(_ a: ONNXAttribute, into m: inout ProtobufWriter) {
        m.string(1, a.name)
        switch a.type {
        case 1: m.float32(2, a.float)
        case 2: m.int64(3, a.int)
        case 3: m.bytes(4, a.string)
        case 4: if let t = a.tensor { m.message(5) { encode(t, into: &$0) } }
        case 6: m.packedFloats(7, a.floats)
        case 7: m.packedInt64s(8, a.ints)
        case 8: for s in a.strings { m.bytes(9, s) }
        default: break
        }
        m.int64(20, Int64(a.type))
    }

    static func encode(_ t: ONNXTensor, into m: inout ProtobufWriter) {
        if !t.dims.isEmpty { m.packedInt64s(1, t.dims) }
        m.int64(2, Int64(t.dataType))
        m.string(8, t.name)
        var raw: [UInt8] = []
        switch t.dataType {
        case 1: for v in t.doubles { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { raw += $0 } }
        case 11: for v in t.doubles { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw += $0 } }
        case 10: for v in t.doubles { withUnsafeBytes(of: Float16(v).bitPattern.littleEndian) { raw += $0 } }
        case 16: for v in t.doubles { withUnsafeBytes(of: UInt16(Float(v).bitPattern >> 16).littleEndian) { raw += $0 } }
        case 2, 3, 4, 5, 6, 7, 9, 12, 13:
            let width = ONNXTensor.integerWidth[t.dataType]!
            for v in t.integers { withUnsafeBytes(of: v.littleEndian) { raw += $0.prefix(width) } }
        case 8: for s in t.strings { m.bytes(6, Array(s.utf8)) }
        default: break
        }
        if t.dataType != 8 { m.bytes(9, raw) }
    }

    static func encode(_ v: ONNXValueInfo, into m: inout ProtobufWriter) {
        m.string(1, v.name)
        guard let type = v.elementType else { return }
        m.message(2) { tp in
            tp.message(1) { tensor in
                tensor.int64(1, Int64(type))
                if let shape = v.shape {
                    tensor.message(2) { s in
                        for d in shape {
                            s.message(1) { dim in
                                switch d {
                                case .value(let n): dim.int64(1, n)
                                case .parameter(let p): dim.string(2, p)
                                case .unknown: break
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
