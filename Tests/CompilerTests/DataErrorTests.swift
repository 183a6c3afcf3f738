import Testing
@testable import Compiler

/// Bad data names file, line and column.
@Suite struct DataErrorTests {
    func parse(_ text: String, options: CSVOptions = CSVOptions(), schema: Network? = nil) -> String? {
        do {
            _ = try Dataset.parse(rows: CSVReader.parse(text, file: "d.csv"), file: "d.csv", options: options, schema: schema)
            return nil
        } catch { return error.description }
    }

    @Test func messages() {
        #expect(parse("") == "d.csv: empty file: no rows")
        #expect(parse("a,b,label\n") == "d.csv:1: no data rows after the header")
        #expect(parse("a,b,label\n1,2,0\n1,2\n") == "d.csv:3:4: expected 3 fields, found 2")
        #expect(parse("a,b,label\n1,2,0\n1,2,3,4\n") == "d.csv:3:7: expected 3 fields, found 4")
        #expect(parse("a,b,label\n1,2,0\n1,abc,1\n") == "d.csv:3:3: expected a number, found \"abc\"")
        #expect(parse("a,b,label\n1,nan,0\n") == "d.csv:2:3: non-finite value \"nan\"")
        #expect(parse("a,b,label\n1,inf,0\n") == "d.csv:2:3: non-finite value \"inf\"")
        #expect(parse("a,b,label\n1,,0\n") == "d.csv:2:3: empty field, expected a number")
        #expect(parse("a,\"b\n") == "d.csv:1:3: unterminated quoted field")
        let schema = Network(layers: [DenseLayer(inputCount: 2, outputCount: 2, activation: .softmax)],
                             task: .classification(labels: ["x", "y"]))
        #expect(parse("a,b,label\n1,2,z\n", schema: schema) == "d.csv:2:5: label \"z\" was never seen in training (classes: x, y)")
        #expect(parse("a,label\n1,x\n", schema: schema) == "d.csv:2: expected 2 features (the model's input count), found 1")
    }

    @Test func headerDetectionQuotingAndLabels() throws {
        let d = try Dataset.parse(rows: CSVReader.parse("1,2,cat\r\n3,4,\"dog\"\r\n\r\n5,6,cat\n", file: "f"), file: "f",
                                  options: CSVOptions())
        #expect(d.rowCount == 3 && d.featureCount == 2)
        #expect(d.task == .classification(labels: ["cat", "dog"]))
        #expect(d.labels == [0, 1, 0])
        let r = try Dataset.parse(rows: CSVReader.parse("y,x\n0.5,1\n0.25,2\n", file: "f"), file: "f",
                                  options: CSVOptions(labelColumn: .name("y")))
        #expect(r.task == .regression && r.labels == [0.5, 0.25] && r.features == [1, 2])
    }
}
