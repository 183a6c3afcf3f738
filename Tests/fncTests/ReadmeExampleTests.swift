import Foundation
import Testing

/// Every `$ fnc …` example in README.md runs as written, from the repository
/// root with `fnc` on PATH, and prints exactly what the README shows (stdout and
/// stderr together). A line `...` in the README stands for any number of lines.
/// A block after `<!-- readme-test: skip (reason) -->` is not run.
/// `FIXEDNET_RECORD=1` rewrites the README's outputs (an elided block keeps its
/// `...` and as many lines around it as before).
@Suite struct ReadmeExampleTests {
    struct Example {
        var command: String
        var expected: [String]
        /// Where the expected lines sit in README.md (line indices).
        var range: Range<Int>
    }

    static func examples(in lines: [String]) -> [Example] {
        var out: [Example] = []
        var i = 0
        var skip = false
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("<!-- readme-test: skip") { skip = true }
            if line == "```", i + 1 < lines.count, lines[i + 1].hasPrefix("$ fnc") || lines[i + 1].hasPrefix("$ printf") {
                var j = i + 1
                while j < lines.count && lines[j] != "```" {
                    guard lines[j].hasPrefix("$ ") else { j += 1; continue }
                    let command = String(lines[j].dropFirst(2))
                    var k = j + 1
                    while k < lines.count && lines[k] != "```" && !lines[k].hasPrefix("$ ") { k += 1 }
                    if !skip { out.append(Example(command: command, expected: Array(lines[(j + 1)..<k]), range: (j + 1)..<k)) }
                    j = k
                }
                skip = false
                i = j
            }
            i += 1
        }
        return out
    }

    /// Whether `actual` matches `expected`, where `...` matches any run of lines.
    static func matches(_ expected: ArraySlice<String>, _ actual: ArraySlice<String>) -> Bool {
        guard let first = expected.first else { return actual.isEmpty }
        if first == "..." {
            for n in 0...actual.count where matches(expected.dropFirst(), actual.dropFirst(n)) { return true }
            return false
        }
        guard let a = actual.first, a == first else { return false }
        return matches(expected.dropFirst(), actual.dropFirst())
    }

    /// What a recording writes: `actual`, elided as `expected` was.
    static func recorded(_ expected: [String], _ actual: [String]) -> [String] {
        guard let dots = expected.firstIndex(of: "...") else { return actual }
        let head = dots, tail = expected.count - dots - 1
        guard actual.count > head + tail else { return actual }
        return Array(actual.prefix(head)) + ["..."] + Array(actual.suffix(tail))
    }

    @Test func everyExampleRunsAsWritten() throws {
        let readme = CLIHarness.repository.appendingPathComponent("README.md")
        var lines = try String(contentsOf: readme, encoding: .utf8).components(separatedBy: "\n")
        let examples = Self.examples(in: lines)
        #expect(examples.count >= 6, "found \(examples.count) README examples")
        let h = try CLIHarness(models: [])
        defer { h.cleanUp() }
        try FileManager.default.copyItem(at: CLIHarness.repository.appendingPathComponent("models"), to: h.directory.appendingPathComponent("models"))
        try FileManager.default.createDirectory(at: h.directory.appendingPathComponent("Tests/Fixtures"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: CLIHarness.repository.appendingPathComponent("Tests/Fixtures/onnx"),
                                         to: h.directory.appendingPathComponent("Tests/Fixtures/onnx"))
        let binDir = URL(fileURLWithPath: CLIHarness.binary).deletingLastPathComponent().path
        var rewritten: [(Range<Int>, [String])] = []
        for e in examples {
            let r = try h.run(["/bin/sh", "-c", e.command.replacingOccurrences(of: "fnc ", with: "\"$FNC_BIN\"/fnc ") + " 2>&1"],
                              environment: ["FNC_BIN": binDir], executable: "/bin/sh")
            var actual = r.stdout.components(separatedBy: "\n")
            if actual.last == "" { actual.removeLast() }
            #expect(r.status == 0, "README example `\(e.command)` exits \(r.status)")
            #expect(Self.matches(e.expected[...], actual[...]),
                    "README example `\(e.command)` prints (FIXEDNET_RECORD=1 to accept):\n\(actual.joined(separator: "\n"))")
            rewritten.append((e.range, Self.recorded(e.expected, actual)))
        }
        if CLIHarness.recording {
            for (range, text) in rewritten.reversed() { lines.replaceSubrange(range, with: text) }
            try lines.joined(separator: "\n").write(to: readme, atomically: true, encoding: .utf8)
        }
    }

    /// The matcher itself: a changed line fails, `...` absorbs lines.
    @Test func matcherCatchesAChangedLine() {
        #expect(Self.matches(["a", "...", "d"], ["a", "b", "c", "d"]))
        #expect(!Self.matches(["a", "...", "d"], ["a", "b", "c", "e"]))
        #expect(!Self.matches(["a", "b"], ["a", "c"]))
        #expect(Self.recorded(["a", "...", "z"], ["a", "b", "c", "y"]) == ["a", "...", "y"])
    }
}
