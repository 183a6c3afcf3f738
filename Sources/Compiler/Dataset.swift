import Foundation

/// Which column holds the label.
public enum LabelColumn: Sendable, Equatable {
    case last
    /// 0-based column index.
    case index(Int)
    /// Header name.
    case name(String)
    /// No label: every column is a feature (rows to predict).
    case none
}

/// Whether labels are classes or values.
public enum TaskKind: String, Sendable {
    case classify, regress
}

/// How to read a CSV into a dataset.
public struct CSVOptions: Sendable {
    /// nil: a header is present when any field of the first row is not a number.
    public var hasHeader: Bool?
    public var labelColumn: LabelColumn
    /// nil: infer (non-numeric or few distinct integer labels → classify).
    public var task: TaskKind?

    public init(hasHeader: Bool? = nil, labelColumn: LabelColumn = .last, task: TaskKind? = nil) {
        self.hasHeader = hasHeader
        self.labelColumn = labelColumn
        self.task = task
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
    public var featureNames: [String]
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

    /// Reads a CSV file. With `schema`, the file must have the model's feature count,
    /// and every label must be one of its classes.
    public static func load(path: String, options: CSVOptions = CSVOptions(), schema: Network? = nil) throws(DataError) -> Dataset {
        try parse(rows: CSVReader.read(path: path), file: path, options: options, schema: schema.map(DatasetSchema.init))
    }

    public static func load(path: String, options: CSVOptions = CSVOptions(), schema: DatasetSchema?) throws(DataError) -> Dataset {
        try parse(rows: CSVReader.read(path: path), file: path, options: options, schema: schema)
    }

    public static func parse(rows input: [[CSVField]], file: String, options: CSVOptions, schema: Network?) throws(DataError) -> Dataset {
        try parse(rows: input, file: file, options: options, schema: schema.map(DatasetSchema.init))
    }

    public static func parse(rows input: [[CSVField]], file: String, options: CSVOptions, schema: DatasetSchema? = nil) throws(DataError) -> Dataset {
        guard let first = input.first else { throw DataError(file: file, "empty file: no rows") }
        let width = first.count
        // A header is present when a field that must be a number (any but the label) is not one.
        let header: Bool
        switch (options.hasHeader, options.labelColumn) {
        case (let forced?, _): header = forced
        case (nil, .name): header = true
        case (nil, let column):
            let skip: Int? = switch column { case .last: width - 1; case .index(let i): i; default: nil }
            header = first.enumerated().contains { $0.offset != skip && Double($0.element.text) == nil }
        }
        let names = header ? first.map(\.text) : (0..<width).map { "f\($0)" }
        var rows = header ? Array(input.dropFirst()) : input
        if rows.isEmpty { throw DataError(file: file, line: first[0].line, "no data rows after the header") }

        let labelIndex: Int?
        switch options.labelColumn {
        case .none: labelIndex = nil
        case .last: labelIndex = width - 1
        case .index(let i):
            guard i >= 0 && i < width else {
                throw DataError(file: file, line: first[0].line, "label column \(i) out of range: the file has \(width) columns")
            }
            labelIndex = i
        case .name(let n):
            guard header, let i = names.firstIndex(of: n) else {
                throw DataError(file: file, line: first[0].line, "no column named \"\(n)\" in the header")
            }
            labelIndex = i
        }
        let featureNames = names.enumerated().filter { $0.offset != labelIndex }.map(\.element)
        if featureNames.isEmpty { throw DataError(file: file, line: first[0].line, "no feature columns") }
        if let schema, featureNames.count != schema.inputCount {
            throw DataError(file: file, line: rows[0][0].line,
                            "expected \(schema.inputCount) features (the model's input count), found \(featureNames.count)")
        }

        var features = [Double]()
        features.reserveCapacity(rows.count * featureNames.count)
        var labelFields: [CSVField] = []
        for row in rows {
            guard row.count == width else {
                // Too many: point at the first extra field; too few: just past the last one.
                let last = row[row.count - 1]
                let column = row.count > width ? row[width].column : last.column + last.text.count
                throw DataError(file: file, line: last.line, column: column, "expected \(width) fields, found \(row.count)")
            }
            for (j, f) in row.enumerated() {
                if j == labelIndex { labelFields.append(f) } else { features.append(try CSVReader.number(f, file: file)) }
            }
        }
        rows.removeAll()
        guard labelIndex != nil else {
            return Dataset(featureNames: featureNames, features: features, labels: [], task: schema?.task ?? .regression)
        }

        // Labels: classes or values.
        let kind: TaskKind
        if let schema {
            kind = schema.task == .regression ? .regress : .classify
        } else if let t = options.task {
            kind = t
        } else {
            let numeric = labelFields.compactMap { Double($0.text) }
            let integral = numeric.count == labelFields.count && numeric.allSatisfy { $0 == $0.rounded() }
            kind = numeric.count < labelFields.count || (integral && Set(numeric).count <= 50 && Set(numeric).count * 2 < labelFields.count)
                ? .classify : .regress
        }
        if kind == .regress {
            var values = [Double]()
            for f in labelFields { values.append(try CSVReader.number(f, file: file)) }
            return Dataset(featureNames: featureNames, features: features, labels: values, task: .regression)
        }
        let classNames: [String]
        if let schema {
            classNames = schema.task.labels
        } else {
            let distinct = Set(labelFields.map { canonicalLabel($0.text) })
            let allNumeric = distinct.allSatisfy { Double($0) != nil }
            classNames = allNumeric ? distinct.sorted { Double($0)! < Double($1)! } : distinct.sorted()
        }
        var index: [String: Int] = [:]
        for (i, n) in classNames.enumerated() { index[n] = i }
        var labels = [Double]()
        labels.reserveCapacity(labelFields.count)
        for f in labelFields {
            if f.text.isEmpty { throw DataError(file: file, line: f.line, column: f.column, "empty label") }
            guard let i = index[canonicalLabel(f.text)] else {
                throw DataError(file: file, line: f.line, column: f.column,
                                "label \"\(f.text)\" was never seen in training (classes: \(classNames.joined(separator: ", ")))")
            }
            labels.append(Double(i))
        }
        return Dataset(featureNames: featureNames, features: features, labels: labels, task: .classification(labels: classNames))
    }

    /// "1", "1.0" and "01" name the same class; other text is kept as written.
    static func canonicalLabel(_ text: String) -> String {
        guard let v = Double(text), v.isFinite else { return text }
        if v == v.rounded(), Swift.abs(v) < 1e15 { return String(Int(v)) }
        return String(v)
    }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        let n = featureCount
        var f = [Double](); f.reserveCapacity(indices.count * n)
        var l = [Double](); l.reserveCapacity(indices.count)
        for i in indices {
            f += features[(i * n)..<((i + 1) * n)]
            if !labels.isEmpty { l.append(labels[i]) }
        }
        return Dataset(featureNames: featureNames, features: f, labels: l, task: task)
    }

    /// A seeded split: the first `1 − fraction` of a shuffled order trains, the rest validates.
    public func split(validationFraction fraction: Double, seed: UInt64) -> (train: Dataset, validation: Dataset?) {
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
