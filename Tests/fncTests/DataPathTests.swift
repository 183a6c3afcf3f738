import Foundation
import Testing

/// The streaming data path end to end: files and stdin give the same bytes,
/// `--on-error skip` keeps rows aligned, `--json` stays valid, real-world files
/// (a BOM, semicolons, a labelled test file) read right.
@Suite struct DataPathTests {
    @Test func fileAndStdinGiveTheSameBytes() throws {
        let h = try CLIHarness(models: ["iris", "sine"])
        defer { h.cleanUp() }
        let text = String(decoding: h.read("iris/iris_test.csv")!, as: UTF8.self)
        for flags in [[], ["--proba"], ["--json"]] {
            let file = try h.run(["predict", "iris/model.fnb", "iris/iris_test.csv", "--label-column", "label"] + flags)
            let piped = try h.run(["predict", "iris/model.fnb", "-", "--label-column", "5"] + flags, stdin: text)
            #expect(file.status == 0 && piped.status == 0 && file.stdout == piped.stdout && file.stderr.isEmpty, "\(flags)")
            #expect(file.stdout.split(separator: "\n").count == 38)
        }
        // Labels agree with eval's accuracy: 37 of 38 on the committed model.
        let labels = try h.run(["predict", "iris/model.fnb", "iris/iris_test.csv", "--label-column", "5"]).stdout.split(separator: "\n")
        let truth = text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").last! }
        #expect(zip(labels, truth).filter { $0 == $1 }.count == 37)
    }

    @Test func skipKeepsRowsAlignedAndJSONValid() throws {
        let h = try CLIHarness(models: ["iris"])
        defer { h.cleanUp() }
        let rows = "5.1,3.5,1.4,0.2\n5.1,x,1.4,0.2\n1e39,3.5,1.4,0.2\n6.7,3.0,5.2\n\"7.7\",3.0,6.1,2.3\n"
        let r = try h.run(["predict", "iris/model.fnb", "--json", "--on-error", "skip"], stdin: rows)
        #expect(r.status == 65)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 5)
        for (i, line) in lines.enumerated() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "line \(i + 1) is not a JSON object: \(line)")
            #expect((object?["error"] != nil) == [1, 2, 3].contains(i), "line \(i + 1): \(line)")
        }
        #expect(r.stderr.split(separator: "\n").count == 4)   // three rows, then the summary
        let plain = try h.run(["predict", "iris/model.fnb", "--on-error", "skip"], stdin: rows)
        #expect(plain.status == 65 && plain.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(\.isEmpty) == [false, true, true, true, false, true])
        // stop (the default): the rows before the bad one are written, then exit 65.
        let stop = try h.run(["predict", "iris/model.fnb", "--json"], stdin: rows)
        #expect(stop.status == 65 && stop.stdout.split(separator: "\n").count == 1)
        #expect(!stop.stdout.contains("nan") && !stop.stdout.contains("inf"))
    }

    @Test func realWorldFiles() throws {
        let h = try CLIHarness(models: ["iris"])
        defer { h.cleanUp() }
        let train = String(decoding: h.read("iris/iris_train.csv")!, as: UTF8.self)
        // A BOM and semicolons, the label named in the middle, CRLF line ends.
        var lines = train.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        lines = lines.map { [$0[4], $0[0], $0[1], $0[2], $0[3]] }
        try h.write("\u{FEFF}" + lines.map { $0.joined(separator: ";") }.joined(separator: "\r\n") + "\r\n", to: "bom.csv")
        let r = try h.run(["train", "bom.csv", "-o", "bom.fnm", "--label-column", "label", "--epochs", "5"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("task classification, 3 classes (0, 1, 2) from integer labels"))
        let export = try h.run(["export", "bom.fnm", "--json"])
        #expect(export.stdout.contains("\"featureNames\": [\"f0\", \"f1\", \"f2\", \"f3\"]"))
        // Headerless with a BOM: the first row is data, not a header.
        try h.write("\u{FEFF}" + train.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n", to: "nohead.csv")
        let rows = try h.run(["train", "nohead.csv", "-o", "nohead.fnm", "--epochs", "2", "--validation", "0"])
        #expect(rows.stdout.contains("on 112 rows"), "\(rows.stdout)")
        // Integer targets with many values: regression, and it says so.
        try h.write((0..<400).map { "\($0 % 7),\($0 % 97)" }.joined(separator: "\n"), to: "counts.csv")
        let counts = try h.run(["train", "counts.csv", "-o", "c.fnm", "--epochs", "1"])
        #expect(counts.stdout.hasPrefix("task regression (the labels are integers with 97 distinct values, too many to be classes; pass --task classify"))
    }
}
