/// The shape of a network to train; what is left nil is inferred from the data.
public struct Architecture: Sendable {
    /// Hidden layer widths, e.g. [32, 16].
    public var hidden: [Int] = [32]
    /// One activation for every hidden layer, or one per hidden layer.
    public var hiddenActivations: [Activation] = [.relu]
    /// nil: softmax for 3+ classes, sigmoid for 2, identity for regression.
    public var output: Activation? = nil
    public var initializer: Initializer = .glorot
    /// Learn α of PReLU layers.
    public var learnsAlpha = true
    public var standardize = true

    public init() {}
}

/// From a raw dataset to a trained network: split, standardise on the training
/// split, build, train. The single path the CLI and the tests use.
public enum TrainingPipeline {
    public struct Result: Sendable {
        public var network: Network
        public var report: TrainingReport
        /// The loss actually used (inferred when the options left the default).
        public var loss: Loss
        public var trainRows: Int
        public var validationRows: Int
    }

    /// Default output activation and loss for a task.
    public static func defaults(for task: Task) -> (output: Activation, loss: Loss, outputCount: Int) {
        switch task {
        case .regression: return (.identity, .meanSquaredError, 1)
        case .classification(let labels) where labels.count == 2: return (.sigmoid, .binaryCrossEntropy, 1)
        case .classification(let labels): return (.softmax, .categoricalCrossEntropy, labels.count)
        }
    }

    /// The loss used when none is given: cross-entropy matching a softmax or
    /// sigmoid classifier, mean squared error otherwise.
    public static func defaultLoss(for task: Task, output: Activation) -> Loss {
        switch (task, output) {
        case (.regression, _): return .meanSquaredError
        case (_, .softmax): return .categoricalCrossEntropy
        case (_, .sigmoid): return .binaryCrossEntropy
        default: return .meanSquaredError
        }
    }

    /// Output width for an output activation: one sigmoid unit for two classes,
    /// one unit per class otherwise; one for regression.
    public static func outputCount(for task: Task, output: Activation) -> Int {
        switch task {
        case .regression: return 1
        case .classification(let labels): return labels.count == 2 && output != .softmax ? 1 : labels.count
        }
    }

    /// - Parameters: `loss`: nil infers it from the output activation and task.
    ///   `validationFraction`: share of rows held out (seeded by `options.seed`).
    public static func train(
        _ data: consuming Dataset, architecture: Architecture, options: TrainingOptions, loss: Loss?,
        validationFraction: Double = 0, initial: Network? = nil, resume: TrainingState? = nil,
        onEpoch: ((EpochRecord, TrainingState) -> Bool)? = nil
    ) throws(TrainingError) -> Result {
        guard data.rowCount > 0, !data.labels.isEmpty else { throw .invalidOptions(.noRows) }
        let inferred = defaults(for: data.task)
        let output = architecture.output ?? inferred.output
        let chosenLoss = loss ?? defaultLoss(for: data.task, output: output)
        let acts = architecture.hiddenActivations
        guard acts.count == 1 || acts.count == architecture.hidden.count else {
            throw .invalidOptions(.activationCount(hidden: architecture.hidden.count, given: acts.count))
        }
        guard architecture.hidden.allSatisfy({ $0 > 0 }) else { throw .invalidOptions(.nonPositiveWidth) }
        guard !acts.contains(.softmax) else { throw .invalidOptions(.softmaxInHiddenLayer) }

        let featureCount = data.featureCount, task = data.task
        let names = data.hasHeader ? data.featureNames : nil
        var (train, validation) = (consume data).split(validationFraction: validationFraction, seed: options.seed)
        var standardizer: Standardizer? = nil
        if architecture.standardize {
            let s = Standardizer(fitting: train.features, rows: train.rowCount, featureCount: train.featureCount)
            s.transform(&train.features, rows: train.rowCount)
            if validation != nil { s.transform(&validation!.features, rows: validation!.rowCount) }
            standardizer = s
        }
        var network: Network
        if var given = initial {
            guard given.inputCount == featureCount else {
                throw .invalidOptions(.initialInputCount(model: given.inputCount, data: featureCount))
            }
            given.standardizer = standardizer
            given.task = task
            network = given
        } else {
            let outCount = outputCount(for: task, output: output)
            let sizes = [featureCount] + architecture.hidden + [outCount]
            let hiddenActs = acts.count == 1 ? Array(repeating: acts[0], count: architecture.hidden.count) : acts
            network = Network(sizes: sizes, activations: hiddenActs + [output], initializer: architecture.initializer,
                              seed: options.seed, learnsAlpha: architecture.learnsAlpha, task: task)
            network.standardizer = standardizer
        }
        if case .classification(let labels) = task {
            let out = network.outputCount
            guard out == labels.count || (out == 1 && labels.count == 2) else {
                throw .invalidOptions(.classOutputs(classes: labels.count, outputs: out))
            }
        }
        var opts = options
        opts.loss = chosenLoss
        var state = TrainingState(network: network, options: opts)
        if let resume {
            // The split and standardisation above are recomputed from the same seed;
            // the weights, optimizer moments, generator and curve come from the checkpoint.
            guard resume.network.sizes == network.sizes,
                  resume.network.layers.map(\.activation) == network.layers.map(\.activation) else {
                throw .invalidOptions(.checkpointShape(checkpoint: resume.network.sizes, flags: network.sizes))
            }
            guard resume.optimizer.rule == opts.optimizer else {
                throw .invalidOptions(.checkpointOptimizer)
            }
            guard resume.epochsDone < opts.epochs else {
                throw .invalidOptions(.checkpointEpochs(done: resume.epochsDone, requested: opts.epochs))
            }
            state = resume
            state.network.standardizer = standardizer
            state.network.task = task
            state.bestNetwork.standardizer = standardizer
            state.bestNetwork.task = task
        }
        state.network.featureNames = names
        state.bestNetwork.featureNames = names
        let report = try Trainer.run(&state, on: train, validation: validation, options: opts, onEpoch: onEpoch)
        return Result(network: state.network, report: report, loss: chosenLoss, trainRows: train.rowCount,
                      validationRows: validation?.rowCount ?? 0)
    }
}
