#!/usr/bin/env bash
# Seeds of the `sniff` fuzz target (the same bytes under every name): one of every kind of
# fixture under 64 KiB (text, Markdown, HTML, RTF, Word, ODT, flat ODT, PDF, the bad ones),
# files on the edges of sniffing built by hostile.py (a PDF header after junk or after the
# first KiB, NUL and control bytes late in text, a bare ZIP or RTF magic), plus the target's
# regression inputs.
source "$(dirname "$0")/common.sh"
seed_dir sniff
copy_small ../fixtures corpus/sniff '*.txt' '*.md' '*.html' '*.rtf' '*.docx' '*.odt' '*.fodt' '*.pdf'
python3 seed/hostile.py sniff corpus/sniff
seed_done sniff
