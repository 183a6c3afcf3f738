/// A parsed JSON value. Objects keep their key order.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number with its source text, so integers and doubles parse exactly.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields.first { $0.0 == key }?.1 }
        return nil
    }
}

/// A strict RFC 8259 parser whose errors name the line and column. Nesting is
/// limited to `maxDepth` so hostile input cannot exhaust the stack.
public struct JSONParser {
    public static let maxDepth = 64
    private let bytes: [UInt8]
    private let file: String
    private var i = 0
    private var line = 1
    private var lineStart = 0

    public static func parse(_ bytes: [UInt8], file: String) throws(DataError) -> JSONValue {
        var p = JSONParser(bytes: bytes, file: file)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.i < bytes.count { throw p.error("unexpected text after the JSON value") }
        return v
    }

    private init(bytes: [UInt8], file: String) { self.bytes = bytes; self.file = file }

    private func error(_ reason: String) -> DataError {
        DataError(file: file, line: line, column: i - lineStart + 1, reason)
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: i += 1; line += 1; lineStart = i
            default: return
            }
        }
    }

    private mutating func expect(_ c: UInt8) throws(DataError) {
        guard i < bytes.count, bytes[i] == c else {
            throw error(i < bytes.count ? "expected '\(Character(Unicode.Scalar(c)))'" : "unexpected end of input")
        }
        i += 1
    }

    private mutating func value(depth: Int) throws(DataError) -> JSONValue {
        guard depth < JSONParser.maxDepth else { throw error("nesting deeper than \(JSONParser.maxDepth)") }
        guard i < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var fields: [(String, JSONValue)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(fields) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let keyError = error("duplicate key")   // positioned at the key
                let key = try string()
                // A repeated key would silently keep one of its values: refuse it.
                if fields.contains(where: { $0.0 == key }) {
                    throw DataError(file: keyError.file, line: keyError.line, column: keyError.column,
                                    .invalid("duplicate key \(DataError.quote(key)) in an object"))
                }
                skipSpace()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                fields.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw error("unexpected end of input in an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "}"))
                return .object(fields)
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw error("unexpected end of input in an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                try expect(UInt8(ascii: "]"))
                return .array(items)
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return .number(try number())
        }
    }

    private mutating func literal(_ word: String) throws(DataError) {
        for c in word.utf8 {
            guard i < bytes.count, bytes[i] == c else { throw error("invalid literal, expected \(word)") }
            i += 1
        }
    }

    private mutating func number() throws(DataError) -> Double {
        let start = i
        let allowed = Set("+-0123456789.eE".utf8)
        while i < bytes.count, allowed.contains(bytes[i]) { i += 1 }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        // JSON grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
        var k = text.utf8.makeIterator()
        var c = k.next()
        func digits() -> Int { var n = 0; while let d = c, d >= 48, d <= 57 { n += 1; c = k.next() }; return n }
        if c == UInt8(ascii: "-") { c = k.next() }
        let leading = c
        let intDigits = digits()
        var ok = intDigits > 0 && !(leading == UInt8(ascii: "0") && intDigits > 1)
        if ok, c == UInt8(ascii: ".") { c = k.next(); ok = digits() > 0 }
        if ok, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            c = k.next()
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { c = k.next() }
            ok = digits() > 0
        }
        guard ok, c == nil, let v = Double(text) else {
            i = start
            throw error(text.isEmpty ? "unexpected character, expected a value" : "invalid number \"\(text)\"")
        }
        guard v.isFinite else { i = start; throw error("number \"\(text)\" overflows a Double") }
        return v
    }

    private mutating func string() throws(DataError) -> String {
        try expect(UInt8(ascii: "\""))
        var out = [UInt8]()
        while true {
            guard i < bytes.count else { throw error("unterminated string") }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; break }
            if c < 0x20 { throw error("control character in a string") }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { throw error("unterminated escape") }
                let e = bytes[i]; i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(code) {
                        throw error("unpaired surrogate")
                    }
                    out += Array(String(Character(Unicode.Scalar(code)!)).utf8)
                default: throw error("invalid escape \\\(Character(Unicode.Scalar(e)))")
                }
                continue
            }
            out.append(c); i += 1
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw error("string is not valid UTF-8") }
        return s
    }

    private mutating func hex4() throws(DataError) -> UInt32 {
        guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw error("invalid \\u escape")
        }
        i += 4
        return v
    }
}
