/// Which column holds the label.
public enum LabelColumn: Sendable, Equatable {
    case last
    /// 1-based field number (the first column is 1), as error messages count fields.
    case number(Int)
    /// Header name.
    case name(String)
    /// No label: every column is a feature (rows to predict).
    case none

    /// `--label-column` text: a positive number or a name.
    public init(flag: String) {
        if let n = Int(flag), n > 0 { self = .number(n) } else { self = .name(flag) }
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
    /// Regression: (rowCount) values. Classification: (rowCount) class indices into `task.labels`.
    public var labels: [Double]
    public var task: Task

    public init(featureNames: [String], features: [Double], labels: [Double], task: Task) {
        precondition(labels.isEmpty || features.count == labels.count * featureNames.count)
        self.featureNames = featureNames
        self.features = features
        self.rowCount = featureNames.isEmpty ? 0 : features.count / featureNames.count
        self.labels = labels
        self.task = task
    }

    /// Class index of each row (classification only).
    public var classIndices: [Int] { labels.map { Int($0) } }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        let n = featureCount
        var f = [Double](); f.reserveCapacity(indices.count * n)
        var l = [Double](); l.reserveCapacity(indices.count)
        for i in indices {
            f += features[(i * n)..<((i + 1) * n)]
            if !labels.isEmpty { l.append(labels[i]) }
        }
        var d = Dataset(featureNames: featureNames, features: f, labels: l, task: task)
        d.hasHeader = hasHeader
        d.inference = inference
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
    /// binary output, raw values for regression. (rowCount, loss.targetWidth(outputCount:))
    public func targets(for loss: Loss, outputCount: Int) -> [Double] {
        if task == .regression || loss == .sparseCategoricalCrossEntropy || outputCount == 1 { return labels }
        var y = [Double](repeating: 0, count: rowCount * outputCount)
        for (r, c) in labels.enumerated() { y[r * outputCount + Int(c)] = 1 }
        return y
    }
}
