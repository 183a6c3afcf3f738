// Fuzz target: the JSON model importer's checks, structure-aware. Byte mutations of
// JSON text mostly break the syntax (scripts/fuzz.sh json reports ~97% refused by
// the parser), so this target parses a seed (Fuzz/corpus/json, picked by the first
// byte), reads the rest of the input as edits to the tree (a value replaced by a
// number, string, array or object from a list; elements and keys dropped,
// duplicated or renamed; types swapped), writes it back as JSON text and imports
// that. Every input is syntactically valid, so every one reaches the model checks;
// whatever imports must pass the same round trips and lowering as fuzzModelJSON.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var jsonTreeSeeds: [JSONValue] =
    seedFiles(in: "../Fuzz/corpus/json", suffix: ".json").compactMap { try? JSONParser.parse($0, file: "seed.json") }
nonisolated(unsafe) var jsonTreeCounts = [0, 0]   // refused by the model checks, imported
nonisolated(unsafe) var jsonTreeRegistered = false

/// JSON text for a tree. The parser refuses a number that overflows a Double, so an
/// edit that made one infinite writes ±Double.greatestFiniteMagnitude instead.
func jsonText(_ v: JSONValue) -> String {
    switch v {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let d): return d.isNaN ? "0" : d.isInfinite ? "\(d < 0 ? -Double.greatestFiniteMagnitude : .greatestFiniteMagnitude)" : "\(d)"
    case .string(let s):
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    case .array(let items): return "[" + items.map(jsonText).joined(separator: ",") + "]"
    case .object(let fields): return "{" + fields.map { jsonText(.string($0.0)) + ":" + jsonText($0.1) }.joined(separator: ",") + "}"
    }
}

/// Applies one edit to the value reached by following the reader's choices down the tree.
func editJSON(_ v: inout JSONValue, _ r: inout EditReader, depth: Int = 0) {
    let keys = ["format", "version", "inputCount", "task", "labels", "normalization", "targetNormalization", "targetNames",
                "featureNames", "mean", "std", "layers", "activation", "weights", "biases", "alpha", "learned", "name", ""]
    let numbers: [Double] = [0, 1, -1, 2, 0.5, 1e-320, 1e39, 3.5e38, -1e300, 65536, 4294967297, .greatestFiniteMagnitude, 1.5, 16]
    let strings = ["relu", "softmax", "sigmoid", "identity", "leaky_relu:0.2", "prelu", "hard_sigmoid", "classification",
                   "regression", "fixednet-model", "", "a", "a\nb", "\u{0}", "é"]
    // Go deeper while the reader says so and there is somewhere to go.
    if depth < 12 && r.pick(4) != 0 {
        switch v {
        case .array(var items) where !items.isEmpty:
            let k = r.pick(items.count)
            editJSON(&items[k], &r, depth: depth + 1)
            v = .array(items); return
        case .object(var fields) where !fields.isEmpty:
            let k = r.pick(fields.count)
            editJSON(&fields[k].1, &r, depth: depth + 1)
            v = .object(fields); return
        default: break
        }
    }
    switch r.pick(9) {
    case 0: v = .number(numbers[r.pick(numbers.count)])
    case 1: v = .string(strings[r.pick(strings.count)])
    case 2: v = [.null, .bool(true), .array([]), .object([])][r.pick(4)]
    case 3:   // drop an element or a key
        if case .array(var items) = v, !items.isEmpty { items.remove(at: r.pick(items.count)); v = .array(items) }
        if case .object(var fields) = v, !fields.isEmpty { fields.remove(at: r.pick(fields.count)); v = .object(fields) }
    case 4:   // repeat an element or a key
        if case .array(var items) = v, !items.isEmpty, items.count < 1 << 12 { items.insert(items[r.pick(items.count)], at: r.pick(items.count + 1)); v = .array(items) }
        if case .object(var fields) = v, !fields.isEmpty { fields.append(fields[r.pick(fields.count)]); v = .object(fields) }
    case 5:   // rename or add a key
        if case .object(var fields) = v {
            let key = keys[r.pick(keys.count)]
            if !fields.isEmpty && r.pick(2) == 0 { fields[r.pick(fields.count)].0 = key } else { fields.append((key, .number(numbers[r.pick(numbers.count)]))) }
            v = .object(fields)
        }
    case 6: v = .array([v])   // wrap
    case 7:   // unwrap
        if case .array(let items) = v, let first = items.first { v = first }
    default:  // nudge a number
        if case .number(let d) = v { v = .number([d + 1, d - 1, -d, d * 1e300, d.rounded(), d.nextUp][r.pick(6)]) }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONTree(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if !jsonTreeRegistered {
        jsonTreeRegistered = true
        atexit {
            let c = jsonTreeCounts
            print("json-tree stages: \(c[0] + c[1]) edited models (\(jsonTreeSeeds.count) seeds); model checks \(c[0]), imported \(c[1]); "
                  + "reached deep validation \(fuzzShare(c[0] + c[1], of: c[0] + c[1]))")
        }
    }
    guard size >= 1, !jsonTreeSeeds.isEmpty else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    var tree = jsonTreeSeeds[Int(input[0]) % jsonTreeSeeds.count]
    var r = EditReader(bytes: input)
    var edits = 0
    while !r.done && edits < 32 { edits += 1; editJSON(&tree, &r) }
    let text = Array(jsonText(tree).utf8)
    // The text is valid JSON by construction; the parser may refuse only a repeated key
    // (issue 19: duplicate keys are refused, not resolved), which counts as a model check.
    do { _ = try JSONParser.parse(text, file: "tree.json") } catch {
        guard "\(error)".contains("duplicate key") else { fatalError("the tree's JSON text does not parse: \(error)") }
    }
    guard let net = try? ModelJSON.decode(text, file: "tree.json") else { jsonTreeCounts[0] += 1; return 0 }
    jsonTreeCounts[1] += 1
    checkImportedJSON(net)
    return 0
}
