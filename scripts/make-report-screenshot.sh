#!/usr/bin/env bash
# Makes docs/rapport-fixtures.png, the screenshot of the HTML report in README.md: the
# report of the bundled fixtures (with the per-folder view), rendered by headless Chromium.
#
# Run by hand after a change to the report's look (needs chromium); the PNG is committed.
#   bash scripts/make-report-screenshot.sh
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
command -v chromium >/dev/null || { echo "chromium is needed (apt-get install chromium)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$here"
cargo build --release --quiet
target/release/borging scan fixtures -o "$work/documenten.csv" --summary "$work/pilots.csv" \
  --html "$work/rapport.html" --no-progress

# A fresh profile and no background traffic: the page itself loads nothing.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --disable-background-networking --disable-component-update --disable-sync --no-first-run \
  --user-data-dir="$work/profiel" --window-size=1280,1250 \
  --screenshot="$here/docs/rapport-fixtures.png" "file://$work/rapport.html" 2>/dev/null
echo "wrote docs/rapport-fixtures.png"
