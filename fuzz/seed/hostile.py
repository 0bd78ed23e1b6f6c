#!/usr/bin/env python3
"""Writes hostile seed inputs for one fuzz target of borging into a folder.

    hostile.py office|html|rtf|matcher|sniff OUTDIR

Each seed is small (under 64 KiB, the -max_len of the runs in fuzz/README.md) and aims at
one edge of a reader: nested and huge ZIP entries, deep XML, odd encodings for the office
readers; deep groups, huge \\binN, unknown control words and broken \\u for RTF; deep and
broken markup for HTML; long words, runs of hyphens, combining marks, bidi controls,
private-use glyphs and one-character pages for the matcher. The Dutch text is our own.
"""

import io
import os
import struct
import sys
import tomllib
import zipfile
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
LIMIT = 64 * 1024

ZINN = (
    "De school evalueert jaarlijks de doelstellingen van het cultuurbeleidsplan; "
    "de ICC'er is verantwoordelijk voor de borging na afloop van de subsidie."
)
NEG = "Er wordt niet geëvalueerd en een eigenaar ontbreekt nog."


def write(outdir, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > LIMIT:
        raise SystemExit(f"seed {name} is {len(data)} bytes, over {LIMIT}")
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(data)


def package(entries, compression=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries:
            if isinstance(data, str):
                data = data.encode("utf-8")
            z.writestr(zipfile.ZipInfo(name) if compression == zipfile.ZIP_STORED else name, data)
    return buf.getvalue()


# --- office ------------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)
TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def para(text):
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def docx_xml(body):
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W} {MC}><w:body>{body}</w:body></w:document>'


def docx(body, extra=()):
    return package([("[Content_Types].xml", TYPES), ("word/document.xml", docx_xml(body)), *extra])


def odt_xml(body, styles=""):
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF}>'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )


def odt(body, styles="", extra=()):
    entries = [
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", odt_xml(body, styles)),
        *extra,
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, (name, data) in enumerate(entries):
            # The mimetype entry is stored, as ODF wants; the rest deflated.
            kind = zipfile.ZIP_STORED if i == 0 else zipfile.ZIP_DEFLATED
            z.writestr(zipfile.ZipInfo(name) if i == 0 else name, data, compress_type=kind)
    return buf.getvalue()


def set_sizes(data, size):
    """Rewrites the uncompressed size of every entry, local and central, to `size`."""
    data = bytearray(data)
    i = 0
    while (i := data.find(b"PK\x03\x04", i)) >= 0:
        struct.pack_into("<I", data, i + 22, size)
        i += 4
    i = 0
    while (i := data.find(b"PK\x01\x02", i)) >= 0:
        struct.pack_into("<I", data, i + 24, size)
        i += 4
    return bytes(data)


def office(out):
    breaks = "".join(
        para(f"Pagina {i}: {ZINN}") + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' for i in range(40)
    )
    table = (
        "<w:tbl><w:tr><w:tc>" + para("Doel") + "</w:tc><w:tc>" + para("Wie") + "</w:tc></w:tr>"
        "<w:tr><w:tc><w:tbl><w:tr><w:tc>" + para("binnen") + "</w:tc></w:tr></w:tbl></w:tc>"
        "<w:tc>" + para("ICC'er") + "</w:tc></w:tr></w:tbl>"
    )
    hdr = f"<w:hdr {W}>" + para("Schoolplan 2024-2028") + "</w:hdr>"
    ftr = f"<w:ftr {W}>" + para("pagina") + "</w:ftr>"
    notes = f"<w:footnotes {W}><w:footnote w:id=\"1\">" + para(NEG) + "</w:footnote></w:footnotes>"
    write(out, "docx-breaks-tables-parts.docx", docx(
        para(ZINN) + table + breaks,
        [("word/header1.xml", hdr), ("word/header10.xml", hdr), ("word/footer2.xml", ftr),
         ("word/footnotes.xml", notes), ("word/endnotes.xml", notes)],
    ))
    write(out, "docx-alternate-content.docx", docx(
        "<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>keuze</w:t></mc:Choice>"
        "<mc:Fallback><w:t>terugval</w:t></mc:Fallback></mc:AlternateContent></w:r>"
        "<w:r><w:tab/><w:noBreakHyphen/><w:softHyphen/><w:delText>weg</w:delText>"
        "<w:instrText>HYPERLINK</w:instrText><w:t>eva\u00adluatie</w:t></w:r>"
        "<w:pPr><w:pageBreakBefore/><w:sectPr><w:type w:val=\"nextPage\"/></w:sectPr></w:pPr></w:p>"
        "<w:moveFrom><w:r><w:t>verplaatst</w:t></w:r></w:moveFrom>"
        + para("<![CDATA[ruwe <tekst>]]> &amp; &#x20AC; &#233; &unknown;")
    ))
    # Nested: a package inside a package, and a ZIP whose only entry is a ZIP.
    inner = docx(para("binnenste document"))
    write(out, "nested-package.docx", docx(para(ZINN), [("word/embeddings/inner.docx", inner)]))
    write(out, "nested-zip-only.docx", package([("inner.docx", inner)]))
    write(out, "nested-odt-in-docx.docx", docx(para(ZINN), [("content.xml", odt_xml("<text:p>odt</text:p>"))]))
    # Huge entries: MiBs of spaces or one long word, deflated to a few KiB (small enough
    # that an instrumented build reads them within a second or two); and a package whose
    # headers lie about the sizes.
    spaces = " " * (512 << 10)
    write(out, "huge-spaces.docx", docx(para("begin") + "<w:p><w:r><w:t>" + spaces + "</w:t></w:r></w:p>" + para("eind")))
    word = "evaluatie" * (32 << 10)
    write(out, "huge-word.odt", odt(f"<text:p>{word}</text:p>"))
    write(out, "huge-tabs.odt", odt("<text:p>" + "<text:tab/>" * 20_000 + "</text:p>" + "<text:soft-page-break/>" * 3))
    write(out, "many-spaces-elements.odt", odt("<text:p>" + '<text:s text:c="1000"/>' * 500 + "x</text:p>"))
    write(out, "breaks-after-blank.docx", docx("<w:p><w:r><w:t>" + " " * 200_000 + "</w:t>" + "<w:lastRenderedPageBreak/>" * 5_000 + "</w:r></w:p>" + para("tekst")))
    write(out, "sizes-lie-small.docx", set_sizes(docx(para(ZINN * 50)), 10))
    write(out, "sizes-lie-huge.docx", set_sizes(docx(para(ZINN)), 0xFFFFFFFF))
    write(out, "stored-entries.docx", package(
        [("[Content_Types].xml", TYPES), ("word/document.xml", docx_xml(para(ZINN)))], zipfile.ZIP_STORED))
    # Deep XML: just under the bound, over it, and deep inside a skipped element.
    write(out, "deep-511.docx", docx("<w:p>" * 509 + "<w:r><w:t>diep</w:t></w:r>" + "</w:p>" * 509))
    write(out, "deep-100000.docx", docx("<w:p>" * 100_000 + "</w:p>" * 100_000))
    write(out, "deep-unclosed.odt", odt("<text:span>" * 50_000))
    write(out, "deep-skipped.docx", docx("<w:moveFrom>" + "<w:r>" * 20_000 + "</w:r>" * 20_000 + "</w:moveFrom>" + para("na")))
    write(out, "deep-tables.odt", odt("<table:table><table:table-row><table:table-cell>" * 160 + "<text:p>cel</text:p>" + "</table:table-cell></table:table-row></table:table>" * 160))
    # Odd encodings.
    write(out, "utf16-document.docx", package([("word/document.xml", ("\ufeff" + docx_xml(para(ZINN))).encode("utf-16-le"))]))
    write(out, "bom-document.docx", package([("word/document.xml", b"\xef\xbb\xbf" + docx_xml(para(ZINN)).encode())]))
    write(out, "latin1-declared.odt", package([
        ("content.xml", odt_xml("<text:p>co\xf6rdinator</text:p>").replace('encoding="UTF-8"', 'encoding="windows-1252"').encode("latin-1"))]))
    write(out, "char-refs.odt", odt("<text:p>&#0; &#xD800; &#x10FFFF; &#12; &#x202E;gnirob&#x202C; &#65279;x&#173;y</text:p>"))
    write(out, "entity-bomb.docx", package([("word/document.xml",
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + f']><w:document {W}><w:body>' + para("&j;") + "</w:body></w:document>")]))
    names = zipfile.ZipInfo("word/document.xml")
    names.flag_bits |= 0x800
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(names, docx_xml(para(ZINN)))
        z.writestr("word/header\u00e9\u00eb.xml", f"<w:hdr {W}>" + para("kop") + "</w:hdr>")
        z.writestr("word/../../header1.xml", f"<w:hdr {W}>" + para("pad") + "</w:hdr>")
    write(out, "odd-entry-names.docx", buf.getvalue())
    # Many parts: headers, entries, pages.
    write(out, "many-headers.docx", docx(para(ZINN), [(f"word/header{i}.xml", f"<w:hdr {W}>" + para(f"kop {i % 7}") + "</w:hdr>") for i in range(200)]))
    write(out, "many-pages.odt", odt("<text:p>a</text:p><text:soft-page-break/>" * 5_000))
    # ODT with styles: master pages, break styles, notes, frames, annotations.
    styles = (
        f'<office:document-styles {ODF}><office:styles><style:style style:name="Brk">'
        '<style:paragraph-properties fo:break-before="page" fo:break-after="page"/></style:style></office:styles>'
        '<office:master-styles><style:master-page style:name="S"><style:header><text:p>Kop</text:p></style:header>'
        '<style:footer-left><text:p>Voet</text:p></style:footer-left></style:master-page></office:master-styles></office:document-styles>'
    )
    write(out, "odt-styles-notes.odt", odt(
        '<text:h>Doelen</text:h><text:p text:style-name="Brk">' + ZINN + '<text:note><text:note-citation>1</text:note-citation>'
        '<text:note-body><text:p>' + NEG + '</text:p></text:note-body></text:note></text:p>'
        '<text:list><text:list-item><text:p>punt<text:line-break/>twee<text:s text:c="-5"/>x<text:s text:c="99999999999"/></text:p></text:list-item></text:list>'
        '<office:annotation><text:p>commentaar</text:p></office:annotation><svg:title>titel</svg:title>'
        '<text:tracked-changes><text:p>weg</text:p></text:tracked-changes>',
        extra=[("styles.xml", styles)]))
    write(out, "odt-spreadsheet.odt", package([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", odt_xml(""))]))
    write(out, "empty-zip.docx", package([]))
    write(out, "no-main-part.docx", package([("word/other.xml", "<x/>")]))
    write(out, "malformed.docx", docx("<w:p><w:r><w:t>open</w:p>"))


# --- html --------------------------------------------------------------------------

def html(out):
    page = lambda body: f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>"
    write(out, "plain.html", page(f"<h1>Borging</h1><p>{ZINN}</p><p>{NEG}</p>"))
    write(out, "deep-1000.html", "<div>" * 1000 + ZINN + "</div>" * 1000)
    write(out, "deep-1025.html", "<div>" * 1025 + ZINN)
    write(out, "deep-spans.html", "<span>" * 1020 + ZINN + "</span>" * 1020)
    write(out, "formatting-reconstruct.html", "<html><body>" + "".join(f"<b class=c{i}>" for i in range(500)) + "<p>x" * 3000)
    write(out, "formatting-reopened.html", "<p>" + "".join(f"<b class=c{i}>" for i in range(100)) + "</p>" + "<p>x</p>" * 500)
    write(out, "unclosed-anchors.html", "<a href=x>" * 3000 + ZINN)
    write(out, "nested-tables.html", "<table><tr><td>" * 300 + ZINN + "</td></tr></table>" * 300)
    write(out, "foster-parenting.html", "<table>" + "<b>tekst " * 2000 + "</table>")
    write(out, "pre-form-feed.html", page("<pre>een\x0ctwee\n\tdrie</pre><p>&#12;vier&#x0C;</p><pre>&#12;</pre>"))
    write(out, "hidden.html", page('<div hidden>weg</div><p style="DISPLAY : none">weg</p><p style="visibility:hidden">weg</p>'
                                  "<script>var x = '</p>';</script><noscript>geen</noscript><template><p>s</p></template>"
                                  "<select><option>optie</option></select><iframe>f</iframe><object>o</object>" + ZINN))
    write(out, "entities.html", page("co&ouml;rdinator &amp;&amp &nbsp;&#x110000; &#0; &#xD800; &#9999999999; &NotAnEntity; &#x202E;rev&#x202C; &shy;"))
    write(out, "windows-1252.html", page("co\xf6rdinator \x93eigenaar\x94 \x80").encode("latin-1", errors="replace").replace(b"?", b"\x80"))
    write(out, "utf16.html", ("\ufeff" + page(ZINN)).encode("utf-16-le"))
    write(out, "bom-text.html", b"\xef\xbb\xbf  \n" + ZINN.encode())
    write(out, "unterminated-comment.html", page("<!-- " + ZINN))
    write(out, "unterminated-script.html", "<script>" + ZINN * 50)
    write(out, "plaintext.html", page("<plaintext><p>" + ZINN + "</p>"))
    write(out, "huge-attribute.html", page('<p title="' + "a" * 60_000 + '">x</p>'))
    write(out, "table-cells.html", page("<table>" + ("<tr>" + "<td><p>a</p><p>b</p></td>" * 20 + "</tr>") * 50 + "</table>"))
    write(out, "br-storm.html", page("<br>" * 10_000 + ZINN))
    write(out, "svg-math.html", page("<svg><foreignObject><p>" + ZINN + "</p></foreignObject></svg><math><mi>x</mi></math>"))
    write(out, "frameset.html", "<html><frameset><frame src=a></frameset><noframes>" + ZINN + "</noframes></html>")


# --- rtf ---------------------------------------------------------------------------

def rtf(out):
    head = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Calibri;}}{\colortbl;\red0\green0\blue0;}"
    write(out, "plain.rtf", head + r"\pard " + ZINN.replace("ë", r"\'eb") + r"\par " + NEG.replace("ë", r"\u235?") + r"\par}")
    write(out, "deep-1023.rtf", r"{\rtf1 " + "{" * 1022 + "diep" + "}" * 1023)
    write(out, "deep-1025.rtf", r"{\rtf1 " + "{" * 1025 + "diep")
    write(out, "deep-alternating.rtf", r"{\rtf1 " + "{}" * 20_000 + "{" * 1000 + "x" + "}" * 1000 + "}")
    write(out, "bin-huge.rtf", r"{\rtf1 voor\bin999999999999 na\par}")
    write(out, "bin-max.rtf", r"{\rtf1 voor\bin18446744073709551615 na}")
    write(out, "bin-negative.rtf", r"{\rtf1 voor\bin-5 na\bin na\bin0 x\bin3 abcdef}")
    write(out, "bin-at-end.rtf", r"{\rtf1 voor\bin")
    write(out, "unknown-words.rtf", r"{\rtf1 " + "\\" + "x" * 5000 + r"123 \foo-99999999999999999999 \zz9 \word" * 200 + " tekst}")
    write(out, "broken-u.rtf", r"{\rtf1\uc1 \u \u- \u-- \u99999999999 \u-70000? \u65535? \u-1? \u55296?\u56320? \u0? "
          r"\uc16\u233 abcdefghijklmnopq \uc-3\u233? \uc99999\u233?x{\u233}y \u233\'e9\par}")
    write(out, "broken-escapes.rtf", r"{\rtf1 \'zz \'e \' \'" + "\n" + r"\'\'ff \~\_\-\*\:\\\{\}" + "\\\r\n\\\n" + r"x\'00y\'0cz\tab\cell\row\page}" + "\\")
    write(out, "skipped-destinations.rtf", head + r"{\info{\title Geheim}}{\*\generator Word}{\pict\bin4 abcd}{\*\footnote zichtbaar{\fonttbl x}}"
          r"{\fonttbl{\footnote in tabel}}{\field{\*\fldinst HYPERLINK}{\fldrslt link}}" + ZINN + "}")
    write(out, "tables-pages.rtf", r"{\rtf1 " + (r"\trowd Doel\cell Wie\cell\row " * 200) + r"\page\page\pagebb x\sect\line\tab}")
    write(out, "tab-page-storm.rtf", r"{\rtf1 " + r"\tab" * 6000 + r"\page" * 6000 + "}")
    write(out, "control-bytes.rtf", b"{\\rtf1 a\x00b\x0cc\x1bd\x7fe\x80\x81\x9f\xff\r\n}")
    write(out, "unbalanced.rtf", r"{\rtf1 }}}}}} na het einde {{{ x")
    write(out, "no-body.rtf", r"{\rtf")


# --- matcher -----------------------------------------------------------------------

def matcher(out):
    with open(os.path.join(ROOT, "rules", "borging.toml"), "rb") as f:
        rules = tomllib.load(f)
    n = 0
    for category in rules.get("category", []):
        for rule in category.get("rule", []):
            for key in ("match", "no_match", "negated"):
                for sentence in rule.get(key, []):
                    n += 1
                    write(out, f"example-{n:03}.txt", sentence)
    write(out, "long-word.txt", "evaluatie" * 7000)
    write(out, "long-letter.txt", "a" * 60_000)
    write(out, "long-word-in-sentence.txt", "De school " + "x" * 30_000 + " evalueert jaarlijks.")
    write(out, "hyphens-run.txt", "-" * 20_000)
    write(out, "hyphens-words.txt", "a-" * 10_000 + "evaluatie")
    write(out, "hyphens-line-ends.txt", "evalu-\natie " * 2000)
    write(out, "hyphens-mixed.txt", "PDCA-\ncyclus Noord-\nBrabant COVID-\n19 taal- en rekenonderwijs - \n- \n" * 300)
    write(out, "hyphens-unicode.txt", "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d" * 1500)
    write(out, "soft-hyphens.txt", "eva" + "\u00ad" * 5000 + "luatie " + "\u00ad-\n" * 1000)
    write(out, "combining.txt", "ge" + "e\u0308" * 1 + "valueerd " + "e" + "\u0308" * 3000 + " co\u0308rdinator \u0301\u0302 start")
    write(out, "zalgo.txt", "".join(c + "\u0336\u0335\u0489\u20dd" for c in ZINN))
    write(out, "bidi.txt", "\u202eeiteulave\u202c \u2066evaluatie\u2069 eval\u200fuatie \u200eICC'er\u200f \u061c" + ZINN + "\u202b" * 1000)
    write(out, "private-use.txt", "\uf0b7 evaluatie\n\uf0a7 doelstelling\n\U000f0000\U0010fffd \ue000" * 300)
    write(out, "ligatures-widths.txt", "\ufb01nanci\u00ebn \ufb02 \uff25\uff36\uff21\uff2c\uff35\uff21\uff34\uff29\uff25 \u3392 \u2126 \u0130stanbul \u1e9e \u01c5")
    write(out, "one-char-pages.txt", "\x0c".join(["a", "\u00e9", "\u0308", "-", "\uf0b7", ".", " ", "\u00ad", "\u202e", "\U0001f600", "\u0130", ""]))
    for i, c in enumerate(["a", "\u00e9", "\u0308", "-", "\uf0b7", ".", "\u0130", "\u00df"]):
        write(out, f"one-char-{i}.txt", c)
    write(out, "sentences-long.txt", (ZINN.replace(".", ",") + " ") * 60)
    write(out, "negation-storm.txt", ("niet geen nooit zonder " * 500) + "geëvalueerd")
    write(out, "apostrophes.txt", "ICC'er ICC''er 'evaluatie' ' ` \u2019 " * 500)
    write(out, "headings-toc.txt", "Inhoud\nKwaliteitszorg ........ 21\n2.1 Doel en doelgroep\n" * 300)
    write(out, "crlf.txt", (ZINN + "\r\n") * 100 + "evalu-\r\natie")
    write(out, "numbers.txt", "100% 2025-2026 schooljaar 2024/2025 voor eind 2025 " * 300)


# --- sniff -------------------------------------------------------------------------

def sniff(out):
    write(out, "pdf-after-junk.pdf", b"junk" * 200 + b"%PDF-1.4\n1 0 obj<<>>endobj trailer<<>>")
    write(out, "pdf-late.pdf", b"x" * 1030 + b"%PDF-1.4\n")
    write(out, "zip-as-txt.txt", package([("notes.txt", "hallo")]))
    write(out, "rtf-prefix-only.txt", r"{\rtf")
    write(out, "html-doctype-bom.txt", "\ufeff  <!DOCTYPE HTML><p>x</p>")
    write(out, "html-after-512.txt", " " * 600 + "<html><p>x</p>")
    write(out, "nul-late.txt", "tekst " * 1500 + "\x00")
    write(out, "controls-1pct.txt", "a" * 99 + "\x01")
    write(out, "controls-2pct.txt", "a" * 98 + "\x01\x02")
    write(out, "form-feeds.txt", "\x0c" * 100)
    write(out, "pk-truncated.docx", b"PK\x03\x04")
    write(out, "latin1.txt", "co\xf6rdinator\x0cpagina".encode("latin-1"))


TARGETS = {"office": office, "html": html, "rtf": rtf, "matcher": matcher, "sniff": sniff}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in TARGETS:
        raise SystemExit(__doc__)
    os.makedirs(sys.argv[2], exist_ok=True)
    TARGETS[sys.argv[1]](sys.argv[2])
