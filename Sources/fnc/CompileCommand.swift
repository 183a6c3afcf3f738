import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler
import FixedNet

/// `fnc compile MODEL -o MODEL.fnb [--weights f32|f16|int8] [--swift FILE --name NAME]`.
enum CompileCommand {
    static let help = """
    usage: fnc compile MODEL -o MODEL.fnb [--weights f32|f16|int8] [--golden N]
                       [--report-data DATA.csv [--max-drop POINTS]]
                       [--swift FILE.swift --name NAME [--embed-blob]]

    Lowers a Float64 model (.fnm or .json) to a blob, with golden vectors and
    their measured error against the Float64 model, and optionally emits a Swift
    kernel for this network.
      -o FILE            the blob to write (required)
      --weights F        f32 (default), f16 (half the bytes) or int8 (a quarter:
                         symmetric, one Float32 scale per output); biases stay Float32
      --golden N         golden vectors to store, 0…64 (default 8): the device's
                         self-test; each costs 4·inputs + 8·outputs bytes of blob
      --report-data CSV  labelled rows: accuracy (classifiers) or R² (regression)
                         of the Float32 blob and of this one, argmax agreement and
                         max |Δ output| on those rows
      --max-drop POINTS  with --report-data: fail (exit 1, nothing written) when
                         accuracy drops by more than POINTS percentage points
                         (regression: R² by more than POINTS/100)
      --swift FILE       also write a statically-sized Swift kernel
      --name NAME        the kernel's namespace (default: from the file name)
      --embed-blob       put the blob in the kernel source as base64
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "compile", valued: ["-o", "--swift", "--name", "--weights", "--report-data", "--max-drop", "--golden"],
                              boolean: ["--embed-blob"])
        let modelPath = try a.positional(1...1, usage: "fnc compile MODEL -o MODEL.fnb [--weights f32|f16|int8] [--swift FILE --name NAME]")[0]
        guard let out = a.string("-o") else { throw .usage("compile: -o MODEL.fnb is required") }
        var weights = ElementType.float32
        if let w = a.string("--weights") {
            guard let t = ElementType(flag: w) else { throw .usage("compile: --weights must be f32, f16 or int8, got \"\(w)\"") }
            weights = t
        }
        var goldenCount = BlobWriter.defaultGoldenCount
        if let g = a.string("--golden") {
            guard let v = Int(g), (0...BlobFormat.maxGoldenVectors).contains(v) else {
                throw .usage("compile: --golden must be a count from 0 to \(BlobFormat.maxGoldenVectors), got \"\(g)\"")
            }
            goldenCount = v
        }
        var maxDrop: Double? = nil
        if let m = a.string("--max-drop") {
            guard let v = Double(m), v.isFinite, v >= 0 else { throw .usage("compile: --max-drop must be a number of points ≥ 0, got \"\(m)\"") }
            guard a.string("--report-data") != nil else { throw .usage("compile: --max-drop needs --report-data DATA.csv") }
            maxDrop = v
        }
        var kernelName: String? = nil
        if let swift = a.string("--swift") {
            kernelName = a.string("--name") ?? URL(fileURLWithPath: swift).deletingPathExtension().lastPathComponent
                .replacing("Kernel", with: "")
        } else if a.string("--name") != nil || a.has("--embed-blob") {
            throw .usage("compile: --name and --embed-blob need --swift FILE")
        }
        let net = try Inputs.network(modelPath)
        let blob: BlobWriter.Output
        do throws(LoweringError) { blob = try BlobWriter.encode(net, weights: weights, goldenCount: goldenCount) } catch { throw .data("\(modelPath): cannot compile: \(error)") }
        var kernel: String? = nil
        if let name = kernelName {
            do throws(KernelEmitterError) {
                kernel = try KernelEmitter.emit(blob, name: name, modelPath: URL(fileURLWithPath: modelPath).lastPathComponent,
                                                embedBlob: a.has("--embed-blob"))
            } catch { throw .usage("compile: \(error)") }
        }
        var report: FormatReport? = nil
        if let dataPath = a.string("--report-data") {
            report = try measure(net, blob, dataPath: dataPath, modelPath: modelPath)
        }

        let lowered = blob.lowered
        Console.line("compiled \(net.sizes.map(String.init).joined(separator: "-")): \(net.parameterCount) parameters, \(weights.name) weights")
        Console.line("blob: \(blob.bytes.count) bytes, scratch \(2 * lowered.scratchCount * 4) bytes, normalisation \(blob.normalization == .stored ? "stored" : "none/folded")")
        Console.line("golden vectors: \(lowered.goldenInputs.count), max |\(weights.name) - float64| = \(CFormat.string("%.3g", blob.goldenMaxError))")
        if let r = report {
            let metric = r.isClassifier ? "accuracy" : "R²"
            func score(_ v: Double) -> String { r.isClassifier ? CFormat.string("%.2f%%", 100 * v) : CFormat.string("%.4f", v) }
            Console.line("report on \(Console.count(r.rows, "row")): \(metric) f32 \(score(r.baseline)), \(weights.flagName) \(score(r.candidate)) (drop \(CFormat.string("%.3g", r.drop)) points)")
            if let agree = r.argmaxAgreement {
                Console.line("argmax agreement \(CFormat.string("%.2f%%", 100 * agree)), max |Δp| = \(CFormat.string("%.3g", r.maxOutputChange))")
            } else {
                Console.line("max |Δ output| = \(CFormat.string("%.3g", r.maxOutputChange))")
            }
            if let limit = maxDrop, r.drop > limit {
                throw .checkFailed("compile: \(metric) drops by \(CFormat.string("%.3g", r.drop)) points with \(weights.flagName) weights, more than --max-drop \(CFormat.string("%g", limit)); nothing written")
            }
        }
        try AtomicFile.write(blob.bytes, to: out)
        if let kernel, let path = a.string("--swift") { try AtomicFile.write(kernel, to: path) }
        Console.line("model hash: \(hexString(blob.modelHash))")
        Console.line("wrote \(out)" + (a.string("--swift").map { " and \($0)" } ?? ""))
    }

    /// The Float32 blob and this one on `dataPath`'s labelled rows.
    static func measure(_ net: Network, _ blob: BlobWriter.Output, dataPath: String, modelPath: String) throws(CLIError) -> FormatReport {
        let data: Dataset
        do throws(DataError) { data = try Dataset.load(path: dataPath, schema: net) } catch { throw CLIError.from(error) }
        guard data.rowCount > 0 else { throw CLIError.from(DataError(file: dataPath, .noDataRows)) }
        let baselineBytes: [UInt8]
        if blob.lowered.elementTypes == [.float32] {
            baselineBytes = blob.bytes
        } else {
            do throws(LoweringError) { baselineBytes = try BlobWriter.encode(net).bytes } catch { throw .data("\(modelPath): cannot compile: \(error)") }
        }
        do throws(BlobError) {
            return FormatReport.measure(baseline: try Model(bytes: baselineBytes), candidate: try Model(bytes: blob.bytes), data: data)
        } catch { throw .data("\(modelPath): the compiled blob does not load (\(error)); please report this") }
    }
}
