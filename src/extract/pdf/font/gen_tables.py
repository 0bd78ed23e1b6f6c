#!/usr/bin/env python3
"""Writes tables.rs: the data tables of the PDF font layer.

Run by hand (needs texlive and ghostscript files, which CI does not have):

    python3 src/extract/pdf/font/gen_tables.py > src/extract/pdf/font/tables.rs && cargo fmt

Sources (published facts, read as data):
- Adobe Glyph List 2.0 and the TeX additions to it (texlive fonts/map/glyphlist/),
  filtered to the scripts and symbols of Latin text.
- Adobe core-14 AFM metrics as shipped in texlive fonts/afm/adobe/ (Helvetica, Times,
  Symbol; Courier is fixed at 600). StandardEncoding and the Symbol built-in encoding are
  the `C` codes of the same AFM files.
- WinAnsiEncoding, MacRomanEncoding and PDFDocEncoding as listed in PDF 32000-1 Annex D.
"""
import os
import sys

GLYPHLIST = "/usr/share/texlive/texmf-dist/fonts/map/glyphlist"
AFM = "/usr/share/texlive/texmf-dist/fonts/afm/adobe"

# Code point ranges worth a glyph name: Latin, Greek, punctuation, currency, letterlike,
# number forms, arrows, mathematical operators, geometric shapes, Latin ligatures.
RANGES = [
    (0x0020, 0x024F), (0x02B0, 0x02FF), (0x0370, 0x03FF), (0x1E00, 0x1EFF),
    (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x218F), (0x2190, 0x21FF),
    (0x2200, 0x22FF), (0x2500, 0x25FF), (0x2600, 0x266F), (0xFB00, 0xFB06),
]


def wanted(cp):
    return any(lo <= cp <= hi for lo, hi in RANGES)


def read_list(path, first_alternative_only):
    out = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or ";" not in line:
            continue
        name, value = line.strip().split(";", 1)
        alternatives = value.split(",")
        for alt in alternatives:
            cps = [int(x, 16) for x in alt.split()]
            if len(cps) == 1 and wanted(cps[0]):
                out.setdefault(name, cps[0])
                break
            if first_alternative_only:
                break
    return out


agl = read_list(os.path.join(GLYPHLIST, "glyphlist.txt"), True)
tex = read_list(os.path.join(GLYPHLIST, "texglyphlist.txt"), False)
names = dict(tex)
names.update(agl)  # the AGL wins where both name a glyph


def afm(path):
    """(code, width, name) for every glyph of an AFM file."""
    out = []
    for line in open(path, encoding="latin-1"):
        if not line.startswith("C "):
            continue
        fields = dict(
            part.strip().split(" ", 1) for part in line.split(";") if part.strip()
        )
        out.append((int(fields["C"]), int(fields["WX"]), fields["N"]))
    return out


def encoding_from_afm(path):
    table = [0] * 256
    for code, _, name in afm(path):
        if 0 <= code < 256:
            table[code] = names.get(name, 0)
    return table


standard = encoding_from_afm(os.path.join(AFM, "helvetic/phvr8a.afm"))
symbol = encoding_from_afm(os.path.join(AFM, "symbol/psyr.afm"))

# WinAnsi: Latin-1 with the Windows-1252 block at 0x80-0x9F; unused codes above 40 show
# a bullet (Annex D, note 6); 0xA0 is a second space.
win_ansi = [c if 0x20 <= c <= 0x7E or c >= 0xA0 else 0 for c in range(256)]
win_ansi[0x27] = 0x0027
win_ansi[0x60] = 0x0060
for code in (0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D):
    win_ansi[code] = 0x2022
for code in range(0x80, 0xA0):
    if win_ansi[code] == 0:
        win_ansi[code] = ord(bytes([code]).decode("cp1252"))
win_ansi[0xA0] = 0x0020

mac_roman = [c if 0x20 <= c <= 0x7E else 0 for c in range(256)]
for code in range(0x80, 0x100):
    mac_roman[code] = ord(bytes([code]).decode("mac_roman"))
mac_roman[0xDB] = 0x00A4  # PDF keeps the old `currency` glyph here, not the euro
mac_roman[0xF0] = 0  # the Apple logo is not part of the PDF table

pdf_doc = [c if 0x20 <= c <= 0x7E or c >= 0xA1 else 0 for c in range(256)]
for code, cp in zip(range(0x18, 0x20), [0x02D8, 0x02C7, 0x02C6, 0x02D9, 0x02DD, 0x02DB, 0x02DA, 0x02DC]):
    pdf_doc[code] = cp
pdf_doc[0x09], pdf_doc[0x0A], pdf_doc[0x0D] = 0x09, 0x0A, 0x0D
high = [0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A,
        0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01,
        0xFB02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161,
        0x017E, 0]
for code, cp in zip(range(0x80, 0xA0), high):
    pdf_doc[code] = cp
pdf_doc[0xA0] = 0x20AC
pdf_doc[0xAD] = 0


def widths(path, euro):
    by_cp = {}
    for _, width, name in afm(path):
        cp = names.get(name)
        if cp is not None:
            by_cp.setdefault(cp, width)
    if euro is not None:
        by_cp.setdefault(0x20AC, euro)
    return sorted(by_cp.items())


# The 1990 AFMs predate the euro; its width is from Adobe's later core-14 metrics.
metric_fonts = [
    ("HELVETICA_WIDTHS", "helvetic/phvr8a.afm", 556),
    ("HELVETICA_BOLD_WIDTHS", "helvetic/phvb8a.afm", 556),
    ("TIMES_ROMAN_WIDTHS", "times/ptmr8a.afm", 500),
    ("TIMES_BOLD_WIDTHS", "times/ptmb8a.afm", 500),
    ("TIMES_ITALIC_WIDTHS", "times/ptmri8a.afm", 500),
    ("TIMES_BOLD_ITALIC_WIDTHS", "times/ptmbi8a.afm", 500),
    ("SYMBOL_WIDTHS", "symbol/psyr.afm", None),
]

w = sys.stdout.write
w("//! Data tables of the font layer, generated by `gen_tables.py` (run by hand; see there\n")
w("//! for the sources: the Adobe Glyph List, the core-14 AFM metrics, PDF 32000 Annex D).\n")
w("//! Do not edit by hand.\n\n")


def enc(name, table, doc):
    w(f"/// {doc} Unicode scalar per code; 0 = no glyph.\n")
    w(f"pub(super) static {name}: [u16; 256] = [\n")
    for row in range(0, 256, 8):
        w("    " + " ".join(f"0x{v:04X}," for v in table[row:row + 8]) + "\n")
    w("];\n\n")


enc("STANDARD", standard, "Adobe StandardEncoding.")
enc("WIN_ANSI", win_ansi, "WinAnsiEncoding (Windows code page 1252 as PDF defines it).")
enc("MAC_ROMAN", mac_roman, "MacRomanEncoding (with the Mac OS Roman symbols PDF leaves out).")
enc("PDF_DOC", pdf_doc, "PDFDocEncoding.")
enc("SYMBOL", symbol, "The built-in encoding of the Symbol font.")

items = sorted(names.items(), key=lambda kv: kv[0].encode())
w("/// Glyph names of Latin text and common symbols, sorted by name for binary search.\n")
w(f"pub(super) static GLYPH_NAMES: [(&str, u16); {len(items)}] = [\n")
for name, cp in items:
    w(f"    (\"{name}\", 0x{cp:04X}),\n")
w("];\n\n")

for const, path, euro in metric_fonts:
    table = widths(os.path.join(AFM, path), euro)
    w(f"/// Advance widths (1/1000 em) of {os.path.basename(path)}, by Unicode scalar.\n")
    w(f"pub(super) static {const}: [(u16, u16); {len(table)}] = [\n")
    for row in range(0, len(table), 6):
        w("    " + " ".join(f"(0x{cp:04X}, {wd})," for cp, wd in table[row:row + 6]) + "\n")
    w("];\n\n")
