import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler
import FixedNet

/// `fnc compile MODEL -o MODEL.fnb [--swift FILE --name NAME]`.
enum CompileCommand {
    static let help = """
    usage: fnc compile MODEL -o MODEL.fnb [--swift FILE.swift --name NAME [--embed-blob]]

    Lowers a Float64 model (.fnm or .json) to a Float32 blob, with golden vectors
    and their measured error, and optionally emits a Swift kernel for this network.
      -o FILE          the blob to write (required)
      --swift FILE     also write a statically-sized Swift kernel
      --name NAME      the kernel's namespace (default: from the file name)
      --embed-blob     put the blob in the kernel source as base64
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "compile", valued: ["-o", "--swift", "--name"], boolean: ["--embed-blob"])
        let modelPath = try a.positional(1...1, usage: "fnc compile MODEL -o MODEL.fnb [--swift FILE --name NAME]")[0]
        guard let out = a.string("-o") else { throw .usage("compile: -o MODEL.fnb is required") }
        var kernelName: String? = nil
        if let swift = a.string("--swift") {
            let base = a.string("--name") ?? URL(fileURLWithPath: swift).deletingPathExtension().lastPathComponent
                .replacing("Kernel", with: "")
            if let why = SwiftIdentifier.problem(with: base) {
                throw .usage("compile: --name must be a Swift identifier, got \"\(base)\": \(why)")
            }
            kernelName = base
        } else if a.string("--name") != nil || a.has("--embed-blob") {
            throw .usage("compile: --name and --embed-blob need --swift FILE")
        }
        let net = try Inputs.network(modelPath)
        let blob: BlobWriter.Output
        do throws(LoweringError) { blob = try BlobWriter.encode(net) } catch { throw .data("\(modelPath): cannot compile: \(error)") }
        var kernel: String? = nil
        if let name = kernelName {
            kernel = KernelEmitter.emit(network: net, blob: blob, name: name, modelPath: URL(fileURLWithPath: modelPath).lastPathComponent,
                                        embedBlob: a.has("--embed-blob"))
        }
        try AtomicFile.write(blob.bytes, to: out)
        if let kernel, let path = a.string("--swift") { try AtomicFile.write(kernel, to: path) }
        let model: Model
        do throws(BlobError) { model = try Model(bytes: blob.bytes) } catch { throw CLIError.from(error, path: out) }
        Console.line("compiled \(net.sizes.map(String.init).joined(separator: "-")): \(net.parameterCount) parameters")
        Console.line("blob: \(blob.bytes.count) bytes, scratch \(model.scratchByteCount) bytes, normalisation \(blob.normalization == .stored ? "stored" : "none/folded")")
        Console.line("golden vectors: \(model.goldenCount), max |float32 - float64| = \(CFormat.string("%.3g", blob.goldenMaxError))")
        Console.line("model hash: \(hexString(blob.modelHash))")
        Console.line("wrote \(out)" + (a.string("--swift").map { " and \($0)" } ?? ""))
    }
}
