#!/usr/bin/env bash
# Seeds of the `office` fuzz target (bytes named .docx and .odt): the Word and ODT
# fixtures, small ZIP packages built by hostile.py (nested packages, huge entries, lying
# sizes, deep XML, odd encodings, many parts) and the target's regression inputs.
source "$(dirname "$0")/common.sh"
seed_dir office
copy_small ../fixtures corpus/office '*.docx' '*.odt'
python3 seed/hostile.py office corpus/office
seed_done office
