#!/usr/bin/env bash
# Seeds of the `matcher` fuzz target (text as pages, split at form feeds): the text of every
# fixture as `borging extract` prints it (release build of the repository, made if absent),
# every example sentence of rules/borging.toml, and pages built by hostile.py (long words,
# thousands of hyphens, combining marks, bidi controls, private-use glyphs, one-character
# pages), plus the target's regression inputs.
source "$(dirname "$0")/common.sh"
seed_dir matcher
(cd .. && cargo build --release --quiet)
find ../fixtures -path ../fixtures/fuzz -prune -o -type f -print | while read -r file; do
    name=$(basename "$file")
    case "$name" in README) continue ;; esac
    ../target/release/borging extract "$file" > "corpus/matcher/text-$name.txt" 2>/dev/null || true
    # Keep only what extracted to something, and under the run's -max_len.
    if [ ! -s "corpus/matcher/text-$name.txt" ]; then rm -f "corpus/matcher/text-$name.txt"; fi
    truncate -s '<64K' "corpus/matcher/text-$name.txt" 2>/dev/null || true
done
python3 seed/hostile.py matcher corpus/matcher
seed_done matcher
