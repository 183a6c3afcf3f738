// Fuzz target: the CLI's argument parser. The input is split on NUL bytes into
// arguments and parsed with train's flag set, then every typed accessor runs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArguments(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let args = UnsafeBufferPointer(start: data, count: size).split(separator: 0, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    guard let a = try? Arguments(args, command: "train",
                                 valued: ["-o", "--hidden", "--activation", "--lr", "--epochs", "--loss", "--batch"],
                                 boolean: ["--quiet", "--no-shuffle"]) else { return 0 }
    _ = try? a.int("--epochs", default: 50, range: 1...1_000_000)
    _ = try? a.double("--lr", default: 0.01, range: 0...1e6)
    _ = try? a.positional(1...1, usage: "fnc train DATA.csv -o MODEL")
    if let s = a.string("--loss") { _ = try? TrainCommand.parseLoss(s) }
    if let s = a.string("--activation") { for p in s.split(separator: ",") { _ = Activation(parsing: String(p)) } }
    _ = a.has("--quiet")
    return 0
}
