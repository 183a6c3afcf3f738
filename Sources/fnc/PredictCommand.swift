import Foundation
import Compiler
import FixedNet

/// `fnc predict MODEL.fnb [FILE|-]`: one output line per input row.
enum PredictCommand {
    static let help = """
    usage: fnc predict MODEL.fnb [FILE.csv|-] [--proba] [--json] [--verify]

    Reads rows of features (CSV, no label; a header row is skipped) and writes one
    line per row: the class label (classifiers) or the outputs (regression). With
    no FILE or "-", streams from stdin and flushes each line (a co-process can keep
    it open).
      --proba    also print the probabilities: label,p0,p1,...
      --json     one JSON object per line
      --verify   re-check the blob's golden vectors before predicting
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "predict", valued: [], boolean: ["--proba", "--json", "--verify"])
        let pos = try a.positional(1...2, usage: "fnc predict MODEL.fnb [FILE|-] [--proba] [--json] [--verify]")
        let model = try Inputs.blob(pos[0])
        var workspace = Workspace(for: model)
        if a.has("--verify") {
            let check = model.verifyGoldenVectors(workspace: &workspace)
            guard check.passed else {
                throw .checkFailed("\(pos[0]): golden vectors fail: max error \(check.maxError) exceeds the stored \(check.storedMaxError)")
            }
            fputs("fnc: verified \(check.vectorCount) golden vectors, max error \(String(format: "%.3g", check.maxError))\n", stderr)
        }
        let labels = (0..<model.labelCount).map { model.label($0) }
        var x = [Float](repeating: 0, count: model.inputCount)
        var y = [Float](repeating: 0, count: model.outputCount)
        let json = a.has("--json"), proba = a.has("--proba")

        func emit() {
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { model.predict(xp, into: $0, workspace: &workspace) } }
            Console.line(format(y, model: model, labels: labels, json: json, proba: proba))
        }
        let file = pos.count == 2 ? pos[1] : "-"
        if file != "-" {
            let rows: [[CSVField]]
            do throws(DataError) { rows = try CSVReader.read(path: file) } catch { throw CLIError.from(error) }
            for (k, row) in rows.enumerated() {
                if k == 0, row.contains(where: { Double($0.text) == nil }) { continue }   // header
                try fill(&x, from: row, file: file)
                emit()
            }
            return
        }
        var lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if lineNumber > 1 || line.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true,
               FastRowParser.parse(line, into: &x) {
                emit()
                Console.flush()
                continue
            }
            let rows: [[CSVField]]
            do throws(DataError) { rows = try CSVReader.parse(line, file: "<stdin>") } catch { throw CLIError.from(error) }
            guard var row = rows.first else { continue }
            for i in row.indices { row[i].line = lineNumber }
            if lineNumber == 1, row.contains(where: { Double($0.text) == nil }) { continue }
            try fill(&x, from: row, file: "<stdin>")
            emit()
            Console.flush()
        }
    }

    static func fill(_ x: inout [Float], from row: [CSVField], file: String) throws(CLIError) {
        guard row.count == x.count else {
            let last = row[row.count - 1]
            let column = row.count > x.count ? row[x.count].column : last.column + last.text.count
            throw .data(DataError(file: file, line: last.line, column: column, "expected \(x.count) features, found \(row.count)").description)
        }
        for (i, f) in row.enumerated() {
            do throws(DataError) { x[i] = Float(try CSVReader.number(f, file: file)) } catch { throw CLIError.from(error) }
        }
    }

    /// One output line. Floats print in Swift's shortest round-trip form.
    static func format(_ y: [Float], model: Model, labels: [String], json: Bool, proba: Bool) -> String {
        let values = y.map { "\($0)" }
        switch model.outputKind {
        case .regression:
            return json ? "{\"outputs\":[\(values.joined(separator: ","))]}" : values.joined(separator: ",")
        case .binary, .multiclass:
            let probs: [Float] = model.outputKind == .binary ? [1 - y[0], y[0]] : y
            var best = 0
            for j in probs.indices where probs[j] > probs[best] { best = j }
            if model.outputKind == .binary { best = y[0] >= 0.5 ? 1 : 0 }
            let label = labels[best]
            if json {
                return "{\"label\":\(ModelJSON.quote(label)),\"index\":\(best),\"probabilities\":[\(probs.map { "\($0)" }.joined(separator: ","))]}"
            }
            return proba ? ([label] + probs.map { "\($0)" }).joined(separator: ",") : label
        }
    }
}
