#!/usr/bin/env bash
# Runs every fuzz target with libFuzzer (cargo-fuzz) for a bounded time each (default 60 s),
# seeded with the corpus sample, and copies any crashing input into fuzz/regressions/<target>/,
# which `cargo test` replays (tests/it/fuzz_regressions.rs).
#
#   fuzz/run.sh [SECONDS]
#
# cargo-fuzz needs nightly compiler flags; on the stable toolchain they are enabled with
# RUSTC_BOOTSTRAP=1. Sanitizers are off (-s none): the checks are papershelf's own properties.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
status=0
for target in frontmatter table summary slug render paths bibtex; do
  corpus=corpus/$target
  mkdir -p "$corpus" "artifacts/$target"
  cp -n ../tests/fixtures/corpus-sample/content/*.md "$corpus"/ 2>/dev/null || true
  cp -n regressions/$target/* "$corpus"/ 2>/dev/null || true
  echo "== $target: ${seconds}s"
  if ! cargo fuzz run -s none "$target" "$corpus" -- -max_total_time="$seconds" -max_len=65536 \
      -artifact_prefix="artifacts/$target/" -print_final_stats=1 2>&1 | tail -n 12; then
    status=1
  fi
  for crash in artifacts/$target/crash-* artifacts/$target/timeout-* artifacts/$target/oom-*; do
    [ -e "$crash" ] || continue
    cp "$crash" "regressions/$target/"
    echo "kept $crash as regressions/$target/$(basename "$crash")"
    status=1
  done
done
exit $status
