#!/usr/bin/env bash
# Builds and runs one libFuzzer target under AddressSanitizer.
#   scripts/fuzz.sh blob|blob-sealed|model-sealed|checkpoint-sealed|csv|json|json-tree|onnx|onnx-graph|args SECONDS [libFuzzer flags…]
# blob-sealed reseals every input (totalSize, model hash, checksum) so mutations
# reach the structural checks; it reports how many inputs each stage stopped.
# model-sealed and checkpoint-sealed do the same for .fnm files and checkpoints
# (their FNV-1a trailer is recomputed). onnx reports how many inputs the protobuf decoder refused, how many decoded and
# were refused by the graph lowering, and how many imported; onnx-graph edits
# decoded seeds instead of bytes, so every input reaches the graph lowering.
# The committed seeds (Fuzz/corpus/TARGET) are read-only inputs; new inputs go to
# .build-fuzz/corpus-TARGET. A crash leaves crash-* in .build-fuzz and exits non-zero:
# turn it into a regression test (Tests/fncTests/BadInputCatalogueTests.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh blob|blob-sealed|model-sealed|checkpoint-sealed|csv|json|json-tree|onnx|onnx-graph|args SECONDS}
seconds=${2:?usage: scripts/fuzz.sh blob|blob-sealed|model-sealed|checkpoint-sealed|csv|json|json-tree|onnx|onnx-graph|args SECONDS}
shift 2
runtime=(Sources/FixedNet/*.swift)
mapfile -t compiler < <(find Sources/Compiler -name "*.swift" | sort)
cli=()
for f in Sources/fnc/*.swift; do
  case $f in */FNC.swift|*/BenchCommand.swift) ;; *) cli+=("$f") ;; esac
done
case $target in
  blob) entry=fuzzBlobLoader ;;
  blob-sealed) entry=fuzzSealedBlob ;;
  csv) entry=fuzzCSVReader ;;
  json) entry=fuzzModelJSON ;;
  json-tree) entry=fuzzJSONTree ;;
  onnx) entry=fuzzONNXImport ;;
  model-sealed) entry=fuzzSealedModelFile ;;
  checkpoint-sealed) entry=fuzzSealedCheckpoint ;;
  onnx-graph) entry=fuzzONNXGraph ;;
  build) entry="" ;;   # only build the binary (CI overlaps it with other steps)
  args) entry=fuzzArguments ;;
  *) echo "unknown target $target (blob, blob-sealed, model-sealed, checkpoint-sealed, csv, json, json-tree, onnx, onnx-graph, args)"; exit 64 ;;
esac
# One binary holds every target (the runtime, compiler and CLI sources once, each
# Fuzz/*.swift entry as a plain function); FIXEDNET_FUZZ_TARGET picks the entry.
# It is rebuilt only when a source is newer, so a loop over targets builds once.
sources=("${runtime[@]}" "${compiler[@]}" "${cli[@]}" Fuzz/*.swift)
mkdir -p .build-fuzz
bin=.build-fuzz/fuzz-all
if [[ ! -x $bin ]] || [[ -n $(find "${sources[@]}" scripts/fuzz.sh -newer "$bin" 2>/dev/null | head -1) ]]; then
  # One module holding everything: copies of the sources without the project's
  # own `import FixedNet` / `import Compiler` lines and without each target's
  # libFuzzer entry attribute, plus a dispatcher that is the one entry.
  src=.build-fuzz/src-all
  rm -rf "$src"; mkdir -p "$src"
  for f in "${sources[@]}"; do
    sed -E '/^import (FixedNet|Compiler|AllocationCounter)$/d; /^@_cdecl\("LLVMFuzzerTestOneInput"\)$/d' "$f" > "$src/$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  cat > "$src/FuzzDispatch.swift" <<'SWIFT'
#if canImport(Glibc)
import Glibc
#endif
nonisolated(unsafe) let fuzzTargetName: String = getenv("FIXEDNET_FUZZ_TARGET").map { String(cString: $0) } ?? ""
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDispatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    switch fuzzTargetName {
    case "fuzzBlobLoader": return fuzzBlobLoader(data, size)
    case "fuzzSealedBlob": return fuzzSealedBlob(data, size)
    case "fuzzCSVReader": return fuzzCSVReader(data, size)
    case "fuzzModelJSON": return fuzzModelJSON(data, size)
    case "fuzzJSONTree": return fuzzJSONTree(data, size)
    case "fuzzONNXImport": return fuzzONNXImport(data, size)
    case "fuzzONNXGraph": return fuzzONNXGraph(data, size)
    case "fuzzSealedModelFile": return fuzzSealedModelFile(data, size)
    case "fuzzSealedCheckpoint": return fuzzSealedCheckpoint(data, size)
    case "fuzzArguments": return fuzzArguments(data, size)
    default: fatalError("FIXEDNET_FUZZ_TARGET names no target: \(fuzzTargetName)")
    }
}
SWIFT
  if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -swift-version 5 -module-name FuzzTarget \
      "$src"/*.swift -o "$bin" > ".build-fuzz/build.log" 2>&1; then
    grep -E "error:" ".build-fuzz/build.log" | head -20; echo "fuzz: build FAILED"; exit 1
  fi
fi
if [[ $target == build ]]; then echo "fuzz: built $bin"; exit 0; fi
mkdir -p ".build-fuzz/corpus-$target"
cd .build-fuzz
set +e
seeds=${target%-sealed}   # the sealed target starts from the blob seeds
seeds=${seeds%-graph}      # the graph target reads the onnx seeds
seeds=${seeds%-tree}       # the tree target reads the json seeds
# A text format's dictionary (Fuzz/TARGET.dict: its keys and tokens) keeps mutations parseable more often.
dict=(); [[ -f ../Fuzz/$seeds.dict ]] && dict=(-dict="../Fuzz/$seeds.dict")
FIXEDNET_FUZZ_TARGET=$entry ./fuzz-all "corpus-$target" "../Fuzz/corpus/$seeds" -max_total_time="$seconds" -timeout=10 \
  -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 "${dict[@]}" "$@" > "fuzz-$target.log" 2>&1
status=$?
set -e
runs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "fuzz-$target.log" | awk '{print $2}')
if [[ $status -ne 0 ]] || grep -q -E "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|deadly signal" "fuzz-$target.log"; then
  grep -E "ERROR|SUMMARY|Test unit written|error" "fuzz-$target.log" | head -5 || true
  echo "fuzz $target: FAILED after ${runs:-?} executions (see .build-fuzz/fuzz-$target.log)"; exit 1
fi
elapsed=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "fuzz-$target.log" | awk '{print $5}' | tail -1)
coverage=$(grep -E '^#[0-9]+' "fuzz-$target.log" | grep -oE 'cov: [0-9]+ ft: [0-9]+' | tail -1)
echo "fuzz $target: $runs executions in ${elapsed:-$seconds} s under ASan, no crash, hang or leak; ${coverage:-cov: ?} (edges, features)"
grep -E '^(sealed-blob|sealed-model|sealed-checkpoint|onnx|onnx-graph|csv|json|json-tree) stages:' "fuzz-$target.log" | tail -1 || true
