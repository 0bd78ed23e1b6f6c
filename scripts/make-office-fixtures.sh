#!/usr/bin/env bash
# Makes the office fixtures in fixtures/office/ with LibreOffice, from the flat-XML source
# fixtures/office/subsidieaanvraag.fodt (Dutch text written for these tests):
#   subsidieaanvraag.odt   LibreOffice Writer's own format
#   subsidieaanvraag.docx  LibreOffice's Word export
#   subsidieaanvraag.html  LibreOffice's HTML export
#   subsidieaanvraag.rtf   LibreOffice's RTF export
# and writes one hand-made page, schoolplan.html, with script, style and hidden content.
#
# Run by hand (needs soffice); CI does not: the generated files are committed.
#   bash scripts/make-office-fixtures.sh
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/fixtures/office"
command -v soffice >/dev/null || { echo "soffice (LibreOffice) is needed" >&2; exit 1; }

# A private profile, so a running LibreOffice or a first-start dialog cannot interfere.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

for target in odt docx:"MS Word 2007 XML" html:"HTML (StarWriter)" rtf:"Rich Text Format"; do
  soffice -env:UserInstallation="file://$profile" --headless \
    --convert-to "$target" --outdir "$out" "$out/subsidieaanvraag.fodt" >/dev/null
done

cat >"$out/schoolplan.html" <<'HTML'
<!DOCTYPE html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>Schoolplan – titel die niet in de tekst hoort</title>
  <style>body { font-family: sans-serif; } .verborgen { color: red; }</style>
  <script>var geheim = "scripttekst hoort er niet bij";</script>
</head>
<body>
  <header><nav><a href="#doelen">Doelen</a> · <a href="#evaluatie">Evaluatie</a></nav></header>
  <main>
    <h1>Schoolplan 2024&ndash;2028 van OBS De Wilgen</h1>
    <p>Onze <strong>doelen</strong> voor rekenen en taal staan in het jaarplan;
       de <em>intern begeleider</em> is verantwoordelijk voor de opbrengsten.</p>
    <h2 id="evaluatie">Evaluatie</h2>
    <p>Elk half jaar volgt een evaluatie van de resultaten met het team &amp; de MR.</p>
    <table>
      <tr><th>Doel</th><th>Eigenaar</th></tr>
      <tr><td>Begrijpend lezen</td><td>coördinator taal</td></tr>
    </table>
    <noscript>Zet JavaScript aan om dit te zien.</noscript>
    <template><p>sjabloontekst hoort er niet bij</p></template>
    <div hidden>verborgen tekst hoort er niet bij</div>
    <p>Na de pilot blijft de aanpak onderdeel van het schoolbeleid.</p>
  </main>
  <footer>Contact: directie@dewilgen.example</footer>
  <script>document.title = "nog meer scripttekst";</script>
</body>
</html>
HTML

ls -l "$out"
