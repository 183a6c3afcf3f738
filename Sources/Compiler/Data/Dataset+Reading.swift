/// How a dataset's task was decided, so `fnc train` can say it.
public enum TaskInference: Sendable, Equatable {
    /// From `--task` or the model (`eval`).
    case given
    /// Labels that are not all numbers: classes.
    case textLabels
    /// Few distinct integers (`distinct` of them): classes.
    case fewIntegers(distinct: Int)
    /// Numbers with fractions: values.
    case fractionalValues
    /// Integers, but too many distinct ones to be classes (`distinct`), or too few rows per class.
    case manyIntegers(distinct: Int)
}

extension Dataset {
    /// Most distinct integer labels that are taken as classes without `--task classify`.
    public static let maxInferredClasses = 50
    /// Most distinct labels a classifier may have.
    public static let maxClasses = 1 << 16

    /// Reads a CSV file ("-": stdin). With `schema`, the file must have the
    /// model's feature count, and every label must be one of its classes.
    public static func load(path: String, options: CSVOptions = CSVOptions(), schema: Network? = nil) throws(DataError) -> Dataset {
        try load(path: path, options: options, schema: schema.map(DatasetSchema.init))
    }

    public static func load(path: String, options: CSVOptions = CSVOptions(), schema: DatasetSchema?) throws(DataError) -> Dataset {
        let scanner = CSVScanner(source: try ByteSource(path: path), delimiter: options.delimiter)
        return try read(scanner, options: options, schema: schema)
    }

    /// Parses CSV text (tests and small inputs).
    public static func parse(_ text: String, file: String = "<text>", options: CSVOptions = CSVOptions(), schema: Network? = nil) throws(DataError) -> Dataset {
        let scanner = CSVScanner(source: ByteSource(bytes: Array(text.utf8), name: file), delimiter: options.delimiter)
        return try read(scanner, options: options, schema: schema.map(DatasetSchema.init))
    }

    /// Reads every record of `scanner` into a dataset.
    ///
    /// Features: each must be a decimal number within Float32's range (the runtime
    /// computes in Float32). Labels: with no `task` and no schema, labels that are
    /// all numbers are values, unless they are integers with at most
    /// `maxInferredClasses` distinct values and fewer classes than half the rows;
    /// text labels are classes; a column of numbers with some text in it (`NA`) is
    /// an error at the first text, never a classifier.
    ///
    /// Memory: the Float64 feature matrix (sized once from the file's size and its
    /// first row, so it is not copied while it grows), 12 bytes per row of labels
    /// while reading, and the scanner's buffer.
    public static func read(_ s: CSVScanner, options: CSVOptions, schema: DatasetSchema?) throws(DataError) -> Dataset {
        guard try s.next() == .record else { throw DataError(file: s.file, .emptyFile) }
        let layout = try CSVLayout(firstRecord: s, hasHeader: options.hasHeader, labelColumn: options.labelColumn)
        let headerLine = s.line
        let names: [String]? = layout.hasHeader ? layout.names : nil
        if layout.hasHeader { guard try s.next() == .record else { throw DataError(file: s.file, line: headerLine, .noDataRows) } }
        if let schema, layout.featureIndices.count != schema.inputCount {
            throw DataError(file: s.file, line: s.line, .featureCount(expected: schema.inputCount, found: layout.featureIndices.count))
        }
        let width = layout.width
        let featureIndices = layout.featureIndices
        var features: [Double] = []
        var reserved = false
        var labels = LabelCollector(file: s.file)
        // Multi-output regression: one collector per further target column.
        let labelIndices = layout.labelIndices
        var extraLabels = [LabelCollector](repeating: LabelCollector(file: s.file), count: max(0, labelIndices.count - 1))
        if labelIndices.count > 1 {
            if options.task == .classify || (schema.map { $0.task != .regression } ?? false) {
                throw DataError(file: s.file, line: s.line, .severalClassColumns(count: labelIndices.count))
            }
        }
        // The fused scan skips one label field; with several, every field is parsed
        // and `isFeature` picks the features.
        let skip = labelIndices.count == 1 ? labelIndices[0] : width
        var isFeature = [Bool](repeating: true, count: width)
        for l in labelIndices { isFeature[l] = false }
        let row = UnsafeMutablePointer<Double>.allocate(capacity: width)
        defer { row.deallocate() }
        let limit = Double(Float.greatestFiniteMagnitude)
        var parsed = false   // the first record came through the general path
        repeat {
            guard s.fieldCount == width else { throw CSVLayout.widthError(s, expected: width) }
            var inRange = parsed
            if parsed { for j in 0..<width where isFeature[j] && !(Swift.abs(row[j]) <= limit) { inRange = false; break } }
            if !reserved {
                // Size the matrix once from the first row's length and the file's size, with
                // 25% to spare (pages never touched cost no memory); growth is the fallback.
                reserved = true
                let rowBytes = max(2 * width, s.consumedBytes / max(1, s.line))
                let rows = (s.sizeHint ?? 0) / rowBytes
                features.reserveCapacity(min((rows + rows / 4 + 16) * featureIndices.count, 1 << 28))
            }
            if inRange {
                for j in 0..<width where isFeature[j] { features.append(row[j]) }
            } else {
                for j in featureIndices { features.append(try CSVLayout.feature(s, field: j, names: names)) }
            }
            if let l = labelIndices.first { try labels.add(s, field: l) }
            for k in extraLabels.indices { try extraLabels[k].add(s, field: labelIndices[k + 1]) }
            let next = try s.nextParsingNumbers(width: width, skip: skip, into: row)
            parsed = next.parsed
            if next.0 != .record { break }
        } while true
        var data: Dataset
        guard !labelIndices.isEmpty else {
            data = Dataset(featureNames: layout.featureNames, features: features, labels: [], task: schema?.task ?? .regression)
            data.hasHeader = layout.hasHeader
            return data
        }
        let kind: TaskKind
        let inference: TaskInference
        if labelIndices.count > 1 {
            kind = .regress; inference = .given
        } else if let schema {
            kind = schema.task == .regression ? .regress : .classify; inference = .given
        } else if let t = options.task {
            kind = t; inference = .given
        } else {
            (kind, inference) = try labels.inferTask()
        }
        let values: [Double]
        let task: Task
        if kind == .regress && !extraLabels.isEmpty {
            // (rows, targets) row-major, from one column per target.
            let columns = try [labels.values()] + extraLabels.map { c throws(DataError) in try c.values() }
            let rows = columns[0].count, k = columns.count
            var interleaved = [Double](repeating: 0, count: rows * k)
            for (t, column) in columns.enumerated() { for r in 0..<rows { interleaved[r * k + t] = column[r] } }
            values = interleaved
            task = .regression
        } else if kind == .regress {
            values = try labels.values()
            task = .regression
        } else {
            (values, task) = try labels.classes(known: schema?.task.labels)
        }
        data = Dataset(featureNames: layout.featureNames, features: features, labels: values, task: task)
        data.hasHeader = layout.hasHeader
        data.inference = inference
        data.targetNames = labelIndices.map { layout.names[$0] }
        return data
    }

    /// "1", "1.0" and "01" name the same class; other text is kept as written.
    public static func canonicalLabel(_ text: String) -> String {
        guard let v = FloatParser.parse(text), v.isFinite else { return text }
        if v == v.rounded(), Swift.abs(v) < 1e15 { return String(Int(v)) }
        return String(v)
    }
}

/// The label column as it streams by: the number in each field (if any), and
/// each distinct label text with where it first occurred.
struct LabelCollector {
    let file: String
    /// (rows): the field as a number, NaN when it is not one.
    var numbers: [Double] = []
    /// (rows): index into `distinct`, −1 once there are too many to keep.
    var classIDs: [Int32] = []
    var distinct: [(text: String, line: Int, column: Int)] = []
    var byInteger: [Int: Int32] = [:]
    var byText: [String: Int32] = [:]
    var overflowed = false
    var allIntegral = true
    var firstText: (text: String, line: Int, column: Int)? = nil
    var firstEmpty: (line: Int, column: Int)? = nil
    var numericCount = 0

    init(file: String) { self.file = file }

    mutating func add(_ s: CSVScanner, field j: Int) throws(DataError) {
        let v = s.number(j)
        var id: Int32 = -1
        if let v, v.isFinite {
            numericCount += 1
            numbers.append(v)
            if v == v.rounded(), Swift.abs(v) < 1e15 {
                let key = Int(v)
                if let known = byInteger[key] { id = known } else { id = try intern(String(key), s, j, integer: key) }
            } else {
                allIntegral = false
                let key = String(v)
                if let known = byText[key] { id = known } else { id = try intern(key, s, j, integer: nil) }
            }
        } else {
            numbers.append(.nan)
            let b = s.field(j)
            if b.isEmpty {
                if firstEmpty == nil { firstEmpty = (s.line(of: j), s.column(of: j)) }
            } else {
                guard let text = s.validText(j) else {
                    throw DataError(file: file, line: s.line(of: j), column: s.column(of: j), .notUTF8(what: "label"))
                }
                if firstText == nil { firstText = (text, s.line(of: j), s.column(of: j)) }
                if let known = byText[text] { id = known } else { id = try intern(text, s, j, integer: nil) }
            }
        }
        classIDs.append(id)
    }

    mutating func intern(_ text: String, _ s: CSVScanner, _ j: Int, integer: Int?) throws(DataError) -> Int32 {
        guard LabelText.isAcceptable(text) else {
            throw DataError(file: file, line: s.line(of: j), column: s.column(of: j), .labelControlCharacter(text))
        }
        guard distinct.count < Dataset.maxClasses else { overflowed = true; return -1 }
        let id = Int32(distinct.count)
        distinct.append((text, s.line(of: j), s.column(of: j)))
        if let integer { byInteger[integer] = id } else { byText[text] = id }
        return id
    }

    var rows: Int { numbers.count }

    func inferTask() throws(DataError) -> (TaskKind, TaskInference) {
        if let e = firstEmpty, firstText == nil, numericCount > 0 {
            throw DataError(file: file, line: e.line, column: e.column, .emptyLabel)
        }
        if let t = firstText {
            if numericCount > 0 {
                throw DataError(file: file, line: t.line, column: t.column, .nonNumericTarget(t.text, numeric: numericCount, rows: rows))
            }
            return (.classify, .textLabels)
        }
        if let e = firstEmpty { throw DataError(file: file, line: e.line, column: e.column, .emptyLabel) }
        if !allIntegral { return (.regress, .fractionalValues) }
        let k = overflowed ? Dataset.maxClasses + 1 : distinct.count
        if k <= Dataset.maxInferredClasses && k * 2 < rows { return (.classify, .fewIntegers(distinct: k)) }
        return (.regress, .manyIntegers(distinct: k))
    }

    /// Regression targets: every label must be a number.
    func values() throws(DataError) -> [Double] {
        if let t = firstText {
            throw DataError(file: file, line: t.line, column: t.column, .nonNumericTarget(t.text, numeric: numericCount, rows: rows))
        }
        if let e = firstEmpty { throw DataError(file: file, line: e.line, column: e.column, .emptyLabel) }
        return numbers
    }

    /// Class indices in the order of `known` (a model's labels), or of the sorted
    /// distinct labels (numerically when all are numbers).
    func classes(known: [String]?) throws(DataError) -> ([Double], Task) {
        if let e = firstEmpty { throw DataError(file: file, line: e.line, column: e.column, .emptyLabel) }
        if overflowed { throw DataError(file: file, .tooManyClasses(limit: Dataset.maxClasses)) }
        let names: [String]
        if let known {
            names = known
        } else {
            let texts = distinct.map(\.text)
            let numeric = texts.allSatisfy { FloatParser.parse($0) != nil }
            names = numeric ? texts.sorted { FloatParser.parse($0)! < FloatParser.parse($1)! } : texts.sorted()
        }
        var position: [String: Int] = [:]
        for (i, n) in names.enumerated() { position[Dataset.canonicalLabel(n)] = i }
        var map = [Double](repeating: -1, count: distinct.count)
        for (i, d) in distinct.enumerated() {
            guard let p = position[Dataset.canonicalLabel(d.text)] else {
                throw DataError(file: file, line: d.line, column: d.column, .unseenLabel(d.text, classes: names))
            }
            map[i] = Double(p)
        }
        return (classIDs.map { map[Int($0)] }, .classification(labels: names))
    }
}
