import FixedNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The full state of a training run in a file ("FNCK"), so `fnc train --resume`
/// continues exactly where a checkpoint left off: weights, optimizer moments,
/// generator state, best-so-far model and the learning curve.
///
/// Layout (little-endian): "FNCK", u32 version, u32 epochsDone, u32 bestEpoch,
/// f64 bestLoss, u64 generator state, u64 optimizer updates, u8 optimizer kind
/// (0 sgd, 1 momentum, 2 nesterov, 3 adam) + 3 × f64 parameters, u32 curve count +
/// records (u32 epoch, f64 train loss, f64 validation loss, f64 metric (NaN = none),
/// f64 learning rate), u32 + the network's .fnm bytes, u32 + the best network's,
/// u32 slot count + per slot (u32 n, n × f64 first moment, n × f64 second moment),
/// version 2 and 3: u32 count + the run's identity as (u32 length + UTF-8 key,
/// u32 length + UTF-8 value) pairs; version 3: u64 dropout generator state, the
/// plateau schedule's f64 best loss, u32 bad epochs and f64 rate scale; then u64
/// FNV-1a of everything before. Versions 1 (no identity) and 2 still load, with
/// an empty identity and the dropout generator and plateau state of a fresh run.
public enum Checkpoint {
    public static let magic: [UInt8] = Array("FNCK".utf8)
    public static let version: UInt32 = 3

    /// What a resumed run must repeat: the data's fingerprint and every setting
    /// that changes the bits (`fnc train` fills it; `--epochs` is not in it).
    public typealias RunIdentity = [(key: String, value: String)]

    public static func encode(_ s: TrainingState, identity: RunIdentity = []) -> [UInt8] {
        var w = ByteWriter()
        w.raw(magic)
        w.u32(version)
        w.u32(UInt32(s.epochsDone))
        w.u32(UInt32(s.bestEpoch))
        w.f64(s.bestLoss)
        w.u64(s.rng.state)
        w.u64(UInt64(s.optimizer.updates))
        switch s.optimizer.rule {
        case .sgd: w.u8(0); w.f64(0); w.f64(0); w.f64(0)
        case .momentum(let m): w.u8(1); w.f64(m); w.f64(0); w.f64(0)
        case .nesterov(let m): w.u8(2); w.f64(m); w.f64(0); w.f64(0)
        case .adam(let b1, let b2, let e): w.u8(3); w.f64(b1); w.f64(b2); w.f64(e)
        }
        w.u32(UInt32(s.curve.count))
        for r in s.curve {
            w.u32(UInt32(r.epoch)); w.f64(r.trainLoss)
            w.f64(r.validationLoss ?? .nan); w.f64(r.validationMetric ?? .nan); w.f64(r.learningRate)
        }
        for net in [s.network, s.bestNetwork] {
            let b = ModelFile.encode(net)
            w.u32(UInt32(b.count)); w.raw(b)
        }
        w.u32(UInt32(s.optimizer.first.count))
        for (f, g) in zip(s.optimizer.first, s.optimizer.second) {
            w.u32(UInt32(f.count))
            for v in f { w.f64(v) }
            for v in g { w.f64(v) }
        }
        w.u32(UInt32(identity.count))
        for (k, v) in identity {
            for text in [k, v] { let b = Array(text.utf8); w.u32(UInt32(b.count)); w.raw(b) }
        }
        w.u64(s.dropoutRNG.state)
        w.f64(s.plateau.best)
        w.u32(UInt32(s.plateau.badEpochs))
        w.f64(s.plateau.scale)
        w.u64(ModelFile.fnv1a(w.bytes))
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8], file: String) throws(DataError) -> TrainingState {
        try decodeWithIdentity(bytes, file: file).state
    }

    /// The state and the run identity it was saved with (empty for version 1).
    public static func decodeWithIdentity(_ bytes: [UInt8], file: String) throws(DataError) -> (state: TrainingState, identity: RunIdentity) {
        guard bytes.count >= 12, Array(bytes[0..<4]) == magic else { throw DataError(file: file, .notACheckpoint) }
        let stored = bytes[(bytes.count - 8)...].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard stored == ModelFile.fnv1a(Array(bytes[..<(bytes.count - 8)])) else {
            throw DataError(file: file, .checkpointChecksumMismatch)
        }
        var r = ByteReader(Array(bytes[..<(bytes.count - 8)]), file: file)
        _ = try r.bytes(4, "magic")
        let v = try r.u32("version")
        guard (1...3).contains(v) else { throw DataError(file: file, .unsupportedVersion(what: "checkpoint", found: Int(v), supported: [1, 2, 3])) }
        let epochsDone = Int(try r.u32("epochs"))
        let bestEpoch = Int(try r.u32("best epoch"))
        let bestLoss = try r.f64("best loss")
        let rng = SplitMix64(seed: try r.u64("generator"))
        let updatesWord = try r.u64("updates")
        guard let updates = Int(exactly: updatesWord), updates <= 1 << 53 else {
            throw DataError(file: file, .countOutOfRange(what: "optimizer updates", value: Int(clamping: updatesWord), limit: 1 << 53))
        }
        let kind = try r.u8("optimizer")
        let p = (try r.f64("p0"), try r.f64("p1"), try r.f64("p2"))
        let rule: Optimizer
        switch kind {
        case 0: rule = .sgd
        case 1: rule = .momentum(p.0)
        case 2: rule = .nesterov(p.0)
        case 3: rule = .adam(beta1: p.0, beta2: p.1, epsilon: p.2)
        default: throw DataError(file: file, .unknownOptimizer(code: Int(kind)))
        }
        let curveCount = Int(try r.u32("curve"))
        guard curveCount <= 10_000_000 else { throw DataError(file: file, .countOutOfRange(what: "curve length", value: curveCount, limit: 10_000_000)) }
        var curve: [EpochRecord] = []
        for _ in 0..<curveCount {
            let e = Int(try r.u32("epoch")), t = try r.f64("loss"), vl = try r.f64("vloss"), vm = try r.f64("metric"), lr = try r.f64("lr")
            curve.append(EpochRecord(epoch: e, trainLoss: t, validationLoss: vl.isNaN ? nil : vl, validationMetric: vm.isNaN ? nil : vm, learningRate: lr))
        }
        var nets: [Network] = []
        for what in ["network", "best network"] {
            let n = Int(try r.u32("\(what) size"))
            nets.append(try ModelFile.decode(try r.bytes(n, what), file: file))
        }
        var optimizer = OptimizerState(rule: rule, network: nets[0])
        let slots = Int(try r.u32("slots"))
        guard slots == optimizer.first.count else { throw DataError(file: file, .optimizerSlots(found: slots, expected: optimizer.first.count)) }
        for k in 0..<slots {
            let n = Int(try r.u32("slot size"))
            guard n == optimizer.first[k].count else { throw DataError(file: file, .optimizerSlotLength(slot: k, found: n, expected: optimizer.first[k].count)) }
            for i in 0..<n { optimizer.first[k][i] = try r.f64("moment") }
            for i in 0..<n { optimizer.second[k][i] = try r.f64("moment") }
        }
        optimizer.updates = updates
        var identity: RunIdentity = []
        if v >= 2 {
            let count = Int(try r.u32("identity count"))
            guard count <= 1024 else { throw DataError(file: file, .countOutOfRange(what: "identity entries", value: count, limit: 1024)) }
            for i in 0..<count {
                var pair: [String] = []
                for what in ["identity key", "identity value"] {
                    let n = Int(try r.u32("\(what) length"))
                    guard let s = String(validating: try r.bytes(n, what), as: UTF8.self) else { throw DataError(file: file, .textNotUTF8(what: what, index: i)) }
                    pair.append(s)
                }
                identity.append((pair[0], pair[1]))
            }
        }
        // Versions 1 and 2 predate dropout and the plateau schedule: a fresh run's state.
        var dropoutRNG = SplitMix64(seed: 0)
        var plateau = PlateauState()
        if v == 3 {
            dropoutRNG = SplitMix64(seed: try r.u64("dropout generator"))
            let best = try r.f64("plateau best")
            let bad = Int(try r.u32("plateau bad epochs"))
            let scale = try r.f64("plateau scale")
            guard !best.isNaN, scale.isFinite, scale > 0, scale <= 1 else {
                throw DataError(file: file, .invalid("the plateau schedule's state (best \(best), scale \(scale)) is not one a run can reach"))
            }
            plateau = PlateauState(best: best, badEpochs: bad, scale: scale)
        }
        guard r.offset == bytes.count - 8 else { throw DataError(file: file, .sizeMismatch(expected: r.offset + 8, found: bytes.count)) }
        return (TrainingState(network: nets[0], optimizer: optimizer, rng: rng, epochsDone: epochsDone, curve: curve,
                              bestLoss: bestLoss, bestEpoch: bestEpoch, bestNetwork: nets[1], dropoutRNG: dropoutRNG, plateau: plateau), identity)
    }

    /// FNV-1a over a dataset's shape, feature names, feature bits, labels and classes:
    /// the data part of a run's identity.
    public static func fingerprint(_ d: Dataset) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func byte(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        func word(_ v: UInt64) { for k in 0..<8 { byte(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) } }
        func text(_ s: String) { for b in s.utf8 { byte(b) }; byte(0) }
        word(UInt64(d.rowCount)); word(UInt64(d.featureCount))
        d.featureNames.forEach(text)
        for v in d.features { word(v.bitPattern) }
        for v in d.labels { word(v.bitPattern) }
        d.task.labels.forEach(text)
        return "\(d.rowCount)×\(d.featureCount), fnv1a " + hexString(h)
    }
}
