# Sourced by the seed scripts: `seed_dir TARGET` makes fuzz/corpus/TARGET and copies the
# target's regression inputs (fixtures/fuzz/TARGET) into it; `copy_small DIR PATTERN...`
# copies the files of DIR matching a pattern and under 64 KiB (the -max_len of the runs).
set -euo pipefail
cd "$(dirname "$0")/.."

seed_dir() {
    mkdir -p "corpus/$1"
    if [ -d "../fixtures/fuzz/$1" ]; then
        find "../fixtures/fuzz/$1" -type f -name '*.bin' -exec cp {} "corpus/$1/" \;
    fi
}

copy_small() {
    local dir=$1 out=$2
    shift 2
    for pattern in "$@"; do
        find "$dir" -path ../fixtures/fuzz -prune -o -type f -name "$pattern" -size -64k \
            -exec cp {} "$out/" \;
    done
}

seed_done() {
    echo "seed: $(find "corpus/$1" -type f | wc -l) files in fuzz/corpus/$1"
}
