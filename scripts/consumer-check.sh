#!/usr/bin/env bash
# Proves FixedNet works as a versioned dependency: makes a temporary consumer
# package that depends on a clone of this repository with
#   .package(url: "file://…/FixedNet", from: "<version>")
# (the version in Sources/Compiler/Version.swift), builds it, and runs it on a
# bundled blob. A checkout without that tag (a CI clone made before the release
# is tagged) gets the tag in the temporary clone only, with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/.*current = "\(.*\)".*/\1/p' Sources/Compiler/Version.swift)
[[ -n $version ]] || { echo "consumer-check: no version in Sources/Compiler/Version.swift"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q . "$tmp/FixedNet"
if ! git -C "$tmp/FixedNet" rev-parse -q --verify "refs/tags/$version" > /dev/null; then
  echo "consumer-check: this checkout has no tag $version; tagging the temporary clone (tag the release in the repository)"
  git -C "$tmp/FixedNet" -c user.name=ci -c user.email=ci@localhost tag "$version"
fi
mkdir -p "$tmp/Consumer/Sources/Consumer"
cat > "$tmp/Consumer/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "Consumer",
    dependencies: [.package(url: "file://$tmp/FixedNet", from: "$version")],
    targets: [.executableTarget(name: "Consumer", dependencies: [.product(name: "FixedNet", package: "FixedNet")])]
)
SWIFT
cat > "$tmp/Consumer/Sources/Consumer/main.swift" <<'SWIFT'
import FixedNet
let model = try Model(contentsOfFile: CommandLine.arguments[1])
var workspace = Workspace(for: model)
let x: [Float] = [5.1, 3.5, 1.4, 0.2]
let c = x.withUnsafeBufferPointer { model.classify($0, workspace: &workspace) }
print("class \(model.label(c.index))")
SWIFT
swift build --package-path "$tmp/Consumer" -c release 2>&1 | tail -n 1
out=$("$tmp/Consumer/.build/release/Consumer" models/iris/model.fnb)
expected=$(printf '5.1,3.5,1.4,0.2\n' | "${FNC:-.build/debug/fnc}" predict models/iris/model.fnb 2>/dev/null || true)
echo "consumer-check: a package depending on FixedNet from: \"$version\" builds and predicts: $out"
if [[ -n $expected && $out != "class $expected" ]]; then echo "consumer-check: fnc predict says $expected"; exit 1; fi
