#!/usr/bin/env bash
# Seeds of the `extract` fuzz target (bytes claimed to be a PDF): the committed PDF
# fixtures, the target's regression inputs, and the robustness part of ../shared/corpus when
# it is present (or the folder given as the first argument, for a worktree that does not
# sit next to it). Files over 512 KiB are left out: they slow every execution down.
source "$(dirname "$0")/common.sh"
seed_dir extract
shared="${1:-../../shared}"
for dir in ../fixtures "$shared/corpus/robustness"; do
    if [ -d "$dir" ]; then
        find "$dir" -type f -name '*.pdf' -size -512k -exec cp {} corpus/extract/ \;
    else
        echo "seed: $dir absent, skipped" >&2
    fi
done
seed_done extract
