import Testing
@testable import fnc

/// The redrawn progress line never wraps: it is cut to the terminal's width.
@Suite struct ProgressTests {
    @Test func lineFitsTheTerminal() {
        let line = "[############............] epoch 12/50  loss 0.123456  val_loss 0.234567  val_acc 93.33%  eta 1.2s"
        #expect(Progress.fit(line, columns: 60).count == 59)
        #expect(Progress.fit(line, columns: 200) == line)
        #expect(Progress.fit(line, columns: nil) == line)
        #expect(Progress.fit(line, columns: 1).count == 1)
    }
}
