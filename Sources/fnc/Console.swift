import Foundation

/// Buffered standard output with explicit flushing (streaming predict flushes
/// each line so a co-process sees it at once).
enum Console {
    static func write(_ s: String) { fputs(s, stdout) }
    static func line(_ s: String) { fputs(s, stdout); fputc(10, stdout) }
    static func flush() { fflush(stdout) }
    static func error(_ s: String) { fputs("fnc: " + s + "\n", stderr) }
    static var isTerminal: Bool { isatty(1) != 0 }

    /// `value` with `digits` decimals, no locale.
    static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}
