import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler

/// `fnc train DATA.csv -o MODEL`: trains a Float64 model from a CSV.
enum TrainCommand {
    static let help = """
    usage: fnc train DATA.csv -o MODEL [options]

    Trains a Float64 MLP on a CSV (header optional, label in the last column by
    default) and writes the model: binary .fnm, or JSON when MODEL ends in .json.

    network:
      --hidden 32,16          hidden layer widths (default 32)
      --activation relu       one activation for all hidden layers, or one per layer
                              (identity step sigmoid tanh relu leaky_relu[:a] prelu[:a]
                               elu[:a] selu softplus gelu silu gaussian hard_sigmoid[:a])
      --output softmax|sigmoid|linear   output activation (default: from the task)
      --initializer glorot|he|uniform   initial weights (default glorot)
      --init WEIGHTS.json     start from these weights (JSON model form)
    training:
      --loss mse|mae|huber[:delta]|bce|ce|sparse-ce   (default: from the output)
      --optimizer sgd|momentum|nesterov|adam           (default momentum)
      --lr 0.01  --momentum 0.9  --decay 0   (lr_t = lr / (1 + decay * t))
      --batch 32|all  --epochs 50  --seed 1  --no-shuffle
      --validation 0.2        fraction held out for validation (default 0)
      --patience N            early stopping; restores the best weights
    data:
      --label-column N|NAME   label column: a header name, or a number counting
                              fields from 1 as error messages do (default: last)
      --task classify|regress (default: inferred: text labels and few distinct
                              integers are classes, other numbers are values)
      --no-standardize        do not standardise features
""" + DataFlags.help + """
    checkpoints:
      --checkpoint CKPT       every N epochs, atomically write the best-so-far model to
                              CKPT and the full training state to CKPT.resume; on SIGINT
                              or SIGTERM, finish the epoch, save, exit 130 / 143
      --checkpoint-every N    (default 1)
      --resume CKPT           continue from CKPT.resume with the same flags and a larger
                              --epochs; the result equals an uninterrupted run.
                              Other data or any other setting is refused (exit
                              64), naming the flag: the checkpoint stores them
    output:
      -o MODEL                the model file (required)
      --curve CURVE.svg|.csv  learning curve per epoch (the SVG marks the kept epoch)
      --curve-log             the SVG's loss axis in log10
      --quiet                 no progress output
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "train",
                              valued: ["-o", "--hidden", "--activation", "--output", "--initializer", "--init", "--loss",
                                       "--optimizer", "--lr", "--momentum", "--decay", "--batch", "--epochs", "--seed",
                                       "--validation", "--patience", "--label-column", "--task", "--curve",
                                       "--checkpoint", "--checkpoint-every", "--resume", "--delimiter"],
                              boolean: ["--no-shuffle", "--no-standardize", "--quiet", "--no-header", "--header", "--curve-log"])
        let dataPath = try a.positional(1...1, usage: "fnc train DATA.csv -o MODEL [options]")[0]
        guard let out = a.string("-o") else { throw .usage("train: -o MODEL is required") }

        // Parse every flag before reading data, so usage errors come first.
        var arch = Architecture()
        if let h = a.string("--hidden") {
            let parts = h.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingBlanks) }
            guard h.isEmpty || parts.allSatisfy({ ($0 ?? 0) > 0 }) else { throw .usage("train: --hidden expects widths like 32,16, got \"\(h)\"") }
            arch.hidden = h.isEmpty ? [] : parts.map { $0! }
        }
        if let s = a.string("--activation") {
            var acts: [Activation] = []
            for p in s.split(separator: ",") {
                guard let act = Activation(parsing: String(p)), act != .softmax else {
                    throw .usage("train: unknown hidden activation \"\(p)\" (see fnc train --help)")
                }
                acts.append(act)
            }
            guard acts.count == 1 || acts.count == arch.hidden.count else {
                throw .usage("train: --activation gives \(acts.count) activations for \(arch.hidden.count) hidden layers")
            }
            arch.hiddenActivations = acts
        }
        if let s = a.string("--output") {
            switch s {
            case "softmax": arch.output = .softmax
            case "sigmoid": arch.output = .sigmoid
            case "linear", "identity": arch.output = .identity
            default:
                guard let act = Activation(parsing: s) else { throw .usage("train: unknown --output \"\(s)\"") }
                arch.output = act
            }
        }
        if let s = a.string("--initializer") {
            guard let i = Initializer(rawValue: s) else { throw .usage("train: --initializer must be glorot, he or uniform, got \"\(s)\"") }
            arch.initializer = i
        }
        arch.standardize = !a.has("--no-standardize")

        var options = TrainingOptions()
        options.epochs = try a.int("--epochs", default: 50, range: 1...1_000_000)
        options.seed = UInt64(try a.int("--seed", default: 1))
        let lr = try a.double("--lr", default: 0.01, range: 0...1e6)
        let decay = try a.double("--decay", default: 0, range: 0...1e6)
        options.schedule = LearningRateSchedule(initial: lr, decay: decay)
        let mu = try a.double("--momentum", default: 0.9, range: 0...0.999999)
        switch a.string("--optimizer") ?? "momentum" {
        case "sgd": options.optimizer = .sgd
        case "momentum": options.optimizer = .momentum(mu)
        case "nesterov": options.optimizer = .nesterov(mu)
        case "adam": options.optimizer = .defaultAdam
        case let s: throw .usage("train: --optimizer must be sgd, momentum, nesterov or adam, got \"\(s)\"")
        }
        switch a.string("--batch") {
        case nil: options.batchSize = 32
        case "all"?: options.batchSize = nil
        case let s?:
            guard let n = Int(s), n > 0 else { throw .usage("train: --batch expects a positive integer or \"all\", got \"\(s)\"") }
            options.batchSize = n
        }
        if a.has("--no-shuffle") { options.order = .sequential }
        if a.string("--patience") != nil { options.patience = try a.int("--patience", default: 10, range: 1...1_000_000) }
        let validation = try a.double("--validation", default: 0, range: 0...0.9)
        var loss: Loss? = nil
        if let s = a.string("--loss") { loss = try parseLoss(s) }

        var csv = CSVOptions()
        csv.hasHeader = try DataFlags.header(a, command: "train")
        csv.delimiter = try DataFlags.delimiter(a, command: "train")
        if let s = a.string("--label-column") { csv.labelColumn = LabelColumn(flag: s) }
        if let s = a.string("--task") {
            guard let t = TaskKind(rawValue: s) else { throw .usage("train: --task must be classify or regress, got \"\(s)\"") }
            csv.task = t
        }
        let curvePath = a.string("--curve")
        if let c = curvePath, !(c.hasSuffix(".svg") || c.hasSuffix(".csv")) { throw .usage("train: --curve must end in .svg or .csv") }
        var initial: Network? = nil
        if let p = a.string("--init") {
            do throws(DataError) { initial = try ModelFile.load(path: p) } catch { throw CLIError.from(error) }
        }

        let checkpoint = a.string("--checkpoint")
        let every = try a.int("--checkpoint-every", default: 1, range: 1...1_000_000)
        var resume: TrainingState? = nil
        var resumeIdentity: Checkpoint.RunIdentity = []
        if let path = a.string("--resume") {
            do throws(DataError) {
                let bytes = try FileBytes.read(path + ".resume")
                (resume, resumeIdentity) = try Checkpoint.decodeWithIdentity(bytes, file: path + ".resume")
            } catch {
                if error.reason == .notFound {
                    throw .notFound("\(path).resume: no such file (the state --checkpoint writes beside \(path))")
                }
                throw CLIError.from(error)
            }
        }

        let data: Dataset
        do throws(DataError) { data = try Dataset.load(path: dataPath, options: csv) } catch { throw CLIError.from(error) }

        if case .classification(let labels) = data.task, labels.count < 2 {
            throw CLIError.from(DataError(file: dataPath, .singleClass(labels.first ?? "")))
        }
        // Everything that changes the bits of a run, so --resume can refuse a different one.
        func spelled(_ act: Activation) -> String { act.code.hasParameter ? "\(act.name):\(act.parameter)" : act.name }
        let identity: Checkpoint.RunIdentity = [
            ("data", Checkpoint.fingerprint(data)),
            ("--hidden", arch.hidden.map(String.init).joined(separator: ",")),
            ("--activation", arch.hiddenActivations.map(spelled).joined(separator: ",")),
            ("--output", spelled(arch.output ?? TrainingPipeline.defaults(for: data.task).output)),
            ("--initializer", arch.initializer.rawValue),
            ("--no-standardize", arch.standardize ? "off" : "on"),
            ("--seed", "\(options.seed)"),
            ("--lr", "\(lr)"), ("--decay", "\(decay)"),
            ("--optimizer", a.string("--optimizer") ?? "momentum"), ("--momentum", "\(mu)"),
            ("--batch", options.batchSize.map(String.init) ?? "all"),
            ("--no-shuffle", options.order == .sequential ? "on" : "off"),
            ("--patience", options.patience.map(String.init) ?? "none"),
            ("--validation", "\(validation)"),
            ("--loss", loss?.flagName ?? "default"),
        ]
        if let path = a.string("--resume") {
            for (key, was) in resumeIdentity {
                let now = identity.first { $0.key == key }?.value ?? "absent"
                guard now == was else {
                    if key == "data" {
                        throw .usage("train --resume: \(dataPath) is not the data \(path) was trained on (\(now) here, \(was) there); resume on the same file")
                    }
                    throw .usage("train --resume: \(key) is \(now) here, but \(path) was trained with \(was); resume with the same flags (only --epochs may grow)")
                }
            }
        }
        let quiet = a.has("--quiet")
        let isClassifier = data.task != .regression
        if !quiet { Console.line(describeTask(data, output: arch.output, loss: loss)) }
        let progress = Progress(total: options.epochs, terminal: Console.isTerminal && !quiet, quiet: quiet,
                                classification: isClassifier)
        // Choices that run but rarely mean what was wanted: a word on stderr, same exit code.
        if lr == 0 { Console.warn("warning: --lr 0: the weights will never change") }
        if options.patience != nil && validation == 0 {
            Console.warn("warning: --patience without --validation watches the training loss, which rarely stops early; add --validation 0.2")
        }
        let output = arch.output ?? TrainingPipeline.defaults(for: data.task).output
        if let loss, loss.isCrossEntropy, !loss.isFused(with: output) {
            Console.warn("warning: --loss \(loss.flagName) on a \(output.name) output: cross-entropy expects \(loss == .binaryCrossEntropy ? "sigmoid" : "softmax") outputs")
        }
        let validationRows = validation > 0 ? Int((Double(data.rowCount) * validation).rounded()) : 0
        if validation > 0 && (validationRows < 1 || validationRows >= data.rowCount) {
            Console.warn("warning: --validation \(validation) of \(Console.count(data.rowCount, "row")) leaves no usable split; training without validation")
        } else if validation > 0 && validationRows < 10 {
            Console.warn("warning: the validation split holds only \(Console.count(validationRows, "row")); its loss and early stopping will be noisy")
        }
        // Ctrl-C always ends the epoch cleanly: with --checkpoint the state is saved, without it the model so far is written.
        Interruption.install()
        var saved: (epoch: Int, error: CLIError?) = (0, nil)
        func save(_ state: TrainingState) {
            guard let path = checkpoint else { return }
            do throws(CLIError) {
                try AtomicFile.write(Checkpoint.encode(state, identity: identity), to: path + ".resume", replacingInput: true)
                try AtomicFile.write(ModelFile.encode(state.bestNetwork), to: path, replacingInput: true)
                saved.epoch = state.epochsDone
            } catch { saved.error = error }
        }
        var lastState: TrainingState? = nil
        let result: TrainingPipeline.Result
        do throws(TrainingError) {
            result = try TrainingPipeline.train(consume data, architecture: arch, options: options, loss: loss,
                                                validationFraction: validation, initial: initial, resume: resume) { record, state in
                progress.update(record)
                lastState = state
                if record.epoch % every == 0 { save(state) }
                return saved.error == nil && Interruption.received == 0
            }
        } catch {
            progress.finish()
            var e = CLIError.from(error)
            if case .data(let msg) = e, let path = checkpoint, saved.epoch > 0 {
                e = .data(msg + "; the last good checkpoint (epoch \(saved.epoch)) is in \(path)")
            }
            throw e
        }
        progress.finish()
        if let e = saved.error { throw e }
        if Interruption.received != 0, let path = checkpoint {
            if let s = lastState, saved.epoch != s.epochsDone { save(s) }
            if let e = saved.error { throw e }
            throw .interrupted("interrupted after epoch \(saved.epoch); checkpoint \(path) (resume with --resume \(path))",
                               signal: Interruption.received)
        }
        if Interruption.received != 0 {
            // No checkpoint: keep the work so far in -o rather than lose it.
            let done = result.report.curve.count
            try AtomicFile.write(out.hasSuffix(".json") ? Array(ModelJSON.encode(result.network).utf8) : ModelFile.encode(result.network), to: out)
            throw .interrupted("interrupted after epoch \(done); wrote the model so far to \(out) (use --checkpoint CKPT to be able to --resume)",
                               signal: Interruption.received)
        }

        let net = result.network
        let bytes: [UInt8] = out.hasSuffix(".json") ? Array(ModelJSON.encode(net).utf8) : ModelFile.encode(net)
        if let c = curvePath {
            try AtomicFile.write(c.hasSuffix(".svg") ? LearningCurve.svg(result.report.curve, classification: isClassifier,
                                                                          keptEpoch: result.report.bestEpoch, logLoss: a.has("--curve-log"))
                                                     : LearningCurve.csv(result.report.curve), to: c)
        }
        try AtomicFile.write(bytes, to: out)
        if !quiet {
            let last = result.report.curve[result.report.bestEpoch - 1]
            var s = "trained \(net.sizes.map(String.init).joined(separator: "-")) (\(net.parameterCount) parameters) on \(Console.count(result.trainRows, "row"))"
            if result.validationRows > 0 { s += ", validated on \(result.validationRows)" }
            s += "; epoch \(result.report.bestEpoch)/\(result.report.curve.count) kept, train loss \(Console.fixed(last.trainLoss, 6))"
            if let v = last.validationLoss { s += ", validation loss \(Console.fixed(v, 6))" }
            if result.report.stoppedEarly { s += " (early stop)" }
            Console.line(s)
            Console.line("wrote \(out)")
        }
    }

    /// What was inferred from the data, in one line: the task and why, the
    /// classes or the target, the output activation and the loss.
    static func describeTask(_ data: Dataset, output: Activation?, loss: Loss?) -> String {
        let out = output ?? TrainingPipeline.defaults(for: data.task).output
        let chosen = loss ?? TrainingPipeline.defaultLoss(for: data.task, output: out)
        var s: String
        switch data.task {
        case .regression:
            s = "task regression"
            switch data.inference {
            case .fractionalValues: s += " (numeric labels)"
            case .manyIntegers(let k):
                s += " (the labels are integers with \(k > Dataset.maxClasses ? "more than \(Dataset.maxClasses)" : String(k)) distinct values,"
                   + " too many to be classes; pass --task classify to treat them as classes)"
            default: break
            }
        case .classification(let labels):
            let shown = labels.count <= 10 ? labels.joined(separator: ", ") : labels.prefix(10).joined(separator: ", ") + ", …"
            s = "task classification, \(labels.count) classes (\(shown))"
            if case .fewIntegers = data.inference { s += " from integer labels (pass --task regress if they are values)" }
        }
        return s + "; output \(out.name), loss \(chosen.flagName)"
    }

    static func parseLoss(_ s: String) throws(CLIError) -> Loss {
        guard let loss = Loss(flag: s) else { throw .usage("train: --loss must be mse, mae, huber[:delta], bce, ce or sparse-ce, got \"\(s)\"") }
        return loss
    }
}

/// Training progress: a redrawn bar on a terminal; otherwise one plain line per
/// tenth of the run, with no control characters and no timings (stable output).
final class Progress {
    let total: Int, terminal: Bool, quiet: Bool, classification: Bool
    let start = Date()
    var drewBar = false

    init(total: Int, terminal: Bool, quiet: Bool, classification: Bool) {
        self.total = total; self.terminal = terminal; self.quiet = quiet; self.classification = classification
    }

    func update(_ r: EpochRecord) {
        if quiet { return }
        var s = "epoch \(r.epoch)/\(total)  loss \(Console.fixed(r.trainLoss, 6))"
        if let v = r.validationLoss { s += "  val_loss \(Console.fixed(v, 6))" }
        if let m = r.validationMetric { s += classification ? "  val_acc \(Console.fixed(m * 100, 2))%" : "  val_rmse \(Console.fixed(m, 6))" }
        if terminal {
            let done = Double(r.epoch) / Double(total)
            let width = 24
            let filled = Int(done * Double(width))
            let elapsed = Date().timeIntervalSince(start)
            let eta = elapsed / done * (1 - done)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            // One line that never wraps: cut to the terminal's width (a wrapped line cannot be redrawn with \r).
            let text = Progress.fit("[\(bar)] \(s)  eta \(Console.fixed(eta, 1))s", columns: Console.terminalColumns)
            Console.write("\r" + text + "\u{1B}[K")
            Console.flush()
            drewBar = true
        } else {
            let every = max(1, total / 10)
            if r.epoch % every == 0 || r.epoch == total || r.epoch == 1 { Console.line(s) }
        }
    }

    /// `line` cut to fit `columns` with one column to spare (a line that fills the
    /// last column wraps on some terminals, and a wrapped line cannot be redrawn with \r).
    static func fit(_ line: String, columns: Int?) -> String {
        guard let columns, line.count >= columns else { return line }
        return String(line.prefix(max(1, columns - 1)))
    }

    func finish() {
        if drewBar { Console.write("\n"); drewBar = false }
    }
}
