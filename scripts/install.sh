#!/usr/bin/env bash
# Builds fnc the way the README recommends (release, static Swift runtime: the
# fastest start-up) and copies it onto PATH.
#   scripts/install.sh [PREFIX]        (default ~/.local; the binary goes to PREFIX/bin/fnc)
#   FNC_NATIVE=1 scripts/install.sh    (also -target-cpu native: faster kernels, this CPU only)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-$HOME/.local}
flags=(-c release --static-swift-stdlib --product fnc --scratch-path .build-install)
if [[ ${FNC_NATIVE:-0} == 1 ]]; then flags+=(-Xswiftc -target-cpu -Xswiftc native -Xswiftc -DFIXEDNET_CPU_NATIVE); fi
echo "==> swift build ${flags[*]}"
swift build "${flags[@]}"
mkdir -p "$prefix/bin"
install -m 755 .build-install/release/fnc "$prefix/bin/fnc"
echo "installed $prefix/bin/fnc ($("$prefix/bin/fnc" --version))"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "note: $prefix/bin is not on PATH; add it: export PATH=\"$prefix/bin:\$PATH\"" ;; esac
