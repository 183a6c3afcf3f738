/// Which column holds the label.
public enum LabelColumn: Sendable, Equatable {
    case last
    /// 1-based field number (the first column is 1), as error messages count fields.
    case number(Int)
    /// Header name.
    case name(String)
    /// No label: every column is a feature (rows to predict).
    case none
    /// Several target columns (multi-output regression), in output order; each
    /// a `.number` or a `.name`.
    case several([LabelColumn])
    /// The last `k` columns, in file order (`fnc eval` of a k-output regression model).
    case lastColumns(Int)

    /// `--label-column` text: a positive number or a name, or several of them
    /// separated by commas (`a,b,c` or `3,4`): one target per output.
    public init(flag: String) {
        func one(_ t: Substring) -> LabelColumn { if let n = Int(t), n > 0 { return .number(n) } else { return .name(String(t)) } }
        let parts = flag.split(separator: ",", omittingEmptySubsequences: false)
        self = parts.count > 1 ? .several(parts.map(one)) : one(Substring(flag))
    }

    /// How many fields of a record are labels.
    public var fieldCount: Int {
        switch self {
        case .none: return 0
        case .several(let c): return c.count
        case .lastColumns(let k): return k
        default: return 1
        }
    }
}

/// Whether labels are classes or values.
public enum TaskKind: String, Sendable {
    case classify, regress
}

/// How to read a CSV into a dataset.
public struct CSVOptions: Sendable {
    /// nil: a header is present when any field of the first row that must be a
    /// number (any but the label) is not one.
    public var hasHeader: Bool?
    public var labelColumn: LabelColumn
    /// nil: infer (see `Dataset.read`).
    public var task: TaskKind?
    /// nil: detect (see `CSVScanner`).
    public var delimiter: UInt8?

    public init(hasHeader: Bool? = nil, labelColumn: LabelColumn = .last, task: TaskKind? = nil, delimiter: UInt8? = nil) {
        self.hasHeader = hasHeader
        self.labelColumn = labelColumn
        self.task = task
        self.delimiter = delimiter
    }
}

/// What a model expects of a CSV: its feature count and its task (classes).
public struct DatasetSchema: Sendable {
    public var inputCount: Int
    public var task: Task
    public init(inputCount: Int, task: Task) { self.inputCount = inputCount; self.task = task }
    public init(_ network: Network) { self.init(inputCount: network.inputCount, task: network.task) }
}

/// Features and labels in memory, Float64, row-major.
public struct Dataset: Sendable {
    /// One per feature: the header's names, or `f0`, `f1`… when the file had none
    /// (`hasHeader` tells which).
    public var featureNames: [String]
    public var hasHeader = false
    /// How the task was decided, for the user (see `TaskInference`).
    public var inference = TaskInference.given
    /// (rowCount, featureCount), row-major, raw or standardised as the caller made it.
    public var features: [Double]
    public var rowCount: Int
    public var featureCount: Int { featureNames.count }
    /// Regression: (rowCount, targetCount) values, row-major. Classification:
    /// (rowCount) class indices into `task.labels`.
    public var labels: [Double]
    public var task: Task
    /// Regression: the target columns' names (header names, or `f…` without a
    /// header), one per output. Classification: one name, the label column's.
    public var targetNames: [String] = []
    /// Values per row in `labels`: the outputs a regression network needs (1 for classification).
    public var targetCount: Int { rowCount == 0 ? max(1, targetNames.count) : labels.count / rowCount }

    /// `labels`: (rows, k) for regression with k targets, (rows) for classification.
    public init(featureNames: [String], features: [Double], labels: [Double], task: Task) {
        self.featureNames = featureNames
        self.features = features
        self.rowCount = featureNames.isEmpty ? 0 : features.count / featureNames.count
        precondition(labels.isEmpty || (rowCount > 0 && labels.count % rowCount == 0 && (task == .regression || labels.count == rowCount)))
        self.labels = labels
        self.task = task
    }

    /// Class index of each row (classification only).
    public var classIndices: [Int] { labels.map { Int($0) } }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        let n = featureCount
        var f = [Double](); f.reserveCapacity(indices.count * n)
        let t = labels.isEmpty ? 0 : targetCount
        var l = [Double](); l.reserveCapacity(indices.count * t)
        for i in indices {
            f += features[(i * n)..<((i + 1) * n)]
            l += labels[(i * t)..<((i + 1) * t)]
        }
        var d = Dataset(featureNames: featureNames, features: f, labels: l, task: task)
        d.hasHeader = hasHeader
        d.inference = inference
        d.targetNames = targetNames
        return d
    }

    /// A seeded split: the first `1 − fraction` of a shuffled order trains, the rest validates.
    /// Consumes the dataset, so that with no validation split the training set is
    /// the same storage (standardising it in place then copies nothing).
    public consuming func split(validationFraction fraction: Double, seed: UInt64) -> (train: Dataset, validation: Dataset?) {
        let count = Int((Double(rowCount) * fraction).rounded())
        guard fraction > 0, count > 0, count < rowCount else { return (self, nil) }
        var rng = SplitMix64(seed: seed ^ 0x5EED_5EED_0000_0001)
        let order = rng.permutation(of: rowCount)
        return (subset(Array(order[..<(rowCount - count)])), subset(Array(order[(rowCount - count)...])))
    }

    /// The target matrix a loss expects for a network with `outputCount` outputs:
    /// one-hot rows for categorical losses, class indices for sparse, 0/1 for one
    /// binary output, the values for regression (rowCount × targetCount, which
    /// must be `outputCount`). (rowCount, loss.targetWidth(outputCount:))
    public func targets(for loss: Loss, outputCount: Int) -> [Double] {
        if task == .regression || loss == .sparseCategoricalCrossEntropy || outputCount == 1 { return labels }
        var y = [Double](repeating: 0, count: rowCount * outputCount)
        for (r, c) in labels.enumerated() { y[r * outputCount + Int(c)] = 1 }
        return y
    }
}
