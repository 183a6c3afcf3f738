#!/usr/bin/env bash
# The main job on a fresh machine: build fnc in release mode for this CPU, train
# and compile the digits model, then evaluate it and predict a few rows.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> swift build -c release -Xswiftc -target-cpu -Xswiftc native"
swift build -c release --product fnc -Xswiftc -target-cpu -Xswiftc native -Xswiftc -DFIXEDNET_CPU_NATIVE   # shows its progress: the first build takes a minute or two
fnc=.build/release/fnc
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "==> fnc train models/digits/digits_train.csv --hidden 32 --seed 1"
"$fnc" train models/digits/digits_train.csv -o "$out/digits.fnm" --hidden 32 --seed 1
echo "==> fnc compile"
"$fnc" compile "$out/digits.fnm" -o "$out/digits.fnb"
echo "==> fnc eval (test split)"
"$fnc" eval "$out/digits.fnb" models/digits/digits_test.csv | head -n 3
echo "==> fnc predict --proba (first 3 test rows, label column dropped)"
head -n 4 models/digits/digits_test.csv | cut -d, -f1-64 | "$fnc" predict "$out/digits.fnb" --proba --verify
echo "==> the same blob is committed as models/digits/model.fnb: $(cmp -s "$out/digits.fnb" models/digits/model.fnb && echo identical || echo DIFFERENT)"
