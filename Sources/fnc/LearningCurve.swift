import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler

/// The learning curve as CSV, or as a self-contained SVG: loss per epoch (train
/// and validation) on the left axis, the validation metric on the right axis.
enum LearningCurve {
    static func csv(_ curve: [EpochRecord]) -> String {
        var s = "epoch,train_loss,validation_loss,validation_metric,learning_rate\n"
        for r in curve {
            s += "\(r.epoch),\(r.trainLoss),\(r.validationLoss.map { "\($0)" } ?? ""),\(r.validationMetric.map { "\($0)" } ?? ""),\(r.learningRate)\n"
        }
        return s
    }

    static func svg(_ curve: [EpochRecord], classification: Bool) -> String {
        let w = 720.0, h = 420.0, left = 70.0, right = 70.0, top = 40.0, bottom = 50.0
        let pw = w - left - right, ph = h - top - bottom
        let n = max(curve.count, 2)
        let losses = curve.map(\.trainLoss) + curve.compactMap(\.validationLoss)
        let lmax = max(losses.max() ?? 1, 1e-12), lmin = min(losses.min() ?? 0, 0)
        let metrics = curve.compactMap(\.validationMetric)
        let mmin = classification ? 0 : (metrics.min() ?? 0), mmax = classification ? 1 : max(metrics.max() ?? 1, mmin + 1e-12)
        func x(_ e: Int) -> Double { left + pw * Double(e - 1) / Double(n - 1) }
        func yl(_ v: Double) -> Double { top + ph * (1 - (v - lmin) / (lmax - lmin)) }
        func ym(_ v: Double) -> Double { top + ph * (1 - (v - mmin) / (mmax - mmin)) }
        func f(_ v: Double) -> String { CFormat.string("%.1f", v) }
        func path(_ pts: [(Int, Double)], _ y: (Double) -> Double) -> String {
            pts.enumerated().map { ($0.offset == 0 ? "M" : "L") + f(x($0.element.0)) + "," + f(y($0.element.1)) }.joined(separator: " ")
        }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(w))" height="\(Int(h))" viewBox="0 0 \(Int(w)) \(Int(h))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(w / 2))" y="22" text-anchor="middle" font-size="15">Learning curve</text>
        <g stroke="#888" stroke-width="1">
        <line x1="\(f(left))" y1="\(f(top + ph))" x2="\(f(left + pw))" y2="\(f(top + ph))"/>
        <line x1="\(f(left))" y1="\(f(top))" x2="\(f(left))" y2="\(f(top + ph))"/>
        """
        if !metrics.isEmpty { s += "<line x1=\"\(f(left + pw))\" y1=\"\(f(top))\" x2=\"\(f(left + pw))\" y2=\"\(f(top + ph))\"/>\n" }
        s += "</g>\n"
        for k in 0...4 {
            let v = lmin + (lmax - lmin) * Double(k) / 4
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(yl(v) + 4))\" text-anchor=\"end\">\(CFormat.string("%.3g", v))</text>\n"
            s += "<line x1=\"\(f(left))\" y1=\"\(f(yl(v)))\" x2=\"\(f(left + pw))\" y2=\"\(f(yl(v)))\" stroke=\"#eee\"/>\n"
            if !metrics.isEmpty {
                let m = mmin + (mmax - mmin) * Double(k) / 4
                s += "<text x=\"\(f(left + pw + 6))\" y=\"\(f(ym(m) + 4))\">\(CFormat.string("%.3g", m))</text>\n"
            }
            let e = 1 + Int((Double(n - 1) * Double(k) / 4).rounded())
            s += "<text x=\"\(f(x(e)))\" y=\"\(f(top + ph + 18))\" text-anchor=\"middle\">\(e)</text>\n"
        }
        s += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(h - 10))\" text-anchor=\"middle\">epoch</text>\n"
        s += "<text transform=\"translate(18,\(f(top + ph / 2))) rotate(-90)\" text-anchor=\"middle\">loss</text>\n"
        let metricName = classification ? "validation accuracy" : "validation RMSE"
        if !metrics.isEmpty { s += "<text transform=\"translate(\(f(w - 14)),\(f(top + ph / 2))) rotate(90)\" text-anchor=\"middle\">\(metricName)</text>\n" }
        s += "<path d=\"\(path(curve.map { ($0.epoch, $0.trainLoss) }, yl))\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n"
        let val = curve.compactMap { r in r.validationLoss.map { (r.epoch, $0) } }
        if !val.isEmpty { s += "<path d=\"\(path(val, yl))\" fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"2\"/>\n" }
        let met = curve.compactMap { r in r.validationMetric.map { (r.epoch, $0) } }
        if !met.isEmpty { s += "<path d=\"\(path(met, ym))\" fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2\" stroke-dasharray=\"6,3\"/>\n" }
        var legend: [(String, String, String)] = [("train loss", "#1f77b4", "")]
        if !val.isEmpty { legend.append(("validation loss", "#ff7f0e", "")) }
        if !met.isEmpty { legend.append((metricName, "#2ca02c", " stroke-dasharray=\"6,3\"")) }
        for (k, item) in legend.enumerated() {
            let ly = top + 12 + 18 * Double(k), lx = left + pw - 170
            s += "<line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly))\" stroke=\"\(item.1)\" stroke-width=\"2\"\(item.2)/>\n"
            s += "<text x=\"\(f(lx + 30))\" y=\"\(f(ly + 4))\">\(item.0)</text>\n"
        }
        return s + "</svg>\n"
    }
}
