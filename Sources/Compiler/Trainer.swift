/// The order in which training rows are visited.
public enum BatchOrder: Sendable, Equatable {
    /// A fresh seeded permutation each epoch.
    case shuffled
    /// Rows in file order every epoch.
    case sequential
    /// One permutation of the row indices per epoch (cycled if there are fewer
    /// permutations than epochs). Used to replay a reference run exactly.
    case given([[Int]])
}

/// Everything that controls a training run. All randomness comes from `seed`.
public struct TrainingOptions: Sendable {
    public var epochs: Int = 50
    /// Rows per update; nil is full batch, 1 is single-sample SGD.
    public var batchSize: Int? = 32
    /// Adam at 0.001 by default, as scikit-learn's MLP and Keras start.
    public var schedule = LearningRateSchedule(initial: 0.001)
    public var optimizer: Optimizer = .defaultAdam
    public var loss: Loss = .categoricalCrossEntropy
    public var order: BatchOrder = .shuffled
    public var seed: UInt64 = 1
    /// Stop after this many epochs without a better monitored loss, and restore
    /// the best weights. The monitored loss is the validation loss when there is a
    /// validation set, else the training loss.
    public var patience: Int? = nil
    /// The learning rate per epoch (`EpochSchedule`), times `schedule`'s per-update decay.
    public var epochSchedule: EpochSchedule = .constant
    /// Epochs of linear warm-up before `epochSchedule` (0: none).
    public var warmup = 0
    /// L2 penalty α: scikit-learn's `alpha` (see `Backprop`); 0 is off.
    public var l2 = 0.0
    /// Decoupled weight decay λ per update (see `OptimizerState.apply`); 0 is off.
    public var weightDecay = 0.0
    /// Dropout probability per hidden layer, or one for all; empty is off.
    public var dropout: [Double] = []
    /// Classification: a weight per class index multiplying each row's loss; nil is 1 for all.
    public var classWeights: [Double]? = nil
    /// Gradient clipping by global norm; nil is off.
    public var clipNorm: Double? = nil
    /// Threads for the GEMMs (1: the caller alone). Any count gives the same bits.
    public var threads = 1

    public init() {}

    /// What `fnc train` starts from: these options (Adam at 0.001, batch 32, up to
    /// 200 epochs, early stopping after 10 epochs without a better validation loss)
    /// with `TrainingPipeline.recommendedValidationFraction` held out. Chosen to
    /// train without tuning on small and mid-sized tables (BENCHMARKS.md has the
    /// comparison with scikit-learn's defaults).
    public static var recommended: TrainingOptions {
        var o = TrainingOptions()
        o.epochs = 200
        o.patience = 10
        return o
    }
}

/// One point of the learning curve.
public struct EpochRecord: Sendable, Equatable {
    public var epoch: Int
    /// Mean loss over the epoch's batches, each measured before its own update.
    public var trainLoss: Double
    public var validationLoss: Double?
    /// Accuracy for classification, RMSE for regression.
    public var validationMetric: Double?
    public var learningRate: Double
}

public struct TrainingReport: Sendable {
    public var curve: [EpochRecord]
    /// 1-based epoch whose weights the network holds at the end.
    public var bestEpoch: Int
    public var stoppedEarly: Bool
    /// True when the callback asked to stop.
    public var interrupted: Bool
}

public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// A batch loss became NaN or infinite.
    case diverged(epoch: Int, batch: Int, loss: Double)
    /// Options that cannot train: the caller's mistake (the CLI's usage errors).
    case invalidOptions(Reason)

    /// Why a training run's options were refused, with the numbers involved.
    public enum Reason: Equatable, Sendable {
        case noRows
        case activationCount(hidden: Int, given: Int)
        case nonPositiveWidth
        case softmaxInHiddenLayer
        case initialInputCount(model: Int, data: Int)
        case featureCount(data: Int, network: Int)
        case classOutputs(classes: Int, outputs: Int)
        case targetOutputs(targets: Int, outputs: Int)
        case checkpointShape(checkpoint: [Int], flags: [Int])
        case checkpointOptimizer
        case checkpointEpochs(done: Int, requested: Int)
        case nonPositiveEpochs(Int)
        case nonPositiveBatch(Int)
        case orderLength(rows: Int)
        case classWeightCount(classes: Int, given: Int)
        case dropoutLayers(hidden: Int, given: Int)
    }

    public var description: String {
        switch self {
        case .diverged(let e, let b, let l):
            return "training diverged: loss became \(l) at epoch \(e), batch \(b); lower the learning rate"
        case .invalidOptions(let r):
            func sizes(_ s: [Int]) -> String { s.map(String.init).joined(separator: "-") }
            switch r {
            case .noRows: return "no labelled rows to train on"
            case .activationCount(let h, let g): return "give one hidden activation or one per hidden layer (\(h)), not \(g)"
            case .nonPositiveWidth: return "hidden layer widths must be positive"
            case .softmaxInHiddenLayer: return "softmax is only allowed on the output layer"
            case .initialInputCount(let m, let d): return "the initial model takes \(m) inputs, the data has \(d) features"
            case .featureCount(let d, let n): return "the data has \(d) features but the network takes \(n)"
            case .classOutputs(let c, let o): return "\(c) classes need \(c) outputs (or 1 for two classes), the network has \(o)"
            case .targetOutputs(let t, let o): return "\(t) target \(t == 1 ? "column needs" : "columns need") \(t) \(t == 1 ? "output" : "outputs"), the network has \(o)"
            case .checkpointShape(let c, let f): return "the checkpoint holds a \(sizes(c)) network; these flags build \(sizes(f))"
            case .checkpointOptimizer: return "the checkpoint was trained with another optimizer; resume with the same flags"
            case .checkpointEpochs(let d, _): return "the checkpoint already has \(d) epochs; --epochs must be larger to resume"
            case .nonPositiveEpochs: return "epochs must be positive"
            case .nonPositiveBatch: return "batch size must be positive"
            case .orderLength(let rows): return "each given order must list \(rows) row numbers, each in 0..<\(rows)"
            case .classWeightCount(let c, let g): return "\(g) class weights for \(c) classes"
            case .dropoutLayers(let h, let g): return "give one dropout probability or one per hidden layer (\(h)), not \(g)"
            }
        }
    }
}

/// Everything a training run carries from one epoch to the next. Saved by
/// checkpoints, so a resumed run continues exactly where it stopped.
public struct TrainingState: Sendable {
    public var network: Network
    public var optimizer: OptimizerState
    public var rng: SplitMix64
    public var epochsDone: Int
    public var curve: [EpochRecord]
    /// The lowest monitored loss so far, its 1-based epoch (0: none yet) and weights.
    public var bestLoss: Double
    public var bestEpoch: Int
    public var bestNetwork: Network
    /// The dropout masks' generator (apart from `rng`, so dropout leaves the visiting order as it was).
    public var dropoutRNG: SplitMix64
    /// `EpochSchedule.plateau`'s memory.
    public var plateau = PlateauState()

    /// The seed of the dropout generator for a run seeded `seed`.
    public static func dropoutSeed(_ seed: UInt64) -> UInt64 { seed ^ 0xD809_0D70_5EED_0001 }

    /// The state before the first epoch.
    public init(network: Network, options: TrainingOptions) {
        self.network = network
        optimizer = OptimizerState(rule: options.optimizer, network: network)
        rng = SplitMix64(seed: options.seed)
        epochsDone = 0
        curve = []
        bestLoss = .infinity
        bestEpoch = 0
        bestNetwork = network
        dropoutRNG = SplitMix64(seed: Self.dropoutSeed(options.seed))
    }

    public init(network: Network, optimizer: OptimizerState, rng: SplitMix64, epochsDone: Int, curve: [EpochRecord],
                bestLoss: Double, bestEpoch: Int, bestNetwork: Network, dropoutRNG: SplitMix64, plateau: PlateauState = PlateauState()) {
        self.network = network; self.optimizer = optimizer; self.rng = rng; self.epochsDone = epochsDone
        self.curve = curve; self.bestLoss = bestLoss; self.bestEpoch = bestEpoch; self.bestNetwork = bestNetwork
        self.dropoutRNG = dropoutRNG; self.plateau = plateau
    }
}

/// Mini-batch gradient descent over a Float64 network.
public enum Trainer {
    /// Trains `network` in place on `train` (features already standardised, as the
    /// network's first layer sees them). Calls `onEpoch` after every epoch; return
    /// false from it to stop. Throws on divergence, leaving `network` at its last
    /// finite weights from before the diverging update.
    public static func train(
        _ network: inout Network, on train: Dataset, validation: Dataset? = nil,
        options: TrainingOptions, onEpoch: ((EpochRecord, Network) -> Bool)? = nil
    ) throws(TrainingError) -> TrainingReport {
        var state = TrainingState(network: network, options: options)
        defer { network = state.network }
        return try run(&state, on: train, validation: validation, options: options) { record, s in
            onEpoch?(record, s.network) ?? true
        }
    }

    /// Runs epochs `state.epochsDone + 1 … options.epochs` from `state`. `onEpoch`
    /// sees the state after each epoch (to checkpoint it); return false to stop.
    /// On return, `state.network` holds the result: the best epoch's weights when
    /// `options.patience` is set, else the last epoch's.
    public static func run(
        _ state: inout TrainingState, on train: Dataset, validation: Dataset? = nil,
        options: TrainingOptions, onEpoch: ((EpochRecord, TrainingState) -> Bool)? = nil
    ) throws(TrainingError) -> TrainingReport {
        guard train.rowCount > 0 else { throw .invalidOptions(.noRows) }
        guard train.featureCount == state.network.inputCount else {
            throw .invalidOptions(.featureCount(data: train.featureCount, network: state.network.inputCount))
        }
        guard options.epochs > 0 else { throw .invalidOptions(.nonPositiveEpochs(options.epochs)) }
        let batch = min(options.batchSize ?? train.rowCount, train.rowCount)
        guard batch > 0 else { throw .invalidOptions(.nonPositiveBatch(batch)) }
        if case .given(let perms) = options.order {
            // Each order lists row numbers in 0..<rows (the batch gather reads them unchecked).
            guard !perms.isEmpty, perms.allSatisfy({ $0.count == train.rowCount && $0.allSatisfy { (0..<train.rowCount).contains($0) } }) else {
                throw .invalidOptions(.orderLength(rows: train.rowCount))
            }
        }

        let hidden = state.network.layers.count - 1
        guard options.dropout.count <= 1 || options.dropout.count == hidden else {
            throw .invalidOptions(.dropoutLayers(hidden: hidden, given: options.dropout.count))
        }
        // Per-row loss weights from the class weights, gathered per batch like the rows.
        var rowWeights: [Double]? = nil
        if let w = options.classWeights, case .classification(let labels) = train.task {
            guard w.count == labels.count else { throw .invalidOptions(.classWeightCount(classes: labels.count, given: w.count)) }
            rowWeights = train.classIndices.map { w[$0] }
        }

        let n = train.featureCount, outCount = state.network.outputCount
        let width = options.loss.targetWidth(outputCount: outCount)
        let targets = train.targets(for: options.loss, outputCount: outCount)
        var backprop = Backprop(network: state.network, capacity: batch, dropout: options.dropout)
        // The run's threads: made once, shared by every GEMM, stopped at the end.
        let threads = options.threads > 1 ? TrainingThreads(count: options.threads) : nil
        defer { threads?.stop() }
        backprop.pool = threads
        var gradients = Gradients(zeroFor: state.network)
        var xb = [Double](repeating: 0, count: batch * n)
        var yb = [Double](repeating: 0, count: batch * width)
        var wb = [Double](repeating: 1, count: rowWeights == nil ? 0 : batch)
        var stoppedEarly = false, interrupted = false

        while state.epochsDone < options.epochs {
            let epoch = state.epochsDone + 1
            if let patience = options.patience, state.bestEpoch > 0, epoch - 1 - state.bestEpoch >= patience {
                stoppedEarly = true
                break
            }
            let order: [Int]
            switch options.order {
            case .shuffled: order = state.rng.permutation(of: train.rowCount)
            case .sequential: order = Array(0..<train.rowCount)
            case .given(let perms): order = perms[(epoch - 1) % perms.count]
            }
            var total = 0.0
            var start = 0, batchNumber = 0
            let epochRate = options.epochSchedule.rate(epoch: epoch - 1, of: options.epochs, initial: options.schedule.initial,
                                                       warmup: options.warmup, plateau: state.plateau)
            var eta = epochRate
            while start < order.count {
                let rows = min(batch, order.count - start)
                order.withUnsafeBufferPointer { op in
                    let batchOrder = UnsafeBufferPointer(rebasing: op[start..<(start + rows)])
                    train.features.withUnsafeBufferPointer { fp in
                        xb.withUnsafeMutableBufferPointer { MatrixKernels.gatherRows(batchOrder, n: n, from: fp.baseAddress!, into: $0.baseAddress!) }
                    }
                    targets.withUnsafeBufferPointer { tp in
                        yb.withUnsafeMutableBufferPointer { MatrixKernels.gatherRows(batchOrder, n: width, from: tp.baseAddress!, into: $0.baseAddress!) }
                    }
                    if let rowWeights {
                        rowWeights.withUnsafeBufferPointer { rp in
                            wb.withUnsafeMutableBufferPointer { MatrixKernels.gatherRows(batchOrder, n: 1, from: rp.baseAddress!, into: $0.baseAddress!) }
                        }
                    }
                }
                batchNumber += 1
                if !options.dropout.isEmpty { backprop.drawDropoutMasks(rows: rows, rng: &state.dropoutRNG) }
                let loss = xb.withUnsafeBufferPointer { xp in
                    yb.withUnsafeBufferPointer { yp in
                        wb.withUnsafeBufferPointer { wp in
                            backprop.step(state.network, x: xp.baseAddress!, y: yp.baseAddress!, rows: rows,
                                          loss: options.loss, l2: options.l2, rowWeights: rowWeights == nil ? nil : wp.baseAddress,
                                          gradients: &gradients)
                        }
                    }
                }
                guard loss.isFinite else { throw .diverged(epoch: epoch, batch: batchNumber, loss: loss) }
                total += loss * Double(rows)
                if let c = options.clipNorm { gradients.clip(toNorm: c, for: state.network) }
                // The epoch's rate, then the per-update decay (decay 0 leaves it exact).
                eta = options.schedule.decay == 0 ? epochRate : epochRate / (1 + options.schedule.decay * Double(state.optimizer.updates))
                state.optimizer.apply(gradients, to: &state.network, learningRate: eta, weightDecay: options.weightDecay, threads: threads)
                start += rows
            }
            backprop.clearDropoutMasks()
            let trainLoss = total / Double(order.count)
            var record = EpochRecord(epoch: epoch, trainLoss: trainLoss, validationLoss: nil,
                                     validationMetric: nil, learningRate: eta)
            if let validation, validation.rowCount > 0 {
                let (loss, metric) = evaluate(state.network, on: validation, loss: options.loss)
                record.validationLoss = loss
                record.validationMetric = metric
            }
            let monitored = record.validationLoss ?? trainLoss
            guard monitored.isFinite else { throw .diverged(epoch: epoch, batch: batchNumber, loss: monitored) }
            state.curve.append(record)
            state.epochsDone = epoch
            if case .plateau(let patience, let factor) = options.epochSchedule, epoch > options.warmup {
                state.plateau.observe(monitored, patience: patience, factor: factor)
            }
            if monitored < state.bestLoss {
                state.bestLoss = monitored
                state.bestEpoch = epoch
                state.bestNetwork = state.network
            }
            if let onEpoch, !onEpoch(record, state) { interrupted = true; break }
        }
        var bestEpoch = state.curve.count
        if options.patience != nil, state.bestEpoch > 0 {
            state.network = state.bestNetwork
            bestEpoch = state.bestEpoch
        }
        return TrainingReport(curve: state.curve, bestEpoch: bestEpoch, stoppedEarly: stoppedEarly, interrupted: interrupted)
    }

    /// Mean loss and metric (accuracy, or RMSE for regression) of `network` on
    /// `data` as its layers see it: features standardised and, when the network
    /// has a target scaler, targets too. The loss is in those units; the RMSE is
    /// in the raw target's units (pooled over every output).
    public static func evaluate(_ network: Network, on data: Dataset, loss: Loss) -> (loss: Double, metric: Double) {
        let rows = data.rowCount
        var backprop = Backprop(network: network, capacity: max(rows, 1))
        let y = data.targets(for: loss, outputCount: network.outputCount)
        let value = data.features.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                backprop.loss(network, x: xp.baseAddress!, y: yp.baseAddress!, rows: rows, loss: loss)
            }
        }
        let outputs = network.predictStandardized(data.features, rows: rows)
        let metric: Double
        if data.task == .regression {
            var predicted = outputs, actual = data.labels
            if let t = network.targetScaler {
                t.restore(&predicted, rows: rows)
                t.restore(&actual, rows: rows)
            }
            metric = Metrics.regression(predicted: predicted, actual: actual).rmse
        } else {
            metric = Metrics.accuracy(predicted: Metrics.predictedClasses(outputs, outputCount: network.outputCount),
                                      actual: data.classIndices)
        }
        return (value, metric)
    }
}
