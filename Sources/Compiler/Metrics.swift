/// Classification and regression metrics. Pure functions of predictions and truth.
public enum Metrics {
    /// Argmax per row of `outputs (rows, outputCount)`; one output means p ≥ 0.5 → class 1.
    /// Ties go to the lowest index.
    public static func predictedClasses(_ outputs: [Double], outputCount: Int) -> [Int] {
        let rows = outputs.count / outputCount
        if outputCount == 1 { return outputs.map { $0 >= 0.5 ? 1 : 0 } }
        return (0..<rows).map { r in
            var best = 0
            for j in 1..<outputCount where outputs[r * outputCount + j] > outputs[r * outputCount + best] { best = j }
            return best
        }
    }

    public static func accuracy(predicted: [Int], actual: [Int]) -> Double {
        precondition(predicted.count == actual.count && !actual.isEmpty)
        return Double(zip(predicted, actual).filter { $0 == $1 }.count) / Double(actual.count)
    }

    /// Fraction of rows whose true class is among the `k` highest outputs.
    public static func topKAccuracy(outputs: [Double], outputCount: Int, actual: [Int], k: Int) -> Double {
        precondition(!actual.isEmpty && outputs.count == actual.count * outputCount)
        var hits = 0
        for (r, c) in actual.enumerated() {
            let row = outputs[(r * outputCount)..<((r + 1) * outputCount)]
            let mine = row[row.startIndex + c]
            // Rank = number of outputs strictly greater, ties counted in our favour.
            let rank = row.filter { $0 > mine }.count
            if rank < k { hits += 1 }
        }
        return Double(hits) / Double(actual.count)
    }

    /// `matrix[actual][predicted]` counts.
    public static func confusionMatrix(predicted: [Int], actual: [Int], classCount: Int) -> [[Int]] {
        var m = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (p, a) in zip(predicted, actual) { m[a][p] += 1 }
        return m
    }

    public struct ClassScore: Sendable, Equatable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Rows whose true class is this one.
        public var support: Int
    }

    /// Precision, recall and F1 per class; 0 where a ratio is 0/0.
    public static func perClass(confusion m: [[Int]]) -> [ClassScore] {
        let k = m.count
        return (0..<k).map { c in
            let tp = Double(m[c][c])
            let predicted = Double((0..<k).reduce(0) { $0 + m[$1][c] })
            let actual = Double(m[c].reduce(0, +))
            let p = predicted > 0 ? tp / predicted : 0
            let r = actual > 0 ? tp / actual : 0
            return ClassScore(precision: p, recall: r, f1: p + r > 0 ? 2 * p * r / (p + r) : 0, support: Int(actual))
        }
    }

    public struct RegressionScores: Sendable, Equatable {
        public var mse, rmse, mae: Double
        /// Mean |e/y| over rows with y ≠ 0, as a fraction (not percent); nil if every y is 0.
        public var mape: Double?
        /// 1 − SSres/SStot; nil when the truth is constant.
        public var r2: Double?

        public init(mse: Double, rmse: Double, mae: Double, mape: Double?, r2: Double?) {
            self.mse = mse; self.rmse = rmse; self.mae = mae; self.mape = mape; self.r2 = r2
        }
    }

    public static func regression(predicted: [Double], actual: [Double]) -> RegressionScores {
        precondition(predicted.count == actual.count && !actual.isEmpty)
        let n = Double(actual.count)
        var se = 0.0, ae = 0.0, ape = 0.0, apeCount = 0
        for (p, a) in zip(predicted, actual) {
            let e = p - a
            se += e * e; ae += Swift.abs(e)
            if a != 0 { ape += Swift.abs(e / a); apeCount += 1 }
        }
        let mean = actual.reduce(0, +) / n
        let tot = actual.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return RegressionScores(mse: se / n, rmse: (se / n).squareRoot(), mae: ae / n,
                                mape: apeCount > 0 ? ape / Double(apeCount) : nil,
                                r2: tot > 0 ? 1 - se / tot : nil)
    }

    /// The mean of each score over several outputs; MAPE and R² over the outputs
    /// that have one (nil when none has).
    public static func mean(of scores: [RegressionScores]) -> RegressionScores {
        precondition(!scores.isEmpty)
        let n = Double(scores.count)
        func avg(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
        return RegressionScores(mse: scores.reduce(0) { $0 + $1.mse } / n, rmse: scores.reduce(0) { $0 + $1.rmse } / n,
                                mae: scores.reduce(0) { $0 + $1.mae } / n, mape: avg(scores.compactMap(\.mape)), r2: avg(scores.compactMap(\.r2)))
    }

    /// Per-output scores of `predicted` against `actual`, both (rows, outputs).
    public static func regression(predicted: [Double], actual: [Double], outputs: Int) -> [RegressionScores] {
        precondition(outputs > 0 && predicted.count == actual.count && actual.count % outputs == 0 && !actual.isEmpty)
        let rows = actual.count / outputs
        return (0..<outputs).map { j in
            regression(predicted: (0..<rows).map { predicted[$0 * outputs + j] }, actual: (0..<rows).map { actual[$0 * outputs + j] })
        }
    }
}
