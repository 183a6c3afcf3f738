/// Whether a name can be a Swift type name in generated code.
public enum SwiftIdentifier {
    /// Keywords (and a few contextual ones) that cannot name a type unescaped.
    public static let reserved: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do",
        "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "_", "Type",
        "Protocol", "some", "any", "consume", "copy", "borrowing", "consuming", "actor", "macro",
    ]

    /// nil when `name` is a usable type name, else why not.
    public static func problem(with name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "it is empty" }
        let letters = { (c: Unicode.Scalar) -> Bool in c.properties.isAlphabetic || c == "_" }
        guard letters(first) else { return "it must start with a letter or _" }
        guard name.unicodeScalars.allSatisfy({ letters($0) || $0.properties.numericType != nil }) else {
            return "it may hold only letters, digits and _"
        }
        if reserved.contains(name) { return "\"\(name)\" is a Swift keyword" }
        return nil
    }
}
