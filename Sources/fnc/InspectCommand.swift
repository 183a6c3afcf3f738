import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler
import FixedNet

/// `fnc inspect MODEL.fnb|MODEL`: what a file holds.
enum InspectCommand {
    static let help = """
    usage: fnc inspect MODEL.fnb|MODEL|CKPT.resume [--json]

    A blob: format version, producer, layers with their weight format, parameters,
    the size of each section, normalisation, labels, golden vectors, hashes and
    checksum status (validated on load). A Float64
    model (.fnm, .json or .onnx): layers, parameters, normalisation and task. A
    training checkpoint (CKPT.resume, written by train --checkpoint): epochs done,
    best epoch and loss, optimizer, the network, and the run identity --resume
    compares.
    """

    /// At most 20 labels in the one-line summary (--json lists them all).
    static func shown(_ labels: [String]) -> String {
        labels.count <= 20 ? labels.joined(separator: ", ") : labels.prefix(20).joined(separator: ", ") + ", … (--json lists all)"
    }

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "inspect", valued: [], boolean: ["--json"])
        let path = try a.positional(1...1, usage: "fnc inspect MODEL.fnb|MODEL [--json]")[0]
        let head: [UInt8]
        do throws(DataError) { head = Array(try FileBytes.read(path).prefix(4)) } catch { throw CLIError.from(error) }
        if head == Array("FNB1".utf8) { try blob(path, json: a.has("--json")) }
        else if head == Checkpoint.magic { try checkpoint(path, json: a.has("--json")) }
        else { try network(path, json: a.has("--json")) }
    }

    static func checkpoint(_ path: String, json: Bool) throws(CLIError) {
        let s: TrainingState, identity: Checkpoint.RunIdentity
        do throws(DataError) { (s, identity) = try Checkpoint.decodeWithIdentity(try FileBytes.read(path), file: path) } catch { throw CLIError.from(error) }
        let sizes = s.network.sizes.map(String.init).joined(separator: "-")
        if json {
            let id = identity.map { "\(ModelJSON.quote($0.key)):\(ModelJSON.quote($0.value))" }.joined(separator: ",")
            Console.line("{\"kind\":\"checkpoint\",\"epochs\":\(s.epochsDone),\"bestEpoch\":\(s.bestEpoch),\"network\":\"\(sizes)\",\"updates\":\(s.optimizer.updates),\"identity\":{\(id)}}")
            return
        }
        Console.line("FixedNet training checkpoint")
        Console.line("epochs      \(s.epochsDone) done; best epoch \(s.bestEpoch)" + (s.bestEpoch > 0 ? " (loss \(s.bestLoss))" : ""))
        Console.line("network     \(sizes), \(s.network.parameterCount) parameters; \(s.optimizer.updates) optimizer updates")
        for (k, v) in identity { Console.line("run         \(k) \(v)") }
    }

    static func blob(_ path: String, json: Bool) throws(CLIError) {
        let m = try Inputs.blob(path)
        let layers = m.layers
        let params = m.parameterCount
        let kind = m.outputKind.name
        let labels = m.labels
        let hash = hexString(m.modelHash), sum = hexString(m.checksum)
        let identity = m.computeIdentity(), stored = m.storedIdentity
        let identityStatus = stored == nil ? "computed; this blob stores none (written before 0.3)" : stored == identity ? "stored, matches" : "stored \(stored!) DOES NOT MATCH"
        let producer = String(decoding: m.producerBytes, as: UTF8.self)
        let sections = m.sections
        let formats = layers.map(\.elementType.name)
        let uniform = Set(formats).count == 1 ? formats[0] : "mixed"
        let names = (0..<m.featureNameCount).map { String(decoding: m.featureNameBytes($0), as: UTF8.self) }
        if json {
            let ls = layers.map { "{\"inputs\":\($0.inputCount),\"outputs\":\($0.outputCount),\"activation\":\(ModelJSON.quote($0.activation.name)),\"weights\":\"\($0.elementType.name)\"" + ($0.activation.hasParameter ? ",\"alpha\":\($0.alpha)" : "") + "}" }
            let sec = "{\"header\":\(sections.header),\"layer_table\":\(sections.layerTable),\"labels\":\(sections.labels),\"feature_names\":\(sections.featureNames),\"normalization\":\(sections.normalization),\"golden\":\(sections.golden),\"layer_data\":\(sections.layerData),\"padding\":\(sections.padding),\"identity\":\(sections.identity),\"checksum\":\(sections.checksum)}"
            Console.line("{\"kind\":\"blob\",\"format_version\":\(m.formatVersion),\"producer\":\(ModelJSON.quote(producer)),\"element_type\":\"\(uniform)\",\"output\":\"\(kind)\",\"inputs\":\(m.inputCount),\"outputs\":\(m.outputCount),\"layers\":[\(ls.joined(separator: ","))],\"parameters\":\(params),\"blob_bytes\":\(m.byteCount),\"sections\":\(sec),\"scratch_bytes\":\(m.scratchByteCount),\"device_ram_bytes\":\(m.scratchByteCount + 4 * (m.inputCount + m.outputCount)),\"normalization\":\"\(m.normalization == .stored ? "stored" : "none")\",\"labels\":[\(labels.map(ModelJSON.quote).joined(separator: ","))],\"feature_names\":[\(names.map(ModelJSON.quote).joined(separator: ","))],\"golden_vectors\":\(m.goldenCount),\"golden_max_error\":\(m.goldenMaxError),\"model_hash\":\"\(hash)\",\"identity\":\"sha256:\(identity)\",\"identity_stored\":\(stored == nil ? "null" : stored == identity ? "\"matches\"" : "\"differs\""),\"checksum\":\"\(sum)\",\"checksum_valid\":true}")
            return
        }
        Console.line("FixedNet blob, format version \(m.formatVersion), \(uniform) weights" + (producer.isEmpty ? "" : ", written by \(producer)"))
        Console.line("task        \(kind)" + (labels.isEmpty ? "" : " (\(labels.count) classes: \(shown(labels)))"))
        Console.line("layers      \(m.inputCount) → " + layers.map { "\($0.outputCount) \($0.activation.name)" + ($0.activation.hasParameter ? "(\($0.alpha))" : "") + (uniform == "mixed" ? " [\($0.elementType.name)]" : "") }.joined(separator: " → "))
        if !names.isEmpty { Console.line("features    \(names.count <= 8 ? names.joined(separator: ", ") : names.prefix(8).joined(separator: ", ") + ", … (\(names.count))")") }
        Console.line("parameters  \(params)")
        Console.line("blob        \(m.byteCount) bytes: weights \(sections.layerData), golden \(sections.golden), header and table \(sections.header + sections.layerTable), labels \(sections.labels + sections.featureNames), normalisation \(sections.normalization), padding, identity and checksum \(sections.padding + sections.identity + sections.checksum)")
        Console.line("scratch     \(m.scratchByteCount) bytes per workspace")
        Console.line("device      flash: the blob, \(m.byteCount) bytes, 16-byte aligned; RAM: workspace \(m.scratchByteCount) + input and output rows \(4 * (m.inputCount + m.outputCount)) bytes, and the stack (code and stack per core: scripts/mcu-run.sh)")
        Console.line("normalise   \(m.normalization == .stored ? "stored (mean, std)" : "none or folded")")
        Console.line("golden      \(m.goldenCount) vectors, max error \(CFormat.string("%.3g", m.goldenMaxError))")
        Console.line("model hash  \(hash)")
        Console.line("identity    sha256:\(identity) (\(identityStatus))")
        Console.line("checksum    \(sum) (valid)")
    }

    static func network(_ path: String, json: Bool) throws(CLIError) {
        let n = try Inputs.network(path)
        let labels = n.task.labels
        if json {
            let ls = n.layers.map { "{\"inputs\":\($0.inputCount),\"outputs\":\($0.outputCount),\"activation\":\(ModelJSON.quote($0.activation.name))" + ($0.activation.code.hasParameter ? ",\"alpha\":\($0.activation.parameter)" : "") + "}" }
            Console.line("{\"kind\":\"model\",\"task\":\"\(n.task == .regression ? "regression" : "classification")\",\"inputs\":\(n.inputCount),\"outputs\":\(n.outputCount),\"layers\":[\(ls.joined(separator: ","))],\"parameters\":\(n.parameterCount),\"normalization\":\(n.standardizer == nil ? "false" : "true"),\"target_standardized\":\(n.targetScaler == nil ? "false" : "true"),\"labels\":[\(labels.map(ModelJSON.quote).joined(separator: ","))]}")
            return
        }
        Console.line("FixedNet Float64 model")
        Console.line("task        \(n.task == .regression ? "regression" : "classification (\(labels.count) classes: \(shown(labels)))")")
        Console.line("layers      \(n.inputCount) → " + n.layers.map { "\($0.outputCount) \($0.activation.name)" + ($0.activation.code.hasParameter ? "(\($0.activation.parameter))" : "") }.joined(separator: " → "))
        Console.line("parameters  \(n.parameterCount)")
        Console.line("normalise   \(n.standardizer == nil ? "none" : "standardise (x − mean) / std, stored in the model")")
        if let names = n.targetNames { Console.line("targets     \(shown(names))") }
        if let t = n.targetScaler {
            let each = (0..<t.featureCount).map { "mean \(Console.scientific(t.mean[$0], 6)) std \(Console.scientific(t.std[$0], 6))" }
            Console.line("target      standardised in training (\(each.joined(separator: "; "))); predicts raw values, folded into the last layer at compile")
        }
    }
}
