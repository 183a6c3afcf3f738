import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Compiler

/// `fnc gradcheck [MODEL]`: backprop against central finite differences.
enum GradcheckCommand {
    static let help = """
    usage: fnc gradcheck [MODEL] [--sizes 4,8,8,3] [--activation tanh] [--output softmax]
                         [--loss ce] [--rows 8] [--seed 1] [--tolerance 1e-7]
                         [--data DATA.csv [--label-column N|NAME] [--delimiter D]]

    Compares backpropagation with five-point central differences on every
    parameter, for MODEL (its own architecture and weights) or a random network,
    on a random batch, or on the first --rows rows of DATA (standardised as the
    model stores, or fitted on those rows). Prints the max relative and absolute errors; exits 1 when
    the relative error exceeds the tolerance or the gradient is trivially zero.
    """

    static func run(_ argv: [String]) throws(CLIError) {
        let a = try Arguments(argv, command: "gradcheck", valued: ["--sizes", "--activation", "--output", "--loss", "--rows", "--seed", "--tolerance", "--data", "--label-column", "--delimiter"], boolean: [])
        let pos = try a.positional(0...1, usage: "fnc gradcheck [MODEL] [options]")
        let seed = UInt64(try a.int("--seed", default: 1))
        var rows = try a.int("--rows", default: 8, range: 1...10_000)
        let tolerance = try a.double("--tolerance", default: 1e-7, range: 0...1)
        var net: Network
        var storedStandardizer: Standardizer? = nil
        if let path = pos.first {
            net = try Inputs.network(path)
            storedStandardizer = net.standardizer
            net.standardizer = nil   // check the layers themselves, on inputs as they see them
        } else {
            let sizes = (a.string("--sizes") ?? "4,8,8,3").split(separator: ",").compactMap { Int($0) }
            guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 && $0 <= 4096 }) else { throw .usage("gradcheck: --sizes expects widths like 4,8,8,3") }
            guard let hidden = Activation(parsing: a.string("--activation") ?? "tanh"), hidden.isDifferentiable, hidden != .softmax else {
                throw .usage("gradcheck: --activation must be a differentiable hidden activation")
            }
            let outName = a.string("--output") ?? "softmax"
            guard let output = Activation(parsing: outName == "linear" ? "identity" : outName) else { throw .usage("gradcheck: unknown --output \(outName)") }
            net = Network(sizes: sizes, activations: Array(repeating: hidden, count: sizes.count - 2) + [output], initializer: .uniform, seed: seed, learnsAlpha: true)
        }
        let loss = try TrainCommand.parseLoss(a.string("--loss") ?? (net.outputActivation == .softmax ? "ce" : net.outputActivation == .sigmoid ? "bce" : "mse"))
        var rng = SplitMix64(seed: seed &+ 1)
        var x = (0..<(rows * net.inputCount)).map { _ in rng.nextUniform(-2, 2) }
        let k = net.outputCount
        var y: [Double] = []
        if let dataPath = a.string("--data") {
            var csv = CSVOptions(delimiter: try DataFlags.delimiter(a, command: "gradcheck"))
            if let s = a.string("--label-column") { csv.labelColumn = LabelColumn(flag: s) }
            var data: Dataset
            do throws(DataError) { data = try Dataset.load(path: dataPath, options: csv) } catch { throw CLIError.from(error) }
            guard data.featureCount == net.inputCount else {
                throw .data("\(dataPath): \(data.featureCount) features, the network takes \(net.inputCount)")
            }
            let widthOK = data.task == .regression ? k == data.targetCount : (data.task.labels.count == k || (k == 1 && data.task.labels.count == 2))
            guard widthOK else { throw .data("\(dataPath): its labels do not fit the network's \(k) outputs") }
            rows = min(rows, data.rowCount)
            data = data.subset(Array(0..<rows))
            let s = storedStandardizer ?? Standardizer(fitting: data.features, rows: rows, featureCount: data.featureCount)
            s.transform(&data.features, rows: rows)
            x = data.features
            y = data.targets(for: loss, outputCount: k)
        }
        for _ in 0..<(y.isEmpty ? rows : 0) {
            let c = rng.nextIndex(below: k)
            switch loss {
            case .sparseCategoricalCrossEntropy: y.append(Double(c))
            case .categoricalCrossEntropy: y += (0..<k).map { $0 == c ? 1 : 0 }
            case .binaryCrossEntropy: y += (0..<k).map { _ in rng.nextUnit() < 0.5 ? 0 : 1 }
            default: y += (0..<k).map { _ in rng.nextUnit() }
            }
        }
        let r = GradientCheck.check(net, x: x, y: y, rows: rows, loss: loss)
        Console.line("gradcheck \(net.sizes.map(String.init).joined(separator: "-")), \(r.parameterCount) parameters, \(Console.count(rows, "row")), loss \(loss)")
        Console.line("max relative error \(CFormat.string("%.3e", r.maxRelativeError))")
        Console.line("max absolute error \(CFormat.string("%.3e", r.maxAbsoluteError))")
        Console.line("max |gradient|     \(CFormat.string("%.3e", r.maxGradient))")
        guard r.maxGradient > 1e-9 else { throw .checkFailed("gradcheck: the gradient is ~0; the check proves nothing") }
        guard r.maxRelativeError <= tolerance else { throw .checkFailed("gradcheck: relative error \(r.maxRelativeError) exceeds \(tolerance)") }
        Console.line("ok (tolerance \(tolerance))")
    }
}
