// Fuzz target: the byte-level CSV reader on the paths `fnc train`, `eval` and
// `predict` take: the scanner with every delimiter rule, dataset reading with and
// without a header, label by position and by inference, against a schema, and
// the streaming feature rows (fused numeric fast path and the general path).
// At exit it prints where the default dataset read stopped each input, for
// scripts/fuzz.sh: the CSV structure (quotes, field counts, UTF-8, delimiter), the
// deeper checks (values, columns, labels), or read.
#if canImport(Glibc)
import Glibc
#endif

/// Counts per stage of the default `Dataset.read`: refused by the CSV structure, refused by the values, columns or labels, read.
nonisolated(unsafe) var csvStageCounts = [0, 0, 0]
nonisolated(unsafe) var csvStatsRegistered = false

/// Whether a refusal came from the CSV structure, before any value, column or label was checked.
func isCSVStructure(_ e: DataError) -> Bool {
    switch e.reason {
    case .emptyFile, .noDataRows, .unterminatedQuote, .textAfterClosingQuote, .recordTooLong, .tooManyFields, .fieldCount,
         .ambiguousDelimiter, .notUTF8, .tooLarge, .readFailed: return true
    default: return false
    }
}

/// "N of TOTAL (P.P%)", the share scripts/fuzz.sh reports as reaching deep validation.
func fuzzShare(_ n: Int, of total: Int) -> String {
    let t = max(1, total)
    return "\(n) of \(total) (\(n * 1000 / t / 10).\(n * 1000 / t % 10)%)"
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if !csvStatsRegistered {
        csvStatsRegistered = true
        atexit {
            let c = csvStageCounts
            print("csv stages: CSV structure \(c[0]), values, columns or labels \(c[1]), read \(c[2]); "
                  + "reached deep validation \(fuzzShare(c[1] + c[2], of: c.reduce(0, +)))")
        }
    }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    func scanner(_ d: UInt8? = nil) -> CSVScanner { CSVScanner(source: ByteSource(bytes: bytes, name: "fuzz.csv"), delimiter: d) }
    for d in [nil, UInt8(ascii: ";")] as [UInt8?] {
        let s = scanner(d)
        while (try? s.next()) == .record {
            for j in 0..<s.fieldCount { _ = s.number(j); _ = s.column(of: j); _ = s.validText(j) }
            _ = s.columnAfterLastField
        }
    }
    do { _ = try Dataset.read(scanner(), options: CSVOptions(), schema: nil); csvStageCounts[2] += 1 } catch {
        csvStageCounts[isCSVStructure(error) ? 0 : 1] += 1
    }
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
