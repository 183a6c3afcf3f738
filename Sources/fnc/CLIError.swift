#if canImport(Glibc)
import Glibc
#endif
import Compiler
import FixedNet

/// Everything that ends a command early. Only `FNC.main` turns these into exit codes.
enum CLIError: Error {
    /// Bad flags or arguments (exit 64).
    case usage(String)
    /// Bad input data, model or blob content (exit 65).
    case data(String)
    /// An input that cannot be opened: missing, a directory, a path through a
    /// non-directory, no permission (exit 66, sysexits' EX_NOINPUT).
    case notFound(String)
    /// An output that cannot be created (exit 73).
    case cannotCreate(String)
    /// A read or write that failed once the file was open (exit 74).
    case io(String)
    /// A check that ran and failed (gradcheck, predict --verify) (exit 1).
    case checkFailed(String)
    /// Stopped by a signal after saving what it could (exit 128 + signal).
    case interrupted(String, signal: Int32)

    /// sysexits.h codes.
    var exitCode: Int32 {
        switch self {
        case .usage: return 64
        case .data: return 65
        case .notFound: return 66
        case .cannotCreate: return 73
        case .io: return 74
        case .checkFailed: return 1
        case .interrupted(_, let sig): return 128 + sig
        }
    }

    var message: String {
        switch self {
        case .usage(let s), .data(let s), .notFound(let s), .cannotCreate(let s), .io(let s), .checkFailed(let s),
             .interrupted(let s, _): return s
        }
    }

    /// The one mapping from data errors to exit codes.
    static func from(_ e: DataError) -> CLIError {
        switch e.reason {
        case .notFound, .isDirectory, .cannotOpen: return .notFound(e.description)
        case .readFailed: return .io(e.description)
        default: return .data(e.description)
        }
    }

    static func from(_ e: BlobError, path: String) -> CLIError {
        switch e {
        case .fileNotFound: return .notFound("\(path): no such file")
        case .ioError(_, let code):
            // The same exit code for an input that cannot be opened, whichever reader met it.
            if code == Int(EISDIR) { return .notFound("\(path): is a directory") }
            if [ENOTDIR, EACCES, EPERM, ELOOP, ENAMETOOLONG, ENXIO].contains(Int32(code)) {
                return .notFound("\(path): cannot open (\(String(cString: strerror(Int32(code)))))")
            }
            return .io("\(path): read failed (\(String(cString: strerror(Int32(code)))))")
        default: return .data("\(path): invalid blob: \(e)")
        }
    }

    static func from(_ e: TrainingError) -> CLIError {
        switch e {
        case .diverged: return .data(e.description)
        case .invalidOptions: return .usage(e.description)
        }
    }
}
