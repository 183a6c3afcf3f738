#!/usr/bin/env bash
# Compiles the FixedNet runtime (Sources/FixedNet/*.swift) as Embedded Swift for
# armv7em and riscv32 and prints two sizes per target:
#   object text: every public symbol of the runtime, as compiled;
#   linked text: a firmware entry (Embedded/Firmware.swift: load, validate,
#                predict) linked with --gc-sections, i.e. what a device pays.
# Extra .swift files given as arguments (e.g. a generated kernel) are compiled in.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for target in armv7em-none-none-eabi riscv32-none-none-eabi; do
  extra=()
  [[ $target == riscv32* ]] && extra=(-Xcc -march=rv32imafc -Xcc -mabi=ilp32f)
  obj="$out/FixedNet-$target.o"
  if swiftc -enable-experimental-feature Embedded -wmo -parse-as-library -Osize -Xfrontend -function-sections \
      -target "$target" "${extra[@]}" -module-name FixedNet -c Sources/FixedNet/*.swift Embedded/Firmware.swift "$@" \
      -o "$obj" 2> "$out/err.txt"; then
    text=$(llvm-size -A "$obj" | awk '$1 ~ /^\.text/ {s += $2} END {print s + 0}')
    # Leave memcpy/malloc & co. undefined: the device's libc provides them.
    ld.lld --gc-sections --unresolved-symbols=ignore-all -e fixednet_firmware_predict "$obj" -o "$out/fw.elf" 2>> "$out/err.txt"
    linked=$(llvm-size -A "$out/fw.elf" | awk '$1 ~ /^\.text/ {s += $2} END {print s + 0}')
    echo "embedded-check: $target OK, object text $text bytes, linked text (load + validate + predict) $linked bytes"
  else
    echo "embedded-check: $target FAILED"; cat "$out/err.txt"; status=1
  fi
done
exit $status
