/// Reads whole (small) files: models, checkpoints, JSON. One place for input I/O,
/// with the errors users see. Reads as a stream (`ByteSource`), so a pipe or FIFO
/// works like a file; CSV data never comes through here (see `CSVScanner`).
public enum FileBytes {
    /// Inputs larger than this are refused (2 GiB), also when they never end.
    public static let maxSize = 1 << 31

    /// The file's bytes ("-" is stdin). Throws `.notFound`, `.isDirectory`,
    /// `.cannotOpen`, `.readFailed` or `.tooLarge`.
    public static func read(_ path: String) throws(DataError) -> [UInt8] {
        let source = try ByteSource(path: path)
        var bytes: [UInt8] = []
        var chunk = 1 << 16
        while true {
            let old = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: chunk))
            var n = 0
            var failure: DataError? = nil
            bytes.withUnsafeMutableBytes { raw in
                do throws(DataError) { n = try source.read(into: raw.baseAddress! + old, count: chunk) } catch { failure = error }
            }
            if let failure { throw failure }
            bytes.removeLast(chunk - n)
            if n == 0 { return bytes }
            guard bytes.count <= maxSize else { throw DataError(file: path, .tooLarge(bytes: bytes.count, limit: maxSize)) }
            if chunk < 1 << 24 { chunk *= 2 }
        }
    }

    /// The first `count` bytes, or fewer; nil when the file cannot be read.
    public static func prefix(_ path: String, _ count: Int) -> [UInt8]? {
        (try? read(path)).map { Array($0.prefix(count)) }
    }
}
