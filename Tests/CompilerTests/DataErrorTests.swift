import Testing
@testable import Compiler

/// Bad data names file, line and column, and the field by number (from 1) and header name.
@Suite struct DataErrorTests {
    func parse(_ text: String, options: CSVOptions = CSVOptions(), schema: Network? = nil) -> String? {
        do {
            _ = try Dataset.parse(text, file: "d.csv", options: options, schema: schema)
            return nil
        } catch { return error.description }
    }

    @Test func messages() {
        #expect(parse("") == "d.csv: empty file: no rows")
        #expect(parse("a,b,label\n") == "d.csv:1: no data rows after the header")
        #expect(parse("a,b,label\n1,2,0\n1,2\n") == "d.csv:3:4: expected 3 fields, found 2")
        #expect(parse("a,b,label\n1,2,0\n1,2,3,4\n") == "d.csv:3:7: expected 3 fields, found 4")
        #expect(parse("a,b,label\n1,2,0\n1,abc,1\n") == "d.csv:3:3: expected a number in field 2 (\"b\"), found \"abc\"")
        #expect(parse("a,b,label\n1,nan,0\n") == "d.csv:2:3: non-finite value \"nan\" in field 2 (\"b\")")
        #expect(parse("a,b,label\n1,inf,0\n") == "d.csv:2:3: non-finite value \"inf\" in field 2 (\"b\")")
        #expect(parse("a,b,label\n1,,0\n") == "d.csv:2:3: empty field 2 (\"b\"), expected a number")
        #expect(parse("1,2,0\n1,1e39,1\n") == "d.csv:2:3: \"1e39\" in field 2 is beyond Float32's range (±3.4028235e38), which the runtime computes in")
        #expect(parse("a,\"b\n") == "d.csv:1:3: unterminated quoted field")
        let schema = Network(layers: [DenseLayer(inputCount: 2, outputCount: 2, activation: .softmax)],
                             task: .classification(labels: ["x", "y"]))
        #expect(parse("a,b,label\n1,2,z\n", schema: schema) == "d.csv:2:5: label \"z\" was never seen in training (classes: x, y)")
        #expect(parse("a,label\n1,x\n", schema: schema) == "d.csv:2: expected 2 features (the model's input count), found 1")
        #expect(parse("1,2\n", options: CSVOptions(labelColumn: .number(3))) == "d.csv:1: label column 3 out of range: the file has 2 columns (numbered from 1)")
        #expect(parse("1,2\n", options: CSVOptions(labelColumn: .name("y"))) == "d.csv:1: --label-column \"y\" names a column, but the file has no header row")
        #expect(parse("a,b\n1,2\n", options: CSVOptions(labelColumn: .name("y"))) == "d.csv:1: no column named \"y\" in the header")
        let long = String(repeating: "x", count: 200)
        #expect(parse("a,b\n1,\(long)\n", options: CSVOptions(labelColumn: .number(1))) == "d.csv:2:3: expected a number in field 2 (\"b\"), found \"\(String(repeating: "x", count: 80))…\"")
    }

    /// A value that is not a number among numeric targets is an error, never a classifier.
    @Test func labelsAreNeverSilentlyClasses() throws {
        var rows = (0..<300).map { "\($0),\(Double($0) * 1.5 + 0.25)" }
        rows[120] = "120,NA"
        #expect(parse(rows.joined(separator: "\n")) == "d.csv:121:5: non-numeric label \"NA\" in a column of numbers (299 of 300 labels are numbers); fix or drop the row, or pass --task classify if the labels are class names")
        let many = try Dataset.parse((0..<300).map { "\($0),\($0 % 120)" }.joined(separator: "\n"), file: "d.csv")
        #expect(many.task == .regression && many.inference == .manyIntegers(distinct: 120))
        let few = try Dataset.parse((0..<300).map { "\($0),\($0 % 3)" }.joined(separator: "\n"), file: "d.csv")
        #expect(few.task == .classification(labels: ["0", "1", "2"]) && few.inference == .fewIntegers(distinct: 3))
        let forced = try Dataset.parse("1,a\n2,3\n3,a\n", file: "d.csv", options: CSVOptions(task: .classify))
        #expect(forced.task == .classification(labels: ["3", "a"]))
    }

    /// Labels are data: a model file whose labels hold a newline, or repeat, is refused.
    @Test func modelFileLabelsAreData() {
        let layer = DenseLayer(inputCount: 1, outputCount: 2, activation: .softmax)
        func load(_ labels: [String]) -> String? {
            let bytes = ModelFile.encode(Network(layers: [layer], task: .classification(labels: labels)))
            do { _ = try ModelFile.decode(bytes, file: "m.fnm"); return nil } catch { return error.description }
        }
        #expect(load(["a", "b"]) == nil)
        #expect(load(["a", "b\nc"]) == "m.fnm: label \"b\\nc\" holds a control character (a newline or NUL would break fnc predict's one line per row)")
        #expect(load(["a", "a"]) == "m.fnm: the model file repeats a class label; labels must be distinct")
    }

    @Test func headerDetectionQuotingAndLabels() throws {
        let d = try Dataset.parse("1,2,cat\r\n3,4,\"dog\"\r\n\r\n5,6,cat\n", file: "f")
        #expect(d.rowCount == 3 && d.featureCount == 2 && !d.hasHeader)
        #expect(d.task == .classification(labels: ["cat", "dog"]))
        #expect(d.labels == [0, 1, 0])
        let r = try Dataset.parse("y,x\n0.5,1\n0.25,2\n", file: "f", options: CSVOptions(labelColumn: .name("y")))
        #expect(r.task == .regression && r.labels == [0.5, 0.25] && r.features == [1, 2] && r.hasHeader && r.featureNames == ["x"])
        let n = try Dataset.parse("y;x\n0.5;1\n0.25;2\n", file: "f", options: CSVOptions(labelColumn: .number(1)))
        #expect(n.labels == [0.5, 0.25] && n.features == [1, 2])
    }
}
