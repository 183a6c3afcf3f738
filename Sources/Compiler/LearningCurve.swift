#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The learning curve as CSV, or as a self-contained SVG: loss per epoch (train
/// and validation) on the left axis, linear or log10; the validation metric on
/// the right axis; round ("nice") tick values; the legend below the plot area,
/// never on the data; a dashed line at the epoch whose weights were kept.
public enum LearningCurve {
    public static func csv(_ curve: [EpochRecord]) -> String {
        var s = "epoch,train_loss,validation_loss,validation_metric,learning_rate\n"
        for r in curve {
            s += "\(r.epoch),\(r.trainLoss),\(r.validationLoss.map { "\($0)" } ?? ""),\(r.validationMetric.map { "\($0)" } ?? ""),\(r.learningRate)\n"
        }
        return s
    }

    /// Tick positions from 1-2-5 steps covering [low, high] with about `count` ticks.
    public struct NiceScale: Equatable {
        public var low: Double, high: Double, step: Double
        public init(covering a: Double, _ b: Double, count: Int = 5) {
            var lo = Swift.min(a, b), hi = Swift.max(a, b)
            if !(hi > lo) { lo -= 0.5; hi += 0.5 }
            let raw = (hi - lo) / Double(Swift.max(1, count - 1))
            let magnitude = pow(10, floor(log10(raw)))
            let fraction = raw / magnitude
            let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
            step = nice * magnitude
            low = floor(lo / step) * step
            high = ceil(hi / step) * step
        }
        /// The tick values, low to high.
        public var ticks: [Double] {
            let n = Int(((high - low) / step).rounded())
            return (0...n).map { low + Double($0) * step }
        }
        /// Decimals that show every tick exactly (0 for steps of 1 and more).
        public var decimals: Int {
            var d = 0
            while d < 12 && Swift.abs(step * pow(10, Double(d)) - (step * pow(10, Double(d))).rounded()) > 1e-9 { d += 1 }
            return d
        }
    }

    /// - Parameters:
    ///   - keptEpoch: the epoch whose weights the model holds (marked), or nil.
    ///   - logLoss: a log10 loss axis (losses ≤ 0 are drawn at the smallest positive one).
    public static func svg(_ curve: [EpochRecord], classification: Bool, keptEpoch: Int? = nil, logLoss: Bool = false) -> String {
        let w = 720.0, h = 450.0, left = 70.0, right = 70.0, top = 40.0, bottom = 90.0
        let pw = w - left - right, ph = h - top - bottom
        let n = Swift.max(curve.count, 2)
        let rawLosses = curve.map(\.trainLoss) + curve.compactMap(\.validationLoss)
        let smallest = rawLosses.filter { $0 > 0 }.min() ?? 1e-12
        func lossValue(_ v: Double) -> Double { logLoss ? log10(Swift.max(v, smallest)) : v }
        let losses = rawLosses.map(lossValue)
        let lossScale: NiceScale
        if logLoss {
            // Decades (whole powers of ten); a single decade gets 1-2-5 ticks inside it.
            let lo = floor(losses.min() ?? 0), hi = Swift.max(ceil(losses.max() ?? 1), lo + 1)
            lossScale = NiceScale(low: lo, high: hi, step: 1)
        } else {
            lossScale = NiceScale(covering: Swift.min(losses.min() ?? 0, 0), losses.max() ?? 1)
        }
        // Accuracy in percent (0-100 in steps of 25); RMSE on a nice scale of its own.
        let metricFactor = classification ? 100.0 : 1.0
        let metrics = curve.compactMap(\.validationMetric).map { $0 * metricFactor }
        let metricScale = classification ? NiceScale(low: 0, high: 100, step: 25)
            : NiceScale(covering: metrics.min() ?? 0, metrics.max() ?? 1)
        let epochScale = NiceScale(covering: 1, Double(n), count: 6)
        func x(_ e: Double) -> Double { left + pw * (e - 1) / Double(n - 1) }
        func yl(_ v: Double) -> Double { top + ph * (1 - (v - lossScale.low) / (lossScale.high - lossScale.low)) }
        func ym(_ v: Double) -> Double { top + ph * (1 - (v - metricScale.low) / (metricScale.high - metricScale.low)) }
        func f(_ v: Double) -> String { CFormat.string("%.1f", v) }
        func label(_ v: Double, _ scale: NiceScale) -> String { CFormat.string("%.\(scale.decimals)f", v) }
        func path(_ pts: [(Int, Double)], _ y: (Double) -> Double) -> String {
            pts.enumerated().map { ($0.offset == 0 ? "M" : "L") + f(x(Double($0.element.0))) + "," + f(y($0.element.1)) }.joined(separator: " ")
        }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(w / 2))" y="22" text-anchor="middle" font-size="15">Learning curve</text>
        <g class="axes" stroke="#888" stroke-width="1">
        <line x1="\(f(left))" y1="\(f(top + ph))" x2="\(f(left + pw))" y2="\(f(top + ph))"/>
        <line x1="\(f(left))" y1="\(f(top))" x2="\(f(left))" y2="\(f(top + ph))"/>

        """
        if !metrics.isEmpty { s += "<line x1=\"\(f(left + pw))\" y1=\"\(f(top))\" x2=\"\(f(left + pw))\" y2=\"\(f(top + ph))\"/>\n" }
        s += "</g>\n<g class=\"loss-ticks\">\n"
        for v in lossScale.ticks {
            let text = logLoss ? "1e\(Int(v.rounded()))" : label(v, lossScale)
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(yl(v) + 4))\" text-anchor=\"end\">\(text)</text>\n"
            s += "<line x1=\"\(f(left))\" y1=\"\(f(yl(v)))\" x2=\"\(f(left + pw))\" y2=\"\(f(yl(v)))\" stroke=\"#eee\"/>\n"
        }
        s += "</g>\n"
        if !metrics.isEmpty {
            s += "<g class=\"metric-ticks\">\n"
            for m in metricScale.ticks {
                s += "<text x=\"\(f(left + pw + 6))\" y=\"\(f(ym(m) + 4))\">\(label(m, metricScale))\(classification ? "%" : "")</text>\n"
            }
            s += "</g>\n"
        }
        s += "<g class=\"epoch-ticks\">\n"
        for e in epochScale.ticks where e >= 1 && e <= Double(n) {
            s += "<text x=\"\(f(x(e)))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">\(label(e, epochScale))</text>\n"
        }
        s += "</g>\n"
        s += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(top + ph + 36))\" text-anchor=\"middle\">epoch</text>\n"
        s += "<text transform=\"translate(18,\(f(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">loss\(logLoss ? " (log scale)" : "")</text>\n"
        let metricName = classification ? "validation accuracy" : "validation RMSE"
        if !metrics.isEmpty { s += "<text transform=\"translate(\(f(w - 14)),\(f(top + ph / 2))) rotate(90)\" text-anchor=\"middle\">\(metricName)</text>\n" }
        if let kept = keptEpoch, kept >= 1, kept <= curve.count {
            let kx = f(x(Double(kept)))
            s += "<g class=\"kept\"><line x1=\"\(kx)\" y1=\"\(f(top))\" x2=\"\(kx)\" y2=\"\(f(top + ph))\" stroke=\"#555\" stroke-dasharray=\"3,3\"/>"
            let anchor = x(Double(kept)) > left + pw - 50 ? "end" : x(Double(kept)) < left + 50 ? "start" : "middle"
            s += "<text x=\"\(kx)\" y=\"\(f(top - 6))\" text-anchor=\"\(anchor)\" font-size=\"11\">kept: epoch \(kept)</text></g>\n"
        }
        s += "<path class=\"train-loss\" d=\"\(path(curve.map { ($0.epoch, lossValue($0.trainLoss)) }, yl))\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n"
        let val = curve.compactMap { r in r.validationLoss.map { (r.epoch, lossValue($0)) } }
        if !val.isEmpty { s += "<path class=\"validation-loss\" d=\"\(path(val, yl))\" fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"2\"/>\n" }
        let met = curve.compactMap { r in r.validationMetric.map { (r.epoch, $0 * metricFactor) } }
        if !met.isEmpty { s += "<path class=\"validation-metric\" d=\"\(path(met, ym))\" fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2\" stroke-dasharray=\"6,3\"/>\n" }
        // The legend: one row below the axis title, outside the plot area.
        var legend: [(String, String, String)] = [("train loss", "#1f77b4", "")]
        if !val.isEmpty { legend.append(("validation loss", "#ff7f0e", "")) }
        if !met.isEmpty { legend.append((metricName, "#2ca02c", " stroke-dasharray=\"6,3\"")) }
        s += "<g class=\"legend\">\n"
        let ly = top + ph + 62
        for (k, item) in legend.enumerated() {
            let lx = left + 180 * Double(k)
            s += "<line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly))\" stroke=\"\(item.1)\" stroke-width=\"2\"\(item.2)/>\n"
            s += "<text x=\"\(f(lx + 30))\" y=\"\(f(ly + 4))\">\(item.0)</text>\n"
        }
        return s + "</g>\n</svg>\n"
    }
}

extension LearningCurve.NiceScale {
    init(low: Double, high: Double, step: Double) { self.low = low; self.high = high; self.step = step }
}
