import FixedNet

/// Rows of features for a model, streamed from a CSV: the reader behind
/// `fnc predict` and `fnc eval`, for files and stdin alike.
///
/// The first record decides the layout (header or not, the label column to skip);
/// each later call parses one record's features into a caller's Float32 row.
/// Row errors (a wrong field count, a bad value) are thrown per row, so a caller
/// can report and skip a row and go on; structural errors (an unterminated
/// quote) come from `next`. Memory: the scanner's buffer only.
public final class FeatureRows {
    public let scanner: CSVScanner
    /// nil until the first record is read.
    public private(set) var layout: CSVLayout?
    public let inputCount: Int
    let forcedHeader: Bool?
    let labelColumn: LabelColumn
    let expectedNames: [String]?
    var pending = false
    /// The label's index, or `width` when there is none: the fast path's layout.
    var fastLabelIndex: Int?
    /// (width) the current row's numbers when the fused scan parsed them (`parsed`).
    let scratch: UnsafeMutablePointer<Double>
    var parsed = false

    /// - Parameters:
    ///   - expectedNames: the model's feature names, checked against a header row when both exist.
    public init(scanner: CSVScanner, inputCount: Int, hasHeader: Bool? = nil, labelColumn: LabelColumn = .none,
                expectedNames: [String]? = nil) {
        self.scanner = scanner
        self.inputCount = inputCount
        self.forcedHeader = hasHeader
        self.labelColumn = labelColumn
        self.expectedNames = expectedNames
        scratch = .allocate(capacity: inputCount + 1)
    }

    deinit { scratch.deallocate() }

    /// Fields a data row must have.
    public var width: Int { inputCount + labelColumn.fieldCount }

    /// Moves to the next data row (the header, if any, is consumed and checked).
    /// `.needsInput` only when `mayRead` is false and the row is not buffered yet.
    public func next(mayRead: Bool = true) throws(DataError) -> CSVScanner.Status {
        if pending { pending = false; return .record }
        if let skip = fastLabelIndex {
            let (status, ok) = try scanner.nextParsingNumbers(width: width, skip: skip, into: scratch, mayRead: mayRead)
            parsed = ok
            return status
        }
        parsed = false
        let status = try scanner.next(mayRead: mayRead)
        guard status == .record, layout == nil else { return status }
        let l = try CSVLayout(firstRecord: scanner, hasHeader: forcedHeader, labelColumn: labelColumn, width: width)
        layout = l
        // The fused scan skips at most one label field; several take the general path.
        fastLabelIndex = l.labelIndices.count > 1 ? nil : l.labelIndex ?? width
        guard l.hasHeader else { return .record }
        guard scanner.fieldCount == width else {
            throw DataError(file: scanner.file, line: scanner.line,
                            .featureCount(expected: inputCount, found: scanner.fieldCount - labelColumn.fieldCount))
        }
        if let expected = expectedNames, expected.count == inputCount {
            for (k, j) in l.featureIndices.enumerated() where l.names[j] != expected[k] {
                throw DataError(file: scanner.file, line: scanner.line(of: j), column: scanner.column(of: j),
                                .headerNameMismatch(field: j + 1, expected: expected[k], found: l.names[j]))
            }
        }
        return try next(mayRead: mayRead)
    }

    /// The current row's features, as Float32, into `x (inputCount)`.
    public func features(into x: UnsafeMutablePointer<Float>) throws(DataError) {
        let s = scanner
        let limit = Double(Float.greatestFiniteMagnitude)
        if parsed, let label = fastLabelIndex {
            // Parsed by the fused scan: only the range check and the narrowing are left.
            var k = 0
            for j in 0..<width where j != label {
                let v = scratch[j]
                guard Swift.abs(v) <= limit else { break }
                x[k] = Float(v)
                k &+= 1
            }
            if k == inputCount { return }
        } else if s.fieldCount == width, let label = fastLabelIndex {
            // The usual layout (features in order, the label, if any, at `label`): no index table.
            var k = 0
            for j in 0..<width where j != label {
                guard let v = s.number(j), Swift.abs(v) <= limit else { break }
                x[k] = Float(v)
                k += 1
            }
            if k == inputCount { return }
        }
        guard s.fieldCount == width, let l = layout else {
            var e = CSVLayout.widthError(s, expected: width)
            e.reason = .rowFeatureCount(expected: inputCount, found: max(0, s.fieldCount - labelColumn.fieldCount))
            throw e
        }
        var k = 0
        for j in l.featureIndices {
            x[k] = Float(try CSVLayout.feature(s, field: j, names: l.hasHeader ? l.names : nil))
            k += 1
        }
    }

    /// The current row's features into `x (inputCount)`, checked against `model`:
    /// also an error when a value overflows the model's stored standardisation
    /// (Float32, exactly as `predict` computes it), so no NaN or infinity reaches
    /// an output.
    public func features(into x: UnsafeMutablePointer<Float>, for model: Model) throws(DataError) {
        try features(into: x)
        guard let j = model.firstNonFiniteStandardizedInput(UnsafeBufferPointer(start: x, count: inputCount)), let l = layout else { return }
        let field = l.featureIndices[j]
        throw DataError(file: scanner.file, line: scanner.line(of: field), column: scanner.column(of: field),
                        .nonFiniteAfterStandardization(scanner.text(field), field: field + 1, name: l.hasHeader ? l.names[field] : nil))
    }

    /// The current row's label field index (0-based), if the layout has exactly one.
    public var labelIndex: Int? { layout?.labelIndex }
    /// The label fields (0-based), in output order.
    public var labelIndices: [Int] { layout?.labelIndices ?? [] }
}
