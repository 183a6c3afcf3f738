/// Accumulates generated source with indentation.
struct CodePrinter {
    private(set) var text = ""
    private var level = 0

    mutating func line(_ s: String = "") {
        text += s.isEmpty ? "\n" : String(repeating: "    ", count: level) + s + "\n"
    }

    /// `opening {`, the body indented, then `}`.
    /// An opening that already ends in `{` or `in` (a closure) is kept as written.
    mutating func block(_ opening: String, _ body: (inout CodePrinter) -> Void) {
        line(opening.hasSuffix(" in") ? opening : opening + " {")
        level += 1
        body(&self)
        level -= 1
        line("}")
    }
}
