#!/usr/bin/env bash
# Builds and runs one libFuzzer target under AddressSanitizer.
#   scripts/fuzz.sh blob|blob-sealed|csv|json|args SECONDS [libFuzzer flags…]
# blob-sealed reseals every input (totalSize, model hash, checksum) so mutations
# reach the structural checks; it reports how many inputs each stage stopped.
# The committed seeds (Fuzz/corpus/TARGET) are read-only inputs; new inputs go to
# .build-fuzz/corpus-TARGET. A crash leaves crash-* in .build-fuzz and exits non-zero:
# turn it into a regression test (Tests/fncTests/BadInputCatalogueTests.swift).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh blob|blob-sealed|csv|json|args SECONDS}
seconds=${2:?usage: scripts/fuzz.sh blob|blob-sealed|csv|json|args SECONDS}
shift 2
runtime=(Sources/FixedNet/*.swift)
mapfile -t compiler < <(find Sources/Compiler -name "*.swift" | sort)
cli=()
for f in Sources/fnc/*.swift; do
  case $f in */FNC.swift|*/BenchCommand.swift) ;; *) cli+=("$f") ;; esac
done
case $target in
  blob) sources=("${runtime[@]}" Fuzz/FuzzBlobLoader.swift) ;;
  blob-sealed) sources=("${runtime[@]}" Fuzz/FuzzSealedBlob.swift) ;;
  csv)  sources=("${runtime[@]}" "${compiler[@]}" Fuzz/FuzzCSVReader.swift) ;;
  json) sources=("${runtime[@]}" "${compiler[@]}" Fuzz/FuzzModelJSON.swift) ;;
  args) sources=("${runtime[@]}" "${compiler[@]}" "${cli[@]}" Fuzz/FuzzArguments.swift) ;;
  *) echo "unknown target $target (blob, blob-sealed, csv, json, args)"; exit 64 ;;
esac
mkdir -p .build-fuzz
bin=.build-fuzz/fuzz-$target
# One module holding everything the target needs: copies of the sources without
# the project's own `import FixedNet` / `import Compiler` lines.
src=.build-fuzz/src-$target
rm -rf "$src"; mkdir -p "$src"
for f in "${sources[@]}"; do
  sed -E '/^import (FixedNet|Compiler|AllocationCounter)$/d' "$f" > "$src/$(basename "$(dirname "$f")")-$(basename "$f")"
done
if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -swift-version 5 -module-name FuzzTarget \
    "$src"/*.swift -o "$bin" > ".build-fuzz/build-$target.log" 2>&1; then
  grep -E "error:" ".build-fuzz/build-$target.log" | head -20; echo "fuzz $target: build FAILED"; exit 1
fi
mkdir -p ".build-fuzz/corpus-$target"
cd .build-fuzz
set +e
seeds=${target%-sealed}   # the sealed target starts from the blob seeds
"./fuzz-$target" "corpus-$target" "../Fuzz/corpus/$seeds" -max_total_time="$seconds" -timeout=10 \
  -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 "$@" > "fuzz-$target.log" 2>&1
status=$?
set -e
runs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "fuzz-$target.log" | awk '{print $2}')
if [[ $status -ne 0 ]] || grep -q -E "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|deadly signal" "fuzz-$target.log"; then
  grep -E "ERROR|SUMMARY|Test unit written" "fuzz-$target.log" | head -5
  echo "fuzz $target: FAILED after ${runs:-?} executions (see .build-fuzz/fuzz-$target.log)"; exit 1
fi
echo "fuzz $target: $runs executions in $seconds s under ASan, no crash, hang or leak"
grep -E '^sealed-blob stages:' "fuzz-$target.log" | tail -1 || true
