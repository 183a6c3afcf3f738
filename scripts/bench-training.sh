#!/usr/bin/env bash
# 50-epoch Float64 training on digits, FixedNet beside numpy in the same run:
# the peers' exact setup (../shared/peers/train), 1 thread, both shapes.
# Prints each peer's rows and the time ratio. Needs ../shared/peers and numpy
# with threadpoolctl (pip install threadpoolctl); a benchmark, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
peers=${PEERS_DIR:-$(cd ../shared/peers && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The shared harness is read-only; numpy's trainer writes results/parts, so run a copy.
cp -r "$peers/common.py" "$peers/train" "$peers/data" "$work/"
mkdir -p "$work/results/parts"
swift build -c release --product fixednet-bench -Xswiftc -target-cpu -Xswiftc native >/dev/null
pin=(); command -v taskset >/dev/null && pin=(taskset -c 1)
for shape in 64-32-10 64-256-256-10; do
  repeats=$([[ $shape == 64-32-10 ]] && echo 5 || echo 3)
  fx=$("${pin[@]}" .build/release/fixednet-bench train "$peers/data" "$shape" "$repeats")
  np=$(cd "$work" && OPENBLAS_NUM_THREADS=1 "${pin[@]}" python3 train/train_py.py numpy "$shape" 1 "$repeats" >/dev/null && cat "results/parts/train_numpy_${shape}_t1.csv" 2>/dev/null || true)
  echo "$fx"
  echo "$np" | grep -E "wall_time|final_train_ce|test_accuracy" || echo "numpy: no result"
  f=$(echo "$fx" | awk -F, '$4=="wall_time_50ep" {print $5}')
  n=$(echo "$np" | awk -F, '$4=="wall_time_50ep" {print $5}')
  [[ -n $n ]] && awk -v f="$f" -v n="$n" -v s="$shape" 'BEGIN {printf "training %s: fixednet %.4f s, numpy %.4f s, numpy/fixednet = %.2fx\n", s, f, n, n / f}'
done
