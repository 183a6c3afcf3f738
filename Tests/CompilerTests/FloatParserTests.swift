import Foundation
import Testing
@testable import Compiler

/// `FloatParser` returns exactly what `strtod` returns for every string it
/// accepts, and refuses what is not a plain decimal number.
///
/// Size: `FIXEDNET_STRTOD_COUNT` generated numbers (default 400 000 in CI;
/// the acceptance run uses 10 000 000), plus the table of hard cases below.
@Suite struct FloatParserTests {
    static var generatedCount: Int {
        ProcessInfo.processInfo.environment["FIXEDNET_STRTOD_COUNT"].flatMap { Int($0) } ?? 400_000
    }

    /// strtod's answer and how many bytes it consumed.
    static func strtodResult(_ s: String) -> (value: Double, consumed: Int) {
        s.withCString { p in
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(p, &end)
            return (v, end! - UnsafeMutablePointer(mutating: p))
        }
    }

    /// Checks one string; returns a description of the disagreement, or nil.
    static func disagreement(_ s: String) -> String? {
        let mine = FloatParser.parse(s)
        let (v, consumed) = strtodResult(s)
        let bytes = s.utf8.count
        if let mine {
            guard consumed == bytes else { return "\(s): accepted, but strtod stops at byte \(consumed)" }
            guard mine.bitPattern == v.bitPattern else { return "\(s): \(mine) (0x\(String(mine.bitPattern, radix: 16))), strtod \(v) (0x\(String(v.bitPattern, radix: 16)))" }
            return nil
        }
        // Refused: strtod must not read it whole as a decimal either. Refused on
        // purpose: hex, inf, nan, and leading whitespace (the CSV reader trims fields).
        let lower = s.lowercased()
        if consumed == bytes && bytes > 0 && !lower.contains("x") && !lower.contains("n") && !lower.contains("i") && s.first != " " {
            return "\(s): refused, but strtod reads all of it as \(v)"
        }
        return nil
    }

    static let hardCases: [String] = [
        "0", "-0", "+0", "0.0", "-0.0", "0e0", "0e-400", "-0e+400", "00000", ".0", "0.", "-.5", "+.5", "5.", "1e0", "1E5", "1e+5", "1e-5",
        // Limits of Double
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309", "-1e309", "1e400", "1e99999999999",
        "2.2250738585072014e-308", "2.2250738585072011e-308", "2.2250738585072012e-308", "4.9406564584124654e-324", "5e-324",
        "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-323", "1e-324", "1e-400", "1e-99999999999", "-1e-400",
        // Halfway and near-halfway cases (long mantissas)
        "9007199254740993", "9007199254740992", "9007199254740994", "9007199254740995", "18014398509481985",
        "1.00000000000000011102230246251565404236316680908203125", "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126", "0.1", "0.2", "0.3", "0.30000000000000004", "3.0000000000000004e-1",
        "123456789012345678901234567890", "1234567890123456789012345678901234567890e-20", "0.000000000000000000000000000001234567890123456789",
        "7.2057594037927933e16", "8.589973e9", "1.448997445238699", "4.5035996273704955e15", "2.2250738585072013e-308",
        "1797693134862315708145274237317043567980705675258449965989174768031572607800285387605895586327668781715404589535143824642343213268894641827684675467035375169860499105765512820762454900903893289440758685084551339423045832369032229481658085593321233482747978262041447231687381771809192998812504040261841248583680",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999",
        "0.1000000000000000055511151231257827021181583404541015625", "0.1000000000000000055511151231257827021181583404541015626",
        "100000000000000000000000", "1e23", "8.533e+68", "4.1006e-184", "9.998e+307", "9.9538452227e-280", "6.47660115e-260",
        "7.4e+47", "5.92e+48", "7.35e+66", "8.32116e+55", "3.518437208883201171875e13", "62.5364939768271845828", "8.10109172351e-10",
        "1.50000000000000011102230246251565404236316680908203125", "9007199254740993.0000000000000000000000000000000000001",
        "2.2250738585072011e-308", "0.5e-323", "1.2e-322", "000000000000000000000000000000000000001.5", "1.5000000000000000000000000000000000000",
        "3.4028235e38", "3.4028236e38", "-3.4028235e38", "1.17549435e-38", "1.4e-45",
        // Junk: must be refused
        "", "-", "+", ".", "-.", "e5", "1e", "1e+", "1e-", "1.2.3", "1..2", "--1", "+-1", "1-", "1e5.5", "0x10", "0x1p3", "-0x1.8p1",
        "inf", "-inf", "Infinity", "nan", "NaN", "nan(123)", " 1", "1 ", "1,5", "1_000", "１", "0b101", "1e5e5", "0.5f", "1d", "#1",
    ]

    @Test func hardCasesMatchStrtod() {
        for s in Self.hardCases { #expect(Self.disagreement(s) == nil, "\(s)") }
        #expect(FloatParser.parse("-0")!.sign == .minus)
        #expect(FloatParser.parse("0x10") == nil && FloatParser.parse("inf") == nil && FloatParser.parse("") == nil)
    }

    /// Random decimal strings with every shape the grammar allows, and random junk.
    @Test func generatedNumbersMatchStrtod() {
        var rng = SplitMix64(seed: 0xF10A7)
        var failures: [String] = []
        let digits = Array("0123456789")
        let junk = Array("0123456789.eE+-xXpPinfaINF ")
        for n in 0..<Self.generatedCount {
            var s = ""
            switch n % 8 {
            case 7:
                for _ in 0..<(1 + rng.nextIndex(below: 12)) { s.append(junk[rng.nextIndex(below: junk.count)]) }
            case 6:
                // A random Double printed at a random precision (what writers produce).
                let bits = rng.next()
                let v = Double(bitPattern: bits)
                guard v.isFinite else { continue }
                s = String(format: "%.\(1 + rng.nextIndex(below: 19))g", v)
            default:
                if rng.nextIndex(below: 4) == 0 { s.append(rng.nextIndex(below: 2) == 0 ? "-" : "+") }
                let intDigits = rng.nextIndex(below: n % 8 == 5 ? 40 : 20)
                for i in 0..<intDigits { s.append(digits[i == 0 && rng.nextIndex(below: 3) == 0 ? 0 : rng.nextIndex(below: 10)]) }
                if intDigits == 0 || rng.nextIndex(below: 2) == 0 {
                    s.append(".")
                    let frac = (intDigits == 0 ? 1 : 0) + rng.nextIndex(below: n % 8 == 4 ? 40 : 18)
                    for _ in 0..<frac { s.append(digits[rng.nextIndex(below: 10)]) }
                }
                if rng.nextIndex(below: 2) == 0 {
                    s.append(rng.nextIndex(below: 2) == 0 ? "e" : "E")
                    if rng.nextIndex(below: 2) == 0 { s.append(rng.nextIndex(below: 2) == 0 ? "-" : "+") }
                    s += String(rng.nextIndex(below: n % 8 == 3 ? 400 : 30))
                }
            }
            if let d = Self.disagreement(s) { failures.append(d); if failures.count > 20 { break } }
        }
        #expect(failures.isEmpty, "\(failures.prefix(20))")
    }
}

/// The byte-level CSV rules: quoting, CRLF, blank lines, a BOM, delimiters, positions.
@Suite struct CSVScannerTests {
    func rows(_ text: String, delimiter: UInt8? = nil) throws -> [[String]] { try CSVReader.rows(text, file: "t.csv", delimiter: delimiter) }
    func error(_ text: String, delimiter: UInt8? = nil) -> String? {
        do { _ = try CSVReader.rows(text, file: "t.csv", delimiter: delimiter); return nil } catch { return error.description }
    }

    @Test func quotingLineEndsAndBlankLines() throws {
        #expect(try rows("a,b\r\n1,2\r\n\r\n  \n3 , 4\n") == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(try rows("\"x,y\",\"say \"\"hi\"\"\"\n\"multi\nline\",2") == [["x,y", "say \"hi\""], ["multi\nline", "2"]])
        #expect(try rows("1,,3\n,\n") == [["1", "", "3"], ["", ""]])
        #expect(try rows("5\"x,1\n") == [["5\"x", "1"]])
        #expect(try rows("last,row") == [["last", "row"]])
        #expect(try rows("") == [])
    }

    @Test func byteOrderMarkIsDropped() throws {
        #expect(try rows("\u{FEFF}name,y\n1,2\n") == [["name", "y"], ["1", "2"]])
        #expect(try rows("\u{FEFF}1,2\n3,4\n") == [["1", "2"], ["3", "4"]])
        let d = try Dataset.parse("\u{FEFF}1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,1,0\n", file: "t.csv")
        #expect(d.rowCount == 5 && !d.hasHeader)
        let named = try Dataset.parse("\u{FEFF}a,y\n1,2\n3,4\n", file: "t.csv", options: CSVOptions(labelColumn: .name("a")))
        #expect(named.featureNames == ["y"] && named.labels == [1, 3])
    }

    @Test func delimiters() throws {
        #expect(try rows("a;b;c\n1;2;3\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try rows("a\tb\n1\t2\n") == [["a", "b"], ["1", "2"]])
        #expect(try rows("\"a;b\",c\n") == [["a;b", "c"]])
        #expect(error("a,b;c\n1,2;3\n") == "t.csv:1: cannot tell the delimiter: the first row has ',' and ';'; pass --delimiter")
        #expect(try rows("a,b;c\n", delimiter: UInt8(ascii: ";")) == [["a,b", "c"]])
    }

    @Test func positionsCountCharacters() {
        #expect(error("a,\"b\n") == "t.csv:1:3: unterminated quoted field")
        #expect(error("\"ok\"x,1\n") == "t.csv:1:5: unexpected \"x\" after a closing quote (expected a delimiter or the end of the line)")
        do {
            _ = try Dataset.parse("é,ü,y\n1,2,0\n1,zwölf,1\n", file: "t.csv")
            Issue.record("accepted")
        } catch {
            #expect(error.description == "t.csv:3:3: expected a number in field 2 (\"ü\"), found \"zwölf\"")
        }
    }

    @Test func chunkBoundariesDoNotChangeTheRecords() throws {
        // Rows that straddle the 1 MiB read size, quoted fields across it included.
        var text = ""
        var expected: [[String]] = []
        var i = 0
        while text.utf8.count < CSVScanner.chunkSize * 3 {
            let q = "q\(i),\"\"\n"
            text += "\(i),\"\(q)\",\(i * 7)\n"
            expected.append([String(i), "q\(i),\"\n", String(i * 7)])
            i += 1
        }
        #expect(try rows(text) == expected)
    }

    @Test func aRowWithNoEndIsBounded() {
        let text = String(repeating: "1", count: CSVScanner.maxRecordBytes + 10)
        #expect(error(text) == "t.csv:1: a row longer than \(CSVScanner.maxRecordBytes) bytes (is this a CSV file?)")
    }
}

/// Prediction text: the bytes equal `Float.description` (shortest round trip).
@Suite struct TextBufferTests {
    @Test func floatsMatchDescription() {
        var rng = SplitMix64(seed: 7)
        var specials: [Float] = [0, -0, 1, -1, 0.1, 1e-5, 1e-45, -1e-45, .leastNormalMagnitude, .greatestFiniteMagnitude,
                                 -.greatestFiniteMagnitude, .infinity, -.infinity, 100, 1e7, 1e16, 123456789, 0.5, 2.5703435e-05]
        for e in -149...127 { specials.append(Float(sign: .plus, exponent: e, significand: 1)) }
        var mismatches = 0
        for n in 0..<(specials.count + 300_000) {
            let v = n < specials.count ? specials[n] : Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            if v.isNaN { continue }
            var b = TextBuffer()
            b.append(v)
            if String(decoding: b.bytes, as: UTF8.self) != v.description { mismatches += 1 }
        }
        #expect(mismatches == 0)
        var b = TextBuffer()
        b.append(-1234567); b.append(byte: 32); b.append(0); b.append(byte: 32); b.appendJSONString("a\"b\n\u{1}")
        #expect(String(decoding: b.bytes, as: UTF8.self) == "-1234567 0 \"a\\\"b\\n\\u0001\"")
    }
}
