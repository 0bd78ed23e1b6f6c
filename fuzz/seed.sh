#!/usr/bin/env bash
# Fills the (git-ignored) seed corpus of each fuzz target named (all when none is):
# fuzz/seed/<target>.sh writes fuzz/corpus/<target>. See README.md.
set -euo pipefail
cd "$(dirname "$0")"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(extract office html rtf sniff matcher)
for target in "${targets[@]}"; do
    "seed/$target.sh"
done
