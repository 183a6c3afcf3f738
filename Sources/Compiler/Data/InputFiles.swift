#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files this process has read, by device and inode, so that a command can
/// refuse to write its output over one of its own inputs (`-o data.csv` on the
/// data, `-o model.fnm` on the model), whatever path spells it. Thread-safe: a
/// library user (and the test runner) may read files on several threads.
public enum InputFiles {
    struct FileID: Hashable { var device: UInt64; var inode: UInt64 }
    nonisolated(unsafe) static var recorded: Set<FileID> = []
    nonisolated(unsafe) static var lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    /// The recorded set, read or changed under the lock.
    static func withSeen<T>(_ body: (inout Set<FileID>) -> T) -> T {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return body(&recorded)
    }

    /// Records the open file `fd` (regular files only).
    public static func record(descriptor fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        withSeen { _ = $0.insert(id) }
    }

    /// Records `path` if it names a regular file.
    public static func record(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        withSeen { _ = $0.insert(id) }
    }

    /// Whether `path` exists and is one of the recorded inputs.
    public static func isInput(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        return withSeen { $0.contains(id) }
    }
}
