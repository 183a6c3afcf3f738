import Foundation
import Testing

/// The built fnc on the bundled models: whole outputs against golden files.
@Suite(.serialized) struct EndToEndTests {
    /// (golden name, arguments, stdin)
    static let cases: [(String, [String], String?)] = [
        ("help", ["--help"], nil),
        ("train-help", ["train", "--help"], nil),
        ("train-iris", ["train", "iris/iris_train.csv", "-o", "iris.fnm", "--epochs", "20", "--validation", "0.2", "--curve", "curve.csv"], nil),
        ("compile-iris", ["compile", "iris/model.fnm", "-o", "iris.fnb"], nil),
        // For flash-bound devices: one golden vector instead of 8 (2,352 bytes less for digits).
        ("compile-digits-golden-1", ["compile", "digits/model.fnm", "-o", "d.fnb", "--weights", "int8", "--golden", "1"], nil),
        ("predict-file-proba", ["predict", "iris/model.fnb", "rows.csv", "--proba"], nil),
        ("predict-stdin-json", ["predict", "iris/model.fnb", "--json"], "f0,f1,f2,f3\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n"),
        ("predict-sine-stdin", ["predict", "sine/model.fnb", "-"], "0\n1.5707963\n3.14159265\n"),
        ("predict-verify", ["predict", "xor/model.fnb", "--verify"], "0,1\n1,1\n"),
        ("eval-iris", ["eval", "iris/model.fnb", "iris/iris_test.csv"], nil),
        ("eval-iris-json", ["eval", "iris/model.fnb", "iris/iris_test.csv", "--json"], nil),
        ("eval-sine", ["eval", "sine/model.fnb", "sine/sine_test.csv"], nil),
        ("eval-sine-json", ["eval", "sine/model.fnb", "sine/sine_test.csv", "--json"], nil),
        ("inspect-blob", ["inspect", "digits/model.fnb"], nil),
        ("inspect-blob-json", ["inspect", "digits/model.fnb", "--json"], nil),
        ("inspect-model", ["inspect", "xor/model.fnm"], nil),
        ("inspect-model-json", ["inspect", "xor/model.fnm", "--json"], nil),
        ("export-json", ["export", "xor/model.fnm", "--json"], nil),
        ("export-default-json", ["export", "xor/model.fnm"], nil),
        ("version", ["--version"], nil),
        ("help-command", ["help", "eval"], nil),
        // Warnings: stderr, exit 0.
        ("warn-lr-zero", ["train", "xor/xor_train.csv", "-o", "w.fnm", "--lr", "0", "--epochs", "1", "--quiet"], nil),
        ("warn-patience", ["train", "xor/xor_train.csv", "-o", "w.fnm", "--patience", "3", "--epochs", "1", "--quiet"], nil),
        ("warn-bce-softmax", ["train", "iris/iris_train.csv", "-o", "w.fnm", "--loss", "bce", "--epochs", "1", "--quiet"], nil),
        ("warn-tiny-validation", ["train", "xor/xor_train.csv", "-o", "w.fnm", "--validation", "0.01", "--epochs", "1", "--quiet"], nil),
        ("warn-proba-regression", ["predict", "sine/model.fnb", "--proba"], "1.5\n"),
        ("gradcheck", ["gradcheck", "--sizes", "3,5,4,2", "--activation", "gelu", "--output", "sigmoid"], nil),
        ("gradcheck-model", ["gradcheck", "iris/model.fnm"], nil),
        // Error classes.
        // Multi-output regression end to end (issue 17): train, inspect, compile, eval, predict.
        ("train-multi-output", ["train", "multi.csv", "-o", "multi.fnm", "--label-column", "t1,t2", "--hidden", "8", "--epochs", "40", "--threads", "2"], nil),
        ("inspect-multi-output", ["inspect", "multi.fnm"], nil),
        ("compile-multi-output", ["compile", "multi.fnm", "-o", "multi.fnb"], nil),
        ("eval-multi-output", ["eval", "multi.fnb", "multi.csv"], nil),
        ("eval-multi-output-json", ["eval", "multi.fnb", "multi.csv", "--json"], nil),
        ("predict-multi-output", ["predict", "multi.fnb", "multi-x.csv"], nil),
        ("error-missing-file", ["predict", "iris/model.fnb", "nope.csv"], nil),
        ("error-missing-blob", ["eval", "nope.fnb", "iris/iris_test.csv"], nil),
        ("error-unknown-command", ["frobnicate"], nil),
        ("error-unknown-flag", ["train", "iris/iris_train.csv", "-o", "x.fnm", "--frobnicate"], nil),
        ("error-bad-flag-value", ["train", "iris/iris_train.csv", "-o", "x.fnm", "--epochs", "many"], nil),
        ("error-empty-csv", ["train", "empty.csv", "-o", "x.fnm"], nil),
        ("error-ragged-row", ["train", "ragged.csv", "-o", "x.fnm"], nil),
        ("error-non-numeric", ["train", "abc.csv", "-o", "x.fnm"], nil),
        ("error-nan", ["train", "nan.csv", "-o", "x.fnm"], nil),
        ("error-inf", ["predict", "iris/model.fnb", "inf.csv"], nil),
        ("error-feature-count", ["eval", "iris/model.fnb", "xor/xor_test.csv"], nil),
        ("error-stdin-feature-count", ["predict", "iris/model.fnb"], "1,2,3,4\n1,2\n"),
        ("error-corrupt-blob", ["inspect", "corrupt.fnb"], nil),
        ("error-model-not-blob", ["predict", "iris/model.fnm"], "1,2,3,4\n"),
        ("error-diverges", ["train", "sine/sine_train.csv", "-o", "x.fnm", "--lr", "1e6", "--optimizer", "sgd", "--activation", "identity", "--quiet"], nil),
        ("error-cannot-create", ["compile", "iris/model.fnm", "-o", "no/such/dir/x.fnb"], nil),
    ]

    static func prepare(_ h: CLIHarness) throws {
        try h.write("5.1,3.5,1.4,0.2\n6.2,2.9,4.3,1.3\n7.7,3.0,6.1,2.3\n", to: "rows.csv")
        try h.write("", to: "empty.csv")
        try h.write("a,b,label\n1,2,0\n3,4\n5,6,1\n", to: "ragged.csv")
        try h.write("a,b,label\n1,2,0\n3,abc,1\n", to: "abc.csv")
        try h.write("a,b,label\n1,2,0\n3,nan,1\n", to: "nan.csv")
        try h.write("5.1,3.5,1.4,0.2\n6.2,-inf,4.3,1.3\n", to: "inf.csv")
        // Two targets on very different scales (t1 ~ 1000 ± 500, t2 ~ ±0.01), 64 rows.
        var multi = "a,b,t1,t2\n", inputs = "a,b\n"
        for r in 0..<64 {
            let a = Double(r % 8) / 4 - 1, b = Double(r / 8) / 4 - 1
            multi += "\(a),\(b),\(1000 + 300 * a - 200 * b * b),\(0.01 * a * b)\n"
            if r % 16 == 0 { inputs += "\(a),\(b)\n" }
        }
        try h.write(multi, to: "multi.csv")
        try h.write(inputs, to: "multi-x.csv")
        var blob = h.read("iris/model.fnb")!
        blob[blob.count / 2] ^= 0x10
        try blob.write(to: h.directory.appendingPathComponent("corrupt.fnb"))
    }

    @Test func goldenOutputs() throws {
        let h = try CLIHarness()
        defer { h.cleanUp() }
        try Self.prepare(h)
        for (name, args, stdin) in Self.cases {
            let r = try h.run(args, stdin: stdin)
            try CLIHarness.expectGolden(name, r)
        }
    }

    @Test func exitCodesBySysexits() throws {
        let h = try CLIHarness()
        defer { h.cleanUp() }
        try Self.prepare(h)
        let expected: [String: Int32] = [
            "error-missing-file": 66, "error-missing-blob": 66, "error-unknown-command": 64, "error-unknown-flag": 64,
            "error-bad-flag-value": 64, "error-empty-csv": 65, "error-ragged-row": 65, "error-non-numeric": 65, "error-nan": 65, "error-inf": 65,
            "error-feature-count": 65, "error-stdin-feature-count": 65, "error-corrupt-blob": 65, "error-model-not-blob": 65,
            "error-diverges": 65, "error-cannot-create": 73,
        ]
        for (name, args, stdin) in Self.cases {
            let r = try h.run(args, stdin: stdin)
            #expect(r.status == expected[name] ?? 0, "\(name): exit \(r.status)\n\(r.stderr)")
            if let _ = expected[name] {
                #expect(r.stderr.hasPrefix("fnc: ") && r.stderr.filter { $0 == "\n" }.count == 1, "\(name): one-line error, got \(r.stderr)")
            }
        }
        // No output file appeared, and no temporary file was left behind.
        #expect(!h.exists("x.fnm") && !h.exists("x.fnb"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: h.directory.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func failedCommandsLeaveExistingFilesUntouched() throws {
        let h = try CLIHarness(models: ["iris", "sine"])
        defer { h.cleanUp() }
        try Self.prepare(h)
        let original = h.read("iris/model.fnb")!
        // A compile whose input is bad must not touch the existing blob.
        try h.write("{ \"format\": \"fixednet-model\", \"inputCount\": 4, \"layers\": [] }", to: "bad.json")
        let r1 = try h.run(["compile", "bad.json", "-o", "iris/model.fnb"])
        #expect(r1.status == 65)
        #expect(h.read("iris/model.fnb") == original)
        // Nor may a diverging training run replace an existing model.
        let model = h.read("sine/model.fnm")!
        let r2 = try h.run(["train", "sine/sine_train.csv", "-o", "sine/model.fnm", "--lr", "1e6", "--optimizer", "sgd", "--activation", "identity", "--quiet"])
        #expect(r2.status == 65)
        #expect(h.read("sine/model.fnm") == model)
    }

    @Test func benchReportsZeroAllocations() throws {
        let h = try CLIHarness(models: ["digits"])
        defer { h.cleanUp() }
        let r = try h.run(["bench", "digits/model.fnb", "--seconds", "0.2", "--json"])
        #expect(r.status == 0)
        // Under a sanitizer the counter is compiled out and reports -1 per 1000.
        let sanitized = ProcessInfo.processInfo.environment["FIXEDNET_SANITIZER"] != nil
        #expect(r.stdout.contains(sanitized ? "\"allocations_per_prediction\":-0.001" : "\"allocations_per_prediction\":0.0"), "\(r.stdout)")
        #expect(r.stdout.contains("\"p50\":") && r.stdout.contains("\"throughput_per_s\":"))
    }

    @Test func benchNamesTheBatchPathItTimed() throws {
        let h = try CLIHarness(models: ["digits"])
        defer { h.cleanUp() }
        let tiled = try h.run(["bench", "digits/model.fnb", "--seconds", "0.05", "--batch", "100", "--tile", "16", "--threads", "2", "--json"])
        #expect(tiled.status == 0)
        #expect(tiled.stdout.contains("\"batch\":{\"rows\":100,\"tile_rows\":16,\"threads\":2,\"path\":\"blocked GEMM (BatchKernel), tiles of 16 rows\"}"), "\(tiled.stdout)")
        let single = try h.run(["bench", "digits/model.fnb", "--seconds", "0.05", "--tile", "1"])
        #expect(single.status == 0 && single.stdout.contains("path: row by row (tiles of 1 rows: under 4)"), "\(single.stdout)")
        // Without --tile, a trial of both paths picks one and says so.
        let auto = try h.run(["bench", "digits/model.fnb", "--seconds", "0.05"])
        #expect(auto.status == 0 && auto.stdout.contains("; trial: tiles "), "\(auto.stdout)")
    }

    @Test func importRoundTripsTheExport() throws {
        let h = try CLIHarness(models: ["xor"])
        defer { h.cleanUp() }
        #expect(try h.run(["export", "xor/model.fnm", "--json", "-o", "xor.json"]).status == 0)
        #expect(try h.run(["import", "xor.json", "-o", "back.fnm"]).status == 0)
        #expect(h.read("back.fnm") == h.read("xor/model.fnm"))
    }

    @Test func trainWritesAnSVGCurve() throws {
        let h = try CLIHarness(models: ["iris"])
        defer { h.cleanUp() }
        let r = try h.run(["train", "iris/iris_train.csv", "-o", "m.json", "--epochs", "5", "--validation", "0.25", "--curve", "c.svg", "--quiet"])
        #expect(r.status == 0 && r.stdout.isEmpty)
        let svg = String(decoding: h.read("c.svg")!, as: UTF8.self)
        #expect(svg.hasPrefix("<svg") && svg.contains("validation loss") && svg.contains("train loss") && svg.hasSuffix("</svg>\n"))
        #expect(String(decoding: h.read("m.json")!, as: UTF8.self).contains("\"format\": \"fixednet-model\""))
    }
}
