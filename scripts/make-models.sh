#!/usr/bin/env bash
# Rebuilds every bundled model (models/<name>/) by running its commands.sh with
# the given fnc (default: a release build). The tests check that the committed
# files are what these commands produce, byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${FNC:-}" ]]; then
  swift build -c release --product fnc >/dev/null
  FNC="$PWD/.build/release/fnc"
fi
export FNC
for m in xor sine iris digits; do
  (cd "models/$m" && ./commands.sh)
  echo "models/$m: $(grep -E '^(accuracy|rmse)' "models/$m/metrics.txt" | tr -s ' ' | tr '\n' ' ')"
done
