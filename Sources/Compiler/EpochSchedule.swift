#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The learning rate of each epoch (`--schedule`, `--warmup`), before the
/// per-update inverse-time decay of `LearningRateSchedule` divides it.
///
/// With e the 0-based epoch, E the run's epochs, W the warm-up epochs and η₀ the
/// initial rate:
/// - warm-up, e < W: η₀·(e + 1)/W (linear, reaching η₀ on epoch W);
/// - `constant`: η₀;
/// - `step(every: s, gamma: γ)`: η₀·γ^⌊(e − W)/s⌋ (PyTorch's StepLR);
/// - `cosine(minimum: m)`: m + (η₀ − m)·(1 + cos(π·(e − W)/(E − W)))/2
///   (CosineAnnealingLR's closed form over the epochs after warm-up);
/// - `plateau(patience: p, factor: f)`: η₀·f^k, where k counts the reductions
///   so far: after each epoch past warm-up, a monitored loss below best·(1 − 10⁻⁴)
///   is the new best, anything else a bad epoch, and more than p bad epochs in a
///   row reduce the rate once and start the count again (ReduceLROnPlateau's
///   defaults: mode min, relative threshold 10⁻⁴, no cooldown).
public enum EpochSchedule: Sendable, Equatable {
    case constant
    case step(every: Int, gamma: Double)
    case cosine(minimum: Double)
    case plateau(patience: Int, factor: Double)

    /// The rate of 0-based epoch `e` of `epochs`, from `initial`.
    public func rate(epoch e: Int, of epochs: Int, initial: Double, warmup: Int, plateau: PlateauState) -> Double {
        if e < warmup { return initial * Double(e + 1) / Double(warmup) }
        switch self {
        case .constant: return initial
        case .step(let every, let gamma): return initial * pow(gamma, Double((e - warmup) / every))
        case .cosine(let minimum):
            let span = Swift.max(1, epochs - warmup)
            return minimum + (initial - minimum) * (1 + cos(Double.pi * Double(e - warmup) / Double(span))) / 2
        case .plateau: return initial * plateau.scale
        }
    }

    /// `--schedule` text: `step:EVERY:GAMMA`, `cosine[:MIN_LR]`, `plateau:PATIENCE:FACTOR`
    /// or `constant`; nil for anything else (EVERY, PATIENCE ≥ 1; GAMMA, FACTOR in (0, 1]; MIN_LR ≥ 0).
    public init?(flag: String) {
        let p = flag.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func number(_ s: String) -> Double? { FloatParser.parse(s).flatMap { $0.isFinite ? $0 : nil } }
        switch p[0] {
        case "constant" where p.count == 1: self = .constant
        case "step" where p.count == 3:
            guard let every = Int(p[1]), every >= 1, let g = number(p[2]), g > 0, g <= 1 else { return nil }
            self = .step(every: every, gamma: g)
        case "cosine" where p.count <= 2:
            let m = p.count == 2 ? number(p[1]) : 0
            guard let m, m >= 0 else { return nil }
            self = .cosine(minimum: m)
        case "plateau" where p.count == 3:
            guard let patience = Int(p[1]), patience >= 1, let f = number(p[2]), f > 0, f <= 1 else { return nil }
            self = .plateau(patience: patience, factor: f)
        default: return nil
        }
    }

    /// The flag text that parses back to this schedule.
    public var flagText: String {
        switch self {
        case .constant: return "constant"
        case .step(let every, let gamma): return "step:\(every):\(gamma)"
        case .cosine(let minimum): return "cosine:\(minimum)"
        case .plateau(let patience, let factor): return "plateau:\(patience):\(factor)"
        }
    }
}

/// What `EpochSchedule.plateau` remembers between epochs (saved in checkpoints).
public struct PlateauState: Sendable, Equatable {
    public var best = Double.infinity
    public var badEpochs = 0
    public var scale = 1.0

    public init() {}
    public init(best: Double, badEpochs: Int, scale: Double) { self.best = best; self.badEpochs = badEpochs; self.scale = scale }

    /// Takes epoch's monitored loss (see `EpochSchedule.plateau`).
    public mutating func observe(_ loss: Double, patience: Int, factor: Double) {
        if loss < best * (1 - 1e-4) {
            best = loss
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if badEpochs > patience {
            scale *= factor
            badEpochs = 0
        }
    }
}
