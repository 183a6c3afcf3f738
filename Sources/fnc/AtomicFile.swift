import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file all at once or not at all: the bytes go to a temporary file in
/// the destination's directory, are flushed to disk, then renamed over the
/// destination. A failure leaves any existing file untouched.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws(CLIError) {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var info = stat()
        guard stat(dir, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .cannotCreate("\(path): cannot create: no such directory \(dir)")
        }
        let temp = dir + "/.\(name).tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotCreate("\(path): cannot create (\(String(cString: strerror(errno))))") }
        var ok = true
        var reason = ""
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    ok = false; reason = String(cString: strerror(errno)); return
                }
                done += n
            }
        }
        if ok && fsync(fd) != 0 { ok = false; reason = String(cString: strerror(errno)) }
        close(fd)
        guard ok else { unlink(temp); throw .io("\(path): write failed (\(reason))") }
        guard rename(temp, path) == 0 else {
            let r = String(cString: strerror(errno))
            unlink(temp)
            throw .cannotCreate("\(path): cannot replace (\(r))")
        }
    }

    static func write(_ text: String, to path: String) throws(CLIError) { try write(Array(text.utf8), to: path) }
}
