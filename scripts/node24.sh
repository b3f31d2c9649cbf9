#!/usr/bin/env bash
# Node 24 LTS for building, testing and serve mode, taken from the npm registry (the
# node-<os>-<cpu> packages carry bin/node and the headers node-gyp needs; no npm inside:
# the system npm runs under it once it is first on PATH). Unpacked once into
# .tools/node-v<version>/ inside the checkout (gitignored) and reused after that.
#
#   bash scripts/node24.sh          prints the bin dir (fetching Node first if needed)
#   source scripts/node24.sh        also puts it first on PATH and sets npm_config_nodedir
#                                   (native modules then build against its headers, offline)
#
# FLEETDECK_NODE_VERSION picks another 24.x (default below). Needs a system npm (any Node).

fd_node24() {
  local version="${FLEETDECK_NODE_VERSION:-24.22.3}"
  local here root os cpu dir tmp tgz got
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  root="$(dirname "$here")"
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "node24: no registry build for $(uname -s); install Node 24 LTS from nodejs.org" >&2; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) cpu=x64 ;;
    aarch64 | arm64) cpu=arm64 ;;
    *) echo "node24: no registry build for $(uname -m)" >&2; return 1 ;;
  esac
  case "$version" in
    24.*) ;;
    *) echo "node24: FLEETDECK_NODE_VERSION=$version is not a 24.x" >&2; return 1 ;;
  esac
  dir="$root/.tools/node-v$version-$os-$cpu"
  if [ ! -x "$dir/bin/node" ]; then
    command -v npm >/dev/null || { echo "node24: npm is needed to fetch node-$os-$cpu@$version" >&2; return 1; }
    echo "node24: fetching node-$os-$cpu@$version from the npm registry into ${dir#"$root"/}" >&2
    mkdir -p "$root/.tools"
    tmp="$(mktemp -d "$root/.tools/fetch.XXXXXX")" || return 1
    if ! tgz="$(cd "$tmp" && npm pack --silent "node-$os-$cpu@$version" --pack-destination "$tmp")"; then
      rm -rf "$tmp"; echo "node24: npm pack node-$os-$cpu@$version failed" >&2; return 1
    fi
    if ! tar -xzf "$tmp/$(basename "$tgz" | tail -n 1)" -C "$tmp"; then
      rm -rf "$tmp"; echo "node24: unpacking $tgz failed" >&2; return 1
    fi
    rm -rf "$dir"
    mv "$tmp/package" "$dir"
    rm -rf "$tmp"
  fi
  got="$("$dir/bin/node" --version 2>/dev/null || true)"
  case "$got" in
    v24.*) ;;
    *) echo "node24: $dir/bin/node reports '${got:-nothing}', not v24 (delete .tools/ and retry)" >&2; return 1 ;;
  esac
  [ -f "$dir/include/node/common.gypi" ] || { echo "node24: $dir has no include/node headers" >&2; return 1; }
  FD_NODE24_BIN="$dir/bin"
  FD_NODE24_DIR="$dir"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: change the caller's environment, never its shell options.
  if fd_node24; then
    case ":$PATH:" in *":$FD_NODE24_BIN:"*) ;; *) export PATH="$FD_NODE24_BIN:$PATH" ;; esac
    export npm_config_nodedir="$FD_NODE24_DIR"
    hash -r 2>/dev/null || true
    echo "node24: $(node --version) from $FD_NODE24_BIN" >&2
  else
    return 1
  fi
else
  set -euo pipefail
  fd_node24
  echo "$FD_NODE24_BIN"
fi
