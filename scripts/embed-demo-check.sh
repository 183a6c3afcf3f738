#!/usr/bin/env bash
# Builds and runs Examples/EmbedDemo (a separate package that depends on FixedNet
# by path) and checks its output against `fnc predict --proba` on the same rows.
set -euo pipefail
cd "$(dirname "$0")/.."
fnc=${FNC:-.build/debug/fnc}
[[ -x $fnc ]] || swift build --product fnc >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd Examples/EmbedDemo && swift build -c release >/dev/null && .build/release/EmbedDemo) > "$out/demo.txt"
"$fnc" predict models/iris/model.fnb Examples/EmbedDemo/rows.csv --proba > "$out/fnc.txt"
if diff "$out/fnc.txt" "$out/demo.txt"; then
  echo "embed-demo-check: EmbedDemo matches fnc predict ($(wc -l < "$out/demo.txt") rows)"
else
  echo "embed-demo-check: EmbedDemo output differs from fnc predict"; exit 1
fi
