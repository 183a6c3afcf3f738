import Compiler
import FixedNet

/// `fnc predict MODEL.fnb [FILE|-]`: one output line per input row.
enum PredictCommand {
    static let help = """
    usage: fnc predict MODEL.fnb [FILE.csv|-] [--proba] [--json] [--verify]
                       [--label-column N|NAME] [--delimiter ,|;|tab] [--header|--no-header]
                       [--on-error stop|skip]

    Reads rows of features (CSV; a header row is detected and skipped) and writes
    one line per row: the class label (classifiers) or the outputs (regression),
    floats in their shortest round-trip form. FILE and stdin ("-", or no FILE) take
    the same path and give the same bytes; on stdin each row's answer is written
    before the next row is awaited, so a co-process can keep the pipe open.
      --proba               classifiers: label,p0,p1,... (p for each class)
      --json                one JSON object per line
      --verify              re-check the blob's golden vectors before predicting
      --label-column N|NAME a column to skip (a labelled test file); N counts
                            fields from 1, as error messages do
      --delimiter D         , ; or tab (default: detected from the first row)
      --on-error stop|skip  stop (default): the first bad row ends the run (exit
                            65) after the rows before it are written. skip: the
                            bad row's error goes to stderr and its output line is
                            empty ({"error":…} with --json); exit 65 at the end.
    """

    /// Rows per `predictBatch` tile.
    static let tileRows = Workspace.recommendedBatchRows
    /// Output is written once this many bytes are pending (and whenever input would block).
    static let flushBytes = 1 << 16

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "predict", valued: ["--label-column", "--delimiter", "--on-error"],
                              boolean: ["--proba", "--json", "--verify", "--header", "--no-header"])
        let pos = try a.positional(1...2, usage: "fnc predict MODEL.fnb [FILE|-] [--proba] [--json] [--verify]")
        let skipBadRows: Bool
        switch a.string("--on-error") ?? "stop" {
        case "stop": skipBadRows = false
        case "skip": skipBadRows = true
        case let s: throw .usage("predict: --on-error must be stop or skip, got \"\(s)\"")
        }
        let delimiter = try DataFlags.delimiter(a, command: "predict")
        let header = try DataFlags.header(a, command: "predict")
        let model = try Inputs.blob(pos[0])
        var workspace = Workspace(for: model, batchRows: tileRows)
        if a.has("--verify") {
            // The identity first: an edit that kept the 64-bit model hash (possible by
            // design) cannot keep the SHA-256 the compiler stored.
            if let stored = model.storedIdentity, stored != model.computeIdentity() {
                throw .checkFailed("\(pos[0]): the blob's content does not match its stored identity (sha256:\(stored)); it was edited after compiling")
            }
            var single = Workspace(for: model)
            let check = model.verifyGoldenVectors(workspace: &single)
            guard check.passed else {
                throw .checkFailed("\(pos[0]): golden vectors fail: max error \(check.maxError) exceeds the stored \(check.storedMaxError)")
            }
            Console.warn("verified \(check.vectorCount) golden vectors, max error \(Console.scientific(check.maxError, 3))")
        }
        let json = a.has("--json"), proba = a.has("--proba")
        if proba && model.outputKind == .regression {
            Console.warn("warning: --proba has no effect on a regression model: its outputs are printed as they are")
        }
        let file = pos.count == 2 ? pos[1] : "-"
        let rows: FeatureRows
        do throws(DataError) {
            rows = FeatureRows(scanner: CSVScanner(source: try ByteSource(path: file), delimiter: delimiter), inputCount: model.inputCount,
                               hasHeader: header, labelColumn: a.string("--label-column").map(LabelColumn.init(flag:)) ?? .none)
        } catch { throw CLIError.from(error) }
        var formatter = PredictionFormatter(model: model, json: json, proba: proba)
        let n = model.inputCount, k = model.outputCount
        var x = [Float](repeating: 0, count: tileRows * n)
        var y = [Float](repeating: 0, count: tileRows * k)
        /// Per tile row: 0 predicted, else the index + 1 of its error in `errors`.
        var rowError = [Int](repeating: 0, count: tileRows)
        var errors: [DataError] = []
        var lines = [Int](repeating: 0, count: tileRows)
        var count = 0
        var failedRows = 0
        var out = TextBuffer(capacity: flushBytes + 4096)

        /// Predicts the pending rows and formats them in input order.
        func finishTile() throws(CLIError) {
            guard count > 0 else { return }
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { model.predictBatch(xp, rows: count, into: $0, workspace: &workspace) }
            }
            for r in 0..<count {
                var failure: DataError? = rowError[r] == 0 ? nil : errors[rowError[r] - 1]
                if failure == nil {
                    let ok = y.withUnsafeBufferPointer { yp in
                        formatter.append(UnsafeBufferPointer(rebasing: yp[(r * k)..<((r + 1) * k)]), to: &out)
                    }
                    if !ok { failure = DataError(file: rows.scanner.file, line: lines[r], .invalid("the model's outputs for this row are not finite")) }
                }
                if let failure {
                    guard skipBadRows else {
                        try StandardOutput.write(out); out.removeAll()
                        throw CLIError.from(failure)
                    }
                    failedRows += 1
                    Console.error(failure.description)
                    formatter.appendError(failure, to: &out)
                }
            }
            count = 0
            errors.removeAll(keepingCapacity: true)
            if out.count >= flushBytes { try StandardOutput.write(out); out.removeAll() }
        }

        while true {
            let status: CSVScanner.Status
            do throws(DataError) { status = try rows.next(mayRead: count == 0) } catch { try StandardOutput.write(out); throw CLIError.from(error) }
            if status == .needsInput {
                // Input would block: answer what is buffered first.
                try finishTile()
                try StandardOutput.write(out); out.removeAll()
                continue
            }
            if status == .end { break }
            lines[count] = rows.scanner.line
            rowError[count] = 0
            do throws(DataError) {
                try x.withUnsafeMutableBufferPointer { xp throws(DataError) in try rows.features(into: xp.baseAddress! + count * n, for: model) }
            } catch {
                errors.append(error)
                rowError[count] = errors.count
                for j in 0..<n { x[count * n + j] = 0 }   // a harmless row; its output is not used
            }
            count += 1
            if count == tileRows { try finishTile() }
        }
        try finishTile()
        try StandardOutput.write(out)
        if failedRows > 0 { throw .data("\(rows.scanner.file): \(failedRows) \(failedRows == 1 ? "row" : "rows") failed (see above)") }
    }
}

/// One output line per prediction, as bytes.
struct PredictionFormatter {
    let kind: OutputKind
    let json: Bool, proba: Bool
    /// Per class: the label's text, and its JSON string literal.
    let labelText: [[UInt8]], labelJSON: [[UInt8]]
    var probabilities: [Float]

    init(model: Model, json: Bool, proba: Bool) {
        kind = model.outputKind
        self.json = json; self.proba = proba
        let labels = model.labels
        labelText = labels.map { Array($0.utf8) }
        labelJSON = labels.map { Array(ModelJSON.quote($0).utf8) }
        probabilities = [Float](repeating: 0, count: max(2, model.outputCount))
    }

    /// Appends the line for outputs `y`; false (and nothing appended) when an output is not finite.
    mutating func append(_ y: UnsafeBufferPointer<Float>, to out: inout TextBuffer) -> Bool {
        for v in y where !v.isFinite { return false }
        switch kind {
        case .regression:
            if json { out.append(ascii: "{\"outputs\":[") }
            for (j, v) in y.enumerated() { if j > 0 { out.append(byte: 44) }; out.append(v) }
            if json { out.append(ascii: "]}") }
        case .binary, .multiclass:
            let count: Int
            var best = 0
            if kind == .binary {
                probabilities[0] = 1 - y[0]; probabilities[1] = y[0]; count = 2
                best = y[0] >= 0.5 ? 1 : 0
            } else {
                count = y.count
                for j in 0..<count { probabilities[j] = y[j] }
                for j in 1..<count where probabilities[j] > probabilities[best] { best = j }
            }
            if json {
                out.append(ascii: "{\"label\":"); out.append(labelJSON[best])
                out.append(ascii: ",\"index\":"); out.append(best)
                out.append(ascii: ",\"probabilities\":[")
                for j in 0..<count { if j > 0 { out.append(byte: 44) }; out.append(probabilities[j]) }
                out.append(ascii: "]}")
            } else {
                out.append(labelText[best])
                if proba { for j in 0..<count { out.append(byte: 44); out.append(probabilities[j]) } }
            }
        }
        out.append(byte: 10)
        return true
    }

    /// The line that stands in for a failed row: empty, or a JSON error object.
    func appendError(_ e: DataError, to out: inout TextBuffer) {
        if json {
            out.append(ascii: "{\"error\":"); out.appendJSONString(e.description)
            if let line = e.line { out.append(ascii: ",\"line\":"); out.append(line) }
            out.append(ascii: "}")
        }
        out.append(byte: 10)
    }
}
