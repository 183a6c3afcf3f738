// Fuzz target: the CSV reader and dataset parser, with and without a header,
// label by position, and against a schema (the paths `fnc train/eval` take).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let rows = try? CSVReader.parse(text, file: "fuzz.csv") else { return 0 }
    _ = try? Dataset.parse(rows: rows, file: "fuzz.csv", options: CSVOptions())
    _ = try? Dataset.parse(rows: rows, file: "fuzz.csv", options: CSVOptions(hasHeader: false, labelColumn: .index(0), task: .regress))
    let schema = DatasetSchema(inputCount: 2, task: .classification(labels: ["a", "b"]))
    _ = try? Dataset.parse(rows: rows, file: "fuzz.csv", options: CSVOptions(), schema: schema)
    var x = [Float](repeating: 0, count: 2)
    _ = FastRowParser.parse(text, into: &x)
    return 0
}
