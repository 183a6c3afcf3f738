import FixedNet

/// How much a narrower weight format changes a model's answers on labelled data:
/// the Float32 blob and the candidate blob side by side, on the same rows.
public struct FormatReport: Sendable {
    public var rows: Int
    /// True for classifiers (accuracy), false for regression (R²).
    public var isClassifier: Bool
    /// Accuracy (0…1) or R² of the Float32 blob.
    public var baseline: Double
    /// The same of the candidate blob.
    public var candidate: Double
    /// Classifiers: the share of rows where both blobs pick the same class.
    public var argmaxAgreement: Double?
    /// max over rows and outputs of |candidate − Float32| (probabilities for classifiers).
    public var maxOutputChange: Double

    /// The drop in points: 100 × (baseline − candidate), accuracy percentage points
    /// or R² hundredths. Negative when the candidate scores better.
    public var drop: Double { 100 * (baseline - candidate) }

    /// Runs both models over `data` (features rows × inputCount, Float64 rounded
    /// to Float32 as predict does; for classifiers, labels are class indices).
    /// Precondition: the two models have the same shape and kind.
    public static func measure(baseline: Model, candidate: Model, data: Dataset) -> FormatReport {
        precondition(baseline.inputCount == candidate.inputCount && baseline.outputCount == candidate.outputCount)
        let k = baseline.outputCount, rows = data.rowCount
        let x = data.features.map { Float($0) }
        var yBase = [Float](repeating: 0, count: rows * k), yCand = yBase
        var w1 = Workspace(for: baseline, batchRows: 64), w2 = Workspace(for: candidate, batchRows: 64)
        x.withUnsafeBufferPointer { xp in
            yBase.withUnsafeMutableBufferPointer { baseline.predictBatch(xp, rows: rows, into: $0, workspace: &w1) }
            yCand.withUnsafeMutableBufferPointer { candidate.predictBatch(xp, rows: rows, into: $0, workspace: &w2) }
        }
        var change = 0.0
        for j in 0..<(rows * k) {
            let d = Swift.abs(Double(yCand[j]) - Double(yBase[j]))
            if !(d <= change) { change = d.isNaN ? .infinity : d }
        }
        let classifier = baseline.outputKind != .regression
        if classifier {
            func argmax(_ y: [Float], _ r: Int) -> Int {
                if k == 1 { return y[r] >= 0.5 ? 1 : 0 }
                var best = 0
                for j in 1..<k where y[r * k + j] > y[r * k + best] { best = j }
                return best
            }
            var hitsBase = 0, hitsCand = 0, agree = 0
            for r in 0..<rows {
                let a = argmax(yBase, r), b = argmax(yCand, r), t = Int(data.labels[r])
                if a == t { hitsBase += 1 }
                if b == t { hitsCand += 1 }
                if a == b { agree += 1 }
            }
            let m = Double(Swift.max(rows, 1))
            return FormatReport(rows: rows, isClassifier: true, baseline: Double(hitsBase) / m, candidate: Double(hitsCand) / m,
                                argmaxAgreement: Double(agree) / m, maxOutputChange: change)
        }
        // R² of output 0 against the labels (eval scores single-output regression).
        func r2(_ y: [Float]) -> Double {
            let m = Double(Swift.max(rows, 1))
            let mean = data.labels.reduce(0, +) / m
            var se = 0.0, tot = 0.0
            for r in 0..<rows {
                let e = Double(y[r * k]) - data.labels[r]
                se += e * e
                tot += (data.labels[r] - mean) * (data.labels[r] - mean)
            }
            return tot > 0 ? 1 - se / tot : 0
        }
        return FormatReport(rows: rows, isClassifier: false, baseline: r2(yBase), candidate: r2(yCand),
                            argmaxAgreement: nil, maxOutputChange: change)
    }
}
