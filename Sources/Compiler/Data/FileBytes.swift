/// Reads whole (small) files: models, checkpoints, JSON. One place for input I/O,
/// with the errors users see. Reads as a stream (`ByteSource`) until read(2)
/// says the input ended, so a pipe or FIFO works like a file; CSV data never
/// comes through here (see `CSVScanner`).
public enum FileBytes {
    /// Inputs larger than this are refused (2 GiB), also when they never end.
    public static let maxSize = 1 << 31

    /// The file's bytes ("-" is stdin). Throws `.notFound`, `.isDirectory`,
    /// `.cannotOpen`, `.readFailed` or `.tooLarge`.
    public static func read(_ path: String) throws(DataError) -> [UInt8] {
        let source = try ByteSource(path: path)
        var capacity = 1 << 16
        var storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { storage.deallocate() }
        var count = 0
        while true {
            if count == capacity {
                guard capacity < maxSize else { throw DataError(file: path, .tooLarge(bytes: count, limit: maxSize)) }
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
                grown.copyMemory(from: storage, byteCount: count)
                storage.deallocate()
                storage = grown
                capacity *= 2
            }
            let n = try source.read(into: storage + count, count: capacity - count)
            if n == 0 { break }
            count += n
        }
        return [UInt8](UnsafeRawBufferPointer(start: storage, count: count))
    }

    /// The first `count` bytes, or fewer; nil when the file cannot be read.
    public static func prefix(_ path: String, _ count: Int) -> [UInt8]? {
        (try? read(path)).map { Array($0.prefix(count)) }
    }
}
