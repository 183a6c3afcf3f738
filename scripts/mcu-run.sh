#!/usr/bin/env bash
# Runs the FixedNet firmware (Examples/Firmware) on emulated microcontroller
# cores and checks it against the host, bit for bit:
#   m4f   qemu-system-arm -M mps2-an386   Cortex-M4F, hard float (FPv4-SP)
#   m7    qemu-system-arm -M mps2-an500   Cortex-M7, hard float (FPv5-D16)
#   m0    qemu-system-arm -M microbit     Cortex-M0, soft float (libgcc)
#   rv32  qemu-system-riscv32 -M virt     rv32imafc, hard float, booted from pflash
# For every core, bundled model (sine, iris, digits) and weight format (f32,
# f16, int8) the firmware validates the blob in place in flash, re-runs its
# golden vectors on the device and prints its outputs for 8 golden and 8
# pseudo-random inputs as bit patterns; those lines must equal the host
# harness's (the same firmware built for this machine, predicting through the
# SIMD kernels) exactly. The same again through the generated kernel
# (`fnc compile --swift`). Then, in the same emulator, on the same weights and
# inputs: plain C dense loops (arm-none-eabi-gcc / riscv64-unknown-elf-gcc -O2),
# and with --emlearn, emlearn's eml_net (Cortex-M4F, digits).
#
# Instructions are counted with QEMU -icount shift=0 (one instruction = 1 ns of
# virtual time): on Arm through SysTick, whose ticks the firmware converts with a
# ratio it measures at reset on a loop of known length (40 instructions per tick
# on mps2, at 25 MHz; one reading resolves one tick, the per-prediction figure is
# the mean of 100 predictions, so ±0.4 instructions); on RISC-V through minstret,
# which QEMU makes exact under -icount.
#
#   scripts/mcu-run.sh [--quick] [--emlearn] [--cores "m4f m7 m0 rv32"]
#     --quick    generated kernels only for digits (every format) and, on m4f, the f32 models;
#                no C peers (so no C library to install): what CI runs
#     --emlearn  also build emlearn's eml_net peer (pip, in .build-mcu/venv)
#     --install-only [--quick]  only install what is missing (CI starts this early,
#                in the background, so the download overlaps the test build)
# Environment: FNC (default .build/debug/fnc, built when missing), MCU_DIR
# (default .build-mcu). The report is MCU_DIR/report.md. Installs qemu-system-arm,
# qemu-system-misc, gcc-arm-none-eabi and gcc-riscv64-unknown-elf (their libgcc
# supplies soft-float helpers), and for the C peers libnewlib-arm-none-eabi and
# picolibc-riscv64-unknown-elf, with apt when missing.
set -euo pipefail
trap 'echo "mcu-run: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
root=$PWD
quick=0 emlearn=0 install_only=0 cores="m4f m7 m0 rv32"
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick=1 ;;
    --install-only) install_only=1 ;;
    --emlearn) emlearn=1 ;;
    --cores) cores=$2; shift ;;
    *) echo "mcu-run: unknown option $1" >&2; exit 64 ;;
  esac
  shift
done
W=${MCU_DIR:-$root/.build-mcu}
[[ $install_only == 1 ]] || { rm -rf "$W/blobs" "$W/host" "$W/runs" && mkdir -p "$W/blobs" "$W/host" "$W/runs"; }
start=$SECONDS
note() { echo "mcu-run: $* ($((SECONDS - start)) s)"; }
# Cores run two at a time (in subshells): failures are collected in a file.
failures=$W/failures.txt; [[ $install_only == 1 ]] || rm -f "$failures"
failed() { echo "mcu-run: FAILED: $*" | tee -a "$failures"; }

# ---- tools ----
need=()
command -v qemu-system-arm > /dev/null || need+=(qemu-system-arm)
command -v qemu-system-riscv32 > /dev/null || need+=(qemu-system-misc)
command -v arm-none-eabi-gcc > /dev/null || need+=(gcc-arm-none-eabi)
command -v riscv64-unknown-elf-gcc > /dev/null || need+=(gcc-riscv64-unknown-elf)
# The C peers need a C library's expf/tanhf: newlib on Arm, picolibc on RISC-V
# (≈ 1.4 GB installed together), so --quick (CI: correctness only) skips them.
picolibc=/usr/lib/picolibc/riscv64-unknown-elf
if [[ $quick == 0 ]]; then
  [[ -d /usr/lib/arm-none-eabi/newlib ]] || need+=(libnewlib-arm-none-eabi)
  [[ -d $picolibc ]] || need+=(picolibc-riscv64-unknown-elf)
fi
if [[ ${#need[@]} -gt 0 ]]; then
  note "installing ${need[*]}"
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo=sudo
  $sudo apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
fi
[[ $install_only == 1 ]] && { note "tools present"; exit 0; }
FNC=${FNC:-$root/.build/debug/fnc}
[[ -x $FNC ]] || { note "building fnc"; swift build --product fnc > /dev/null; }

# ---- blobs and generated kernels, then the host's expected outputs ----
models="sine iris digits" formats="f32 f16 int8"
for m in $models; do
  for f in $formats; do
    "$FNC" compile "models/$m/model.fnm" --weights "$f" -o "$W/blobs/$m-$f.fnb" \
      --swift "$W/blobs/$m-$f.swift" --name FwKernel > "$W/blobs/$m-$f.compile.txt"
  done
  cmp -s "$W/blobs/$m-f32.fnb" "models/$m/model.fnb" || failed "fnc compile of $m no longer gives models/$m/model.fnb"
done
note "compiled 9 blobs and kernels"

# Swift flags per core: the runtime and firmware are Embedded Swift, -Osize,
# one section per function, no allocator (FIXEDNET_NO_HEAP).
swift_common=(-enable-experimental-feature Embedded -enable-experimental-feature Extern -wmo -parse-as-library -Osize
              -Xfrontend -function-sections -DFIXEDNET_NO_HEAP)
core_setup() {
  case $1 in
    m4f) qemu=(qemu-system-arm -M mps2-an386); target=armv7em-none-none-eabi
         sflags=(-target-cpu cortex-m4 -Xcc -mfloat-abi=hard -Xcc -mfpu=fpv4-sp-d16)
         cflags=(--target=thumbv7em-none-eabi -mcpu=cortex-m4 -mfloat-abi=hard -mfpu=fpv4-sp-d16)
         gflags=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16); gcc=arm-none-eabi-gcc
         ld=(-T Examples/Firmware/boards/arm.ld --defsym=__flash_size=0x400000 --defsym=__ram_size=0x400000); board=arm ;;
    m7)  qemu=(qemu-system-arm -M mps2-an500); target=armv7em-none-none-eabi
         sflags=(-target-cpu cortex-m7 -Xcc -mfloat-abi=hard -Xcc -mfpu=fpv5-d16)
         cflags=(--target=thumbv7em-none-eabi -mcpu=cortex-m7 -mfloat-abi=hard -mfpu=fpv5-d16)
         gflags=(-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16); gcc=arm-none-eabi-gcc
         ld=(-T Examples/Firmware/boards/arm.ld --defsym=__flash_size=0x400000 --defsym=__ram_size=0x400000); board=arm ;;
    m0)  qemu=(qemu-system-arm -M microbit); target=armv6m-none-none-eabi
         sflags=(-target-cpu cortex-m0)
         cflags=(--target=thumbv6m-none-eabi -mcpu=cortex-m0 -mfloat-abi=soft)
         gflags=(-mcpu=cortex-m0 -mthumb -mfloat-abi=soft); gcc=arm-none-eabi-gcc
         ld=(-T Examples/Firmware/boards/arm.ld --defsym=__flash_size=0x40000 --defsym=__ram_size=0x4000); board=arm ;;
    rv32) qemu=(qemu-system-riscv32 -M virt -bios none); target=riscv32-none-none-eabi
         sflags=(-Xcc -march=rv32imafc -Xcc -mabi=ilp32f)
         cflags=(--target=riscv32-unknown-elf -march=rv32imafc -mabi=ilp32f)
         gflags=(-march=rv32imafc -mabi=ilp32f); gcc=riscv64-unknown-elf-gcc
         ld=(-T Examples/Firmware/boards/riscv.ld); board=riscv ;;
  esac
  # libgcc comes with the compiler; picolibc (the C peers' headers and libm) is
  # installed only without --quick, so its specs join the flags only then: asking
  # gcc for libgcc with a missing specs file prints nothing, and the link fails.
  libgcc=$($gcc "${gflags[@]}" -print-libgcc-file-name)
  [[ $board == riscv && $quick == 0 ]] && gflags+=(--specs=picolibc.specs)
  # picolibc keeps its math functions in libc.a (its libm.a is a stub).
  if [[ $board == riscv ]]; then libm=$picolibc/lib/release/rv32imafc/ilp32f/libc.a
  else libm=$($gcc "${gflags[@]}" -print-file-name=libm.a); fi
}

# Runs an ELF on the current core; stdout to $2. Exit status: the firmware's.
run_elf() {
  local elf=$1 out=$2
  if [[ $board == riscv ]]; then
    # The virt machine starts at pflash 0 when an image is given: a flash boot.
    llvm-objcopy -O binary "$elf" "$elf.bin" && truncate -s 32M "$elf.bin"
    timeout 60 "${qemu[@]}" -nographic -monitor none -serial stdio -icount shift=0,sleep=off \
      -drive "if=pflash,unit=0,format=raw,file=$elf.bin,readonly=on" > "$out" 2>&1
  else
    timeout 60 "${qemu[@]}" -nographic -monitor none -serial none -icount shift=0,sleep=off \
      -semihosting-config enable=on,target=native -kernel "$elf" > "$out" 2>&1
  fi
}

fixednet_sources=(Sources/FixedNet/*.swift)
firmware_sources=(Examples/Firmware/Board.swift Examples/Firmware/Console.swift Examples/Firmware/Firmware.swift Examples/Firmware/Predictor.swift)

# The host harness: the same firmware for this machine (Embedded Swift, SIMD
# kernels). It builds while the first cores compile; they wait for host/done.
H=$W/host
host_harness() {
  # -Onone: it makes 16 predictions per blob, and compiles in 16 s instead of 25.
  local hflags=("${swift_common[@]/-Osize/-Onone}" -target x86_64-unknown-linux-gnu)
  swiftc "${hflags[@]}" -module-name FixedNet -emit-module -emit-module-path "$H/FixedNet.swiftmodule" -c "${fixednet_sources[@]}" -o "$H/FixedNet.o"
  swiftc "${hflags[@]}" -module-name Firmware -I "$H" -c "${firmware_sources[@]}" -o "$H/fw.o"
  clang -O2 -c Examples/Firmware/host/board.c -o "$H/board.o"
  clang "$H/board.o" "$H/fw.o" "$H/FixedNet.o" -o "$H/host-firmware"
  clang -O2 Examples/Firmware/host/compare.c -o "$H/compare"
  for m in $models; do
    for f in $formats; do
      "$H/host-firmware" "$W/blobs/$m-$f.fnb" > "$W/blobs/$m-$f.host.txt" || failed "host harness on $m-$f"
    done
  done
  touch "$H/done"
  note "host harness ran the 9 blobs"
}
wait_for_host() { while [[ ! -f $H/done ]]; do sleep 1; done; }

# ---- per core: the runtime, the generated kernels, the C baseline ----
field() { awk -v k="$2" '$0 ~ "^"k" " {print $NF; exit}' "$1"; }
nth() { awk -v k="$2" -v n="$3" '$0 ~ "^"k" " {print $n; exit}' "$1"; }

# True when an ELF defines or references any allocator (no C library is linked,
# so a reference would not even link; this also catches one defined in the image).
names_allocator() { llvm-nm "$1" | grep -qE ' (malloc|calloc|realloc|free|posix_memalign|aligned_alloc|swift_slowAlloc|swift_allocObject)$'; }
size_of() { llvm-size -A "$1" | awk -v s="$2" '$1 == s {print $2; exit}'; }
record() { # core model format what elf log verdict
  local core=$1 m=$2 f=$3 what=$4 elf=$5 log=$6 verdict=$7
  local text rodata data bss
  text=$(size_of "$elf" .text); rodata=$(size_of "$elf" .rodata); data=$(size_of "$elf" .data); bss=$(size_of "$elf" .bss)
  local stack="–" untouched
  untouched=$(field "$log" stack)
  [[ -n $untouched ]] && stack="$(nth "$log" stack 3) / $(( $(size_of "$elf" .stack) - untouched ))"
  echo "| $core | $m | $f | $what | $(field "$log" validate) | $(nth "$log" predict 3) | $stack | ${text:-0} | ${rodata:-0} | $(( ${data:-0} + ${bss:-0} )) | $verdict |" >> "$W/runs/$core/results.md"
}

run_core() {
  local core=$1
  core_setup "$core"
  D=$W/runs/$core; mkdir -p "$D"; : > "$D/results.md"; : > "$D/footprint.md"
  if [[ $quick == 1 && $core == m7 ]]; then
    # --quick: the M4F's firmwares (armv7e-m, FPv4: a subset of the M7's) on the M7 machine.
    while [[ ! -f $W/runs/m4f/done ]]; do sleep 1; done
    wait_for_host
    for log in "$W"/runs/m4f/*-{f32,f16,int8}.txt "$W"/runs/m4f/*-kernel.txt; do
      [[ -f $log ]] || continue
      name=$(basename "$log" .txt); base=${name%-kernel}; m=${base%-*}; f=${base##*-}
      what=runtime; [[ $name == *-kernel ]] && what=kernel
      run_elf "$W/runs/m4f/$name.elf" "$D/$name.txt" || true
      verdict=$("$H/compare" "$W/blobs/$base.host.txt" "$D/$name.txt" exact) || failed "$core $name (M4F build): $verdict"
      record "$core" "$m" "$f" "$what (M4F build)" "$W/runs/m4f/$name.elf" "$D/$name.txt" "$verdict"
    done
    note "$core: ran the M4F firmwares"
    return
  fi
  swiftc "${swift_common[@]}" -target "$target" "${sflags[@]}" -module-name FixedNet -emit-module \
    -emit-module-path "$D/FixedNet.swiftmodule" -c "${fixednet_sources[@]}" -o "$D/FixedNet.o"
  swiftc "${swift_common[@]}" -target "$target" "${sflags[@]}" -module-name Firmware -I "$D" -c "${firmware_sources[@]}" -o "$D/fw.o"
  [[ $quick == 1 ]] || $gcc "${gflags[@]}" -O2 -ffunction-sections -fdata-sections -I Examples/Firmware/baseline -c Examples/Firmware/baseline/dense.c -o "$D/dense.o"
  # What a device pays for load + validate + predict: Embedded/Firmware.swift's
  # entry linked alone with --gc-sections, libgcc and the board's mem* functions.
  clang "${cflags[@]}" -O2 -ffunction-sections -fdata-sections -ffreestanding -fno-builtin -c "Examples/Firmware/boards/$board-startup.c" -o "$D/startup.o"
  minimal() { # tag, FixedNet object
    swiftc "${swift_common[@]}" -target "$target" "${sflags[@]}" -module-name MinimalFirmware -I "$(dirname "$2")" -c Embedded/Firmware.swift -o "$D/minimal-$1.o"
    ld.lld --gc-sections -e fixednet_firmware_predict "$D/minimal-$1.o" "$2" "$D/startup.o" "$libgcc" -o "$D/minimal-$1.elf"
    ! names_allocator "$D/minimal-$1.elf" || failed "$core: load + validate + predict links an allocator"
    echo "| $core | $1 | $(size_of "$D/minimal-$1.elf" .text) | $(( $(size_of "$D/minimal-$1.elf" .rodata) + 0 )) |" >> "$D/footprint.md"
  }
  : > "$D/footprint.md"
  minimal "all formats" "$D/FixedNet.o"
  if [[ $quick == 0 && $core == m4f ]]; then
    mkdir -p "$D/f32only"
    swiftc "${swift_common[@]}" -target "$target" "${sflags[@]}" -DFIXEDNET_NO_FLOAT16 -DFIXEDNET_NO_INT8 -module-name FixedNet -emit-module \
      -emit-module-path "$D/f32only/FixedNet.swiftmodule" -c "${fixednet_sources[@]}" -o "$D/f32only/FixedNet.o"
    minimal "float32 only (-D FIXEDNET_NO_FLOAT16 -D FIXEDNET_NO_INT8)" "$D/f32only/FixedNet.o"
  fi
  note "$core: runtime and firmware compiled"
  wait_for_host
  for m in $models; do
    for f in $formats; do
      name=$m-$f blob=$W/blobs/$m-$f.fnb expect=$W/blobs/$m-$f.host.txt
      # Workspace (2 × scratchCount Float32) and I/O rows from the blob's header.
      read -r inputs outputs scratch < <(od -An -tu4 -j32 -N12 "$blob")
      ws=$(( 8 * scratch )) io=$(( 4 * (inputs + outputs) ))
      clang "${cflags[@]}" -O2 -ffunction-sections -fdata-sections -ffreestanding -fno-builtin \
        -DFW_WORKSPACE_BYTES="$ws" -DFW_IO_FLOATS=$(( io / 4 )) -c "Examples/Firmware/boards/$board-startup.c" -o "$D/startup-$name.o"
      clang "${cflags[@]}" -DFW_BLOB_PATH="$blob" -c Examples/Firmware/boards/blob.S -o "$D/blob-$name.o"
      # The runtime's layer walk.
      ld.lld --gc-sections "${ld[@]}" "$D/startup-$name.o" "$D/blob-$name.o" "$D/fw.o" "$D/FixedNet.o" "$libgcc" -o "$D/$name.elf"
      ! names_allocator "$D/$name.elf" || failed "$core $name links an allocator"
      run_elf "$D/$name.elf" "$D/$name.txt" || true
      verdict=$("$H/compare" "$expect" "$D/$name.txt" exact) || failed "$core $name runtime: $verdict"
      grep -q "^golden .* pass$" "$D/$name.txt" || failed "$core $name: golden vectors did not pass on the device"
      record "$core" "$m" "$f" runtime "$D/$name.elf" "$D/$name.txt" "$verdict"
      # The generated kernel, when this run covers it.
      if [[ $quick == 0 || $m == digits || ($core == m4f && $f == f32) ]]; then
        swiftc "${swift_common[@]}" -target "$target" "${sflags[@]}" -DFIRMWARE_KERNEL -module-name Firmware -I "$D" \
          -c "${firmware_sources[@]}" "$W/blobs/$name.swift" -o "$D/fwk-$name.o"
        ld.lld --gc-sections "${ld[@]}" "$D/startup-$name.o" "$D/blob-$name.o" "$D/fwk-$name.o" "$D/FixedNet.o" "$libgcc" -o "$D/$name-kernel.elf"
        run_elf "$D/$name-kernel.elf" "$D/$name-kernel.txt" || true
        verdict=$("$H/compare" "$expect" "$D/$name-kernel.txt" exact) || failed "$core $name kernel: $verdict"
        record "$core" "$m" "$f" kernel "$D/$name-kernel.elf" "$D/$name-kernel.txt" "$verdict"
      fi
      # Plain C dense loops (Float32 blobs only), gcc -O2, newlib's expf/tanhf.
      if [[ $f == f32 && $quick == 0 ]]; then
        ld.lld --gc-sections "${ld[@]}" "$D/startup-$name.o" "$D/blob-$name.o" "$D/dense.o" "$libm" "$libgcc" -o "$D/$name-c.elf"
        run_elf "$D/$name-c.elf" "$D/$name-c.txt" || true
        verdict=$("$H/compare" "$expect" "$D/$name-c.txt" 1e-5) || failed "$core $name C baseline: $verdict"
        record "$core" "$m" "$f" "C -O2" "$D/$name-c.elf" "$D/$name-c.txt" "$verdict"
      fi
    done
  done
  note "$core: ran $(ls "$D"/*.txt | wc -l) firmwares"
  touch "$D/done"
}
# Two jobs at a time: the host harness, then each core (under --quick m7 goes
# last: it reruns the M4F's firmwares). A job that stops early is a failure.
job() { "$@" > "$W/runs/$1-$2.log" 2>&1 || failed "$*: stopped (see $W/runs/$1-$2.log)"; }
# rv32 first: its runtime takes the longest to compile.
ordered=$(for c in rv32 m4f m0 m7; do [[ " $cores " == *" $c "* && ($c != m7 || $quick == 0) ]] && echo "$c"; done
          [[ $quick == 0 || " $cores " != *" m7 "* ]] || echo m7)
if [[ $quick == 1 && " $cores " == *" m7 "* && " $cores " != *" m4f "* ]]; then
  echo "mcu-run: --quick runs the M4F's firmwares on the M7: add m4f to --cores" >&2; exit 64
fi
job host_harness all &
for core in $ordered; do
  while (( $(jobs -rp | wc -l) >= 2 )); do wait -n || true; done
  job run_core "$core" &
done
wait
cat "$W/runs/host_harness-all.log"; for core in $ordered; do cat "$W/runs/run_core-$core.log"; done

# ---- emlearn's eml_net (Cortex-M4F, digits, f32) ----
if [[ $emlearn == 1 && " $cores " == *" m4f "* ]]; then
  venv=$W/venv
  [[ -x $venv/bin/python ]] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q emlearn scikit-learn numpy > /dev/null; }
  core_setup m4f; D=$W/runs/m4f
  "$venv/bin/python" Examples/Firmware/baseline/gen_emlearn.py "$W/blobs/digits-f32.fnb" "$D/emlearn"
  inc=$("$venv/bin/python" -c 'import emlearn; print(emlearn.includedir)')
  $gcc "${gflags[@]}" -O2 -ffunction-sections -fdata-sections -I "$inc" -I "$D/emlearn" -I Examples/Firmware/baseline \
    -c Examples/Firmware/baseline/emlearn_main.c -o "$D/emlearn.o"
  ld.lld --gc-sections "${ld[@]}" "$D/startup-digits-f32.o" "$D/blob-digits-f32.o" "$D/emlearn.o" "$libm" "$libgcc" -o "$D/digits-f32-emlearn.elf"
  run_elf "$D/digits-f32-emlearn.elf" "$D/digits-f32-emlearn.txt" || true
  # emlearn stores weights printed with 6 decimals: compare within 1e-4.
  verdict=$("$H/compare" "$W/blobs/digits-f32.host.txt" "$D/digits-f32-emlearn.txt" 1e-4) || failed "m4f digits emlearn: $verdict"
  record m4f digits f32 "emlearn eml_net" "$D/digits-f32-emlearn.elf" "$D/digits-f32-emlearn.txt" "$verdict"
  note "emlearn peer ran"
fi

# ---- report ----
{
  echo "# scripts/mcu-run.sh $(date -u +%Y-%m-%d), host $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(qemu-system-arm --version | head -1)"
  echo
  echo "| core | model | format | what | validate instr | instr / prediction | stack (predict / since reset) | text | rodata | data + bss | outputs |"
  echo "|---|---|---|---|---:|---:|---|---:|---:|---:|---|"
  for core in $cores; do cat "$W/runs/$core/results.md"; done
  echo
  echo "Linked code for load + validate + predict (Embedded/Firmware.swift, --gc-sections, with libgcc and memset/memcpy):"
  echo
  echo "| core | runtime build | text | rodata |"
  echo "|---|---|---:|---:|"
  for core in $cores; do cat "$W/runs/$core/footprint.md"; done
} > "$W/report.md"
cat "$W/report.md"
if [[ -s $failures ]]; then echo "mcu-run: $(wc -l < "$failures") failure(s):"; cat "$failures"; exit 1; fi
note "done: every output bit-identical to the host"
