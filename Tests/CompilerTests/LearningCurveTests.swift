import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Compiler

/// The SVG learning curve: well-formed, round tick values, the legend outside
/// the plot area, the kept epoch marked, a log axis in decades.
@Suite struct LearningCurveTests {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String], text: String)] = []
        var groups: [String] = []
        func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == "g" { groups.append(attributes["class"] ?? "") }
            var a = attributes
            a["group"] = groups.last ?? ""
            elements.append((name, a, ""))
        }
        func parser(_ p: XMLParser, foundCharacters s: String) {
            if !elements.isEmpty { elements[elements.count - 1].text += s.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { if name == "g" { groups.removeLast() } }
    }

    static func parse(_ svg: String) -> Collector? {
        let c = Collector()
        let p = XMLParser(data: Data(svg.utf8))
        p.delegate = c
        return p.parse() ? c : nil
    }

    static let curve: [EpochRecord] = (1...37).map { e in
        EpochRecord(epoch: e, trainLoss: 1.19 / Double(e), validationLoss: 1.3 / Double(e) + 0.01, validationMetric: 1 - 0.5 / Double(e), learningRate: 0.01)
    }

    @Test func structureTicksLegendAndKeptEpoch() throws {
        let svg = LearningCurve.svg(Self.curve, classification: true, keptEpoch: 21)
        let doc = try #require(Self.parse(svg), "not well-formed XML")
        let lossTicks = doc.elements.filter { $0.name == "text" && $0.attributes["group"] == "loss-ticks" }.map(\.text)
        #expect(lossTicks == ["0.0", "0.5", "1.0", "1.5"], "\(lossTicks)")
        let metricTicks = doc.elements.filter { $0.name == "text" && $0.attributes["group"] == "metric-ticks" }.map(\.text)
        #expect(metricTicks == ["0%", "25%", "50%", "75%", "100%"])
        let epochTicks = doc.elements.filter { $0.name == "text" && $0.attributes["group"] == "epoch-ticks" }.map(\.text)
        #expect(epochTicks == ["10", "20", "30"], "\(epochTicks)")
        // The plot area ends at y = 360; every legend element sits below it.
        let legend = doc.elements.filter { $0.name != "g" && $0.attributes["group"] == "legend" }
        #expect(legend.count == 6)
        for e in legend { #expect(Double(e.attributes["y"] ?? e.attributes["y1"] ?? "0")! > 360) }
        // The kept epoch: a dashed vertical line at epoch 21's x, and its label.
        let kept = try #require(doc.elements.first { $0.name == "line" && $0.attributes["group"] == "kept" })
        let x21 = 70 + 580 * 20.0 / 36
        #expect(Swift.abs(Double(kept.attributes["x1"]!)! - x21) < 0.06)
        #expect(doc.elements.contains { $0.attributes["group"] == "kept" && $0.text == "kept: epoch 21" })
        #expect(["train-loss", "validation-loss", "validation-metric"].allSatisfy { c in doc.elements.contains { $0.attributes["class"] == c } })
    }

    @Test func logAxisInDecades() throws {
        let svg = LearningCurve.svg(Self.curve, classification: false, keptEpoch: 37, logLoss: true)
        let doc = try #require(Self.parse(svg))
        let ticks = doc.elements.filter { $0.name == "text" && $0.attributes["group"] == "loss-ticks" }.map(\.text)
        #expect(ticks == ["1e-2", "1e-1", "1e0", "1e1"], "\(ticks)")
    }

    @Test func niceScales() {
        let s = LearningCurve.NiceScale(covering: 0, 1.19)
        #expect(s.step == 0.5 && s.low == 0 && s.high == 1.5 && s.ticks == [0, 0.5, 1, 1.5])
        #expect(LearningCurve.NiceScale(covering: 0.397, 1.19).ticks.allSatisfy { ($0 * 10).rounded() == $0 * 10 || Swift.abs(($0 * 10).rounded() - $0 * 10) < 1e-9 })
        #expect(LearningCurve.NiceScale(covering: 3, 3).ticks.count >= 2)
    }
}
