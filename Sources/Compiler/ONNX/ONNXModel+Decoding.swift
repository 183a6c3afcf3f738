/// Decoding `ONNXModel` from the protobuf bytes of a `.onnx` file.
///
/// Bounds: every read is checked by `ProtobufReader`; tensors promise at most
/// `ONNXTensor.elementLimit` values and must hold exactly what their dims say;
/// subgraphs (attributes of type GRAPH) are skipped, never decoded.
extension ONNXModel {
    /// Throws `ONNXError` with the byte offset of the first malformed field.
    public static func decode(_ bytes: [UInt8]) throws(ONNXError) -> ONNXModel {
        var r = ProtobufReader(bytes)
        var model = ONNXModel()
        var sawGraph = false
        while let f = try r.next() {
            switch f.number {
            case 1: model.irVersion = try r.int64(f)
            case 2: model.producerName = try r.string(f, "producer_name")
            case 3: model.producerVersion = try r.string(f, "producer_version")
            case 7: model.graph = try decodeGraph(try r.message(f)); sawGraph = true
            case 8:
                var m = try r.message(f)
                var set = OperatorSet(domain: "", version: 0)
                while let g = try m.next() {
                    switch g.number {
                    case 1: set.domain = try m.string(g, "opset domain")
                    case 2: set.version = try m.int64(g)
                    default: break
                    }
                }
                model.opsets.append(set)
            case 14: model.metadata.append(try decodeEntry(try r.message(f)))
            default: break
            }
        }
        guard sawGraph else { throw .noGraph }
        return model
    }

    static func decodeEntry(_ reader: ProtobufReader) throws(ONNXError) -> (key: String, value: String) {
        var m = reader
        var key = "", value = ""
        while let g = try m.next() {
            switch g.number {
            case 1: key = try m.string(g, "key")
            case 2: value = try m.string(g, "value")
            default: break
            }
        }
        return (key, value)
    }

    static func decodeGraph(_ reader: ProtobufReader) throws(ONNXError) -> ONNXGraph {
        var r = reader
        var graph = ONNXGraph()
        while let f = try r.next() {
            switch f.number {
            case 1: graph.nodes.append(try decodeNode(try r.message(f)))
            case 2: graph.name = try r.string(f, "graph name")
            case 5: graph.initializers.append(try decodeTensor(try r.message(f)))
            case 11: graph.inputs.append(try decodeValueInfo(try r.message(f)))
            case 12: graph.outputs.append(try decodeValueInfo(try r.message(f)))
            case 15:
                // A sparse initializer: its values tensor (field 1) carries the name.
                var m = try r.message(f)
                var name = "?"
                while let g = try m.next() {
                    if g.number == 1 { name = try decodeTensor(try m.message(g), decodeValues: false).name }
                }
                throw .sparseTensor(name: name)
            default: break
            }
        }
        return graph
    }

    static func decodeNode(_ reader: ProtobufReader) throws(ONNXError) -> ONNXNode {
        var r = reader
        var node = ONNXNode()
        while let f = try r.next() {
            switch f.number {
            case 1: node.inputs.append(try r.string(f, "node input"))
            case 2: node.outputs.append(try r.string(f, "node output"))
            case 3: node.name = try r.string(f, "node name")
            case 4: node.opType = try r.string(f, "op_type")
            case 7: node.domain = try r.string(f, "node domain")
            case 5: node.attributes.append(try decodeAttribute(try r.message(f), node: node))
            default: break
            }
        }
        return node
    }

    static func decodeAttribute(_ reader: ProtobufReader, node: ONNXNode) throws(ONNXError) -> ONNXAttribute {
        var r = reader
        var a = ONNXAttribute()
        while let f = try r.next() {
            switch f.number {
            case 1: a.name = try r.string(f, "attribute name")
            case 20: a.type = Int(truncatingIfNeeded: try r.int64(f))
            case 2: a.float = try r.float32(f)
            case 3: a.int = try r.int64(f)
            case 4: a.string = Array(try r.raw(f, "string attribute"))
            case 5: a.tensor = try decodeTensor(try r.message(f))
            case 7: try r.appendFloats(f, width: 4, to: &a.floats, limit: ONNXTensor.elementLimit)
            case 8: try r.appendInt64s(f, to: &a.ints, limit: ONNXTensor.elementLimit)
            case 9: a.strings.append(Array(try r.raw(f, "string attribute")))
            case 22, 23: throw .sparseTensor(name: a.name.isEmpty ? "attribute of \(node.opType)" : a.name)
            default: break   // graphs (6, 11), tensors (10), type protos: not needed
            }
        }
        return a
    }

    static func decodeValueInfo(_ reader: ProtobufReader) throws(ONNXError) -> ONNXValueInfo {
        var r = reader
        var info = ONNXValueInfo()
        while let f = try r.next() {
            switch f.number {
            case 1: info.name = try r.string(f, "value name")
            case 2:
                var type = try r.message(f)
                while let g = try type.next() {
                    guard g.number == 1 else { continue }   // TypeProto.tensor_type
                    var tensor = try type.message(g)
                    info.elementType = 0
                    while let h = try tensor.next() {
                        switch h.number {
                        case 1: info.elementType = Int(truncatingIfNeeded: try tensor.int64(h))
                        case 2:
                            var shape = try tensor.message(h)
                            var dims: [ONNXValueInfo.Dimension] = []
                            while let d = try shape.next() {
                                guard d.number == 1 else { continue }
                                guard dims.count < 64 else { throw .wire(.tooManyValues(offset: d.offset, limit: 64)) }
                                var dim = try shape.message(d)
                                var value = ONNXValueInfo.Dimension.unknown
                                while let e = try dim.next() {
                                    switch e.number {
                                    case 1: value = .value(try dim.int64(e))
                                    case 2: value = .parameter(try dim.string(e, "dim_param"))
                                    default: break
                                    }
                                }
                                dims.append(value)
                            }
                            info.shape = dims
                        default: break
                        }
                    }
                }
            default: break
            }
        }
        return info
    }

    static func decodeTensor(_ reader: ProtobufReader, decodeValues: Bool = true) throws(ONNXError) -> ONNXTensor {
        var r = reader
        var t = ONNXTensor()
        var raw: ArraySlice<UInt8>? = nil
        var floatFields: [ProtobufReader.Field] = [], doubleFields: [ProtobufReader.Field] = []
        var int32Fields: [ProtobufReader.Field] = [], int64Fields: [ProtobufReader.Field] = []
        var stringFields: [ProtobufReader.Field] = []
        var external = false
        while let f = try r.next() {
            switch f.number {
            case 1: try r.appendInt64s(f, to: &t.dims, limit: 64)
            case 2: t.dataType = Int(truncatingIfNeeded: try r.int64(f))
            case 4: floatFields.append(f)
            case 5: int32Fields.append(f)
            case 6: stringFields.append(f)
            case 7: int64Fields.append(f)
            case 8: t.name = try r.string(f, "tensor name")
            case 9: raw = try r.raw(f, "raw_data")
            case 10: doubleFields.append(f)
            case 13: external = true
            case 14: if try r.int64(f) == 1 { external = true }
            default: break
            }
        }
        if external { throw .externalData(tensor: t.name) }
        guard decodeValues else { return t }
        var count = 1
        for d in t.dims {
            guard d >= 0, d <= Int64(ONNXTensor.elementLimit) else { throw .tensorShape(tensor: t.name, dims: t.dims) }
            let (p, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow, p <= ONNXTensor.elementLimit else { throw .tensorShape(tensor: t.name, dims: t.dims) }
            count = p
        }
        let limit = count
        func check(_ found: Int) throws(ONNXError) {
            guard found == count else { throw .tensorValueCount(tensor: t.name, expected: count, found: found) }
        }
        switch t.dataType {
        case 1, 11:   // float, double
            let width = t.dataType == 1 ? 4 : 8
            if let raw {
                try check(raw.count % width == 0 ? raw.count / width : -1)
                t.doubles.reserveCapacity(count)
                ProtobufReader.decodeLittleEndian(raw, width: width, into: &t.doubles)
            } else {
                for f in (width == 4 ? floatFields : doubleFields) { try r.appendFloats(f, width: width, to: &t.doubles, limit: limit) }
                try check(t.doubles.count)
            }
        case 10, 16:   // float16, bfloat16: raw_data, or one value per int32_data entry
            var bits: [UInt16] = []
            if let raw {
                try check(raw.count % 2 == 0 ? raw.count / 2 : -1)
                var i = raw.startIndex
                while i + 2 <= raw.endIndex { bits.append(UInt16(raw[i]) | UInt16(raw[i + 1]) << 8); i += 2 }
            } else {
                var words: [Int64] = []
                for f in int32Fields { try r.appendInt64s(f, to: &words, limit: limit) }
                try check(words.count)
                bits = words.map { UInt16(truncatingIfNeeded: $0) }
            }
            t.doubles = bits.map { t.dataType == 10 ? Double(Float16(bitPattern: $0)) : Double(Float(bitPattern: UInt32($0) << 16)) }
        case 2, 3, 4, 5, 6, 7, 9, 12, 13:   // integer and bool types
            if let raw {
                let width = ONNXTensor.integerWidth[t.dataType]!
                let signed = [3, 5, 6, 7].contains(t.dataType)
                try check(raw.count % width == 0 ? raw.count / width : -1)
                var i = raw.startIndex
                while i + width <= raw.endIndex {
                    var v: UInt64 = 0
                    for k in 0..<width { v |= UInt64(raw[i + k]) << (8 * UInt64(k)) }
                    if signed && width < 8 && v >> (8 * UInt64(width) - 1) & 1 == 1 { v |= ~0 << (8 * UInt64(width)) }
                    t.integers.append(Int64(bitPattern: v))
                    i += width
                }
            } else {
                for f in ([7, 13].contains(t.dataType) ? int64Fields : int32Fields) { try r.appendInt64s(f, to: &t.integers, limit: limit) }
                try check(t.integers.count)
            }
        case 8:
            for f in stringFields {
                guard t.strings.count < limit else { throw .tensorValueCount(tensor: t.name, expected: count, found: t.strings.count + 1) }
                t.strings.append(try r.string(f, "string_data"))
            }
            try check(t.strings.count)
        default:
            break   // decoded lazily: the importer throws unsupportedTensorType when it needs the values
        }
        return t
    }
}
