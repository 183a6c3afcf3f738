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
    /// Regression with an identity output: train on (y − mean) / std per target,
    /// fitted on the training split, and store the scaling in the model (which
    /// predicts raw y). Ignored for classifiers and for other output activations,
    /// whose range the scaling would change.
    public var standardizeTarget = true

    public init() {}
}

/// How classes weigh in the loss (`--class-weight`), resolved on the training split.
public enum ClassWeighting: Sendable, Equatable {
    /// scikit-learn's "balanced": w_c = rows / (classes · rows of class c); a class
    /// absent from the training split gets weight 1.
    case balanced
    /// A weight per class label; unlisted classes weigh 1.
    case given([String: Double])

    /// One weight per class index of `train` (a classification dataset).
    public func weights(for train: Dataset) -> [Double] {
        let labels = train.task.labels
        switch self {
        case .balanced:
            var counts = [Int](repeating: 0, count: labels.count)
            for c in train.classIndices { counts[c] += 1 }
            return counts.map { $0 == 0 ? 1 : Double(train.rowCount) / (Double(labels.count) * Double($0)) }
        case .given(let table):
            return labels.map { table[Dataset.canonicalLabel($0)] ?? 1 }
        }
    }
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

    /// The validation share `fnc train` holds out by default (for early stopping).
    public static let recommendedValidationFraction = 0.1

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
    /// one unit per class otherwise; one per target column for regression.
    public static func outputCount(for task: Task, output: Activation, targets: Int = 1) -> Int {
        switch task {
        case .regression: return targets
        case .classification(let labels): return labels.count == 2 && output != .softmax ? 1 : labels.count
        }
    }

    /// - Parameters: `loss`: nil infers it from the output activation and task.
    ///   `validationFraction`: share of rows held out (seeded by `options.seed`).
    public static func train(
        _ data: consuming Dataset, architecture: Architecture, options: TrainingOptions, loss: Loss?,
        validationFraction: Double = 0, initial: Network? = nil, resume: TrainingState? = nil,
        classWeighting: ClassWeighting? = nil,
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

        let featureCount = data.featureCount, task = data.task, targetCount = data.targetCount
        let names = data.hasHeader ? data.featureNames : nil
        let targetNames = data.hasHeader && task == .regression ? data.targetNames : nil
        var (train, validation) = (consume data).split(validationFraction: validationFraction, seed: options.seed)
        var standardizer: Standardizer? = nil
        if architecture.standardize {
            let s = Standardizer(fitting: train.features, rows: train.rowCount, featureCount: train.featureCount)
            s.transform(&train.features, rows: train.rowCount)
            if validation != nil { s.transform(&validation!.features, rows: validation!.rowCount) }
            standardizer = s
        }
        let outputActivation = initial?.outputActivation ?? output
        var targetScaler: Standardizer? = nil
        if architecture.standardizeTarget, task == .regression, outputActivation == .identity {
            let t = Standardizer(fitting: train.labels, rows: train.rowCount, featureCount: targetCount)
            t.transform(&train.labels, rows: train.rowCount)
            if validation != nil { t.transform(&validation!.labels, rows: validation!.rowCount) }
            targetScaler = t
        }
        var network: Network
        if var given = initial {
            guard given.inputCount == featureCount else {
                throw .invalidOptions(.initialInputCount(model: given.inputCount, data: featureCount))
            }
            given.standardizer = standardizer
            given.task = task
            given.targetScaler = targetScaler
            network = given
        } else {
            let outCount = outputCount(for: task, output: output, targets: targetCount)
            let sizes = [featureCount] + architecture.hidden + [outCount]
            let hiddenActs = acts.count == 1 ? Array(repeating: acts[0], count: architecture.hidden.count) : acts
            network = Network(sizes: sizes, activations: hiddenActs + [output], initializer: architecture.initializer,
                              seed: options.seed, learnsAlpha: architecture.learnsAlpha, task: task)
            network.standardizer = standardizer
            network.targetScaler = targetScaler
        }
        if task == .regression, network.outputCount != targetCount {
            throw .invalidOptions(.targetOutputs(targets: targetCount, outputs: network.outputCount))
        }
        if case .classification(let labels) = task {
            let out = network.outputCount
            guard out == labels.count || (out == 1 && labels.count == 2) else {
                throw .invalidOptions(.classOutputs(classes: labels.count, outputs: out))
            }
        }
        var opts = options
        opts.loss = chosenLoss
        if let classWeighting, task != .regression { opts.classWeights = classWeighting.weights(for: train) }
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
            state.network.targetScaler = targetScaler
            state.bestNetwork.standardizer = standardizer
            state.bestNetwork.task = task
            state.bestNetwork.targetScaler = targetScaler
        }
        state.network.featureNames = names
        state.bestNetwork.featureNames = names
        state.network.targetNames = targetNames
        state.bestNetwork.targetNames = targetNames
        let report = try Trainer.run(&state, on: train, validation: validation, options: opts, onEpoch: onEpoch)
        return Result(network: state.network, report: report, loss: chosenLoss, trainRows: train.rowCount,
                      validationRows: validation?.rowCount ?? 0)
    }
}
