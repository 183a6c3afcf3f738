#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer, with the 2-thread × 1 M prediction
# stress test at full size.
#   scripts/sanitize.sh address     (AddressSanitizer)
#   scripts/sanitize.sh thread      (ThreadSanitizer)
# Allocation counting is compiled out under sanitizers (they own malloc); the
# plain `swift test` run measures it.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/sanitize.sh address|thread}
case $kind in address|thread) ;; *) echo "usage: scripts/sanitize.sh address|thread"; exit 64 ;; esac
start=$SECONDS
# Third-party leaks only (see the file); child fnc processes inherit the setting.
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0"
FIXEDNET_STRESS=${FIXEDNET_STRESS:-1} FIXEDNET_SANITIZER=$kind swift test --sanitize="$kind" --scratch-path ".build-$kind" "${@:2}"
echo "sanitize $kind: passed in $((SECONDS - start)) s"
