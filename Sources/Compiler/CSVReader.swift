import Foundation

/// One CSV field with where it came from (1-based line and column).
public struct CSVField: Sendable, Equatable {
    public var text: String
    public var line: Int
    public var column: Int
}

/// Splits CSV text into rows of fields. Handles `\n` and `\r\n`, double-quoted
/// fields with `""` escapes, and skips blank lines. Does not interpret values.
public enum CSVReader {
    /// Reads and splits a whole file. Throws `DataError` for a missing or unreadable
    /// file, invalid UTF-8, or an unterminated quote.
    public static func read(path: String) throws(DataError) -> [[CSVField]] {
        let data = try FileBytes.read(path)
        guard let text = String(validating: data, as: UTF8.self) else {
            throw DataError(file: path, "the file is not valid UTF-8")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(DataError) -> [[CSVField]] {
        var rows: [[CSVField]] = []
        var row: [CSVField] = []
        var field = ""
        var fieldStart = 1, line = 1, column = 1, fieldLine = 1
        var inQuotes = false, quoted = false, rowHasContent = false
        var it = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endField() {
            row.append(CSVField(text: quoted ? field : field.trimmingCharacters(in: .whitespaces),
                                line: fieldLine, column: fieldStart))
            field = ""; quoted = false
        }
        while true {
            let next: Unicode.Scalar?
            if let p = pending { next = p; pending = nil } else { next = it.next() }
            guard let c = next else { break }
            if inQuotes {
                if c == "\"" {
                    let after = it.next()
                    if after == "\"" { field.unicodeScalars.append("\""); column += 2; continue }
                    inQuotes = false; column += 1
                    pending = after
                    continue
                }
                if c == "\n" { line += 1; column = 1 } else { column += 1 }
                field.unicodeScalars.append(c)
                continue
            }
            switch c {
            case ",":
                endField(); rowHasContent = true
                column += 1; fieldStart = column; fieldLine = line
            case "\r":
                column += 1  // dropped; "\r\n" ends the line at "\n"
            case "\n":
                if rowHasContent || !field.trimmingCharacters(in: .whitespaces).isEmpty || quoted {
                    endField(); rows.append(row)
                }
                row = []; rowHasContent = false
                line += 1; column = 1; fieldStart = 1; fieldLine = line
            case "\"" where field.trimmingCharacters(in: .whitespaces).isEmpty && !quoted:
                inQuotes = true; quoted = true; field = ""; column += 1
            default:
                field.unicodeScalars.append(c); column += 1
            }
        }
        if inQuotes { throw DataError(file: file, line: fieldLine, column: fieldStart, "unterminated quoted field") }
        if rowHasContent || !field.trimmingCharacters(in: .whitespaces).isEmpty || quoted {
            endField(); rows.append(row)
        }
        return rows
    }

    /// Parses a finite number, or explains why the field is not one.
    public static func number(_ f: CSVField, file: String) throws(DataError) -> Double {
        if f.text.isEmpty { throw DataError(file: file, line: f.line, column: f.column, "empty field, expected a number") }
        guard let v = Double(f.text) else {
            throw DataError(file: file, line: f.line, column: f.column, "expected a number, found \"\(f.text)\"")
        }
        guard v.isFinite else {
            throw DataError(file: file, line: f.line, column: f.column, "non-finite value \"\(f.text)\"")
        }
        return v
    }
}
