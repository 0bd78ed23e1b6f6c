#!/usr/bin/env bash
# Regenerates the committed test documents under fixtures/ and their ground truth under
# tests/groundtruth/ from the Dutch sources in scripts/fixture-src/.
#
# Run by hand after editing a source, then commit the results; CI never runs this (CI has
# only Rust, and the test suite reads the committed files). Safe to run again: it
# overwrites exactly the files it makes and nothing else. LibreOffice and Chromium stamp
# dates and ids into their output, so a re-run changes bytes but not text.
#
# Needs: python3, soffice (LibreOffice), pdflatex (TeX Live with babel-dutch, hyphenation
# patterns for Dutch and lmodern), chromium, ps2pdf and gs (Ghostscript), pdftoppm and
# pdfinfo (poppler-utils), qpdf.
#
# Usage: scripts/make-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."

missing=0
for tool in python3 soffice pdflatex chromium ps2pdf gs pdftoppm pdfinfo pdftotext qpdf; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "make-fixtures: '$tool' is needed but not installed" >&2
        missing=1
    fi
done
[ "$missing" = 0 ] || exit 2

src=scripts/fixture-src
render() { python3 "$src/render.py" "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# pdfTeX and Ghostscript honour these, which makes their output byte-for-byte repeatable.
export SOURCE_DATE_EPOCH=1735689600 FORCE_SOURCE_DATE=1 TZ=UTC

mkdir -p fixtures/bad fixtures/office tests/groundtruth
step() { printf '== %s\n' "$*"; }

# --- LibreOffice: HTML -> .docx, then .pdf and .odt from the .docx -----------------------
step "LibreOffice: schoolplan-libreoffice (.docx, .odt, .pdf)"
soffice_run() {
    # A private profile: no first-start dialogs, no clash with another running soffice.
    soffice -env:UserInstallation="file://$work/lo-profile" --headless --norestore "$@" \
        >"$work/soffice.log" 2>&1 || { cat "$work/soffice.log" >&2; exit 1; }
}
render html-office "$src/schoolplan-cultuureducatie.txt" >"$work/schoolplan-libreoffice.html"
soffice_run --infilter="HTML (StarWriter)" --convert-to 'docx:MS Word 2007 XML' \
    --outdir fixtures/office "$work/schoolplan-libreoffice.html"
soffice_run --convert-to pdf --outdir fixtures fixtures/office/schoolplan-libreoffice.docx
soffice_run --convert-to odt --outdir fixtures/office fixtures/office/schoolplan-libreoffice.docx
render groundtruth "$src/schoolplan-cultuureducatie.txt" >tests/groundtruth/schoolplan-libreoffice.txt

# --- pdfTeX: two columns, Dutch hyphenation, T1 fonts with ligatures ---------------------
step "pdfTeX: pilotverslag-pdftex-2kol"
render latex "$src/pilotverslag-open-leermateriaal.txt" >"$work/pilotverslag-pdftex-2kol.tex"
(cd "$work" && pdflatex -interaction=nonstopmode -halt-on-error pilotverslag-pdftex-2kol.tex \
    >pdflatex.log 2>&1) || { tail -30 "$work/pilotverslag-pdftex-2kol.log" >&2; exit 1; }
cp "$work/pilotverslag-pdftex-2kol.pdf" fixtures/
render groundtruth "$src/pilotverslag-open-leermateriaal.txt" \
    >tests/groundtruth/pilotverslag-pdftex-2kol.txt
# The fixture is only useful when TeX broke many words at line ends; say how many.
hyphenated=$(pdftotext -raw fixtures/pilotverslag-pdftex-2kol.pdf - | grep -cE '[[:alpha:]]-$' || true)
echo "   $hyphenated lines end in a hyphenated word"

# --- Chromium: print to PDF of a page with a header and CSS columns ----------------------
step "Chromium: aanvraag-chromium-kolommen"
render html-columns "$src/aanvraag-cultuurproject.txt" >"$work/aanvraag-chromium-kolommen.html"
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/chromium-profile" \
    --no-pdf-header-footer --print-to-pdf="$work/aanvraag-chromium-kolommen.pdf" \
    "file://$work/aanvraag-chromium-kolommen.html" >"$work/chromium.log" 2>&1 \
    || { cat "$work/chromium.log" >&2; exit 1; }
cp "$work/aanvraag-chromium-kolommen.pdf" fixtures/
render groundtruth "$src/aanvraag-cultuurproject.txt" >tests/groundtruth/aanvraag-chromium-kolommen.txt

# --- Ghostscript: ps2pdf of a PostScript program that sets its own text ------------------
step "Ghostscript: gemeenteverslag-ghostscript"
render postscript "$src/gemeenteverslag-cultuurmenu.txt" >"$work/gemeenteverslag.ps"
ps2pdf -sPAPERSIZE=a4 -dOmitInfoDate -dOmitID -dOmitXMP \
    "$work/gemeenteverslag.ps" fixtures/gemeenteverslag-ghostscript.pdf
render groundtruth "$src/gemeenteverslag-cultuurmenu.txt" >tests/groundtruth/gemeenteverslag-ghostscript.txt

# --- Encrypted with an owner password only: open without a password ----------------------
step "qpdf: owner-password-only copies (AES-256 and RC4-128)"
qpdf --encrypt "" eigenaar 256 -- fixtures/gemeenteverslag-ghostscript.pdf \
    fixtures/eigenaarswachtwoord-aes256.pdf
qpdf --allow-weak-crypto --encrypt "" eigenaar 128 --use-aes=n -- \
    fixtures/gemeenteverslag-ghostscript.pdf fixtures/eigenaarswachtwoord-rc4.pdf
cp tests/groundtruth/gemeenteverslag-ghostscript.txt tests/groundtruth/eigenaarswachtwoord-aes256.txt
cp tests/groundtruth/gemeenteverslag-ghostscript.txt tests/groundtruth/eigenaarswachtwoord-rc4.txt

# --- Plain text and Markdown -------------------------------------------------------------
step "text: zelfevaluatie-techniek-paginas.txt (form feeds), kwaliteitszorg-cultuur.md"
# A line '<<pagina>>' in the source becomes a form feed, the page separator of .txt input.
python3 - "$src/zelfevaluatie-techniek.txt" fixtures/zelfevaluatie-techniek-paginas.txt <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(text.replace("<<pagina>>\n", "\f"))
PY
cp "$src/kwaliteitszorg-cultuur.md" fixtures/kwaliteitszorg-cultuur.md

# --- Bad documents -----------------------------------------------------------------------
step "bad: scan without a text layer"
# Page 1 of the LibreOffice PDF rasterised at 100 dpi in greyscale, wrapped back into a PDF
# as one JPEG image per page, as a scanner would. (pdftoppm's -jpeg output is RGB even
# with -gray, so take the raw grey samples and let Ghostscript compress them.)
pdftoppm -f 1 -l 1 -singlefile -gray -scale-to-x 827 -scale-to-y 1169 \
    fixtures/schoolplan-libreoffice.pdf "$work/scan"
python3 - "$work/scan.pgm" "$work/scan.gray" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
# A binary PGM: "P5", width, height, maxval, each followed by one whitespace byte.
fields, pos = [], 0
while len(fields) < 4:
    while data[pos : pos + 1].isspace():
        pos += 1
    end = pos
    while not data[end : end + 1].isspace():
        end += 1
    fields.append(data[pos:end])
    pos = end
assert fields == [b"P5", b"827", b"1169", b"255"], fields
open(sys.argv[2], "wb").write(data[pos + 1 :])
PY
cat >"$work/scan.ps" <<PS
<< /AutoFilterGrayImages false /GrayImageFilter /DCTEncode /DownsampleGrayImages false
   /GrayImageDict << /QFactor 1.2 /Blend 1 /HSamples [1 1 1 1] /VSamples [1 1 1 1] >>
>> setdistillerparams
<< /PageSize [595 842] >> setpagedevice
595 842 scale
/DeviceGray setcolorspace
<< /ImageType 1 /Width 827 /Height 1169 /BitsPerComponent 8 /Decode [0 1]
   /ImageMatrix [827 0 0 -1169 0 1169] /DataSource ($work/scan.gray) (r) file >> image
showpage
PS
gs -q -dSAFER --permit-file-read="$work/" -sDEVICE=pdfwrite -dOmitInfoDate -dOmitID -dOmitXMP \
    -o fixtures/bad/scan-zonder-tekst.pdf "$work/scan.ps"
if [ -n "$(pdftotext fixtures/bad/scan-zonder-tekst.pdf - | tr -d '[:space:]')" ]; then
    echo "make-fixtures: the scan fixture has text; it must not" >&2
    exit 1
fi

step "bad: needs a user password"
qpdf --encrypt geheim eigenaar 256 -- fixtures/pilotverslag-pdftex-2kol.pdf fixtures/bad/wachtwoord.pdf

step "bad: cut off at 60 % of its length"
cut60() { head -c $(($(stat -c %s "$1") * 60 / 100)) "$1" >"$2"; }
# Ghostscript writes the content streams, the page tree and the font dictionaries (with
# their encodings) before the font programs, so the first 60 % still hold all the text;
# only the cross-reference table and some embedded font files are lost.
cut60 fixtures/gemeenteverslag-ghostscript.pdf fixtures/bad/afgebroken-60.pdf
cp tests/groundtruth/gemeenteverslag-ghostscript.txt tests/groundtruth/afgebroken-60.txt
# LibreOffice writes the page objects, the page tree and the catalog last: cut at 60 %,
# no page is reachable any more. This one pins "a row, not a crash".
cut60 fixtures/schoolplan-libreoffice.pdf fixtures/bad/afgebroken-60-libreoffice.pdf

step "bad: HTML saved as .pdf, and an empty .pdf"
cp "$work/aanvraag-chromium-kolommen.html" fixtures/bad/html-als-pdf.pdf
: >fixtures/bad/leeg.pdf

# --- Size budget: every file < 200 KB, fixtures/ < 2 MB ----------------------------------
step "sizes"
too_big=$(find fixtures -type f -size +199k)
if [ -n "$too_big" ]; then
    echo "make-fixtures: over 200 KB: $too_big" >&2
    exit 1
fi
total=$(du -sk fixtures | cut -f1)
echo "   fixtures/ is ${total} KB"
[ "$total" -lt 2048 ] || { echo "make-fixtures: fixtures/ is over 2 MB" >&2; exit 1; }

# --- Provenance -------------------------------------------------------------------------
step "fixtures/README"
v_soffice=$(soffice --version 2>/dev/null | sed -n 1p)
v_pdftex=$(pdflatex --version | sed -n 1p)
v_chromium=$(chromium --version 2>/dev/null | sed -n 1p)
v_gs="GPL Ghostscript $(gs --version)"
v_qpdf=$(qpdf --version | sed -n 1p)
v_poppler=$(pdftoppm -v 2>&1 | sed -n 1p)
cat >fixtures/README <<README
# Test documents

Written by \`scripts/make-fixtures.sh\` from the Dutch sources in \`scripts/fixture-src/\`;
do not edit by hand. The texts are our own, written for these tests in the style of Dutch
school plans, pilot reports and subsidy applications; schools, places and people are
invented. Everything here is small (each file < 200 KB) and committed, so \`cargo test\`
needs none of the tools below. The ground truth of every PDF made by a real producer is the
plain text it was made from, in reading order, in \`tests/groundtruth/<name>.txt\` (outside
this folder, so that scanning \`fixtures/\` does not count it twice);
\`scripts/score-extraction.py\` and \`tests/extraction_quality.rs\` compare against it.
A re-run of the script gives the same pdfTeX and Ghostscript files byte for byte; the
LibreOffice, Chromium and qpdf files change bytes (dates, ids, salts) but not text, so
commit them only after a source changed. Scanned documents for \`--ocr\` are in \`scans/\`,
made by \`scripts/make-scan-fixtures.sh\` (see \`scans/README\`).

Made on $(date -u +%Y-%m-%d) with:

- $v_soffice
- $v_pdftex, with babel-dutch, Dutch hyphenation patterns and lmodern
- $v_chromium
- $v_gs
- $v_qpdf
- $v_poppler (pdftoppm)

## Documents with text (status \`ok\`)

| file | made by | command (inputs made by \`render.py\` from the source) | what it pins |
| --- | --- | --- | --- |
| \`schoolplan-libreoffice.pdf\` | LibreOffice | HTML → \`soffice --convert-to docx\` → \`soffice --convert-to pdf\` | school plan section on cultuureducatie: SMART goals, an evaluation calendar table, owner (ICC'er), continuation; TrueType subsets with WinAnsi and ToUnicode, bullets from OpenSymbol |
| \`office/schoolplan-libreoffice.docx\`, \`office/schoolplan-libreoffice.odt\` | LibreOffice | the .docx above; \`soffice --convert-to odt\` of it | the same text as Word and ODF files, for the issue that reads office formats (not read by \`scan\` yet) |
| \`pilotverslag-pdftex-2kol.pdf\` | pdfTeX | \`pdflatex\` of a \`\\documentclass[twocolumn]{article}\` with \`[T1]{fontenc}\`, lmodern, \`[dutch]{babel}\` | pilot report on open leermateriaal with "na afloop van de subsidie" and a leermiddelencoördinator; two columns, about 40 words hyphenated at line ends (one in a heading, "Commons-licentie" at a hyphen), ligatures fi/fl/ff/ffi, Type 1 fonts; pdftotext mixes its columns |
| \`aanvraag-chromium-kolommen.pdf\` | Chromium | \`chromium --headless --no-pdf-header-footer --print-to-pdf\` of an HTML page with a full-width header and \`column-count: 2\` | subsidy application weak on borging: goals, but no evaluation, no owner, nothing after the subsidy; CID TrueType fonts (Identity-H); pdftotext mixes its columns |
| \`gemeenteverslag-ghostscript.pdf\` | Ghostscript | \`ps2pdf\` of a PostScript program that sets its own lines word by word | municipal report: every word placed by its own \`show\` without space glyphs (gaps make the spaces), a header and page number on each page, a table, bullets drawn as graphics, Latin-1 fonts through /Differences (ë, ö, and "-" as /minus), no ToUnicode |
| \`eigenaarswachtwoord-aes256.pdf\` | qpdf | \`qpdf --encrypt "" eigenaar 256 -- gemeenteverslag-ghostscript.pdf\` | owner password only, AES-256 (R6): opens without a password |
| \`eigenaarswachtwoord-rc4.pdf\` | qpdf | \`qpdf --allow-weak-crypto --encrypt "" eigenaar 128 --use-aes=n -- gemeenteverslag-ghostscript.pdf\` | owner password only, RC4 128-bit (R3): opens without a password |
| \`zelfevaluatie-techniek-paginas.txt\` | copied | source with \`<<pagina>>\` lines replaced by form feeds | three pages separated by \\f; negation ("Er wordt niet geëvalueerd", "Een eigenaar ontbreekt nog", "zonder doelstellingen", "nog niet vastgesteld") and false negation ("niet alleen ... maar ook", "geen doel op zich"); a line starting with \`=HYPERLINK(\` for CSV-injection guarding |
| \`kwaliteitszorg-cultuur.md\` | copied | as written | Markdown with a table and a list; diacritics and compounds (geëvalueerd, cultuurcoördinator, cultuurbeleidsplan, evaluatiemomenten, verbeteracties, vóór, continuïteit) |

## Bad documents (\`bad/\`)

| file | made by | command | expected |
| --- | --- | --- | --- |
| \`bad/scan-zonder-tekst.pdf\` | pdftoppm + Ghostscript | page 1 of \`schoolplan-libreoffice.pdf\` at 100 dpi grey (\`pdftoppm -gray\`), wrapped as one DCT image per page with \`gs -sDEVICE=pdfwrite\` | no text layer: \`no_text\` |
| \`bad/wachtwoord.pdf\` | qpdf | \`qpdf --encrypt geheim eigenaar 256 -- pilotverslag-pdftex-2kol.pdf\` | needs the user password \`geheim\`: \`encrypted\`; with \`--password geheim\` the pilot report |
| \`bad/afgebroken-60.pdf\` | head | \`head -c\` 60 % of \`gemeenteverslag-ghostscript.pdf\` | no cross-reference table or trailer, but the content streams, page tree and font dictionaries come before the cut (only font programs are lost): the text can be recovered after rebuilding the xref; ground truth as the original |
| \`bad/afgebroken-60-libreoffice.pdf\` | head | \`head -c\` 60 % of \`schoolplan-libreoffice.pdf\` | LibreOffice writes pages, page tree and catalog last: nothing reachable is left; a row (\`error\` or \`no_text\`), never a crash |
| \`bad/html-als-pdf.pdf\` | copied | the Chromium fixture's HTML source saved as .pdf | \`error\`: not a PDF, an HTML page |
| \`bad/leeg.pdf\` | \`:\` | an empty file | \`error\`: empty |
README

for pdf in fixtures/*.pdf; do
    printf '   %-45s %s pages, %s bytes\n' "$pdf" "$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')" \
        "$(stat -c %s "$pdf")"
done
echo "done; now check fixtures/README still describes every file, and commit"
