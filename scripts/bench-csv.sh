#!/usr/bin/env bash
# The data path's benchmark (issue 12): reading a CSV for training, streaming
# predict and eval, beside pandas.read_csv, numpy.loadtxt and pandas +
# onnxruntime in-process, all on one generated file in one run.
#   scripts/bench-csv.sh [ROWS]      (default 1000000 rows x 32 %.6g floats + a label)
# Needs clang (the Swift toolchain's) and python3; makes .build-bench/venv with
# numpy, pandas, onnx and onnxruntime on first use. Prints a table of times,
# throughput and peak RSS, and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
dir=.build-bench
mkdir -p "$dir"
if [[ ! -x $dir/venv/bin/python ]]; then
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/pip" install -q numpy==2.4.6 pandas onnx==1.23.2 onnxruntime==1.31.1
fi
py=$dir/venv/bin/python
echo "== build (release, -target-cpu native)"
swift build -c release -Xswiftc -target-cpu -Xswiftc native -Xswiftc -DFIXEDNET_CPU_NATIVE --product fnc 2>&1 | tail -n 1
fnc=$PWD/.build/release/fnc
clang -O2 Benchmarks/csv/gen.c -o "$dir/gen" -lm
csv=$dir/rows-$rows.csv
[[ -s $csv ]] || "$dir/gen" "$rows" > "$csv"
bytes=$(stat -L -c %s "$csv")
head -n 20001 "$csv" > "$dir/train-20k.csv"
"$fnc" train "$dir/train-20k.csv" -o "$dir/m.fnm" --hidden 64 --epochs 5 --quiet
"$fnc" compile "$dir/m.fnm" -o "$dir/m.fnb" > /dev/null
"$fnc" export "$dir/m.fnm" --json -o "$dir/m.json"

# min of 3 runs: "seconds peak_kb"
measure() {
  local best="" kb=0
  for _ in 1 2 3; do
    local out; out=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null; } 2>&1 | tail -n 1 )
    local t=${out% *} m=${out#* }
    if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; kb=$m; fi
  done
  echo "$best $kb"
}
declare -A T K
row() { T[$1]=${2% *}; K[$1]=${2#* }; }
echo "== measuring ($rows rows, $bytes bytes; min of 3 runs each)"
row train1 "$(measure "$fnc" train "$csv" -o "$dir/lin.fnm" --hidden "" --epochs 1 --quiet)"
row train3 "$(measure "$fnc" train "$csv" -o "$dir/lin.fnm" --hidden "" --epochs 3 --quiet)"
row predict "$(measure "$fnc" predict "$dir/m.fnb" "$csv" --label-column label)"
row proba "$(measure "$fnc" predict "$dir/m.fnb" "$csv" --label-column label --proba)"
row stdin "$(measure sh -c "\"$fnc\" predict \"$dir/m.fnb\" --label-column label < \"$csv\"")"
row eval "$(measure "$fnc" eval "$dir/m.fnb" "$csv")"
"$fnc" predict "$dir/m.fnb" "$csv" --label-column label > "$dir/file.out"
"$fnc" predict "$dir/m.fnb" --label-column label < "$csv" > "$dir/stdin.out"
cmp -s "$dir/file.out" "$dir/stdin.out" && same=yes || same=NO
for w in pandas loadtxt ort; do
  best=""
  for _ in 1 2 3; do
    j=$("$py" Benchmarks/csv/peers.py "$csv" "$dir/m.json" "$w")
    t=$(echo "$j" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
    k=$(echo "$j" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["peak_rss_kb"])')
    if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; T[$w]=$t; K[$w]=$k; fi
    [[ $w == loadtxt ]] && break   # one run: it is slow
  done
done
read_s=$(awk "BEGIN{printf \"%.3f\", ${T[train1]} - (${T[train3]} - ${T[train1]}) / 2}")
matrix_kb=$(( rows * 32 * 8 / 1024 ))
lscpu | grep -E "^Model name" | sed 's/  */ /g'
awk -v bytes="$bytes" -v rows="$rows" -v mkb="$matrix_kb" -v rd="$read_s" \
    -v t1="${T[train1]}" -v k1="${K[train1]}" -v pr="${T[predict]}" -v kp="${K[predict]}" \
    -v pb="${T[proba]}" -v kb="${K[proba]}" -v si="${T[stdin]}" -v ks="${K[stdin]}" -v ev="${T[eval]}" -v ke="${K[eval]}" \
    -v pd="${T[pandas]}" -v kpd="${K[pandas]}" -v lt="${T[loadtxt]}" -v klt="${K[loadtxt]}" -v ort="${T[ort]}" -v kort="${K[ort]}" -v same="$same" 'BEGIN {
  printf "| measure | seconds | MB/s | rows/s | peak RSS MB | ratio |\n|---|---:|---:|---:|---:|---|\n"
  printf "| fnc train read+standardise (1 epoch minus epoch) | %.2f | %.0f | %.0f | %.0f (%.2fx the matrix) | %.2fx pandas |\n", rd, bytes/rd/1e6, rows/rd, k1/1024, k1/mkb, pd/rd
  printf "| pandas.read_csv + standardise | %.2f | %.0f | %.0f | %.0f | 1 |\n", pd, bytes/pd/1e6, rows/pd, kpd/1024
  printf "| numpy.loadtxt + standardise | %.2f | %.0f | %.0f | %.0f | %.2fx pandas |\n", lt, bytes/lt/1e6, rows/lt, klt/1024, pd/lt
  printf "| fnc predict FILE (labels) | %.2f | %.0f | %.0f | %.0f | %.2fx ORT |\n", pr, bytes/pr/1e6, rows/pr, kp/1024, ort/pr
  printf "| fnc predict FILE --proba | %.2f | %.0f | %.0f | %.0f | %.2fx ORT |\n", pb, bytes/pb/1e6, rows/pb, kb/1024, ort/pb
  printf "| fnc predict < FILE (stdin) | %.2f | %.0f | %.0f | %.0f | same bytes as FILE: %s |\n", si, bytes/si/1e6, rows/si, ks/1024, same
  printf "| fnc eval FILE | %.2f | %.0f | %.0f | %.0f | %.2fx predict |\n", ev, bytes/ev/1e6, rows/ev, ke/1024, ev/pr
  printf "| pandas + onnxruntime in-process (labels) | %.2f | %.0f | %.0f | %.0f | 1 |\n", ort, bytes/ort/1e6, rows/ort, kort/1024
}'
