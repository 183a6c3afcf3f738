#if canImport(Glibc)
import Glibc

extension Model {
    /// Reads and validates a blob file with open/fstat/read (no Foundation).
    /// Refuses files larger than `BlobFormat.maxTotalSize` before allocating.
    public init(contentsOfFile path: String) throws(BlobError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw errno == ENOENT ? .fileNotFound(path: path) : .ioError(path: path, errno: Int(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .ioError(path: path, errno: Int(errno)) }
        let size = Int(info.st_size)
        guard size <= BlobFormat.maxTotalSize else {
            throw .countOutOfRange(field: .totalSize, value: size, limit: BlobFormat.maxTotalSize)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: BlobFormat.weightAlignment)
        defer { buffer.deallocate() }
        var done = 0
        while done < size {
            let n = read(fd, buffer.baseAddress! + done, size - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw .ioError(path: path, errno: Int(errno))
            }
            if n == 0 { break }   // the file shrank: validation reports the truncation
            done += n
        }
        try self.init(bytes: UnsafeRawBufferPointer(start: buffer.baseAddress, count: done))
    }
}
#endif
