// swift-tools-version:6.0
// FixedNet: train small MLPs in Float64, ship them as a validated Float32 blob
// and an allocation-free runtime. No package dependencies and no unsafe build flags:
// fast builds pass the CPU flag on the command line, e.g.
//   swift build -c release -Xswiftc -target-cpu -Xswiftc native
import PackageDescription

let package = Package(
    name: "FixedNet",
    products: [
        .library(name: "FixedNet", targets: ["FixedNet"]),
        .library(name: "FixedNetParallel", targets: ["FixedNetParallel"]),
        .library(name: "FixedNetCompiler", targets: ["Compiler"]),
        .executable(name: "fnc", targets: ["fnc"]),
    ],
    targets: [
        // Runtime: standard library only, Embedded-Swift compatible.
        .target(name: "FixedNet"),
        // Batch prediction across threads (pthreads): the one part of the runtime that needs the OS.
        .target(name: "FixedNetParallel", dependencies: ["FixedNet"]),
        // Build time: Float64 training, lowering, blob and kernel emission.
        .target(name: "Compiler", dependencies: ["FixedNet"]),
        // A single-threaded CLI that uses C stdio globals: Swift 5 mode.
        .executableTarget(name: "fnc", dependencies: ["Compiler", "FixedNet", "FixedNetParallel", "AllocationCounter"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        // Benchmarks against ../shared/peers (rows in the peers' CSV vocabulary); see BENCHMARKS.md.
        .executableTarget(name: "fixednet-bench", dependencies: ["Compiler", "FixedNet", "FixedNetParallel", "PeerKernels", "AllocationCounter"],
                          swiftSettings: [.swiftLanguageMode(.v5)]),
        // Generated kernels (DO NOT EDIT) for the peers' four inference shapes, shared by
        // the benchmark and the parity tests; rewritten by FIXEDNET_RECORD=1 swift test.
        .target(name: "PeerKernels", dependencies: ["FixedNet"], path: "Benchmarks/PeerKernels"),
        // Counts heap allocations per thread; used by tests and `fnc bench`.
        .target(name: "AllocationCounter", path: "Sources/AllocationCounter"),
        .testTarget(name: "FixedNetTests", dependencies: ["FixedNet", "Compiler", "AllocationCounter", "PeerKernels", "FixedNetParallel"]),
        .testTarget(name: "CompilerTests", dependencies: ["Compiler", "FixedNet"]),
        .testTarget(name: "fncTests", dependencies: ["Compiler", "fnc"], exclude: ["Golden"]),
    ]
)
