import FixedNet

/// Bad input data: names the file and, where it applies, the 1-based line and
/// column (the column counts characters from the start of the line, as compilers do).
///
/// `reason` is typed: callers branch on the case, never on the text. Column
/// numbers inside reasons (`field`) count fields from 1, as `--label-column` does.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var reason: Reason

    /// Why input data was refused. Text quoted from the input is cut to
    /// `DataError.quoteLimit` characters.
    public enum Reason: Equatable, Sendable {
        // Files
        case notFound
        case isDirectory
        case cannotOpen(String)
        case readFailed(String)
        case tooLarge(bytes: Int, limit: Int)
        // CSV structure
        case emptyFile
        case noDataRows
        case unterminatedQuote
        case textAfterClosingQuote(String)
        case recordTooLong(limit: Int)
        case tooManyFields(limit: Int)
        case fieldCount(expected: Int, found: Int)
        case ambiguousDelimiter([UInt8])
        case notUTF8(what: String)
        // Values (field: 1-based field number; name: its header name, if any)
        case emptyField(field: Int, name: String?)
        case notANumber(String, field: Int, name: String?)
        case nonFinite(String, field: Int, name: String?)
        case beyondFloat32(String, field: Int, name: String?)
        case nonFiniteAfterStandardization(String, field: Int, name: String?)
        // Columns
        case labelColumnOutOfRange(number: Int, width: Int)
        case noColumnNamed(String)
        case labelNameWithoutHeader(String)
        /// `--label-column a,b,…` names the same field twice.
        case repeatedLabelColumn(field: Int)
        /// Several label columns with class labels: multi-output is regression only.
        case severalClassColumns(count: Int)
        /// The label columns' count differs from the model's outputs.
        case targetCount(expected: Int, found: Int)
        case noFeatureColumns
        case featureCount(expected: Int, found: Int)
        /// A row's feature fields (a label column not counted) differ from the model's input count.
        case rowFeatureCount(expected: Int, found: Int)
        case headerNameMismatch(field: Int, expected: String, found: String)
        // Labels
        case emptyLabel
        /// A class label with a newline, NUL or other control character: labels are printed one per line.
        case labelControlCharacter(String)
        case unseenLabel(String, classes: [String])
        case nonNumericTarget(String, numeric: Int, rows: Int)
        case tooManyClasses(limit: Int)
        case singleClass(String)
        // Binary model files (.fnm) and checkpoints (.resume). `what` names a field of the format.
        case notAModelFile
        case notACheckpoint
        case unsupportedVersion(what: String, found: Int, supported: [Int])
        case checksumMismatch(stored: UInt64, computed: UInt64)
        case checkpointChecksumMismatch
        case truncated(offset: Int, reading: String, needed: Int, left: Int)
        case countOutOfRange(what: String, value: Int, limit: Int)
        case badFlags(standardizer: Int, task: Int)
        case unknownActivationCode(layer: Int, code: Int)
        case nonFiniteParameter(layer: Int)
        case badStandardizer
        case textNotUTF8(what: String, index: Int)
        case featureNameCount(names: Int, inputs: Int)
        case sizeMismatch(expected: Int, found: Int)
        case tooFewLabels(found: Int)
        case unknownOptimizer(code: Int)
        case optimizerSlots(found: Int, expected: Int)
        case optimizerSlotLength(slot: Int, found: Int, expected: Int)
        /// The JSON form's schema and syntax (docs/model-json.md): the message names the path.
        case invalid(String)
        /// An ONNX file that cannot be read or lowered (docs/onnx.md).
        case onnx(ONNXError)
    }

    /// At most this many characters of offending input are quoted in a message.
    public static let quoteLimit = 80

    public init(file: String, line: Int? = nil, column: Int? = nil, _ reason: Reason) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.init(file: file, line: line, column: column, .invalid(message))
    }

    /// `file:line:column: reason`, as compilers print it.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + reason.description
    }

    /// `"text"`, cut to `quoteLimit` characters with "…", control characters escaped.
    public static func quote(_ text: String) -> String {
        var out = "\""
        var n = 0
        for c in text.unicodeScalars {
            if n == quoteLimit { out += "…"; break }
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 || c.value == 0x7F { out += "\\u{\(String(c.value, radix: 16))}" } else { out.unicodeScalars.append(c) }
            }
            n += 1
        }
        return out + "\""
    }
}

extension DataError.Reason: CustomStringConvertible {
    static func fieldName(_ field: Int, _ name: String?) -> String {
        name.map { "field \(field) (\(DataError.quote($0)))" } ?? "field \(field)"
    }

    public var description: String {
        typealias E = DataError
        switch self {
        case .notFound: return "no such file"
        case .isDirectory: return "is a directory"
        case .cannotOpen(let why): return "cannot open (\(why))"
        case .readFailed(let why): return "read failed (\(why))"
        case .tooLarge(let bytes, let limit): return "file of \(bytes) bytes exceeds the \(limit)-byte limit"
        case .emptyFile: return "empty file: no rows"
        case .noDataRows: return "no data rows after the header"
        case .unterminatedQuote: return "unterminated quoted field"
        case .textAfterClosingQuote(let t): return "unexpected \(E.quote(t)) after a closing quote (expected a delimiter or the end of the line)"
        case .recordTooLong(let limit): return "a row longer than \(limit) bytes (is this a CSV file?)"
        case .tooManyFields(let limit): return "a row with more than \(limit) fields"
        case .fieldCount(let expected, let found): return "expected \(expected) \(expected == 1 ? "field" : "fields"), found \(found)"
        case .ambiguousDelimiter(let found):
            let names = found.map { $0 == 9 ? "tab" : "'\(Character(Unicode.Scalar($0)))'" }
            return "cannot tell the delimiter: the first row has \(names.joined(separator: " and ")); pass --delimiter"
        case .notUTF8(let what): return "\(what) is not valid UTF-8"
        case .emptyField(let field, let name): return "empty \(Self.fieldName(field, name)), expected a number"
        case .notANumber(let t, let field, let name): return "expected a number in \(Self.fieldName(field, name)), found \(E.quote(t))"
        case .nonFinite(let t, let field, let name): return "non-finite value \(E.quote(t)) in \(Self.fieldName(field, name))"
        case .beyondFloat32(let t, let field, let name):
            return "\(E.quote(t)) in \(Self.fieldName(field, name)) is beyond Float32's range (±3.4028235e38), which the runtime computes in"
        case .nonFiniteAfterStandardization(let t, let field, let name):
            return "\(E.quote(t)) in \(Self.fieldName(field, name)) becomes non-finite after the model's standardisation (it is far outside the training data)"
        case .labelColumnOutOfRange(let number, let width):
            return "label column \(number) out of range: the file has \(width) \(width == 1 ? "column" : "columns") (numbered from 1)"
        case .noColumnNamed(let n): return "no column named \(E.quote(n)) in the header"
        case .labelNameWithoutHeader(let n): return "--label-column \(E.quote(n)) names a column, but the file has no header row"
        case .repeatedLabelColumn(let field): return "--label-column names field \(field) twice"
        case .severalClassColumns(let count):
            return "\(count) label columns: several targets train a multi-output regression, so they must be numbers (--task regress); classify with one label column"
        case .targetCount(let expected, let found):
            return "the model has \(expected) \(expected == 1 ? "output" : "outputs") but \(found) label \(found == 1 ? "column was" : "columns were") given"
        case .noFeatureColumns: return "no feature columns"
        case .featureCount(let expected, let found):
            return "expected \(expected) \(expected == 1 ? "feature" : "features") (the model's input count), found \(found)"
        case .rowFeatureCount(let expected, let found):
            return "expected \(expected) \(expected == 1 ? "feature" : "features") (the model's input count), found \(found)"
        case .headerNameMismatch(let field, let expected, let found):
            return "header field \(field) is \(E.quote(found)), but the model was trained on \(E.quote(expected)) there"
        case .emptyLabel: return "empty label"
        case .labelControlCharacter(let l): return "label \(E.quote(l)) holds a control character (a newline or NUL would break fnc predict's one line per row)"
        case .unseenLabel(let l, let classes):
            let shown = classes.count <= 20 ? classes.joined(separator: ", ") : classes.prefix(20).joined(separator: ", ") + ", … (\(classes.count) in all)"
            return "label \(E.quote(l)) was never seen in training (classes: \(shown))"
        case .nonNumericTarget(let t, let numeric, let rows):
            if numeric == 0 { return "label \(E.quote(t)) is not a number; a regression target must be numeric" }
            return "non-numeric label \(E.quote(t)) in a column of numbers (\(numeric) of \(rows) labels are numbers); "
                + "fix or drop the row, or pass --task classify if the labels are class names"
        case .tooManyClasses(let limit): return "more than \(limit) distinct labels; pass --task regress if the labels are values"
        case .singleClass(let l): return "only one class (\(l)) in the labels; classification needs at least two"
        case .notAModelFile: return "not a FixedNet model file (bad magic)"
        case .notACheckpoint: return "not a FixedNet training checkpoint"
        case .unsupportedVersion(let what, let found, let supported):
            return "\(what) version \(found) is not supported (this fnc reads \(supported.map(String.init).joined(separator: ", ")))"
        case .checksumMismatch(let stored, let computed):
            return "checksum mismatch: stored \(hexString(stored)), computed \(hexString(computed)); the file is corrupt or truncated"
        case .checkpointChecksumMismatch: return "checkpoint checksum mismatch; the file is corrupt"
        case .truncated(let offset, let what, let needed, let left):
            return "truncated at byte \(offset) reading \(what): need \(needed) bytes, \(left) left"
        case .countOutOfRange(let what, let value, let limit): return "\(what) \(value) out of range 1...\(limit)"
        case .badFlags(let st, let task): return "bad flags \(st), \(task)"
        case .unknownActivationCode(let l, let c): return "layer \(l): unknown activation code \(c)"
        case .nonFiniteParameter(let l): return "layer \(l) holds a non-finite parameter"
        case .badStandardizer: return "the standardizer holds a non-finite mean or a zero std"
        case .textNotUTF8(let what, let i): return "\(what) \(i) is not UTF-8"
        case .featureNameCount(let n, let inputs): return "\(n) feature names for \(inputs) inputs"
        case .sizeMismatch(let expected, let found): return "expected \(expected) bytes, found \(found)"
        case .tooFewLabels(let n): return "a classification model needs at least two labels, found \(n)"
        case .unknownOptimizer(let c): return "unknown optimizer \(c)"
        case .optimizerSlots(let f, let e): return "optimizer state has \(f) slots, the network needs \(e)"
        case .optimizerSlotLength(let k, let f, let e): return "optimizer slot \(k) has \(f) values, expected \(e)"
        case .invalid(let s): return s
        case .onnx(let e): return e.description
        }
    }
}
