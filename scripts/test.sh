#!/usr/bin/env bash
# `npm test`: everything CI checks, in order, stopping at the first failure.
#   1 setup (incl. chromium)  2 build dist/  3 native tests  4 wasm tests in headless Chromium
#   5 size budget  6 end-to-end tests (Playwright + Debian's Chromium against `baton serve`)
set -Eeuo pipefail  # -E: the ERR trap that names the failing stage also fires inside functions
cd "$(dirname "$0")/.."
export PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"

logdir=$(mktemp -d "${TMPDIR:-/tmp}/baton-test.XXXXXX")
trap 'rm -rf "$logdir"' EXIT
passed=0
failed=0
t_all=$SECONDS

stage() {
  stage_name=$1
  stage_start=$SECONDS
  printf '\n==== %s ====\n' "$stage_name"
}
stage_done() { printf -- '---- %s: ok (%ss)\n' "$stage_name" "$((SECONDS - stage_start))"; }
on_err() { printf '\n==== FAILED: %s ====\n' "${stage_name:-setup}" >&2; }
trap on_err ERR

# Adds up the "test result: ok. N passed; M failed" lines cargo's test harnesses print.
count_cargo() {
  local p f
  read -r p f < <(awk '/^test result: /{ for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed;/) p += $i; if ($(i+1) ~ /^failed;/) f += $i } } END { print p + 0, f + 0 }' "$1")
  passed=$((passed + p))
  failed=$((failed + f))
}

stage "setup"
bash scripts/setup.sh --test
stage_done

stage "build (dist/)"
node scripts/build.mjs
stage_done

stage "native tests (cargo test --workspace)"
cargo test --workspace 2>&1 | tee "$logdir/native.log"
count_cargo "$logdir/native.log"
stage_done

stage "browser tests (wasm32 in headless Chromium)"
unset NO_HEADLESS
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-60}"
CHROMEDRIVER=/usr/bin/chromedriver cargo test -p baton --target wasm32-unknown-unknown 2>&1 | tee "$logdir/wasm.log"
count_cargo "$logdir/wasm.log"
stage_done

stage "size budget"
node scripts/size-budget.mjs
stage_done

shopt -s nullglob
e2e=(tests/e2e/*.test.mjs)
shopt -u nullglob
if [ ${#e2e[@]} -gt 0 ]; then
  stage "end-to-end tests (${#e2e[@]} files)"
  cargo build -p baton-server
  node --test --test-concurrency=1 --test-reporter=spec tests/e2e/ 2>&1 | tee "$logdir/e2e.log"
  p=$(sed -n 's/^ℹ pass \([0-9][0-9]*\)$/\1/p' "$logdir/e2e.log" | tail -n1)
  f=$(sed -n 's/^ℹ fail \([0-9][0-9]*\)$/\1/p' "$logdir/e2e.log" | tail -n1)
  if [ -n "$p" ] && [ -n "$f" ]; then
    passed=$((passed + p)); failed=$((failed + f))
  else
    passed=-1  # the summary was not found: do not claim a count
  fi
  stage_done
else
  printf '\n==== end-to-end tests: skipped (no tests/e2e/*.test.mjs) ====\n'
fi

printf '\nall stages passed in %ss\n' "$((SECONDS - t_all))"
if [ "$passed" -ge 0 ] && [ "$failed" -eq 0 ]; then
  echo "$passed passed, 0 failed"
fi
