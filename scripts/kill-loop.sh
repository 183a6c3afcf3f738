#!/usr/bin/env bash
# kill -9 during `fnc train --checkpoint`, again and again: every kill must leave a
# loadable checkpoint (or none yet), and the next run must be able to write.
#   scripts/kill-loop.sh [KILLS]     (default 50; CI runs 12)
# Runs fnc from .build/debug (built if missing). Every 10th kill interrupts a
# --resume of the checkpoint instead of a fresh run, and one run is PID 1 in its
# own PID namespace (unshare --pid --fork, where PIDs repeat after a crash), when
# this machine allows it. A stale temporary left by a kill is counted, not an error:
# its name is unique, so it never blocks a later write.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-50}
fnc=.build/debug/fnc
[[ -x $fnc ]] || swift build --product fnc > /dev/null
fnc=$PWD/$fnc
work=$(mktemp -d /tmp/fnc-kill-loop.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp models/iris/iris_train.csv "$work/data.csv"
cd "$work"
train=(train data.csv -o out.fnm --checkpoint ck.fnm --epochs 100000 --quiet)
RANDOM=20261201   # the delays repeat from run to run
check() {   # $1: what was killed
  if [[ -e ck.fnm ]]; then
    "$fnc" inspect ck.fnm > /dev/null || { echo "kill-loop: FAILED: ck.fnm does not load after $1"; exit 1; }
  fi
  if [[ -e ck.fnm.resume ]]; then
    "$fnc" inspect ck.fnm.resume > /dev/null || { echo "kill-loop: FAILED: ck.fnm.resume does not load after $1"; exit 1; }
  fi
}
pid1=no
if unshare --pid --fork --kill-child true 2> /dev/null; then pid1=yes; fi
loaded=0
for ((k = 1; k <= kills; k++)); do
  delay=$(printf '0.%03d' $((RANDOM % 900 + 50)))
  args=("${train[@]}")
  what="run $k (killed after ${delay} s)"
  if (( k % 10 == 0 )) && [[ -e ck.fnm.resume ]]; then
    args=(train data.csv -o out.fnm --checkpoint ck.fnm --resume ck.fnm --epochs 100000 --quiet)
    what="resume $k (killed after ${delay} s)"
  fi
  if (( k == 2 )) && [[ $pid1 == yes ]]; then
    unshare --pid --fork --kill-child "$fnc" "${args[@]}" 2> /dev/null &
    what="run $k as PID 1 in its own namespace (killed after ${delay} s)"
  else
    "$fnc" "${args[@]}" 2> /dev/null &
  fi
  pid=$!
  sleep "$delay"
  # Kill fnc itself (under unshare, the namespace's PID 1 is unshare's child).
  target=$pid
  if (( k == 2 )) && [[ $pid1 == yes ]]; then target=$(pgrep -P "$pid" | head -1 || echo "$pid"); fi
  kill -9 "$target" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  check "$what"
  [[ -e ck.fnm.resume ]] && loaded=$((loaded + 1))
done
# The next run can write: a short training onto the same paths must succeed.
"$fnc" train data.csv -o out.fnm --checkpoint ck.fnm --epochs 2 --quiet \
  || { echo "kill-loop: FAILED: a run after the kills could not write"; exit 1; }
"$fnc" inspect ck.fnm.resume > /dev/null
stale=$(ls -a | grep -c '\.tmp-' || true)
echo "kill-loop: $kills kill -9s (PID 1 run: $pid1), a loadable checkpoint after each of the $loaded that had written one, the next run wrote; $stale stale temporaries left, none in the way"
