#!/usr/bin/env bash
# Installs whatever Baton's build and tests need and is missing; quick when everything is there.
#   scripts/setup.sh          wasm32 target, wasm-bindgen-cli (version from Cargo.lock), npm packages
#   scripts/setup.sh --test   also Debian's chromium and chromium-driver (browser and e2e tests)
# Idempotent, non-interactive (works with CI=true and no stdin). Assumes rustup/cargo, node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

# cargo installs binaries into ~/.cargo/bin; a fresh non-login shell may not have it on PATH.
if ! command -v cargo >/dev/null 2>&1 && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi
command -v cargo >/dev/null 2>&1 || die "cargo not found (install Rust with rustup first)"
command -v node >/dev/null 2>&1 || die "node not found (Node >= 20 is required)"
command -v npm >/dev/null 2>&1 || die "npm not found"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node >= 20 is required (found $(node --version))"

# --- Rust target for the widget -------------------------------------------------------------
# Looking in the sysroot is much quicker than asking rustup.
sysroot=$(rustc --print sysroot)
if [ ! -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]; then
  command -v rustup >/dev/null 2>&1 || die "the wasm32-unknown-unknown target is missing and rustup is not available"
  say "installing the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The wasm build rebuilds std for size (scripts/build.mjs), which needs the standard library's
# source.
if [ ! -d "$sysroot/lib/rustlib/src/rust/library" ]; then
  command -v rustup >/dev/null 2>&1 || die "the rust-src component is missing and rustup is not available"
  say "installing the Rust component rust-src"
  rustup component add rust-src
fi

# --- wasm-bindgen-cli at exactly the version in Cargo.lock ------------------------------------
# The CLI must match the wasm-bindgen crate the module was built with, byte for byte.
wb_version=$(awk '
  /^\[\[package\]\]/ { in_wb = 0 }
  /^name = "wasm-bindgen"$/ { in_wb = 1; next }
  in_wb && /^version = / { gsub(/"/, "", $3); print $3; exit }
' Cargo.lock)
[ -n "$wb_version" ] || die "no wasm-bindgen package entry in Cargo.lock"

have_wb=""
if command -v wasm-bindgen >/dev/null 2>&1; then
  have_wb=$(wasm-bindgen --version | awk '{print $2}')
fi
if [ "$have_wb" != "$wb_version" ] || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  say "installing wasm-bindgen-cli $wb_version (found: ${have_wb:-none}; takes a few minutes, once)"
  # --locked can fail when the registry index lacks a dependency pinned in the CLI's own lockfile.
  if ! cargo install wasm-bindgen-cli --version "$wb_version" --locked --force; then
    say "retrying without --locked"
    cargo install wasm-bindgen-cli --version "$wb_version" --force
  fi
  got=$(wasm-bindgen --version | awk '{print $2}')
  [ "$got" = "$wb_version" ] || die "wasm-bindgen on PATH is $got, expected $wb_version (is ~/.cargo/bin first on PATH?)"
fi

# --- npm packages (binaryen's wasm-opt, terser, playwright-core, ...) -------------------------
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

# --- Chromium and chromedriver from Debian, for the browser and end-to-end tests ---------------
if [ "$want_test" = 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  if [ "$(id -u)" = 0 ]; then
    as_root=(env DEBIAN_FRONTEND=noninteractive)
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
  else
    die "chromium/chromium-driver are missing and neither root nor sudo is available: apt-get install chromium chromium-driver"
  fi
  command -v apt-get >/dev/null 2>&1 || die "chromium/chromedriver missing and apt-get not available (Debian 12 expected)"
  say "installing chromium and chromium-driver (apt-get)"
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" apt-get install -y -q chromium chromium-driver
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || die "chromium install did not produce /usr/bin/chromium and /usr/bin/chromedriver"
fi

exit 0
