#!/usr/bin/env bash
# `npm start`: install what is missing, build dist/, build the reference server and run it.
# The server listens on 127.0.0.1:$PORT (default 8080); extra arguments go to `baton serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"
bash scripts/setup.sh
node scripts/build.mjs
cargo build -p baton-server
exec target/debug/baton serve "$@"
