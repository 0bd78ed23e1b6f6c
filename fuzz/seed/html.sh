#!/usr/bin/env bash
# Seeds of the `html` fuzz target (bytes named .html): the HTML fixtures, pages built by
# hostile.py (deep and broken markup, formatting elements to reconstruct, foster parenting,
# form feeds in <pre>, entities, encodings, hidden elements) and the target's regression
# inputs.
source "$(dirname "$0")/common.sh"
seed_dir html
copy_small ../fixtures corpus/html '*.html' '*.htm'
python3 seed/hostile.py html corpus/html
seed_done html
