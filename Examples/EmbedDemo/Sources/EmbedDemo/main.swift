// Predicts the rows of rows.csv with the generated Iris kernel, whose blob is
// embedded in its source: no model file is read. Prints what
// `fnc predict models/iris/model.fnb rows.csv --proba` prints, line for line.
import FixedNet
#if canImport(Glibc)
import Glibc
#endif

let rows: [[Float]] = [
    [5.1, 3.5, 1.4, 0.2],
    [6.2, 2.9, 4.3, 1.3],
    [7.7, 3.0, 6.1, 2.3],
    [5.8, 2.7, 5.1, 1.9],
    [4.9, 3.1, 1.5, 0.1],
]

// Decode the embedded blob into memory we own, validate it, bind the kernel.
let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Iris.blobByteCount, alignment: 64)
defer { buffer.deallocate() }
let count = Iris.decodeEmbeddedBlob(into: buffer)
let model: Model
let kernel: Iris.Bound
do {
    model = try Model(bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    kernel = try Iris.bind(model)
} catch {
    print("EmbedDemo: \(error)")
    exit(1)
}

var workspace = Workspace(for: model)
var y = [Float](repeating: 0, count: Iris.outputCount)
for row in rows {
    row.withUnsafeBufferPointer { x in
        y.withUnsafeMutableBufferPointer { Iris.predict(kernel, x.baseAddress!, into: $0.baseAddress!, scratch: workspace.scratchPointer) }
    }
    let c = row.withUnsafeBufferPointer { Iris.classify(kernel, $0.baseAddress!, scratch: workspace.scratchPointer) }
    print(([model.label(c.index)] + y.map { "\($0)" }).joined(separator: ","))
}
