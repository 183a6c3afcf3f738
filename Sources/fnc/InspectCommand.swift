import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler
import FixedNet

/// `fnc inspect MODEL.fnb|MODEL`: what a file holds.
enum InspectCommand {
    static let help = """
    usage: fnc inspect MODEL.fnb|MODEL [--json]

    A blob: format version, layers, parameters, sizes, normalisation, labels,
    golden vectors, hashes and checksum status (validated on load). A Float64
    model (.fnm or .json): layers, parameters, normalisation and task.
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "inspect", valued: [], boolean: ["--json"])
        let path = try a.positional(1...1, usage: "fnc inspect MODEL.fnb|MODEL [--json]")[0]
        let head: [UInt8]
        do throws(DataError) { head = Array(try FileBytes.read(path).prefix(4)) } catch { throw CLIError.from(error) }
        if head == Array("FNB1".utf8) { try blob(path, json: a.has("--json")) } else { try network(path, json: a.has("--json")) }
    }

    static func blob(_ path: String, json: Bool) throws(CLIError) {
        let m = try Inputs.blob(path)
        let layers = m.layers
        let params = m.parameterCount
        let kind = m.outputKind.name
        let labels = (0..<m.labelCount).map { m.label($0) }
        let hash = hexString(m.modelHash), sum = hexString(m.checksum)
        if json {
            let ls = layers.map { "{\"inputs\":\($0.inputCount),\"outputs\":\($0.outputCount),\"activation\":\(ModelJSON.quote($0.activation.name))" + ($0.activation.hasParameter ? ",\"alpha\":\($0.alpha)" : "") + "}" }
            Console.line("{\"kind\":\"blob\",\"format_version\":\(BlobFormat.version),\"element_type\":\"float32\",\"output\":\"\(kind)\",\"inputs\":\(m.inputCount),\"outputs\":\(m.outputCount),\"layers\":[\(ls.joined(separator: ","))],\"parameters\":\(params),\"blob_bytes\":\(m.byteCount),\"scratch_bytes\":\(m.scratchByteCount),\"normalization\":\"\(m.normalization == .stored ? "stored" : "none")\",\"labels\":[\(labels.map(ModelJSON.quote).joined(separator: ","))],\"golden_vectors\":\(m.goldenCount),\"golden_max_error\":\(m.goldenMaxError),\"model_hash\":\"\(hash)\",\"checksum\":\"\(sum)\",\"checksum_valid\":true}")
            return
        }
        Console.line("FixedNet blob, format version \(BlobFormat.version), float32")
        Console.line("task        \(kind)" + (labels.isEmpty ? "" : " (\(labels.count) classes: \(labels.joined(separator: ", ")))"))
        Console.line("layers      \(m.inputCount) → " + layers.map { "\($0.outputCount) \($0.activation.name)" + ($0.activation.hasParameter ? "(\($0.alpha))" : "") }.joined(separator: " → "))
        Console.line("parameters  \(params)")
        Console.line("blob        \(m.byteCount) bytes")
        Console.line("scratch     \(m.scratchByteCount) bytes per workspace")
        Console.line("normalise   \(m.normalization == .stored ? "stored (mean, std)" : "none or folded")")
        Console.line("golden      \(m.goldenCount) vectors, max error \(CFormat.string("%.3g", m.goldenMaxError))")
        Console.line("model hash  \(hash)")
        Console.line("checksum    \(sum) (valid)")
    }

    static func network(_ path: String, json: Bool) throws(CLIError) {
        let n = try Inputs.network(path)
        let labels = n.task.labels
        if json {
            let ls = n.layers.map { "{\"inputs\":\($0.inputCount),\"outputs\":\($0.outputCount),\"activation\":\(ModelJSON.quote($0.activation.name))" + ($0.activation.code.hasParameter ? ",\"alpha\":\($0.activation.parameter)" : "") + "}" }
            Console.line("{\"kind\":\"model\",\"task\":\"\(n.task == .regression ? "regression" : "classification")\",\"inputs\":\(n.inputCount),\"outputs\":\(n.outputCount),\"layers\":[\(ls.joined(separator: ","))],\"parameters\":\(n.parameterCount),\"normalization\":\(n.standardizer == nil ? "false" : "true"),\"labels\":[\(labels.map(ModelJSON.quote).joined(separator: ","))]}")
            return
        }
        Console.line("FixedNet Float64 model")
        Console.line("task        \(n.task == .regression ? "regression" : "classification (\(labels.count) classes: \(labels.joined(separator: ", ")))")")
        Console.line("layers      \(n.inputCount) → " + n.layers.map { "\($0.outputCount) \($0.activation.name)" + ($0.activation.code.hasParameter ? "(\($0.activation.parameter))" : "") }.joined(separator: " → "))
        Console.line("parameters  \(n.parameterCount)")
        Console.line("normalise   \(n.standardizer == nil ? "none" : "standardise (mean, std of the training split)")")
    }
}
