/// What the first record of a CSV says: whether it is a header, the column
/// names, and which field is the label. Shared by training, `eval` and `predict`
/// so that all three read a file the same way.
public struct CSVLayout: Sendable, Equatable {
    /// Fields per record.
    public var width: Int
    public var hasHeader: Bool
    /// (width): the header's names, or `f0`… when there is none.
    public var names: [String]
    /// 0-based indices of the label fields, in output order: none, one, or one
    /// per target of a multi-output regression.
    public var labelIndices: [Int]
    /// The label field when there is exactly one.
    public var labelIndex: Int? { labelIndices.count == 1 ? labelIndices[0] : nil }
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
            let skip: Set<Int> = switch column {
            case .last: [width - 1]
            case .number(let n): [n - 1]
            case .lastColumns(let k): Set(max(0, width - k)..<width)
            case .several(let c): Set(c.compactMap { if case .number(let n) = $0 { n - 1 } else { nil } })
            default: []
            }
            let named = { if case .several(let c) = column { c.contains { if case .name = $0 { true } else { false } } } else { false } }()
            header = named || (0..<min(width, s.fieldCount)).contains { !skip.contains($0) && s.number($0) == nil && !Self.isMissingOrNonFinite(s.field($0)) }
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
        let width = self.width, names = self.names
        func resolve(_ column: LabelColumn) throws(DataError) -> Int {
            switch column {
            case .number(let n):
                guard n >= 1 && n <= width else { throw DataError(file: s.file, line: s.line, .labelColumnOutOfRange(number: n, width: width)) }
                return n - 1
            case .name(let n):
                guard header else { throw DataError(file: s.file, line: s.line, .labelNameWithoutHeader(n)) }
                guard let i = names.firstIndex(of: n) else {
                    let numeric = forced == nil && (0..<s.fieldCount).allSatisfy { s.number($0) != nil }
                    throw DataError(file: s.file, line: s.line, numeric ? .labelNameWithoutHeader(n) : .noColumnNamed(n))
                }
                return i
            default: return width - 1
            }
        }
        var labelIndices: [Int]
        switch labelColumn {
        case .none: labelIndices = []
        case .last: labelIndices = [width - 1]
        case .lastColumns(let k): labelIndices = Array(max(0, width - k)..<width)
        case .several(let columns):
            var indices: [Int] = []
            for c in columns {
                let i = try resolve(c)
                guard !indices.contains(i) else { throw DataError(file: s.file, line: s.line, .repeatedLabelColumn(field: i + 1)) }
                indices.append(i)
            }
            labelIndices = indices
        case let one: labelIndices = [try resolve(one)]
        }
        self.labelIndices = labelIndices
        let labels = Set(labelIndices)
        featureIndices = (0..<width).filter { !labels.contains($0) }
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
