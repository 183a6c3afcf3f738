#!/usr/bin/env bash
# The numeric contract says every kernel gives the same bits with and without a
# CPU flag. This builds fnc twice (no flag; -target-cpu native, which switches
# Float16 to F16C and widens every SIMD16 loop) and diffs `fnc predict --proba`
# for the bundled models in every weight format, bit for bit (shortest
# round-trip text is a bijection on floats).
#   scripts/cpu-flag-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product fnc > /dev/null
swift build -c release --scratch-path .build-native --product fnc \
  -Xswiftc -target-cpu -Xswiftc native -Xswiftc -DFIXEDNET_CPU_NATIVE > /dev/null
portable=.build-release/release/fnc native=.build-native/release/fnc
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
count=0
for m in sine iris digits xor; do
  for w in f32 f16 int8; do
    "$portable" compile "models/$m/model.fnm" -o "$out/$m-$w.fnb" --weights "$w" > /dev/null
    proba=--proba; [[ $m == sine ]] && proba=
    "$portable" predict "$out/$m-$w.fnb" "models/$m/${m}_test.csv" --label-column label $proba > "$out/p.txt"
    "$native" predict "$out/$m-$w.fnb" "models/$m/${m}_test.csv" --label-column label $proba > "$out/n.txt"
    "$native" predict "$out/$m-$w.fnb" --verify < /dev/null > /dev/null 2>&1 || { echo "cpu-flag-check: $m $w: golden vectors fail on the native build"; exit 1; }
    if ! cmp -s "$out/p.txt" "$out/n.txt"; then
      echo "cpu-flag-check: $m $w: predictions differ between the portable and the native build"; diff "$out/p.txt" "$out/n.txt" | head -5; exit 1
    fi
    count=$(( count + $(wc -l < "$out/p.txt") ))
  done
done
echo "cpu-flag-check: $count predictions of 4 models × 3 weight formats are bit-identical with and without -target-cpu native"
