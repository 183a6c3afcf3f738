import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler

/// `fnc export MODEL [--json|--onnx] [-o FILE]` and `fnc import WEIGHTS -o MODEL`.
enum ExportCommand {
    static let help = """
    usage: fnc export MODEL [--json] [-o FILE.json]
           fnc export MODEL --onnx -o FILE.onnx

    --json (the default) writes the model's JSON form (docs/model-json.md) to FILE
    or stdout. --onnx writes an ONNX model (opset 13) that onnxruntime loads:
    Sub/Div for the standardisation, Gemm and the activation per layer, softmax
    for classifiers; labels and feature names in metadata_props. The parameters
    are stored exactly, so fnc import gives back the same network (docs/onnx.md).
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "export", valued: ["-o"], boolean: ["--json", "--onnx"])
        let path = try a.positional(1...1, usage: "fnc export MODEL [--json|--onnx] [-o FILE]")[0]
        if a.has("--json") && a.has("--onnx") { throw .usage("export: --json and --onnx exclude each other") }
        let net = try Inputs.network(path)
        if a.has("--onnx") {
            guard let out = a.string("-o") else { throw .usage("export: --onnx needs -o FILE.onnx (the format is binary)") }
            try AtomicFile.write(ONNXExport.encode(net, producerVersion: FixedNetVersion.current), to: out)
            Console.line("exported \(net.sizes.map(String.init).joined(separator: "-")) to \(out) (ONNX opset \(ONNXExport.opset))")
            return
        }
        let text = ModelJSON.encode(net)
        if let out = a.string("-o") { try AtomicFile.write(text, to: out) } else { Console.write(text) }
    }
}

enum ImportCommand {
    static let help = """
    usage: fnc import MODEL.onnx|WEIGHTS.json -o MODEL.fnm [--task classify]

    Reads a model exported by another framework and writes the binary Float64
    model file:
    - ONNX (docs/onnx.md): MLPs from PyTorch (torch.onnx.export), scikit-learn
      pipelines (skl2onnx) and Keras (tf2onnx). Softmax outputs become a
      classifier with the graph's class labels, one sigmoid output a binary
      classifier, anything else regression. --task classify reads raw outputs
      as logits and adds softmax (sigmoid for one output).
    - The JSON form (docs/model-json.md), for weights written by hand.
    Anything the importer cannot represent is refused with the node, its op and
    the supported ops (exit 65), and no file is written.
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "import", valued: ["-o", "--task"], boolean: [])
        let path = try a.positional(1...1, usage: "fnc import MODEL.onnx|WEIGHTS.json -o MODEL.fnm [--task classify]")[0]
        guard let out = a.string("-o") else { throw .usage("import: -o MODEL is required") }
        var task = ONNXImport.TaskChoice.fromGraph
        switch a.string("--task") {
        case nil: break
        case "classify"?: task = .classify
        case let t?: throw .usage("import: --task takes classify (the graph decides otherwise), not \(DataError.quote(t))")
        }
        let net: Network
        do throws(DataError) { net = try ModelFile.load(path: path, onnxTask: task) } catch {
            if FileBytes.prefix(path, 4) == Array("FNB1".utf8) {
                throw .data("\(path): this is a compiled blob (.fnb), not a model to import")
            }
            throw CLIError.from(error)
        }
        try AtomicFile.write(ModelFile.encode(net), to: out)
        let kind = net.task == .regression ? "regression" : "classification (\(net.task.labels.count) classes)"
        Console.line("imported \(net.sizes.map(String.init).joined(separator: "-")) \(net.layers.map(\.activation.name).joined(separator: ", ")), \(kind), \(net.parameterCount) parameters to \(out)")
    }
}
