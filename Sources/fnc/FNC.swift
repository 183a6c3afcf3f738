import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler

/// The `fnc` command-line tool: dispatches subcommands and owns exit codes.
@main
struct FNC {
    static let commands: [(name: String, summary: String, help: String, run: ([String]) throws(CLIError) -> Void)] = [
        ("train", "train a Float64 model from a CSV", TrainCommand.help, TrainCommand.run),
        ("compile", "lower a model to a blob (and a Swift kernel)", CompileCommand.help, CompileCommand.run),
        ("predict", "predict rows from a file or stdin", PredictCommand.help, PredictCommand.run),
        ("eval", "metrics of a blob on labelled data", EvalCommand.help, EvalCommand.run),
        ("bench", "latency, throughput and allocations of a blob", BenchCommand.help, BenchCommand.run),
        ("inspect", "describe a blob or a model file", InspectCommand.help, InspectCommand.run),
        ("export", "write a model's JSON form", ExportCommand.help, ExportCommand.run),
        ("import", "read a JSON model into a model file", ImportCommand.help, ImportCommand.run),
        ("gradcheck", "check backprop against finite differences", GradcheckCommand.help, GradcheckCommand.run),
    ]

    static var usage: String {
        var s = "usage: fnc <command> [options]   (fnc <command> --help for details; fnc --version)\n\ncommands:\n"
        for c in commands { s += "  " + c.name + String(repeating: " ", count: max(0, 10 - c.name.count)) + c.summary + "\n" }
        s += "\nexit codes: 0 ok, 1 check failed, 64 usage, 65 bad data, 66 input missing or unreadable, 73 cannot create output, 74 I/O error (docs/errors.md)\n"
        return s
    }

    /// Exit `code` once stdout is known to have arrived (74 when it did not).
    static func finish(_ code: Int32) -> Never {
        do throws(CLIError) { try Console.finishOutput() } catch { Console.error(error.message); exit(error.exitCode) }
        exit(code)
    }

    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let first = args.first else { Console.error("no command given (fnc --help lists the commands)"); exit(64) }
        if first == "--help" || first == "-h" || first == "help" {
            if first == "help", args.count > 1, let c = commands.first(where: { $0.name == args[1] }) { Console.write(c.help + "\n"); finish(0) }
            Console.write(usage); finish(0)
        }
        if first == "--version" || first == "version" {
            #if FIXEDNET_CPU_NATIVE
            let cpu = "built with -target-cpu native"
            #else
            let cpu = "portable build, no -target-cpu"
            #endif
            Console.line("fnc \(FixedNetVersion.current) (\(cpu))")
            finish(0)
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            Console.error("unknown command \"\(first)\" (fnc --help lists the commands)")
            exit(64)
        }
        let rest = Array(args.dropFirst())
        if rest.contains("--help") || rest.contains("-h") { Console.write(command.help + "\n"); finish(0) }
        do {
            try command.run(rest)
            try Console.finishOutput()
            exit(0)
        } catch {
            // A failed write of the output outranks nothing: report the first failure.
            if case .io = error {} else { _ = try? Console.finishOutput() }
            Console.error(error.message)
            exit(error.exitCode)
        }
    }
}
