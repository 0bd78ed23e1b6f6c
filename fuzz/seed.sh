#!/usr/bin/env bash
# Fills the (git-ignored) seed corpus of the `extract` fuzz target: the committed fixtures,
# the regression inputs of earlier fuzz runs, and the robustness part of ../shared/corpus
# when it is present (or the folder given as the first argument, for a worktree that does
# not sit next to it). Files over 512 KiB are left out: they slow every execution down.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/extract
shared="${1:-../../shared}"
for dir in ../fixtures "$shared/corpus/robustness"; do
    if [ -d "$dir" ]; then
        find "$dir" -type f -name '*.pdf' -size -512k -exec cp {} corpus/extract/ \;
    else
        echo "seed: $dir absent, skipped" >&2
    fi
done
echo "seed: $(ls corpus/extract | wc -l) files in fuzz/corpus/extract"
