/// What the first record of a CSV says: whether it is a header, the column
/// names, and which field is the label. Shared by training, `eval` and `predict`
/// so that all three read a file the same way.
public struct CSVLayout: Sendable, Equatable {
    /// Fields per record.
    public var width: Int
    public var hasHeader: Bool
    /// (width): the header's names, or `f0`… when there is none.
    public var names: [String]
    /// 0-based index of the label field, nil when there is none.
    public var labelIndex: Int?
    /// 0-based indices of the feature fields, in order.
    public var featureIndices: [Int]

    public var featureNames: [String] { featureIndices.map { names[$0] } }

    /// Reads the layout off the scanner's current (first) record.
    /// `width`: the fields a record must have (a model's), or nil for the first record's count.
    /// Throws for a label column that is out of range or not in the header, or no features.
    public init(firstRecord s: CSVScanner, hasHeader forced: Bool?, labelColumn: LabelColumn, width given: Int? = nil) throws(DataError) {
        width = given ?? s.fieldCount
        let header: Bool
        switch (forced, labelColumn) {
        case (let given?, _): header = given
        case (nil, .name): header = true
        case (nil, let column):
            let skip: Int? = switch column { case .last: width - 1; case .number(let n): n - 1; default: nil }
            header = (0..<min(width, s.fieldCount)).contains { $0 != skip && s.number($0) == nil && !Self.isMissingOrNonFinite(s.field($0)) }
        }
        hasHeader = header
        if header {
            var names: [String] = []
            for j in 0..<s.fieldCount {
                guard let t = s.validText(j) else {
                    throw DataError(file: s.file, line: s.line(of: j), column: s.column(of: j), .notUTF8(what: "header field \(j + 1)"))
                }
                names.append(t)
            }
            while names.count < width { names.append("f\(names.count)") }
            self.names = names
        } else {
            names = (0..<width).map { "f\($0)" }
        }
        switch labelColumn {
        case .none: labelIndex = nil
        case .last: labelIndex = width - 1
        case .number(let n):
            guard n >= 1 && n <= width else { throw DataError(file: s.file, line: s.line, .labelColumnOutOfRange(number: n, width: width)) }
            labelIndex = n - 1
        case .name(let n):
            guard header else { throw DataError(file: s.file, line: s.line, .labelNameWithoutHeader(n)) }
            guard let i = names.firstIndex(of: n) else {
                let numeric = forced == nil && (0..<s.fieldCount).allSatisfy { s.number($0) != nil }
                throw DataError(file: s.file, line: s.line, numeric ? .labelNameWithoutHeader(n) : .noColumnNamed(n))
            }
            labelIndex = i
        }
        let label = labelIndex
        featureIndices = (0..<width).filter { $0 != label }
        if featureIndices.isEmpty { throw DataError(file: s.file, line: s.line, .noFeatureColumns) }
    }

    /// `NaN`, `inf`, `-Infinity`… (any case): numbers the parser refuses, which
    /// must not make a row look like a header.
    static func isMissingOrNonFinite(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var t = Substring(String(decoding: b, as: UTF8.self).lowercased())
        if t.first == "-" || t.first == "+" { t = t.dropFirst() }
        return t == "nan" || t == "inf" || t == "infinity"
    }

    /// The error for a feature field that is not a usable number.
    public static func valueError(_ s: CSVScanner, field j: Int, name: String?) -> DataError {
        let b = s.field(j)
        let reason: DataError.Reason
        if b.isEmpty {
            reason = .emptyField(field: j + 1, name: name)
        } else if isMissingOrNonFinite(b) {
            reason = .nonFinite(s.text(j), field: j + 1, name: name)
        } else if s.number(j) != nil {
            reason = .beyondFloat32(s.text(j), field: j + 1, name: name)
        } else {
            reason = .notANumber(s.text(j), field: j + 1, name: name)
        }
        return DataError(file: s.file, line: s.line(of: j), column: s.column(of: j), reason)
    }

    /// The error for a record of the wrong width: points at the first extra
    /// field, or just past the last one when fields are missing.
    public static func widthError(_ s: CSVScanner, expected: Int) -> DataError {
        let n = s.fieldCount
        if n > expected {
            return DataError(file: s.file, line: s.line(of: expected), column: s.column(of: expected), .fieldCount(expected: expected, found: n))
        }
        return DataError(file: s.file, line: s.line(of: n - 1), column: s.columnAfterLastField, .fieldCount(expected: expected, found: n))
    }

    /// Field `j` as a feature: a number within Float32's range (the runtime's type).
    @inline(__always)
    public static func feature(_ s: CSVScanner, field j: Int, names: [String]?) throws(DataError) -> Double {
        if let v = s.number(j), Swift.abs(v) <= Double(Float.greatestFiniteMagnitude) { return v }
        throw valueError(s, field: j, name: names?[j])
    }
}
