#!/usr/bin/env bash
# Compiles the FixedNet runtime (Sources/FixedNet/*.swift) as Embedded Swift for
# armv7em and riscv32 and prints, per target:
#   object text   every public symbol of the runtime, as compiled (-Osize);
#   linked text   a firmware entry (Embedded/Firmware.swift: load, validate,
#                 predict) linked with --gc-sections: what a device pays;
# and, for each generated kernel given as an argument, the kernel's own text
# (compiled as a separate module against the Embedded FixedNet module).
#   scripts/embedded-check.sh [Tests/FixedNetTests/Generated/SineKernel.swift ...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
text_of() { llvm-size -A "$1" | awk '$1 ~ /^\.text/ {s += $2} END {print s + 0}'; }
status=0
for target in armv7em-none-none-eabi riscv32-none-none-eabi; do
  flags=(-enable-experimental-feature Embedded -wmo -parse-as-library -Osize -Xfrontend -function-sections -target "$target")
  [[ $target == riscv32* ]] && flags+=(-Xcc -march=rv32imafc -Xcc -mabi=ilp32f)
  dir="$out/$target"; mkdir -p "$dir"
  if ! swiftc "${flags[@]}" -module-name FixedNet -emit-module -emit-module-path "$dir/FixedNet.swiftmodule" \
        -c Sources/FixedNet/*.swift -o "$dir/FixedNet.o" 2> "$dir/err.txt"; then
    echo "embedded-check: $target FAILED (runtime)"; cat "$dir/err.txt"; status=1; continue
  fi
  swiftc "${flags[@]}" -module-name Firmware -I "$dir" -c Embedded/Firmware.swift -o "$dir/fw.o" 2> "$dir/err.txt" \
    || { echo "embedded-check: $target FAILED (firmware)"; cat "$dir/err.txt"; status=1; continue; }
  ld.lld --gc-sections --unresolved-symbols=ignore-all -e fixednet_firmware_predict "$dir/fw.o" "$dir/FixedNet.o" -o "$dir/fw.elf"
  echo "embedded-check: $target OK: runtime object text $(text_of "$dir/FixedNet.o") B, linked load+validate+predict $(text_of "$dir/fw.elf") B"
  # The zero-copy firmware must not call an allocator; only deinit paths it never takes may name free.
  heap=$(llvm-nm -u "$dir/fw.elf" | awk '{print $2}' | grep -E '^(malloc|calloc|realloc|posix_memalign|aligned_alloc|memalign|swift_allocObject|swift_slowAlloc)$' || true)
  if [[ -n $heap ]]; then echo "embedded-check: $target FAILED: the zero-copy firmware references an allocator: $heap"; status=1; fi
  for kernel in "$@"; do
    name=$(basename "$kernel" .swift)
    if swiftc "${flags[@]}" -module-name "${name}Module" -I "$dir" -c "$kernel" -o "$dir/$name.o" 2> "$dir/err.txt"; then
      if grep -q "warning:" "$dir/err.txt"; then cat "$dir/err.txt"; status=1; fi
      # Kernel-owned text: functions of the kernel's module. The rest of the object
      # is weak copies of runtime and stdlib functions that the link deduplicates.
      module="${name}Module"
      own=0
      while read -r _ size type sym; do
        [[ $type == [TtWw] && $sym == "\$e${#module}${module}"* ]] && own=$(( own + 16#$size ))
      done < <(llvm-nm -S --defined-only "$dir/$name.o")
      echo "embedded-check: $target OK: kernel $name text $own B own (object $(text_of "$dir/$name.o") B with weak runtime copies)"
    else
      echo "embedded-check: $target FAILED (kernel $name)"; cat "$dir/err.txt"; status=1
    fi
  done
done
exit $status
