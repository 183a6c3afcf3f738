import Foundation
import Testing
@testable import Compiler

/// Nothing lost: checkpoints survive signals and divergence, and resuming is exact.
@Suite(.serialized) struct CheckpointTests {
    @Test func sigtermLeavesALoadableCheckpointThatResumes() throws {
        let h = try CLIHarness(models: ["digits"])
        defer { h.cleanUp() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLIHarness.binary)
        p.arguments = ["train", "digits/digits_train.csv", "-o", "big.fnm", "--epochs", "100000", "--hidden", "64",
                       "--checkpoint", "ck.fnm", "--quiet"]
        p.currentDirectoryURL = h.directory
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // Wait for the first checkpoint (each epoch writes one), then stop the run mid-way.
        let deadline = Date().addingTimeInterval(120)
        while !h.exists("ck.fnm.resume") && Date() < deadline { usleep(20_000) }
        #expect(h.exists("ck.fnm.resume"))
        usleep(200_000)
        p.terminate()   // SIGTERM
        // Watchdog: the run must stop within a minute of the signal, or the test fails.
        let stopBy = Date().addingTimeInterval(60)
        while p.isRunning && Date() < stopBy { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL); Issue.record("fnc ignored SIGTERM") }
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 143, "exit \(p.terminationStatus): \(message)")
        #expect(message.hasPrefix("fnc: interrupted after epoch "), "\(message)")
        #expect(!h.exists("big.fnm"), "an interrupted run must not write its final model")
        // The checkpoint is a normal model file, and its state file resumes.
        let model = try ModelFile.load(path: h.directory.appendingPathComponent("ck.fnm").path)
        #expect(model.sizes == [64, 64, 10])
        let state = try Checkpoint.decode([UInt8](h.read("ck.fnm.resume")!), file: "ck.fnm.resume")
        #expect(state.epochsDone >= 1)
        let r = try h.run(["train", "digits/digits_train.csv", "-o", "big.fnm", "--epochs", "\(state.epochsDone + 2)", "--hidden", "64",
                           "--resume", "ck.fnm", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(h.exists("big.fnm"))
    }

    /// Without --checkpoint, Ctrl-C still finishes the epoch and keeps the work in -o.
    @Test func sigintWithoutACheckpointWritesTheModelSoFar() throws {
        let h = try CLIHarness(models: ["digits"])
        defer { h.cleanUp() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLIHarness.binary)
        p.arguments = ["train", "digits/digits_train.csv", "-o", "big.fnm", "--epochs", "100000", "--hidden", "64", "--quiet"]
        p.currentDirectoryURL = h.directory
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        usleep(2_000_000)   // past loading the data, which installs the handler
        kill(p.processIdentifier, SIGINT)
        let stopBy = Date().addingTimeInterval(60)
        while p.isRunning && Date() < stopBy { usleep(20_000) }
        if p.isRunning { kill(p.processIdentifier, SIGKILL); Issue.record("fnc ignored SIGINT") }
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 130, "exit \(p.terminationStatus): \(message)")
        #expect(message.hasPrefix("fnc: interrupted after epoch ") && message.contains("wrote the model so far to big.fnm"), "\(message)")
        #expect(try ModelFile.load(path: h.directory.appendingPathComponent("big.fnm").path).sizes == [64, 64, 10])
    }

    @Test func resumingEqualsAnUninterruptedRun() throws {
        let h = try CLIHarness(models: ["iris"])
        defer { h.cleanUp() }
        let common = ["--validation", "0.2", "--optimizer", "adam", "--lr", "0.01", "--quiet"]
        #expect(try h.run(["train", "iris/iris_train.csv", "-o", "straight.fnm", "--epochs", "8"] + common).status == 0)
        #expect(try h.run(["train", "iris/iris_train.csv", "-o", "part.fnm", "--epochs", "4", "--checkpoint", "ck.fnm"] + common).status == 0)
        #expect(try h.run(["train", "iris/iris_train.csv", "-o", "resumed.fnm", "--epochs", "8", "--resume", "ck.fnm"] + common).status == 0)
        #expect(h.read("resumed.fnm") == h.read("straight.fnm"))
        // Resuming with other flags is refused.
        let wrong = try h.run(["train", "iris/iris_train.csv", "-o", "x.fnm", "--epochs", "8", "--hidden", "7", "--resume", "ck.fnm"] + common)
        #expect(wrong.status == 64 && wrong.stderr.contains("--hidden is 7 here, but ck.fnm was trained with 32"), "\(wrong.stderr)")
        // … as is a different learning rate or other data of the same shape (issue 19: both continued silently).
        let lr = try h.run(["train", "iris/iris_train.csv", "-o", "x.fnm", "--epochs", "8", "--resume", "ck.fnm"] + common.map { $0 == "0.01" ? "0.02" : $0 })
        #expect(lr.status == 64 && lr.stderr.contains("--lr is 0.02 here, but ck.fnm was trained with 0.01"), "\(lr.stderr)")
        let text = String(decoding: h.read("iris/iris_train.csv")!, as: UTF8.self)
        try h.write(text.replacingOccurrences(of: "6.", with: "6.01"), to: "other.csv")
        let data = try h.run(["train", "other.csv", "-o", "x.fnm", "--epochs", "8", "--resume", "ck.fnm"] + common)
        #expect(data.status == 64 && data.stderr.contains("other.csv is not the data ck.fnm was trained on"), "\(data.stderr)")
        #expect(!h.exists("x.fnm"))
    }

    /// Every training option of issue 17 is in the checkpoint: each resumed run
    /// equals the uninterrupted one byte for byte, and a changed value is refused.
    @Test func resumingIsBitExactWithEveryTrainingOption() throws {
        let h = try CLIHarness(models: ["iris"])
        defer { h.cleanUp() }
        // (flags, a value to change, its changed form)
        let runs: [([String], String, String)] = [
            (["--optimizer", "adam", "--weight-decay", "0.01", "--schedule", "cosine:0.0001", "--warmup", "2"], "0.01", "0.02"),
            (["--optimizer", "momentum", "--l2", "0.3", "--class-weight", "balanced", "--schedule", "step:2:0.5"], "0.3", "0.31"),
            (["--hidden", "16,8", "--dropout", "0.3,0.1", "--clip-norm", "0.5", "--schedule", "plateau:1:0.5", "--validation", "0.2"], "0.3,0.1", "0.3,0.2"),
            (["--class-weight", "0=2,2=0.5", "--threads", "2"], "0=2,2=0.5", "0=3"),
        ]
        for (k, (flags, value, changedValue)) in runs.enumerated() {
            let common = flags + ["--quiet", "--seed", "3"]
            // A cosine schedule spans --epochs: its checkpoint continues only an
            // interrupted run of the same length (bit-exact resumption of one is
            // TrainingOptionsTests.interruptedRunsResumeBitExactly), and a longer run is refused.
            let cosine = flags.contains("cosine:0.0001")
            #expect(try h.run(["train", "iris/iris_train.csv", "-o", "s\(k).fnm", "--epochs", "8"] + common).status == 0)
            let part = try h.run(["train", "iris/iris_train.csv", "-o", "p\(k).fnm", "--epochs", cosine ? "8" : "4", "--checkpoint", "c\(k).fnm"] + common)
            #expect(part.status == 0, "\(flags): \(part.stderr)")
            if cosine {
                let longer = try h.run(["train", "iris/iris_train.csv", "-o", "x.fnm", "--epochs", "9", "--resume", "c\(k).fnm"] + common)
                #expect(longer.status == 64 && longer.stderr.contains("--epochs is 9 here"), "\(longer.stderr)")
            } else {
                let resumed = try h.run(["train", "iris/iris_train.csv", "-o", "r\(k).fnm", "--epochs", "8", "--resume", "c\(k).fnm"] + common)
                #expect(resumed.status == 0, "\(flags): \(resumed.stderr)")
                #expect(h.read("r\(k).fnm") == h.read("s\(k).fnm"), "\(flags): resumed run differs")
            }
            // One value changed is refused, naming the flag.
            let changed = try h.run(["train", "iris/iris_train.csv", "-o", "x.fnm", "--epochs", "8", "--resume", "c\(k).fnm"]
                                    + common.map { $0 == value ? changedValue : $0 })
            #expect(changed.status == 64 && changed.stderr.contains("\(changedValue) here, but c\(k).fnm was trained with \(value)"), "\(flags): \(changed.stderr)")
        }
    }

    @Test func divergenceKeepsTheLastGoodCheckpoint() throws {
        let h = try CLIHarness(models: ["sine"])
        defer { h.cleanUp() }
        let r = try h.run(["train", "sine/sine_train.csv", "-o", "d.fnm", "--hidden", "8", "--activation", "identity",
                           "--optimizer", "sgd", "--lr", "0.75", "--epochs", "200", "--checkpoint", "ck.fnm", "--quiet",
                           "--validation", "0", "--no-standardize-target"])
        #expect(r.status == 65)
        #expect(r.stderr == "fnc: training diverged: loss became inf at epoch 2, batch 10; lower the learning rate; the last good checkpoint (epoch 1) is in ck.fnm\n")
        #expect(!h.exists("d.fnm"))
        let state = try Checkpoint.decode([UInt8](h.read("ck.fnm.resume")!), file: "ck")
        #expect(state.epochsDone == 1 && state.network.flattenedParameters.allSatisfy(\.isFinite))
        #expect(try ModelFile.load(path: h.directory.appendingPathComponent("ck.fnm").path).sizes == [1, 8, 1])
    }
}
