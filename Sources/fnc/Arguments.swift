/// A parsed command line: flags with values, boolean switches and positionals.
/// Flags may be written `--name value` or `--name=value`.
struct Arguments {
    private(set) var values: [String: String] = [:]
    private(set) var switches: Set<String> = []
    private(set) var positionals: [String] = []
    let command: String

    /// - Parameters: `valued`: flags that take a value; `boolean`: switches.
    ///   Anything else starting with `-` (except `-` itself) is a usage error.
    init(_ args: [String], command: String, valued: Set<String>, boolean: Set<String>) throws(CLIError) {
        self.command = command
        var i = 0
        var onlyPositionals = false
        while i < args.count {
            let a = args[i]
            i += 1
            if onlyPositionals || a == "-" || !a.hasPrefix("-") { positionals.append(a); continue }
            if a == "--" { onlyPositionals = true; continue }
            var name = a, inline: String? = nil
            if let eq = a.firstIndex(of: "=") { name = String(a[..<eq]); inline = String(a[a.index(after: eq)...]) }
            if valued.contains(name) {
                if let inline { values[name] = inline; continue }
                guard i < args.count else { throw .usage("\(command): \(name) needs a value") }
                values[name] = args[i]
                i += 1
            } else if boolean.contains(name), inline == nil {
                switches.insert(name)
            } else {
                throw .usage("\(command): unknown option \(name) (see fnc \(command) --help)")
            }
        }
    }

    func has(_ flag: String) -> Bool { switches.contains(flag) }
    func string(_ flag: String) -> String? { values[flag] }

    func int(_ flag: String, default d: Int, range: ClosedRange<Int> = 0...Int.max) throws(CLIError) -> Int {
        guard let s = values[flag] else { return d }
        guard let v = Int(s), range.contains(v) else {
            throw .usage("\(command): \(flag) expects an integer in \(range.lowerBound)...\(range.upperBound == Int.max ? "" : String(range.upperBound)), got \"\(s)\"")
        }
        return v
    }

    func double(_ flag: String, default d: Double, range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws(CLIError) -> Double {
        guard let s = values[flag] else { return d }
        guard let v = Double(s), v.isFinite, range.contains(v) else {
            throw .usage("\(command): \(flag) expects a number in [\(range.lowerBound), \(range.upperBound)], got \"\(s)\"")
        }
        return v
    }

    /// The positionals, checked for count.
    func positional(_ range: ClosedRange<Int>, usage: String) throws(CLIError) -> [String] {
        guard range.contains(positionals.count) else { throw .usage("usage: \(usage)") }
        return positionals
    }
}
