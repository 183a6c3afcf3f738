/// The multi-node constructions the walk recognises: skl2onnx's binary output and
/// elementwise activation subgraphs (`ActivationPattern`).
extension ONNXGraphWalk {
    /// skl2onnx's binary output: p = sigmoid(z) (one output), then Concat(Sub(1, p), p).
    mutating func binaryConstruction(_ cs: [Int], data p: String) throws(ONNXError) -> String? {
        guard open == nil, let last = layers.last, last.activation == .sigmoid, last.outputCount == 1 else { return nil }
        let a = nodes[cs[0]], b = nodes[cs[1]]
        guard let sub = [a, b].first(where: { $0.opType == "Sub" }), let concat = [a, b].first(where: { $0.opType == "Concat" }),
              sub.inputs.count == 2, sub.inputs[1] == p, sub.outputs.count == 1, let one = constants[sub.inputs[0]], one.doubles == [1],
              concat.inputs == [sub.outputs[0], p], let out = concat.outputs.first else { return nil }
        let axis = concat.attribute("axis")?.int ?? 1
        guard axis == 1 || axis == -1 else { return nil }
        guard consumers[sub.outputs[0]] == [cs.firstIndex(where: { nodes[$0].opType == "Concat" }).map { cs[$0] }!] else { return nil }
        binaryOutput = true
        return out
    }

    /// An elementwise subgraph from `start` that reconverges to one tensor and
    /// computes a known activation (exact GELU, SiLU, Gaussian, step …).
    mutating func matchPattern(from start: String) throws(ONNXError) -> String {
        let firstNode = nodes[consumers[start]![0]]
        var region: [Int] = []
        var available: Set<String> = [start]
        var reconverged: Int?
        while region.count < ActivationPattern.maxNodes {
            // The next node: reads only available tensors and constants.
            var next: Int?
            for t in available.sorted() {
                for k in consumers[t] ?? [] where !region.contains(k) {
                    let ins = nodes[k].inputs.filter { !$0.isEmpty && constants[$0] == nil }
                    if ins.allSatisfy(available.contains) && (next == nil || k < next!) { next = k }
                }
            }
            guard let k = next else { break }
            let node = nodes[k]
            guard ActivationPattern.ops.contains(node.opType), node.domain.isEmpty else { break }
            region.append(k)
            for o in node.outputs where !o.isEmpty { available.insert(o) }
            // Open tensors: available ones with consumers outside the region.
            let open = available.filter { t in (consumers[t] ?? []).contains { !region.contains($0) } || t == target }
            if open.count == 1, let t = open.first, t != start {
                reconverged = k
                if let activation = ActivationPattern.identify(region.map { nodes[$0] }, input: start, output: t, constants: constants) {
                    guard self.open != nil else {
                        throw .misplaced(node: firstNode.name, opType: firstNode.opType, reason: "an activation must follow a dense layer (Gemm, or MatMul and Add)")
                    }
                    try finishLayer(nodes[region.last!], activation)
                    return t
                }
            }
        }
        if let k = reconverged ?? region.first(where: { ActivationPattern.patternOnlyOps.contains(nodes[$0].opType) }) {
            throw .misplaced(node: nodes[k].name, opType: nodes[k].opType,
                             reason: "not part of a recognised activation pattern (exact-erf GELU, x·sigmoid(x), exp(−x²), x ≥ 0)")
        }
        if region.isEmpty, (consumers[start] ?? []).count == 1 { throw unsupported(firstNode) }
        let readers = (consumers[start] ?? []).map { nodes[$0] }
        let reader = readers.last ?? firstNode
        throw .notAChain(node: reader.name, opType: reader.opType, tensor: start)
    }
}
