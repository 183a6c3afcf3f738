// Float64 issue rates of this core, for reading training-GEMM profiles against:
// 12 independent 256-bit chains of vaddpd, of vmulpd, of vfmadd231pd, and 6 + 6
// of vaddpd and vmulpd mixed (do separate add and multiply pipes exist?).
//   swiftc -O -parse-as-library -target-cpu native Benchmarks/cpu/fp-ports.swift -o /tmp/fp-ports && taskset -c 0 /tmp/fp-ports
// Prints instructions per ns; divide by the clock (the dependent-add chain at the
// start measures it, assuming the 3-cycle vaddsd latency of Zen 3; Sapphire Rapids has 4: scale by 4/3 there).
import Glibc

func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
typealias V = SIMD4<Double>

@inline(never) func adds(_ n: Int, _ c: V) -> V {
    var a0 = c, a1 = c + 1, a2 = c + 2, a3 = c + 3, a4 = c + 4, a5 = c + 5, a6 = c + 6, a7 = c + 7, a8 = c + 8, a9 = c + 9, a10 = c + 10, a11 = c + 11
    let d = c * 1e-300
    for _ in 0..<n { a0 = a0 + d; a1 = a1 + d; a2 = a2 + d; a3 = a3 + d; a4 = a4 + d; a5 = a5 + d; a6 = a6 + d; a7 = a7 + d; a8 = a8 + d; a9 = a9 + d; a10 = a10 + d; a11 = a11 + d }
    return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
}
@inline(never) func muls(_ n: Int, _ c: V) -> V {
    var a0 = c, a1 = c + 1, a2 = c + 2, a3 = c + 3, a4 = c + 4, a5 = c + 5, a6 = c + 6, a7 = c + 7, a8 = c + 8, a9 = c + 9, a10 = c + 10, a11 = c + 11
    let d = V(repeating: 1.0000000001)
    for _ in 0..<n { a0 = a0 * d; a1 = a1 * d; a2 = a2 * d; a3 = a3 * d; a4 = a4 * d; a5 = a5 * d; a6 = a6 * d; a7 = a7 * d; a8 = a8 * d; a9 = a9 * d; a10 = a10 * d; a11 = a11 * d }
    return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
}
@inline(never) func fmas(_ n: Int, _ c: V) -> V {
    var a0 = c, a1 = c + 1, a2 = c + 2, a3 = c + 3, a4 = c + 4, a5 = c + 5, a6 = c + 6, a7 = c + 7, a8 = c + 8, a9 = c + 9, a10 = c + 10, a11 = c + 11
    let d = V(repeating: 1.0000000001), e = c * 1e-300
    for _ in 0..<n {
        a0 = a0.addingProduct(d, e); a1 = a1.addingProduct(d, e); a2 = a2.addingProduct(d, e); a3 = a3.addingProduct(d, e)
        a4 = a4.addingProduct(d, e); a5 = a5.addingProduct(d, e); a6 = a6.addingProduct(d, e); a7 = a7.addingProduct(d, e)
        a8 = a8.addingProduct(d, e); a9 = a9.addingProduct(d, e); a10 = a10.addingProduct(d, e); a11 = a11.addingProduct(d, e)
    }
    return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
}
@inline(never) func mixed(_ n: Int, _ c: V) -> V {
    var a0 = c, a1 = c + 1, a2 = c + 2, a3 = c + 3, a4 = c + 4, a5 = c + 5, a6 = c + 6, a7 = c + 7, a8 = c + 8, a9 = c + 9, a10 = c + 10, a11 = c + 11
    let d = c * 1e-300, e = V(repeating: 1.0000000001)
    for _ in 0..<n { a0 = a0 + d; a1 = a1 * e; a2 = a2 + d; a3 = a3 * e; a4 = a4 + d; a5 = a5 * e; a6 = a6 + d; a7 = a7 * e; a8 = a8 + d; a9 = a9 * e; a10 = a10 + d; a11 = a11 * e }
    return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
}
@inline(never) func chain(_ n: Int, _ x: Double) -> Double {
    var a = x
    for _ in 0..<n { a = a + 1e-300; a = a + 1e-300; a = a + 1e-300; a = a + 1e-300 }
    return a
}

@main struct FPPorts {
    static func main() {
        let n = 100_000_000
        var sink = 0.0
        let t0 = now()
        sink += chain(n, Double(CommandLine.arguments.count))
        let ghz = 3 * Double(4 * n) / (now() - t0) / 1e9
        print("clock ≈ \(ghz) GHz (dependent vaddsd, 3-cycle latency)")
        for (name, f) in [("vaddpd ymm", adds), ("vmulpd ymm", muls), ("vfmadd ymm", fmas), ("vaddpd + vmulpd", mixed)] as [(String, (Int, V) -> V)] {
            let t = now()
            let r = f(n, V(repeating: Double(CommandLine.arguments.count)))
            let rate = Double(12 * n) / (now() - t) / 1e9
            sink += r[0]
            print("\(name): \(rate) per ns, \(rate / ghz) per cycle")
        }
        if sink == 42 { print(sink) }
    }
}
