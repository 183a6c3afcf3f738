import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler

/// Buffered standard output with explicit flushing, and stderr messages.
enum Console {
    /// errno of the first failed stdout write, reported by `finishOutput`.
    nonisolated(unsafe) static var firstWriteErrno: Int32 = 0
    static func write(_ s: String) { if fputs(s, stdout) < 0, firstWriteErrno == 0 { firstWriteErrno = errno } }
    static func line(_ s: String) { write(s); write("\n") }
    static func flush() { fflush(stdout) }

    /// Flushes stdout and checks that everything written through stdio arrived
    /// (a full disk, a closed pipe): an I/O error (exit 74), never a silent success.
    static func finishOutput() throws(CLIError) {
        let flushed = fflush(stdout) == 0
        let code = errno
        if !flushed || ferror(stdout) != 0 {
            let reason = firstWriteErrno != 0 ? firstWriteErrno : flushed ? EIO : code
            throw .io("standard output: write failed (\(String(cString: strerror(reason))))")
        }
    }
    static func error(_ s: String) { fputs("fnc: " + s + "\n", stderr) }
    /// A warning or note on stderr; never changes the exit code.
    static func warn(_ s: String) { fputs("fnc: " + s + "\n", stderr) }
    static var isTerminal: Bool { isatty(1) != 0 }

    /// "1 row", "2 rows".
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The terminal's width in columns (stdout), or nil when it is not a terminal.
    static var terminalColumns: Int? {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// `value` with `digits` decimals, no locale.
    static func fixed(_ value: Double, _ digits: Int) -> String { CFormat.string("%.\(digits)f", value) }
    /// `value` in `%.Ne` form (`digits` significant decimals after the point).
    static func scientific(_ value: Double, _ digits: Int) -> String { CFormat.string("%.\(digits)g", value) }
}

/// Bulk output straight to file descriptor 1, every write checked.
enum StandardOutput {
    /// Writes `text` (after anything stdio still holds), retrying short writes.
    /// A failed write (a full disk, a closed pipe) is an I/O error (exit 74).
    static func write(_ text: TextBuffer) throws(CLIError) {
        guard text.count > 0 else { return }
        fflush(stdout)
        var failure: Int32 = 0
        text.bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(1, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                done += n
            }
        }
        if failure != 0 { throw .io("standard output: write failed (\(String(cString: strerror(failure))))") }
    }
}

/// The flags every data-reading command shares.
enum DataFlags {
    static let help = """
      --delimiter D           , ; or tab (default: detected from the first row,
                              which must then hold only one of them)
      --header / --no-header  override header detection
    """

    static func delimiter(_ a: Arguments, command: String) throws(CLIError) -> UInt8? {
        guard let s = a.string("--delimiter") else { return nil }
        guard let d = CSVReader.delimiter(named: s) else { throw .usage("\(command): --delimiter must be \",\", \";\" or tab, got \"\(s)\"") }
        return d
    }

    static func header(_ a: Arguments, command: String) throws(CLIError) -> Bool? {
        if a.has("--header") && a.has("--no-header") { throw .usage("\(command): --header and --no-header contradict each other") }
        return a.has("--header") ? true : a.has("--no-header") ? false : nil
    }
}
