import Foundation

/// Reads whole files with open/fstat/read: one place for input I/O, with the
/// errors users see. (Foundation's `FileManager.contents(atPath:)` leaks its
/// buffer on empty files, which LeakSanitizer reports.)
public enum FileBytes {
    /// Inputs larger than this are refused before reading (2 GiB).
    public static let maxSize = 1 << 31

    /// The file's bytes. Throws "no such file", "is a directory", or the I/O error.
    public static func read(_ path: String) throws(DataError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw DataError(file: path, errno == ENOENT ? "no such file" : "cannot open (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DataError(file: path, "cannot stat (\(String(cString: strerror(errno))))") }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw DataError(file: path, "is a directory") }
        let size = Int(info.st_size)
        guard size <= maxSize else { throw DataError(file: path, "file of \(size) bytes exceeds the \(maxSize)-byte limit") }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { raw in
            while done < size {
                let n = Foundation.read(fd, raw.baseAddress! + done, size - done)
                if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                if n == 0 { break }
                done += n
            }
        }
        guard failure == 0 else { throw DataError(file: path, "read failed (\(String(cString: strerror(failure))))") }
        return done == size ? bytes : Array(bytes[..<done])
    }

    /// The first `count` bytes, or fewer; nil when the file cannot be read.
    public static func prefix(_ path: String, _ count: Int) -> [UInt8]? {
        (try? read(path)).map { Array($0.prefix(count)) }
    }
}
