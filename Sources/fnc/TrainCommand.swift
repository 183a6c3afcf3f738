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
      --optimizer adam|sgd|momentum|nesterov           (default adam: β 0.9, 0.999, ε 1e-8)
      --lr R                  (default 0.001 for adam, 0.01 for the others)
      --momentum 0.9  --decay 0   (lr_t = lr / (1 + decay * t), t the updates so far)
      --batch 32|all  --epochs 200 (at most, see --patience)  --seed 1  --no-shuffle
      --schedule S            the rate per epoch (e from 0, E epochs, W warm-up):
                              step:EVERY:GAMMA  lr·GAMMA^floor((e-W)/EVERY)
                              cosine[:MIN_LR]   MIN_LR + (lr-MIN_LR)(1+cos(pi(e-W)/(E-W)))/2
                                                (a cosine run resumes only to the same --epochs)
                              plateau:PATIENCE:FACTOR  lr·FACTOR each time the monitored
                                                loss fails to beat its best by 1e-4
                                                (relative) for more than PATIENCE epochs
                              constant (default); --decay divides it per update
      --warmup W              first W epochs: lr·(e+1)/W, then the schedule (default 0)
      --validation F          fraction held out for validation (default 0.1; 0: train on all)
      --patience N            stop after N epochs without a better validation loss and
                              keep the best epoch's weights (default 10 with a validation
                              split; 0: run every epoch)
    regularisation:
      --l2 ALPHA              adds ALPHA/(2B)·sum(w²) to each batch's mean loss, B the
                              batch's rows; biases excluded (scikit-learn's alpha)
      --weight-decay L        Adam only: decoupled weight decay (AdamW), w *= 1 - lr·L
                              before each update; biases excluded
      --dropout P[,P...]      inverted dropout on each hidden layer's output (one P
                              for all, or one per layer; 0 <= P < 1), masks from the
                              seed; off at inference and for validation
      --class-weight balanced|LABEL=W,...
                              classifiers: each row's loss times its class's weight;
                              balanced: rows/(classes·rows of the class), on the
                              training split; unlisted classes weigh 1
      --clip-norm C           scale the gradients down to global L2 norm C when above it
      --threads N             threads for the matrix products (default: the cores);
                              every N gives the same bits
    data:
      --label-column N|NAME   label column: a header name, or a number counting
                              fields from 1 as error messages do (default: last)
      --task classify|regress (default: inferred: text labels and few distinct
                              integers are classes, other numbers are values)
      --no-standardize        do not standardise features
      --no-standardize-target regression: train on the raw targets (by default each
                              target is standardised on the training split and the
                              model predicts raw values; only with a linear output)
      --label-column a,b,c    several target columns: multi-output regression
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
                                       "--checkpoint", "--checkpoint-every", "--resume", "--delimiter",
                                       "--l2", "--weight-decay", "--dropout", "--class-weight", "--schedule", "--warmup",
                                       "--clip-norm", "--threads"],
                              boolean: ["--no-shuffle", "--no-standardize", "--no-standardize-target", "--quiet", "--no-header", "--header", "--curve-log"])
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
        arch.standardizeTarget = !a.has("--no-standardize-target")

        var options = TrainingOptions()
        options.epochs = try a.int("--epochs", default: TrainingOptions.recommended.epochs, range: 1...1_000_000)
        options.seed = UInt64(try a.int("--seed", default: 1))
        let optimizerName = a.string("--optimizer") ?? "adam"
        let lr = try a.double("--lr", default: optimizerName == "adam" ? 0.001 : 0.01, range: 0...1e6)
        let decay = try a.double("--decay", default: 0, range: 0...1e6)
        options.schedule = LearningRateSchedule(initial: lr, decay: decay)
        let mu = try a.double("--momentum", default: 0.9, range: 0...0.999999)
        switch optimizerName {
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
        let validation = try a.double("--validation", default: TrainingPipeline.recommendedValidationFraction, range: 0...0.9)
        // Early stopping on the validation split by default; --patience 0 turns it off.
        let patience = try a.int("--patience", default: validation > 0 ? TrainingOptions.recommended.patience! : 0, range: 0...1_000_000)
        options.patience = patience == 0 ? nil : patience
        options.l2 = try a.double("--l2", default: 0, range: 0...1e6)
        options.weightDecay = try a.double("--weight-decay", default: 0, range: 0...1e6)
        if options.weightDecay > 0 && optimizerName != "adam" {
            throw .usage("train: --weight-decay is AdamW's decoupled decay and needs --optimizer adam; use --l2 with \(optimizerName)")
        }
        if let s = a.string("--dropout") { options.dropout = try parseDropout(s, hiddenLayers: arch.hidden.count, command: "train") }
        if let s = a.string("--schedule") {
            guard let schedule = EpochSchedule(flag: s) else {
                throw .usage("train: --schedule must be step:EVERY:GAMMA, cosine[:MIN_LR], plateau:PATIENCE:FACTOR or constant (EVERY, PATIENCE >= 1; 0 < GAMMA, FACTOR <= 1; MIN_LR >= 0), got \"\(s)\"")
            }
            options.epochSchedule = schedule
        }
        options.warmup = try a.int("--warmup", default: 0, range: 0...1_000_000)
        guard options.warmup < options.epochs else { throw .usage("train: --warmup \(options.warmup) leaves no epoch of the \(options.epochs) after warm-up") }
        if a.string("--clip-norm") != nil {
            let c = try a.double("--clip-norm", default: 1, range: 0...1e12)
            guard c > 0 else { throw .usage("train: --clip-norm must be positive") }
            options.clipNorm = c
        }
        options.threads = try a.int("--threads", default: max(1, min(64, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))), range: 1...64)
        var classWeighting: ClassWeighting? = nil
        if let s = a.string("--class-weight") { classWeighting = try parseClassWeight(s) }
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
        if let classWeighting {
            guard case .classification(let labels) = data.task else { throw .usage("train: --class-weight is for classifiers; \(dataPath) trains a regression") }
            if case .given(let table) = classWeighting {
                let known = Set(labels.map(Dataset.canonicalLabel))
                if let unknown = table.keys.sorted().first(where: { !known.contains($0) }) {
                    throw .usage("train: --class-weight names \"\(unknown)\", which is not a class of \(dataPath) (classes: \(labels.prefix(20).joined(separator: ", ")))")
                }
            }
        }
        // Everything that changes the bits of a run, so --resume can refuse a different one.
        func spelled(_ act: Activation) -> String { act.code.hasParameter ? "\(act.name):\(act.parameter)" : act.name }
        var identity: Checkpoint.RunIdentity = [
            ("data", Checkpoint.fingerprint(data)),
            ("--hidden", arch.hidden.map(String.init).joined(separator: ",")),
            ("--activation", arch.hiddenActivations.map(spelled).joined(separator: ",")),
            ("--output", spelled(arch.output ?? TrainingPipeline.defaults(for: data.task).output)),
            ("--initializer", arch.initializer.rawValue),
            ("--no-standardize", arch.standardize ? "off" : "on"),
            ("--seed", "\(options.seed)"),
            ("--lr", "\(lr)"), ("--decay", "\(decay)"),
            ("--optimizer", optimizerName), ("--momentum", "\(mu)"),
            ("--batch", options.batchSize.map(String.init) ?? "all"),
            ("--no-shuffle", options.order == .sequential ? "on" : "off"),
            ("--patience", options.patience.map(String.init) ?? "none"),
            ("--validation", "\(validation)"),
            ("--loss", loss?.flagName ?? "default"),
        ]
        let targetFlag = data.task != .regression ? "n/a" : arch.standardizeTarget ? "off" : "on"
        identity.append(("--no-standardize-target", targetFlag))
        identity.append(("--l2", "\(options.l2)"))
        identity.append(("--weight-decay", "\(options.weightDecay)"))
        identity.append(("--dropout", options.dropout.map { "\($0)" }.joined(separator: ",")))
        identity.append(("--class-weight", a.string("--class-weight") ?? "none"))
        identity.append(("--schedule", options.epochSchedule.flagText))
        identity.append(("--warmup", "\(options.warmup)"))
        identity.append(("--clip-norm", options.clipNorm.map { "\($0)" } ?? "none"))
        // A cosine schedule spans --epochs: the same run only for the same count.
        if case .cosine = options.epochSchedule { identity.append(("--epochs", "\(options.epochs)")) }
        if let path = a.string("--resume") {
            // Settings newer than the checkpoint's format: what a run before them did.
            let before: [String: String] = ["--no-standardize-target": "on", "--l2": "0.0", "--weight-decay": "0.0", "--dropout": "",
                                            "--class-weight": "none", "--schedule": "constant", "--warmup": "0", "--clip-norm": "none"]
            for (key, now) in identity where !resumeIdentity.isEmpty && !resumeIdentity.contains(where: { $0.key == key }) && key != "--epochs" {
                guard now == "n/a" || now == before[key] else {
                    throw .usage("train --resume: \(path) was saved before \(key) existed; it cannot continue with \(key) \(now)")
                }
            }
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
        } else if validation > 0 && validationRows < 10 && a.string("--validation") != nil {
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
                                                validationFraction: validation, initial: initial, resume: resume,
                                                classWeighting: classWeighting) { record, state in
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

    /// `--dropout P[,P…]`: one probability for every hidden layer or one per layer, each in [0, 1).
    static func parseDropout(_ s: String, hiddenLayers: Int, command: String) throws(CLIError) -> [Double] {
        let parts = s.split(separator: ",", omittingEmptySubsequences: false).map { FloatParser.parse(String($0.trimmingBlanks)) }
        guard parts.allSatisfy({ $0 != nil && $0! >= 0 && $0! < 1 }) else {
            throw .usage("\(command): --dropout expects probabilities in [0, 1) like 0.2 or 0.2,0.1, got \"\(s)\"")
        }
        guard hiddenLayers > 0 else { throw .usage("\(command): --dropout needs a hidden layer (--hidden)") }
        guard parts.count == 1 || parts.count == hiddenLayers else {
            throw .usage("\(command): --dropout gives \(parts.count) probabilities for \(hiddenLayers) hidden layers")
        }
        return parts.map { $0! }
    }

    /// `--class-weight balanced|LABEL=W,…`.
    static func parseClassWeight(_ s: String) throws(CLIError) -> ClassWeighting {
        if s == "balanced" { return .balanced }
        var table: [String: Double] = [:]
        for item in s.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, !pair[0].isEmpty, let w = FloatParser.parse(String(pair[1])), w.isFinite, w >= 0 else {
                throw .usage("train: --class-weight expects balanced or LABEL=WEIGHT,... with weights >= 0, got \"\(s)\"")
            }
            let label = Dataset.canonicalLabel(String(pair[0]))
            guard table[label] == nil else { throw .usage("train: --class-weight names \"\(pair[0])\" twice") }
            table[label] = w
        }
        return .given(table)
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
