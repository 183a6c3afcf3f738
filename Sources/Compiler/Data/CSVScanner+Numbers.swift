extension CSVScanner {
    /// The next record, with its numeric fields parsed in the same pass.
    ///
    /// For the common record (unquoted, every field but `skip` a number, nothing
    /// around the numbers but an optional `\r` at the end of the line), one pass
    /// over the bytes both splits the record and writes field j's value to
    /// `out[j]`; it returns `(.record, true)`. Anything else (quotes, blanks,
    /// text, a record not wholly buffered) falls back to `next(mayRead:)`, which
    /// applies every rule, and returns `(status, false)`: `out` is then
    /// unspecified and the caller reads the fields itself (for its error
    /// messages). Either way the record's fields are available as after `next`.
    ///
    /// - Parameters:
    ///   - out: (width) values; `out[skip]` is left untouched.
    ///   - skip: a field that is not parsed (the label), or `width` for none.
    public func nextParsingNumbers(width: Int, skip: Int, into out: UnsafeMutablePointer<Double>,
                                   mayRead: Bool = true) throws(DataError) -> (CSVScanner.Status, parsed: Bool) {
        if line > 0, width <= spanCapacity, fastRecord(width: width, skip: skip, into: out) { return (.record, true) }
        return (try next(mayRead: mayRead), false)
    }

    /// The fused fast path; false when the record needs the general rules
    /// (nothing is changed then, except `out` and the span scratch).
    @inline(__always)
    func fastRecord(width: Int, skip: Int, into out: UnsafeMutablePointer<Double>) -> Bool {
        let buffer = self.buffer, end = self.end
        let d = delimiter, nl = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let start = position
        let lineNumber = nextLine
        var i = start
        for j in 0..<width {
            let fieldStart = i
            if j == skip {
                while i < end {
                    let b = buffer[i]
                    if b == d || b == nl || b == cr || b == UInt8(ascii: "\"") || b == 32 || b == 9 { break }
                    i &+= 1
                }
            } else {
                var length = 0
                guard let v = FloatParser.parsePrefix(buffer + i, limit: end &- i, length: &length) else { return false }
                out[j] = v
                i &+= length
            }
            guard i < end else { return false }   // the end of input or of the buffer: the general path decides
            spans[j] = Span(start: fieldStart, end: i, columnAt: fieldStart, lineStart: start, line: lineNumber, escaped: false)
            var b = buffer[i]
            if j + 1 < width {
                guard b == d else { return false }
                i &+= 1
                continue
            }
            recordEnd = i
            if b == cr {
                i &+= 1
                guard i < end else { return false }
                b = buffer[i]
            }
            guard b == nl else { return false }
            i &+= 1
        }
        // A record of exactly `width` non-blank fields, wholly buffered.
        if spans[0].start == spans[0].end && width == 1 { return false }   // a blank line: the general path skips it
        recordEndLineStart = start
        fieldCount = width
        line = lineNumber
        nextLine = lineNumber &+ 1
        position = i
        return true
    }
}
