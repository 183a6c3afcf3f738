#if canImport(Glibc)
import Glibc
#endif

/// Activations that exporters write as small elementwise subgraphs: torch's
/// exact GELU below opset 20 (Div by √2, Erf, Add 1, Mul x, Mul ½), SiLU as
/// x·sigmoid(x), and FixedNet's own exports of gaussian (exp(−x²)) and step
/// (x ≥ 0, cast to float).
///
/// A subgraph is identified by evaluating it in Float64 at 205 points in
/// [−12, 12] and comparing with each candidate activation: it matches when every
/// point agrees within 1e-6·max(1, |f|). Exporters' Float32 constants (√2 as
/// 1.4142135) are ~1e-8 off, the tanh approximation of GELU is 5e-4 off, so
/// the first is accepted and the second refused.
enum ActivationPattern {
    /// Ops a pattern may contain.
    static let ops: Set<String> = ["Add", "Sub", "Mul", "Div", "Erf", "Exp", "Neg", "Sigmoid", "Tanh", "Pow", "Sqrt",
                                   "GreaterOrEqual", "Greater", "Cast", "Identity", "Softplus", "Relu"]
    /// Ops that only occur inside a pattern, never on their own in an MLP.
    static let patternOnlyOps: Set<String> = ["Erf", "Exp", "Neg", "Pow", "Sqrt", "GreaterOrEqual", "Greater"]
    static let maxNodes = 12
    static let candidates: [Activation] = [.gelu, .silu, .gaussian, .step, .sigmoid, .tanh, .softplus, .relu]

    static let samples: [Double] = (-96...96).map { Double($0) / 8 } + [1e-3, -1e-3, 0.3333, -2.71828, 7.77, -7.77, 12, -12, 0.5, -0.5, 1.5, -1.5]

    /// The activation the nodes compute from `input` to `output`, or nil.
    static func identify(_ nodes: [ONNXNode], input: String, output: String, constants: [String: ONNXTensor]) -> Activation? {
        var results: [Double] = []
        for x in samples {
            guard let y = evaluate(nodes, input: input, output: output, x: x, constants: constants) else { return nil }
            results.append(y)
        }
        for a in candidates {
            var ok = true
            for (x, y) in zip(samples, results) {
                let f = a.value(x)
                if !(Swift.abs(y - f) <= 1e-6 * Swift.max(1, Swift.abs(f))) { ok = false; break }
            }
            if ok { return a }
        }
        return nil
    }

    static func evaluate(_ nodes: [ONNXNode], input: String, output: String, x: Double, constants: [String: ONNXTensor]) -> Double? {
        var env: [String: Double] = [input: x]
        func operand(_ name: String) -> Double? {
            if let v = env[name] { return v }
            if let c = constants[name] {
                if c.doubles.count == 1 { return c.doubles[0] }
                if c.integers.count == 1 { return Double(c.integers[0]) }
            }
            return nil
        }
        for n in nodes {
            guard let out = n.outputs.first, let a = n.inputs.first.flatMap(operand) else { return nil }
            let b = n.inputs.count > 1 ? operand(n.inputs[1]) : nil
            let y: Double
            switch n.opType {
            case "Add": guard let b else { return nil }; y = a + b
            case "Sub": guard let b else { return nil }; y = a - b
            case "Mul": guard let b else { return nil }; y = a * b
            case "Div": guard let b else { return nil }; y = a / b
            case "Pow": guard let b else { return nil }; y = Glibc.pow(a, b)
            case "GreaterOrEqual": guard let b else { return nil }; y = a >= b ? 1 : 0
            case "Greater": guard let b else { return nil }; y = a > b ? 1 : 0
            case "Erf": y = Glibc.erf(a)
            case "Exp": y = Glibc.exp(a)
            case "Neg": y = -a
            case "Sqrt": y = a.squareRoot()
            case "Sigmoid": y = Activation.logistic(a)
            case "Tanh": y = Glibc.tanh(a)
            case "Softplus": y = Activation.softplusValue(a)
            case "Relu": y = Swift.max(a, 0)
            case "Cast", "Identity": y = a
            default: return nil
            }
            env[out] = y
        }
        return env[output]
    }
}
