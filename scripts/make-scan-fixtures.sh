#!/usr/bin/env bash
# Regenerates the scanned test documents under fixtures/scans/ (for --ocr) and their
# ground truth under tests/groundtruth/ocr/ from the Dutch sources scripts/fixture-src/scan-*.txt.
#
# Each source is one page. Ghostscript sets it as a text PDF (the PostScript of render.py,
# as for gemeenteverslag-ghostscript.pdf); pdftoppm rasterises that page the way a
# scanner's sensor would see it; ImageMagick makes it look scanned (grey, a slight skew and
# noise, or bilevel) and encodes it (JPEG, CCITT G4); img2pdf wraps the encoded image in a
# PDF without re-encoding it, as scanner software does; qpdf sets /Rotate and assembles the
# mixed document. The results have no text layer, except the text pages of the bundle.
#
# Run by hand after editing a source, then commit the results; CI never runs this.
# Needs: python3, gs, pdftoppm and pdfinfo (poppler-utils), convert (ImageMagick), img2pdf,
# qpdf, pdfimages.
#
# Usage: scripts/make-scan-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."

missing=0
for tool in python3 gs pdftoppm pdfinfo pdfimages convert img2pdf qpdf; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "make-scan-fixtures: '$tool' is needed but not installed" >&2
        missing=1
    fi
done
[ "$missing" = 0 ] || exit 2

src=scripts/fixture-src
out=fixtures/scans
truth=tests/groundtruth/ocr
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1735689600 FORCE_SOURCE_DATE=1 TZ=UTC
mkdir -p "$out" "$truth"
step() { printf '== %s\n' "$*"; }

# A one-page text PDF and the ground truth of every source.
for name in aanvraag-muziek schoolplan-lezen besluit-gemeente; do
    python3 "$src/render.py" postscript "$src/scan-$name.txt" >"$work/$name.ps"
    gs -q -dSAFER -sDEVICE=pdfwrite -dOmitInfoDate -dOmitID -dOmitXMP \
        -o "$work/$name.pdf" "$work/$name.ps"
    pages=$(pdfinfo "$work/$name.pdf" | awk '/^Pages:/ {print $2}')
    [ "$pages" = 1 ] || { echo "make-scan-fixtures: $name is $pages pages, not 1" >&2; exit 1; }
    python3 "$src/render.py" groundtruth "$src/scan-$name.txt" >"$work/$name.txt"
done

# `scan NAME DPI` rasterises the text PDF NAME to grey pixels at DPI: $work/NAME-DPI.pgm.
scan() { pdftoppm -r "$2" -gray -singlefile "$work/$1.pdf" "$work/$1-$2"; }

step "clean JPEG scan: aanvraag-jpeg-schoon.pdf (200 dpi grey)"
scan aanvraag-muziek 200
convert "$work/aanvraag-muziek-200.pgm" -density 200 -units PixelsPerInch \
    -quality 45 "$work/aanvraag-schoon.jpg"
img2pdf --pagesize A4 -o "$out/aanvraag-jpeg-schoon.pdf" "$work/aanvraag-schoon.jpg"
cp "$work/aanvraag-muziek.txt" "$truth/aanvraag-jpeg-schoon.txt"

step "skewed grey JPEG scan: schoolplan-jpeg-scheef-150dpi.pdf"
# A page laid 1.5 degrees askew on the glass, a little blur and sensor noise.
scan schoolplan-lezen 150
convert "$work/schoolplan-lezen-150.pgm" -background white -rotate 1.5 \
    -gravity center -extent 1240x1754 -blur 0x0.5 -seed 11 -attenuate 0.25 +noise Gaussian \
    -colorspace Gray -density 150 -units PixelsPerInch -quality 50 "$work/schoolplan-scheef.jpg"
img2pdf --pagesize A4 -o "$out/schoolplan-jpeg-scheef-150dpi.pdf" "$work/schoolplan-scheef.jpg"
cp "$work/schoolplan-lezen.txt" "$truth/schoolplan-jpeg-scheef-150dpi.txt"

step "CCITT G4 bilevel scan: besluit-ccitt-g4.pdf (300 dpi)"
scan besluit-gemeente 300
convert "$work/besluit-gemeente-300.pgm" -threshold 55% -density 300 -units PixelsPerInch \
    -compress Group4 "$work/besluit-g4.tif"
img2pdf --pagesize A4 -o "$out/besluit-ccitt-g4.pdf" "$work/besluit-g4.tif"
cp "$work/besluit-gemeente.txt" "$truth/besluit-ccitt-g4.txt"

step "JPEG scan stored sideways with /Rotate 90: besluit-jpeg-gedraaid.pdf"
# The scanner stored the page lying on its side; /Rotate turns it upright in a viewer.
scan besluit-gemeente 200
convert "$work/besluit-gemeente-200.pgm" -rotate -90 -density 200 -units PixelsPerInch \
    -quality 50 "$work/besluit-zijkant.jpg"
img2pdf -o "$work/besluit-zijkant.pdf" "$work/besluit-zijkant.jpg"
qpdf "$work/besluit-zijkant.pdf" --rotate=+90:1 "$out/besluit-jpeg-gedraaid.pdf"
cp "$work/besluit-gemeente.txt" "$truth/besluit-jpeg-gedraaid.txt"

step "mixed: bundel-gemengd.pdf (text, scanned JPEG, text)"
# An application bundle: the letter and the decision have text, the school plan page
# between them was scanned. Ground truth is the scanned page's.
scan schoolplan-lezen 200
convert "$work/schoolplan-lezen-200.pgm" -density 200 -units PixelsPerInch -quality 45 \
    "$work/schoolplan-200.jpg"
img2pdf --pagesize A4 -o "$work/schoolplan-scan.pdf" "$work/schoolplan-200.jpg"
qpdf --empty --pages "$work/aanvraag-muziek.pdf" "$work/schoolplan-scan.pdf" \
    "$work/besluit-gemeente.pdf" -- "$out/bundel-gemengd.pdf"
cp "$work/schoolplan-lezen.txt" "$truth/bundel-gemengd.txt"
# The text pages' own ground truth, for the test that they stay as they were.
cp "$work/aanvraag-muziek.txt" "$truth/bundel-gemengd-p1.txt"
cp "$work/besluit-gemeente.txt" "$truth/bundel-gemengd-p3.txt"

step "checks"
for pdf in aanvraag-jpeg-schoon schoolplan-jpeg-scheef-150dpi besluit-ccitt-g4 besluit-jpeg-gedraaid; do
    if [ -n "$(pdftotext "$out/$pdf.pdf" - | tr -d '[:space:]')" ]; then
        echo "make-scan-fixtures: $pdf has a text layer; a scan must not" >&2
        exit 1
    fi
done
pdfimages -list "$out/besluit-ccitt-g4.pdf" | grep -q ccitt \
    || { echo "make-scan-fixtures: the G4 image was re-encoded" >&2; exit 1; }
too_big=$(find "$out" -type f -size +199k)
[ -z "$too_big" ] || { echo "make-scan-fixtures: over 200 KB: $too_big" >&2; exit 1; }
ls -l "$out"

step "fixtures/scans/README"
cat >"$out/README" <<README
# Scanned test documents (for \`--ocr\`)

Written by \`scripts/make-scan-fixtures.sh\` from our own Dutch texts
\`scripts/fixture-src/scan-*.txt\`; do not edit by hand. Each text is set as a one-page
PDF by Ghostscript, rasterised by pdftoppm, made to look scanned and encoded by
ImageMagick, and wrapped without re-encoding by img2pdf (as scanner software does); qpdf
sets \`/Rotate\` and assembles the bundle. Ground truth: \`tests/groundtruth/ocr/\`.
Without \`--ocr\` every file here but the bundle is \`no_text\`.

| file | what it pins |
| --- | --- |
| \`aanvraag-jpeg-schoon.pdf\` | clean scan: one grey JPEG (DCTDecode) at 200 dpi filling an A4 page; passed to Tesseract as it is |
| \`schoolplan-jpeg-scheef-150dpi.pdf\` | grey JPEG at 150 dpi, 1.5° askew, blurred and noisy |
| \`besluit-ccitt-g4.pdf\` | bilevel 300 dpi CCITT G4 (CCITTFaxDecode, K -1): wrapped in a TIFF for Tesseract |
| \`besluit-jpeg-gedraaid.pdf\` | JPEG stored lying on its side, page \`/Rotate 90\`: decoded and turned upright before OCR |
| \`bundel-gemengd.pdf\` | three pages: text, a 200 dpi JPEG scan, text; only page 2 is read by OCR, pages 1 and 3 keep their text (\`bundel-gemengd-p1.txt\`, \`-p3.txt\`) |

Made on $(date -u +%Y-%m-%d) with GPL Ghostscript $(gs --version), $(pdftoppm -v 2>&1 | sed -n 1p),
$(convert -version | sed -n 1p | cut -d' ' -f2-3), img2pdf $(img2pdf --version | awk '{print $2}'),
$(qpdf --version | sed -n 1p).
README
