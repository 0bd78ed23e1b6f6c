#!/usr/bin/env bash
# Runs fuzz targets one after the other for SECONDS each (default 960), with the limits of
# README.md and one fuzzing process at a time (the machine is shared):
#
#     fuzz/run.sh [SECONDS [TARGET...]]     # all targets when none is named
#
# `-fork=1` with `-ignore_crashes`, `-ignore_timeouts` and `-ignore_ooms` keeps a run going
# after a finding (each one lands in artifacts/<target>/), so one run shows them all
# instead of stopping at the first. The output is in logs/<target>.log; at the end of each
# run a line gives the executions, edges covered, corpus entries and findings of the last
# status line.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-960}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(office html rtf sniff matcher extract)
mkdir -p logs
for target in "${targets[@]}"; do
    args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    case $target in
        # Text: shorter inputs run more often; long words and runs of hyphens fit.
        matcher) args+=(-max_len=16384) ;;
        # Whole seed PDFs, as in the runs of issue 5.
        extract) ;;
        # ZIP seeds stay whole (a ZIP cut short loses its central directory).
        *) args+=(-max_len=65536) ;;
    esac
    echo "$target: $(date -u +%H:%M:%S) start, load $(cut -d' ' -f1-3 /proc/loadavg)"
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- "${args[@]}" \
        > "logs/$target.log" 2>&1 || echo "$target: libFuzzer exited with $?"
    echo "$target: $(date -u +%H:%M:%S) end, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$target: $(grep -E '^#[0-9]+: cov' "logs/$target.log" | tail -1)"
    echo "$target: findings: $(find "artifacts/$target" -type f 2>/dev/null | wc -l) in artifacts/$target"
done
