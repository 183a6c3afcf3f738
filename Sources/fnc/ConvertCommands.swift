import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler

/// `fnc export MODEL --json [-o FILE]` and `fnc import WEIGHTS.json -o MODEL`.
enum ExportCommand {
    static let help = """
    usage: fnc export MODEL [--json] [-o FILE.json]

    Writes the model in its JSON form (docs/model-json.md) to FILE or stdout.
    JSON is the only export format, so --json may be left out.
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "export", valued: ["-o"], boolean: ["--json"])
        let path = try a.positional(1...1, usage: "fnc export MODEL [--json] [-o FILE.json]")[0]
        let text = ModelJSON.encode(try Inputs.network(path))
        if let out = a.string("-o") { try AtomicFile.write(text, to: out) } else { Console.write(text) }
    }
}

enum ImportCommand {
    static let help = """
    usage: fnc import WEIGHTS.json -o MODEL

    Reads a model in the JSON form (for example weights trained in PyTorch) and
    writes the binary Float64 model file.
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "import", valued: ["-o"], boolean: [])
        let path = try a.positional(1...1, usage: "fnc import WEIGHTS.json -o MODEL")[0]
        guard let out = a.string("-o") else { throw .usage("import: -o MODEL is required") }
        let net: Network
        do throws(DataError) { net = try ModelJSON.decode(try FileBytes.read(path), file: path) } catch { throw CLIError.from(error) }
        try AtomicFile.write(ModelFile.encode(net), to: out)
        Console.line("imported \(net.sizes.map(String.init).joined(separator: "-")) (\(net.parameterCount) parameters) to \(out)")
    }
}
