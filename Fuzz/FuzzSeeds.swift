// The committed seeds of a structure-aware target: the bytes of every file in `dir`
// whose name ends in `suffix`, in name order (read once, at the target's first input).
#if canImport(Glibc)
import Glibc
#endif

func seedFiles(in dir: String, suffix: String) -> [[UInt8]] {
    guard let d = opendir(dir) else { return [] }
    var names: [String] = []
    while let e = readdir(d) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if name.hasSuffix(suffix) { names.append(name) }
    }
    closedir(d)
    return names.sorted().compactMap { try? FileBytes.read(dir + "/" + $0) }
}
