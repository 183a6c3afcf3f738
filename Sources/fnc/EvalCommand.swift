import Foundation
import Compiler
import FixedNet

/// `fnc eval MODEL.fnb DATA.csv`: metrics of the blob runtime on labelled data.
enum EvalCommand {
    static let help = """
    usage: fnc eval MODEL.fnb DATA.csv [--json] [--label-column N|NAME]

    Classifiers: accuracy, top-2 accuracy, per-class precision/recall/F1 and the
    confusion matrix (rows: true class, columns: predicted). Regression: MSE, RMSE,
    MAE, MAPE and R². Predictions come from the Float32 blob runtime.
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "eval", valued: ["--label-column"], boolean: ["--json"])
        let pos = try a.positional(2...2, usage: "fnc eval MODEL.fnb DATA.csv [--json]")
        let model = try Inputs.blob(pos[0])
        var csv = CSVOptions()
        if let s = a.string("--label-column") { csv.labelColumn = Int(s).map { .index($0) } ?? .name(s) }
        let data: Dataset
        do throws(DataError) { data = try Dataset.load(path: pos[1], options: csv, schema: Inputs.schema(of: model)) }
        catch { throw CLIError.from(error) }
        var workspace = Workspace(for: model)
        var outputs = [Float](repeating: 0, count: data.rowCount * model.outputCount)
        let x = data.features.map(Float.init)
        x.withUnsafeBufferPointer { xp in
            outputs.withUnsafeMutableBufferPointer { model.predictBatch(xp, rows: data.rowCount, into: $0, workspace: &workspace) }
        }
        let y = outputs.map(Double.init)
        let json = a.has("--json")
        if model.outputKind == .regression {
            let s = Metrics.regression(predicted: y, actual: data.labels)
            if json {
                Console.line("{\"rows\":\(data.rowCount),\"mse\":\(s.mse),\"rmse\":\(s.rmse),\"mae\":\(s.mae),\"mape\":\(s.mape.map { "\($0)" } ?? "null"),\"r2\":\(s.r2.map { "\($0)" } ?? "null")}")
            } else {
                Console.line("rows  \(data.rowCount)")
                Console.line("mse   \(Console.fixed(s.mse, 6))")
                Console.line("rmse  \(Console.fixed(s.rmse, 6))")
                Console.line("mae   \(Console.fixed(s.mae, 6))")
                Console.line("mape  \(s.mape.map { Console.fixed($0 * 100, 2) + "%" } ?? "n/a")")
                Console.line("r2    \(s.r2.map { Console.fixed($0, 6) } ?? "n/a")")
            }
            return
        }
        let labels = data.task.labels
        let k = model.outputCount
        let predicted = Metrics.predictedClasses(y, outputCount: k)
        let actual = data.classIndices
        let accuracy = Metrics.accuracy(predicted: predicted, actual: actual)
        let top2 = k > 2 ? Metrics.topKAccuracy(outputs: y, outputCount: k, actual: actual, k: 2) : 1
        let confusion = Metrics.confusionMatrix(predicted: predicted, actual: actual, classCount: labels.count)
        let scores = Metrics.perClass(confusion: confusion)
        if json {
            let classes = zip(labels, scores).map { "{\"label\":\(ModelJSON.quote($0)),\"precision\":\($1.precision),\"recall\":\($1.recall),\"f1\":\($1.f1),\"support\":\($1.support)}" }
            let matrix = confusion.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",")
            Console.line("{\"rows\":\(data.rowCount),\"accuracy\":\(accuracy),\"top2_accuracy\":\(top2),\"classes\":[\(classes.joined(separator: ","))],\"confusion\":[\(matrix)]}")
            return
        }
        Console.line("rows      \(data.rowCount)")
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
