#!/usr/bin/env bash
# Seeds of the `rtf` fuzz target (bytes named .rtf): the RTF fixture, files built by
# hostile.py (deep groups, huge and negative \binN, unknown control words, broken \u and
# \'xx, skipped destinations, storms of \tab and \page, control bytes) and the target's
# regression inputs.
source "$(dirname "$0")/common.sh"
seed_dir rtf
copy_small ../fixtures corpus/rtf '*.rtf'
python3 seed/hostile.py rtf corpus/rtf
seed_done rtf
