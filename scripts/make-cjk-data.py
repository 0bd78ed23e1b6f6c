#!/usr/bin/env python3
"""Writes src/extract/pdf/font/cjk.bin: the predefined CJK CMaps (code -> CID) and the
CID -> Unicode tables of the four Adobe character collections, for CID fonts that come
without a ToUnicode map (see src/extract/pdf/font/cjk.rs, which reads the file).

Run by hand (needs the Debian package poppler-data, which CI does not need):

    python3 scripts/make-cjk-data.py

Source: Adobe's CMap resources as shipped by poppler-data in /usr/share/poppler/cMap
(BSD-3-Clause, Copyright 1990-2019 Adobe; see src/extract/pdf/font/cjk-data-LICENSE),
read as data only: the code -> CID CMaps, and Adobe-<Ordering>-UCS2 for CID -> Unicode.
(poppler-data's own cidToUnicode tables are GPL-2, so they are not used.)

Format (all integers unsigned LEB128 varints, signed ones zigzag-coded first), the whole
deflated (zlib stream):

    "BCJK" 1
    orderings: count, then per ordering: name, CID count, then per CID a token:
        0 = no Unicode; else zigzag(u - (previous u + 1)) + 1
    cmaps: count, then per CMap: name, ordering index, wmode, parent index + 1 (0: none),
        code-space ranges: count, then per range: byte length, low, high
        cid ranges: count, then per range (sorted, disjoint):
            low - previous high, high - low, zigzag(cid - previous range's last cid)
"""
import os
import re
import sys
import zlib

CMAP_DIR = "/usr/share/poppler/cMap"
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "extract", "pdf", "font", "cjk.bin")

ORDERINGS = ["Japan1", "GB1", "CNS1", "Korea1"]

# The predefined CMaps of PDF 32000-1 (Table 118) whose codes are not Unicode. The
# Uni...-UCS2/UTF16 ones are left out: their codes are the text, and their CIDs (needed only
# for widths) follow from the CID -> Unicode table read backwards.
CMAPS = {
    "Japan1": """83pv-RKSJ-H 90ms-RKSJ-H 90ms-RKSJ-V 90msp-RKSJ-H 90msp-RKSJ-V 90pv-RKSJ-H
        Add-RKSJ-H Add-RKSJ-V EUC-H EUC-V Ext-RKSJ-H Ext-RKSJ-V H V""",
    "GB1": """GB-EUC-H GB-EUC-V GBpc-EUC-H GBpc-EUC-V GBK-EUC-H GBK-EUC-V GBKp-EUC-H
        GBKp-EUC-V GBK2K-H GBK2K-V""",
    "CNS1": """B5pc-H B5pc-V HKscs-B5-H HKscs-B5-V ETen-B5-H ETen-B5-V ETenms-B5-H
        ETenms-B5-V CNS-EUC-H CNS-EUC-V""",
    "Korea1": """KSC-EUC-H KSC-EUC-V KSCms-UHC-H KSCms-UHC-V KSCms-UHC-HW-H KSCms-UHC-HW-V
        KSCpc-EUC-H""",
}

TOKEN = re.compile(rb"<[0-9A-Fa-f]*>|/[^\s/<>\[\]()]+|[^\s/<>\[\]()]+")


def varint(n):
    assert n >= 0
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    return n * 2 if n >= 0 else -n * 2 - 1


def name(s):
    b = s.encode()
    return varint(len(b)) + b


def hexcode(tok):
    h = tok[1:-1]
    return len(h) // 2, int(h, 16)


def parse_cmap(path):
    data = open(path, "rb").read()
    data = b"\n".join(l.split(b"%")[0] for l in data.split(b"\n"))
    toks = TOKEN.findall(data)
    codespace, mapping, parent, wmode = [], {}, None, 0
    i, section = 0, None
    while i < len(toks):
        t = toks[i]
        if t == b"usecmap":
            parent = toks[i - 1][1:].decode()
        elif t == b"/WMode":
            wmode = int(toks[i + 1])
        elif t in (b"begincodespacerange", b"begincidrange", b"begincidchar", b"beginnotdefrange"):
            section = t
        elif t.startswith(b"end"):
            section = None
        elif section == b"begincodespacerange":
            (n, lo), (_, hi) = hexcode(toks[i]), hexcode(toks[i + 1])
            codespace.append((n, lo, hi))
            i += 1
        elif section == b"begincidrange":
            (_, lo), (_, hi), cid = hexcode(toks[i]), hexcode(toks[i + 1]), int(toks[i + 2])
            for k in range(hi - lo + 1):
                mapping[lo + k] = cid + k
            i += 2
        elif section == b"begincidchar":
            (_, code), cid = hexcode(toks[i]), int(toks[i + 1])
            mapping[code] = cid
            i += 1
        elif section == b"beginnotdefrange":
            i += 2
        i += 1
    return codespace, mapping, parent, wmode


def cid_to_unicode(ordering):
    """CID -> one Unicode scalar from Adobe-<ordering>-UCS2 (bfchar and bfrange entries,
    UTF-16BE targets); a target of several characters keeps its first."""
    path = os.path.join(CMAP_DIR, "Adobe-" + ordering, "Adobe-%s-UCS2" % ordering)
    data = open(path, "rb").read()
    data = b"\n".join(l.split(b"%")[0] for l in data.split(b"\n"))
    toks = TOKEN.findall(data)
    table, section, i = {}, None, 0

    def scalar(tok):
        text = bytes.fromhex(tok[1:-1].decode()).decode("utf-16-be")
        return ord(text[0])

    while i < len(toks):
        t = toks[i]
        if t in (b"beginbfchar", b"beginbfrange"):
            section = t
        elif t.startswith(b"end"):
            section = None
        elif section == b"beginbfchar":
            table[hexcode(t)[1]] = scalar(toks[i + 1])
            i += 1
        elif section == b"beginbfrange":
            (_, lo), (_, hi), first = hexcode(t), hexcode(toks[i + 1]), scalar(toks[i + 2])
            for k in range(hi - lo + 1):
                table[lo + k] = first + k
            i += 2
        i += 1
    return [table.get(cid, 0) for cid in range(max(table) + 1)]


def runs(mapping):
    """Maximal runs of consecutive codes with consecutive CIDs: (low, high, cid)."""
    out = []
    for code in sorted(mapping):
        cid = mapping[code]
        if out and out[-1][1] + 1 == code and out[-1][2] + (code - out[-1][0]) == cid:
            out[-1][1] = code
        else:
            out.append([code, code, cid])
    return out


def main():
    raw = bytearray(b"BCJK" + varint(1))
    raw += varint(len(ORDERINGS))
    for ordering in ORDERINGS:
        values = cid_to_unicode(ordering)
        raw += name(ordering) + varint(len(values))
        prev = 0
        for u in values:
            # The half-width space CIDs (code 0x20 of the Shift-JIS CMaps) are word spaces.
            if u in (0xA0, 0x2002):
                u = 0x20
            if u in (0, 0xFFFD):
                raw += varint(0)
            else:
                raw += varint(zigzag(u - (prev + 1)) + 1)
                prev = u

    # The listed CMaps and every CMap they build on, parents first.
    order, info = [], {}

    def visit(cmap_name, ordering):
        if cmap_name in info:
            return
        parsed = parse_cmap(os.path.join(CMAP_DIR, "Adobe-" + ordering, cmap_name))
        info[cmap_name] = (ordering, parsed)
        if parsed[2]:
            visit(parsed[2], ordering)
        order.append(cmap_name)

    for ordering, names in CMAPS.items():
        for cmap_name in names.split():
            visit(cmap_name, ordering)
    index = {n: i for i, n in enumerate(order)}
    raw += varint(len(order))
    for cmap_name in order:
        ordering, (codespace, mapping, parent, wmode) = info[cmap_name]
        raw += name(cmap_name) + varint(ORDERINGS.index(ordering)) + varint(wmode)
        raw += varint(index[parent] + 1 if parent else 0)
        raw += varint(len(codespace))
        for n, lo, hi in codespace:
            raw += varint(n) + varint(lo) + varint(hi)
        rs = runs(mapping)
        raw += varint(len(rs))
        prev_hi, prev_cid = 0, 0
        for lo, hi, cid in rs:
            raw += varint(lo - prev_hi) + varint(hi - lo) + varint(zigzag(cid - prev_cid))
            prev_hi, prev_cid = hi, cid + (hi - lo)
    packed = zlib.compress(bytes(raw), 9)
    with open(OUT, "wb") as f:
        f.write(packed)
    print(f"{len(order)} CMaps, {len(ORDERINGS)} orderings: {len(raw)} bytes raw, "
          f"{len(packed)} bytes deflated -> {os.path.normpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
