/// Splits a byte stream into CSV records, one record at a time, with no
/// allocation per record or field once its buffers have grown to the widest row.
///
/// Rules (RFC 4180 plus what real files do):
/// - A record ends at `\n`; a `\r` before it (CRLF) and around unquoted fields
///   is whitespace. Lines of only whitespace are skipped.
/// - Unquoted fields are trimmed of spaces (and tabs, unless tab is the delimiter).
/// - A field whose first non-blank byte is `"` is quoted: it runs to the next
///   lone `"`, may hold delimiters and newlines, and `""` stands for `"`. Only
///   whitespace may follow the closing quote. A `"` inside an unquoted field is text.
/// - A UTF-8 byte-order mark at the start of the stream is dropped.
/// - The delimiter is `,` `;` or tab. Unless given, it is read off the first
///   non-blank row: the one of the three that occurs there outside quotes; `,`
///   when none does; an error (`ambiguousDelimiter`) when more than one does.
///
/// Memory: one buffer of `chunkSize` bytes that grows only to hold a single row,
/// up to `maxRecordBytes`. Field views (`field(_:)`) are valid until the next
/// call to `next`. Positions: `line(of:)` is 1-based; `column(of:)` counts
/// characters (UTF-8 scalars) from 1 at the start of the field's line.
public final class CSVScanner {
    /// A row longer than this is refused (`recordTooLong`), so a file with no
    /// newlines (or /dev/zero) costs at most this much memory.
    public static let maxRecordBytes = 1 << 24
    public static let maxFields = 1 << 20
    /// Bytes asked of each read(2).
    public static let chunkSize = 1 << 20

    public enum Status: Equatable { case record, needsInput, end }

    public let file: String
    /// The delimiter in use; resolved when the first record is read.
    @exclusivity(unchecked) public private(set) var delimiter: UInt8
    let source: ByteSource
    let delimiterGiven: Bool

    @exclusivity(unchecked) var buffer: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) var capacity: Int
    /// Unconsumed input is `buffer[position..<end]`.
    @exclusivity(unchecked) var position = 0, end = 0
    @exclusivity(unchecked) var sawEnd = false, atStart = true
    /// Input bytes consumed before `buffer[0]`.
    var consumedBase = 0
    /// Input bytes consumed so far (the current record included).
    public var consumedBytes: Int { consumedBase + position }
    /// The source's size when known (see `ByteSource.sizeHint`).
    public var sizeHint: Int? { source.sizeHint }
    /// Line number at `position`.
    @exclusivity(unchecked) var nextLine = 1

    /// The current record: its first line, and its fields.
    @exclusivity(unchecked) public internal(set) var line = 0
    @exclusivity(unchecked) public internal(set) var fieldCount = 0
    /// Where each field's text is (after trimming and quote removal) and where its
    /// column counts from. (fieldCapacity) each.
    struct Span { var start: Int; var end: Int; var columnAt: Int; var lineStart: Int; var line: Int; var escaped: Bool }
    @exclusivity(unchecked) var spans: UnsafeMutablePointer<Span>
    @exclusivity(unchecked) var spanCapacity = 64
    /// Just past the last field's text, for "too few fields" messages.
    @exclusivity(unchecked) var recordEnd = 0, recordEndLineStart = 0

    /// `delimiter`: nil detects it (see above).
    public init(source: ByteSource, delimiter: UInt8? = nil) {
        self.source = source
        self.file = source.name
        self.delimiter = delimiter ?? UInt8(ascii: ",")
        self.delimiterGiven = delimiter != nil
        // A small input gets a small buffer (tests, fuzzing, little files).
        capacity = max(64, min(Self.chunkSize, (source.sizeHint ?? Self.chunkSize) + 16))
        buffer = .allocate(capacity: capacity)
        spans = .allocate(capacity: spanCapacity)
    }

    deinit {
        buffer.deallocate()
        spans.deallocate()
    }

    // MARK: Reading the current record

    /// The bytes of field `i` (0-based) of the current record.
    public func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(i >= 0 && i < fieldCount, "field \(i) of a \(fieldCount)-field record")
        let s = spans[i]
        return UnsafeBufferPointer(start: buffer + s.start, count: s.end - s.start)
    }

    /// Field `i` as a number (see `FloatParser`), or nil.
    @inline(__always)
    public func number(_ i: Int) -> Double? {
        let s = spans[i]
        return FloatParser.parse(buffer + s.start, count: s.end - s.start)
    }

    /// Field `i` as text (invalid UTF-8 becomes U+FFFD; see `validText`).
    public func text(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// Field `i` as text, or nil when it is not valid UTF-8.
    public func validText(_ i: Int) -> String? { String(validating: field(i), as: UTF8.self) }

    public func line(of i: Int) -> Int { spans[i].line }

    public func column(of i: Int) -> Int { column(at: spans[i].columnAt, lineStart: spans[i].lineStart) }

    /// The column just past the last field: where a missing field would start.
    public var columnAfterLastField: Int { column(at: recordEnd, lineStart: recordEndLineStart) }

    func column(at offset: Int, lineStart: Int) -> Int {
        var c = 1
        var p = lineStart
        while p < offset { if buffer[p] & 0xC0 != 0x80 { c += 1 }; p += 1 }
        return c
    }

    // MARK: Advancing

    /// Moves to the next non-blank record. `.needsInput` only when `mayRead` is
    /// false and the record is not wholly buffered (a streaming caller then
    /// finishes its pending work before it blocks on input).
    public func next(mayRead: Bool = true) throws(DataError) -> Status {
        while true {
            if atStart {
                // A BOM: wait for three bytes only when the first one could start it.
                while end - position < 3 && !sawEnd && (end == position || buffer[position] == 0xEF) {
                    if !mayRead { return .needsInput }
                    try fill()
                }
                if end - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
                    position += 3
                }
                atStart = false
            }
            if !delimiterGiven && line == 0 {
                guard try detectDelimiter(mayRead: mayRead) else { return .needsInput }
            }
            if position == end && sawEnd { fieldCount = 0; return .end }
            if let after = try scanRecord() {
                let blank = fieldCount == 1 && spans[0].start == spans[0].end && spans[0].columnAt == spans[0].start
                    && !isQuote(spans[0].columnAt)
                position = after
                if blank { continue }
                unescapeQuotedFields()
                return .record
            }
            // The record runs past the buffered input.
            if end - position >= Self.maxRecordBytes {
                throw DataError(file: file, line: nextLine, .recordTooLong(limit: Self.maxRecordBytes))
            }
            if !mayRead { return .needsInput }
            try fill()
        }
    }

    func isQuote(_ offset: Int) -> Bool { offset < end && buffer[offset] == UInt8(ascii: "\"") }

    /// Reads more input after the unconsumed bytes, compacting and growing the buffer as needed.
    func fill() throws(DataError) {
        if position > 0 {
            let live = end - position
            if live > 0 { (buffer).update(from: buffer + position, count: live) }
            consumedBase += position
            // Spans of the last record point into consumed bytes; they are dead now.
            end = live; position = 0
        }
        if capacity - end < capacity / 4 {   // never a read of 0 bytes, which would look like the end
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity *= 2
        }
        let n = try source.read(into: buffer + end, count: capacity - end)
        if n == 0 { sawEnd = true } else { end += n }
    }

    /// Resolves the delimiter from the first non-blank line. False: needs input first.
    func detectDelimiter(mayRead: Bool) throws(DataError) -> Bool {
        while true {
            var p = position
            var inQuotes = false
            var lineHasText = false
            var counts = (comma: 0, semicolon: 0, tab: 0)
            while p < end {
                let b = buffer[p]
                if b == UInt8(ascii: "\"") { inQuotes.toggle(); lineHasText = true }
                else if !inQuotes {
                    if b == UInt8(ascii: "\n") {
                        if lineHasText { break }
                        counts = (0, 0, 0)
                    } else if b == UInt8(ascii: ",") { counts.comma += 1; lineHasText = true }
                    else if b == UInt8(ascii: ";") { counts.semicolon += 1; lineHasText = true }
                    else if b == 9 { counts.tab += 1 }
                    else if b != 32 && b != 13 { lineHasText = true }
                }
                p += 1
            }
            if p == end && !sawEnd {
                if end - position >= Self.maxRecordBytes {
                    throw DataError(file: file, line: nextLine, .recordTooLong(limit: Self.maxRecordBytes))
                }
                if !mayRead { return false }
                try fill()
                continue
            }
            var found: [UInt8] = []
            if counts.comma > 0 { found.append(UInt8(ascii: ",")) }
            if counts.semicolon > 0 { found.append(UInt8(ascii: ";")) }
            if counts.tab > 0 && lineHasText { found.append(9) }
            if found.count > 1 { throw DataError(file: file, line: nextLine, .ambiguousDelimiter(found)) }
            delimiter = found.first ?? UInt8(ascii: ",")
            line = -1   // resolved (a real record sets `line` next)
            return true
        }
    }

    /// Scans one record from `position`. Returns the offset just past it, or nil
    /// when it is not wholly buffered yet (nothing is changed then).
    func scanRecord() throws(DataError) -> Int? {
        let d = delimiter
        let nl = UInt8(ascii: "\n"), quote = UInt8(ascii: "\"")
        let buffer = self.buffer, end = self.end, sawEnd = self.sawEnd
        let tabIsBlank = d != 9
        @inline(__always) func isBlank(_ b: UInt8) -> Bool { b == 32 || b == 13 || (b == 9 && tabIsBlank) }
        var i = position
        var lineNumber = nextLine
        var lineStart = position
        var count = 0
        while true {
            while i < end && isBlank(buffer[i]) { i += 1 }
            if i == end && !sawEnd { return nil }
            var span: Span
            if i < end && buffer[i] == quote {
                let open = i, openLine = lineNumber, openLineStart = lineStart
                i += 1
                let contentStart = i
                var escaped = false
                while true {
                    if i == end {
                        if !sawEnd { return nil }
                        throw DataError(file: file, line: openLine, column: column(at: open, lineStart: openLineStart), .unterminatedQuote)
                    }
                    let b = buffer[i]
                    if b == quote {
                        if i + 1 == end && !sawEnd { return nil }
                        if i + 1 < end && buffer[i + 1] == quote { escaped = true; i += 2; continue }
                        break
                    }
                    if b == nl { lineNumber += 1; lineStart = i + 1 }
                    i += 1
                }
                span = Span(start: contentStart, end: i, columnAt: open, lineStart: openLineStart, line: openLine, escaped: escaped)
                i += 1
                while i < end && isBlank(buffer[i]) { i += 1 }
                if i == end && !sawEnd { return nil }
                if i < end && buffer[i] != d && buffer[i] != nl {
                    var e = i
                    while e < end && buffer[e] != d && buffer[e] != nl && e - i < 200 { e += 1 }
                    throw DataError(file: file, line: lineNumber, column: column(at: i, lineStart: lineStart),
                                    .textAfterClosingQuote(String(decoding: UnsafeBufferPointer(start: buffer + i, count: e - i), as: UTF8.self)))
                }
                recordEnd = i
            } else {
                let start = i
                while i < end {
                    let b = buffer[i]
                    if b == d || b == nl { break }
                    i += 1
                }
                if i == end && !sawEnd { return nil }
                var e = i
                while e > start && isBlank(buffer[e - 1]) { e -= 1 }
                span = Span(start: start, end: e, columnAt: start, lineStart: lineStart, line: lineNumber, escaped: false)
                recordEnd = e
            }
            if count == spanCapacity {
                guard spanCapacity < Self.maxFields else {
                    throw DataError(file: file, line: nextLine, .tooManyFields(limit: Self.maxFields))
                }
                let grown = UnsafeMutablePointer<Span>.allocate(capacity: spanCapacity * 2)
                grown.initialize(from: spans, count: count)
                spans.deallocate()
                spans = grown
                spanCapacity *= 2
            }
            self.spans[count] = span
            count += 1
            recordEndLineStart = lineStart
            if i < end && buffer[i] == d { i += 1; continue }
            // End of line or of input.
            fieldCount = count
            line = spans[0].line
            if i < end { i += 1; nextLine = lineNumber + 1 } else { nextLine = lineNumber }
            return i
        }
    }

    /// Turns `""` into `"` inside quoted fields, in place.
    func unescapeQuotedFields() {
        for f in 0..<fieldCount where spans[f].escaped {
            var w = spans[f].start, r = spans[f].start
            let e = spans[f].end
            while r < e {
                buffer[w] = buffer[r]
                if buffer[r] == UInt8(ascii: "\"") { r += 1 }   // the second quote of a pair
                w += 1; r += 1
            }
            spans[f].end = w
        }
    }
}

/// Small conveniences over `CSVScanner` for tests, fuzzing and short inputs.
public enum CSVReader {
    /// Every record of `text` as strings (allocates; for tests and small inputs).
    public static func rows(_ text: String, file: String = "<text>", delimiter: UInt8? = nil) throws(DataError) -> [[String]] {
        let scanner = CSVScanner(source: ByteSource(bytes: Array(text.utf8), name: file), delimiter: delimiter)
        var rows: [[String]] = []
        while try scanner.next() == .record { rows.append((0..<scanner.fieldCount).map(scanner.text)) }
        return rows
    }

    /// Parses a `--delimiter` value: `,` `;` `tab` (or a literal tab).
    public static func delimiter(named name: String) -> UInt8? {
        switch name {
        case ",", "comma": return UInt8(ascii: ",")
        case ";", "semicolon": return UInt8(ascii: ";")
        case "tab", "\t", "\\t": return 9
        default: return nil
        }
    }
}

extension CSVReader {
    /// Every record of a file as strings (allocates; for tests and small inputs).
    public static func read(path: String, delimiter: UInt8? = nil) throws(DataError) -> [[String]] {
        let scanner = CSVScanner(source: try ByteSource(path: path), delimiter: delimiter)
        var rows: [[String]] = []
        while try scanner.next() == .record { rows.append((0..<scanner.fieldCount).map(scanner.text)) }
        return rows
    }
}
