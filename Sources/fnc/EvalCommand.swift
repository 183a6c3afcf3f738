import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler
import FixedNet

/// `fnc eval MODEL.fnb DATA.csv`: metrics of the blob runtime on labelled data.
enum EvalCommand {
    static let help = """
    usage: fnc eval MODEL.fnb DATA.csv|- [--json] [--label-column N|NAME]
                    [--delimiter ,|;|tab] [--header|--no-header]

    Classifiers: accuracy, top-2 accuracy, per-class precision/recall/F1 and the
    confusion matrix (rows: true class, columns: predicted). Regression: MSE, RMSE,
    MAE, MAPE and R²; a model with K outputs is scored per output, then the mean
    of each metric over the outputs. Predictions come from the Float32 blob
    runtime. The label is the last column (the last K for K outputs) unless
    --label-column names it (a header name, or a number counting fields from 1;
    a,b,c for several). Streams the file: memory stays flat for classifiers;
    regression keeps one Double per row and output for an exact R².
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "eval", valued: ["--label-column", "--delimiter"], boolean: ["--json", "--header", "--no-header"])
        let pos = try a.positional(2...2, usage: "fnc eval MODEL.fnb DATA.csv [--json]")
        let delimiter = try DataFlags.delimiter(a, command: "eval")
        let header = try DataFlags.header(a, command: "eval")
        let model = try Inputs.blob(pos[0])
        let regression = model.outputKind == .regression
        let targetCount = regression ? model.outputCount : 1
        let labelColumn = a.string("--label-column").map(LabelColumn.init(flag:)) ?? (targetCount == 1 ? .last : .lastColumns(targetCount))
        guard labelColumn.fieldCount == targetCount else {
            throw CLIError.from(DataError(file: pos[1], .targetCount(expected: targetCount, found: labelColumn.fieldCount)))
        }
        let rows: FeatureRows
        do throws(DataError) {
            rows = FeatureRows(scanner: CSVScanner(source: try ByteSource(path: pos[1]), delimiter: delimiter), inputCount: model.inputCount,
                               hasHeader: header, labelColumn: labelColumn)
        } catch { throw CLIError.from(error) }
        let labels = model.labels
        var classOf: [String: Int] = [:]
        for (i, l) in labels.enumerated() { classOf[Dataset.canonicalLabel(l)] = i }

        let tileRows = PredictCommand.tileRows
        var workspace = Workspace(for: model, batchRows: tileRows)
        let n = model.inputCount, k = model.outputCount
        var x = [Float](repeating: 0, count: tileRows * n)
        var y = [Float](repeating: 0, count: tileRows * k)
        var truth = [Int](repeating: 0, count: tileRows)
        var lines = [Int](repeating: 0, count: tileRows)
        var count = 0
        var totalRows = 0
        // Classification: counts. Regression: running sums in row order (the same
        // order, hence the same bits, as Metrics.regression) and the targets for R².
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        var top2Hits = 0
        // (rows, targetCount) targets, and per output the running sums.
        var targets: [Double] = []
        var se = [Double](repeating: 0, count: targetCount), ae = se, ape = se
        var apeCount = [Int](repeating: 0, count: targetCount)

        func finishTile() throws(CLIError) {
            guard count > 0 else { return }
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { model.predictBatch(xp, rows: count, into: $0, workspace: &workspace) }
            }
            for r in 0..<count {
                let out = y[(r * k)..<((r + 1) * k)]
                guard out.allSatisfy(\.isFinite) else {
                    throw CLIError.from(DataError(file: rows.scanner.file, line: lines[r], .invalid("the model's outputs for this row are not finite")))
                }
                if regression {
                    for j in 0..<k {
                        let p = Double(out[out.startIndex + j]), t = targets[targets.count - (count - r) * k + j]
                        let e = p - t
                        se[j] += e * e; ae[j] += Swift.abs(e)
                        if t != 0 { ape[j] += Swift.abs(e / t); apeCount[j] += 1 }
                    }
                } else {
                    let c = truth[r]
                    var best = 0
                    if k == 1 { best = out[out.startIndex] >= 0.5 ? 1 : 0 } else {
                        for j in 1..<k where out[out.startIndex + j] > out[out.startIndex + best] { best = j }
                        let mine = out[out.startIndex + c]
                        if out.filter({ $0 > mine }).count < 2 { top2Hits += 1 }
                    }
                    confusion[c][best] += 1
                }
            }
            totalRows += count
            count = 0
        }

        while true {
            do throws(DataError) {
                guard try rows.next() == .record else { break }
                lines[count] = rows.scanner.line
                try x.withUnsafeMutableBufferPointer { xp throws(DataError) in try rows.features(into: xp.baseAddress! + count * n, for: model) }
                let s = rows.scanner
                if regression {
                    for l in rows.labelIndices {
                        guard let t = s.number(l), t.isFinite else { throw CSVLayout.valueError(s, field: l, name: nil) }
                        targets.append(t)
                    }
                } else {
                    let l = rows.labelIndex!
                    let text = s.text(l)
                    guard !text.isEmpty else { throw DataError(file: s.file, line: s.line(of: l), column: s.column(of: l), .emptyLabel) }
                    guard let c = classOf[Dataset.canonicalLabel(text)] else {
                        throw DataError(file: s.file, line: s.line(of: l), column: s.column(of: l), .unseenLabel(text, classes: labels))
                    }
                    truth[count] = c
                }
            } catch { throw CLIError.from(error) }
            count += 1
            if count == tileRows { try finishTile() }
        }
        try finishTile()
        guard totalRows > 0 else {
            throw CLIError.from(DataError(file: rows.scanner.file, rows.layout == nil ? .emptyFile : .noDataRows))
        }
        let json = a.has("--json")
        if model.outputKind == .regression {
            let m = Double(totalRows)
            var scores: [Metrics.RegressionScores] = []
            for j in 0..<k {
                var mean = 0.0
                for r in 0..<totalRows { mean += targets[r * k + j] }
                mean /= m
                var tot = 0.0
                for r in 0..<totalRows { let d = targets[r * k + j] - mean; tot += d * d }
                scores.append(Metrics.RegressionScores(mse: se[j] / m, rmse: (se[j] / m).squareRoot(), mae: ae[j] / m,
                                                       mape: apeCount[j] > 0 ? ape[j] / Double(apeCount[j]) : nil, r2: tot > 0 ? 1 - se[j] / tot : nil))
            }
            let names = rows.layout.map { l in rows.labelIndices.map { l.hasHeader ? l.names[$0] : "field \($0 + 1)" } }
                ?? (0..<k).map { "output \($0)" }
            func jsonScores(_ s: Metrics.RegressionScores) -> String {
                "\"mse\":\(s.mse),\"rmse\":\(s.rmse),\"mae\":\(s.mae),\"mape\":\(s.mape.map { "\($0)" } ?? "null"),\"r2\":\(s.r2.map { "\($0)" } ?? "null")"
            }
            if k == 1 {
                let s = scores[0]
                if json {
                    Console.line("{\"rows\":\(totalRows),\(jsonScores(s))}")
                } else {
                    Console.line("rows  \(totalRows)")
                    Console.line("mse   \(Console.fixed(s.mse, 6))")
                    Console.line("rmse  \(Console.fixed(s.rmse, 6))")
                    Console.line("mae   \(Console.fixed(s.mae, 6))")
                    Console.line("mape  \(s.mape.map { Console.fixed($0 * 100, 2) + "%" } ?? "n/a")")
                    Console.line("r2    \(s.r2.map { Console.fixed($0, 6) } ?? "n/a")")
                }
                return
            }
            let mean = Metrics.mean(of: scores)
            if json {
                let each = zip(names, scores).map { "{\"name\":\(ModelJSON.quote($0)),\(jsonScores($1))}" }
                Console.line("{\"rows\":\(totalRows),\"outputs\":[\(each.joined(separator: ","))],\"mean\":{\(jsonScores(mean))}}")
                return
            }
            let w = max(6, names.map(\.count).max() ?? 6)
            func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
            Console.line("rows  \(totalRows), \(k) outputs")
            Console.line("")
            Console.line(pad("output", w) + "           mse          rmse           mae     mape          r2")
            for (name, s) in zip(names, scores) + [("mean", mean)] {
                Console.line(pad(name, w) + " " + [s.mse, s.rmse, s.mae].map { pad(Console.fixed($0, 6), 13) }.joined(separator: " ")
                             + " " + pad(s.mape.map { Console.fixed($0 * 100, 2) + "%" } ?? "n/a", 8)
                             + " " + pad(s.r2.map { Console.fixed($0, 6) } ?? "n/a", 11))
            }
            return
        }
        let accuracy = Double((0..<labels.count).reduce(0) { $0 + confusion[$1][$1] }) / Double(totalRows)
        let top2 = k > 2 ? Double(top2Hits) / Double(totalRows) : 1
        let scores = Metrics.perClass(confusion: confusion)
        if json {
            let classes = zip(labels, scores).map { "{\"label\":\(ModelJSON.quote($0)),\"precision\":\($1.precision),\"recall\":\($1.recall),\"f1\":\($1.f1),\"support\":\($1.support)}" }
            let matrix = confusion.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",")
            Console.line("{\"rows\":\(totalRows),\"accuracy\":\(accuracy),\"top2_accuracy\":\(top2),\"classes\":[\(classes.joined(separator: ","))],\"confusion\":[\(matrix)]}")
            return
        }
        Console.line("rows      \(totalRows)")
        Console.line("accuracy  \(Console.fixed(accuracy * 100, 2))%")
        if k > 2 { Console.line("top-2     \(Console.fixed(top2 * 100, 2))%") }
        Console.line("")
        let w = max(5, labels.map(\.count).max() ?? 5)
        func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        Console.line(pad("class", w) + "  precision  recall     f1  support")
        for (l, s) in zip(labels, scores) {
            Console.line(pad(l, w) + "  " + pad(Console.fixed(s.precision, 4), 9) + "  " + pad(Console.fixed(s.recall, 4), 6)
                         + "  " + pad(Console.fixed(s.f1, 4), 5) + "  " + pad(String(s.support), 7))
        }
        Console.line("")
        Console.line("confusion (rows: true, columns: predicted)")
        let cw = max(w, String(confusion.flatMap { $0 }.max() ?? 0).count, labels.map(\.count).max() ?? 1)
        Console.line(pad("", w) + labels.map { " " + pad($0, cw) }.joined())
        for (l, row) in zip(labels, confusion) { Console.line(pad(l, w) + row.map { " " + pad(String($0), cw) }.joined()) }
    }
}
