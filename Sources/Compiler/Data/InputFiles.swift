#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files this process has read, by device and inode, so that a command can
/// refuse to write its output over one of its own inputs (`-o data.csv` on the
/// data, `-o model.fnm` on the model), whatever path spells it.
public enum InputFiles {
    struct FileID: Hashable { var device: UInt64; var inode: UInt64 }
    nonisolated(unsafe) static var seen: Set<FileID> = []

    /// Records the open file `fd` (regular files only).
    public static func record(descriptor fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        seen.insert(FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    /// Records `path` if it names a regular file.
    public static func record(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        seen.insert(FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }

    /// Whether `path` exists and is one of the recorded inputs.
    public static func isInput(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return seen.contains(FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
    }
}
