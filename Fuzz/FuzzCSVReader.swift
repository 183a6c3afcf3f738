// Fuzz target: the byte-level CSV reader on the paths `fnc train`, `eval` and
// `predict` take: the scanner with every delimiter rule, dataset reading with and
// without a header, label by position and by inference, against a schema, and
// the streaming feature rows (fused numeric fast path and the general path).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    func scanner(_ d: UInt8? = nil) -> CSVScanner { CSVScanner(source: ByteSource(bytes: bytes, name: "fuzz.csv"), delimiter: d) }
    for d in [nil, UInt8(ascii: ";")] as [UInt8?] {
        let s = scanner(d)
        while (try? s.next()) == .record {
            for j in 0..<s.fieldCount { _ = s.number(j); _ = s.column(of: j); _ = s.validText(j) }
            _ = s.columnAfterLastField
        }
    }
    _ = try? Dataset.read(scanner(), options: CSVOptions(), schema: nil)
    _ = try? Dataset.read(scanner(), options: CSVOptions(hasHeader: false, labelColumn: .number(1), task: .regress), schema: nil)
    _ = try? Dataset.read(scanner(), options: CSVOptions(labelColumn: .name("label"), task: .classify), schema: nil)
    let schema = DatasetSchema(inputCount: 2, task: .classification(labels: ["a", "b"]))
    _ = try? Dataset.read(scanner(), options: CSVOptions(), schema: schema)
    for label in [LabelColumn.none, .last] {
        let rows = FeatureRows(scanner: scanner(), inputCount: 2, labelColumn: label)
        var x: [Float] = [0, 0]
        while let status = try? rows.next(), status == .record {
            x.withUnsafeMutableBufferPointer { p in _ = try? rows.features(into: p.baseAddress!) }
        }
    }
    return 0
}
