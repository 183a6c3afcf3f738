import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler
import FixedNet

/// Loading what the commands take, with the CLI's error mapping.
enum Inputs {
    /// A validated blob. A Float64 model file given by mistake gets a hint.
    static func blob(_ path: String) throws(CLIError) -> Model {
        InputFiles.record(path: path)
        do throws(BlobError) {
            return try Model(contentsOfFile: path)
        } catch .badMagic {
            if let h = FileBytes.prefix(path, 4), h == Array("FNM1".utf8) || h.first == UInt8(ascii: "{") {
                throw .data("\(path): this is a Float64 model, not a blob; run fnc compile \(path) -o MODEL.fnb first")
            }
            throw CLIError.from(BlobError.badMagic, path: path)
        } catch {
            throw CLIError.from(error, path: path)
        }
    }

    /// A Float64 model (.fnm or JSON). A blob given by mistake gets a hint.
    static func network(_ path: String) throws(CLIError) -> Network {
        do throws(DataError) { return try ModelFile.load(path: path) } catch {
            if FileBytes.prefix(path, 4) == Array("FNB1".utf8) {
                throw .data("\(path): this is a compiled blob (.fnb), not a Float64 model; commands that read a model (compile, export, gradcheck, --init) need the .fnm or .json it was compiled from")
            }
            throw CLIError.from(error)
        }
    }

    /// The dataset schema a blob implies (its input count and labels).
    static func schema(of model: Model) -> DatasetSchema {
        let task: Task = model.outputKind == .regression ? .regression
            : .classification(labels: model.labels)
        return DatasetSchema(inputCount: model.inputCount, task: task)
    }

}
