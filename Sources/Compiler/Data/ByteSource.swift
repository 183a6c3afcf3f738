#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file or standard input read as a stream of byte chunks with read(2).
///
/// Never sized with fstat, so pipes, FIFOs, process substitution and character
/// devices read like files. A source that never ends (`/dev/zero`) is cut off by
/// the reader's own limits (`CSVScanner.maxRecordBytes`), not here.
public final class ByteSource {
    /// The name errors use: the path, or `<stdin>`.
    public let name: String
    let fd: Int32
    let ownsDescriptor: Bool
    /// For an in-memory source (`init(bytes:name:)`): the bytes and how far reading got.
    let memory: [UInt8]?
    var memoryOffset = 0

    /// Opens `path` for reading; "-" is standard input.
    /// Throws `.notFound`, `.isDirectory` or `.cannotOpen` (with errno's text).
    public init(path: String) throws(DataError) {
        memory = nil
        if path == "-" {
            name = "<stdin>"; fd = 0; ownsDescriptor = false
            return
        }
        name = path
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            let code = errno
            throw DataError(file: path, code == ENOENT ? .notFound : .cannotOpen(ByteSource.describe(code)))
        }
        var info = stat()
        if fstat(opened, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(opened)
            throw DataError(file: path, .isDirectory)
        }
        fd = opened; ownsDescriptor = true
        InputFiles.record(descriptor: opened)
        if (info.st_mode & S_IFMT) == S_IFREG { sizeHint = Int(info.st_size) }
    }

    /// The size of a regular file when opened (a hint for sizing buffers, never
    /// trusted for reading: the file is read until read(2) says it ended).
    public private(set) var sizeHint: Int? = nil

    /// Bytes already in memory, read as if from a file called `name` (tests, fuzzing).
    public init(bytes: [UInt8], name: String) {
        self.name = name; fd = -1; ownsDescriptor = false; memory = bytes
        sizeHint = bytes.count
    }

    deinit { if ownsDescriptor { close(fd) } }

    /// Reads up to `count` bytes into `buffer`; 0 means the end of the input.
    /// One read(2) (retried on EINTR), so a pipe returns what it has without waiting for more.
    public func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(DataError) -> Int {
        if let memory {
            let n = min(count, memory.count - memoryOffset)
            if n > 0 { memory.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + memoryOffset, byteCount: n) } }
            memoryOffset += n
            return n
        }
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, buffer, count)
            #else
            let n = Darwin.read(fd, buffer, count)
            #endif
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw DataError(file: name, .readFailed(ByteSource.describe(errno)))
        }
    }

    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
