import FoundationEssentials
import Compiler
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file all at once or not at all: the bytes go to a temporary file in
/// the destination's directory, are flushed to disk, then renamed over the
/// destination. A failure leaves any existing file untouched.
enum AtomicFile {
    /// `replacingInput`: the output may replace a file this command read (a
    /// checkpoint that a resumed run keeps updating); otherwise that is refused.
    static func write(_ bytes: [UInt8], to path: String, replacingInput: Bool = false) throws(CLIError) {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var info = stat()
        guard stat(dir, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .cannotCreate("\(path): cannot create: no such directory \(dir)")
        }
        if !replacingInput && InputFiles.isInput(path) {
            throw .usage("\(path): refusing to write the output over an input of this command; choose another -o")
        }
        // A unique temporary name: a random suffix, retried if taken (a crash may leave
        // one behind, and PIDs repeat, for example as PID 1 in a container).
        var rng = SystemRandomNumberGenerator()
        var temp = "", fd: Int32 = -1
        for _ in 0..<16 {
            temp = dir + "/.\(name).tmp-\(String(rng.next() as UInt64, radix: 36))"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 || errno != EEXIST { break }
        }
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
