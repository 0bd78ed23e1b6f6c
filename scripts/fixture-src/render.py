#!/usr/bin/env python3
"""Renders one fixture source text into the input of one document producer.

Called by scripts/make-fixtures.sh (run by hand, never by CI). Each source under
scripts/fixture-src/ is written once in a tiny markup, so that the document a producer
makes and the ground truth the scorer compares it with come from the same words:

    % comment            (ignored; '% header: TEXT' sets a running page header)
    # Title              (first line of the document)
    ## Heading
    - bullet item        (consecutive items form one list)
    | a | b | c |        (table row; the first row is the header row)
    other lines          (paragraph text; a blank line ends the paragraph)

The first paragraph after the title is the subtitle (school, place, date).

Usage: render.py FORMAT SOURCE > OUTPUT, with FORMAT one of
    groundtruth   plain text in reading order, one block per line
    html-office   plain HTML for LibreOffice's Writer import
    html-columns  HTML with a full-width header and a two-column body (CSS columns)
    latex         a two-column pdfTeX article with Dutch hyphenation
    postscript    a PostScript program that sets the text itself (for ps2pdf)

Python 3 standard library only.
"""

import html
import sys


def parse(path):
    """Returns (meta, title, subtitle, blocks); blocks are (kind, payload) tuples."""
    meta = {}
    blocks = []
    para = []

    def flush():
        if para:
            blocks.append(("p", " ".join(para)))
            para.clear()

    with open(path, encoding="utf-8") as src:
        for raw in src:
            line = raw.rstrip("\n").strip()
            if line.startswith("%"):
                body = line[1:].strip()
                if body.startswith("header:"):
                    meta["header"] = body[len("header:"):].strip()
                continue
            if not line:
                flush()
                continue
            if line.startswith("## "):
                flush()
                blocks.append(("h2", line[3:].strip()))
            elif line.startswith("# "):
                flush()
                blocks.append(("h1", line[2:].strip()))
            elif line.startswith("- "):
                flush()
                if not blocks or blocks[-1][0] != "ul":
                    blocks.append(("ul", []))
                blocks[-1][1].append(line[2:].strip())
            elif line.startswith("|"):
                flush()
                cells = [c.strip() for c in line.strip("|").split("|")]
                if not blocks or blocks[-1][0] != "table":
                    blocks.append(("table", []))
                blocks[-1][1].append(cells)
            else:
                para.append(line)
    flush()
    if len(blocks) < 2 or blocks[0][0] != "h1" or blocks[1][0] != "p":
        sys.exit(f"{path}: expected '# Title' followed by a subtitle paragraph")
    return meta, blocks[0][1], blocks[1][1], blocks[2:]


def groundtruth(meta, title, subtitle, blocks):
    # The running header is printed on every page, so it is not part of the reading
    # order of the text; recall does not suffer from words a tool prints in addition.
    lines = [title, "", subtitle, ""]
    for kind, payload in blocks:
        if kind == "ul":
            lines.extend(payload)
        elif kind == "table":
            lines.extend(" ".join(row) for row in payload)
        else:
            lines.append(payload)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def html_body(blocks):
    out = []
    for kind, payload in blocks:
        if kind == "h2":
            out.append(f"<h2>{html.escape(payload)}</h2>")
        elif kind == "p":
            out.append(f"<p>{html.escape(payload)}</p>")
        elif kind == "ul":
            items = "".join(f"\n  <li>{html.escape(i)}</li>" for i in payload)
            out.append(f"<ul>{items}\n</ul>")
        elif kind == "table":
            rows = []
            for n, row in enumerate(payload):
                tag = "th" if n == 0 else "td"
                cells = "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row)
                rows.append(f"  <tr>{cells}</tr>")
            out.append("<table>\n" + "\n".join(rows) + "\n</table>")
    return "\n".join(out)


def html_office(meta, title, subtitle, blocks):
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: "DejaVu Serif"; font-size: 11pt; }}
h1 {{ font-family: "DejaVu Sans"; font-size: 18pt; }}
h2 {{ font-family: "DejaVu Sans"; font-size: 13pt; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #444; padding: 3pt 6pt; text-align: left; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p><i>{html.escape(subtitle)}</i></p>
{html_body(blocks)}
</body>
</html>
"""


def html_columns(meta, title, subtitle, blocks):
    return f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
@page {{ size: A4; margin: 18mm 16mm 20mm 16mm; }}
body {{ font-family: "DejaVu Serif", serif; font-size: 10pt; line-height: 1.35; margin: 0; }}
header {{ border-bottom: 2px solid #1d4e89; margin-bottom: 7mm; padding-bottom: 3mm; }}
header h1 {{ font-family: "DejaVu Sans", sans-serif; font-size: 19pt; color: #1d4e89; margin: 0 0 2mm 0; }}
header p {{ font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; margin: 0; }}
main {{ column-count: 2; column-gap: 9mm; text-align: justify; }}
h2 {{ font-family: "DejaVu Sans", sans-serif; font-size: 11.5pt; break-after: avoid; margin: 4mm 0 1.5mm 0; }}
p {{ margin: 0 0 2.5mm 0; }}
ul {{ margin: 0 0 2.5mm 0; padding-left: 5mm; }}
</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<p>{html.escape(subtitle)}</p>
</header>
<main>
{html_body(blocks)}
</main>
</body>
</html>
"""


LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "€": r"\texteuro{}",
    '"': None,  # babel-dutch makes " a shorthand; the sources must not use it
}


def latex_escape(text):
    out = []
    for ch in text:
        if ch in LATEX_SPECIAL:
            if LATEX_SPECIAL[ch] is None:
                sys.exit(f"character {ch!r} is not allowed in a LaTeX source: {text!r}")
            out.append(LATEX_SPECIAL[ch])
        else:
            out.append(ch)
    return "".join(out)


def latex(meta, title, subtitle, blocks):
    body = []
    for kind, payload in blocks:
        if kind == "h2":
            body.append(f"\\section*{{{latex_escape(payload)}}}")
        elif kind == "p":
            body.append(latex_escape(payload) + "\n")
        elif kind == "ul":
            items = "\n".join(f"  \\item {latex_escape(i)}" for i in payload)
            body.append(f"\\begin{{itemize}}\n{items}\n\\end{{itemize}}\n")
        elif kind == "table":
            sys.exit("tables are not supported in the two-column LaTeX fixture")
    return (
        r"""% Generated by scripts/fixture-src/render.py; edit the .txt source instead.
\pdfinfoomitdate=1
\pdftrailerid{}
\pdfsuppressptexinfo=-1
\documentclass[twocolumn,10pt,a4paper]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage[dutch]{babel}
\usepackage[a4paper,margin=20mm]{geometry}
"""
        + f"\\title{{{latex_escape(title)}}}\n"
        + f"\\author{{{latex_escape(subtitle)}}}\n"
        + "\\date{}\n\\begin{document}\n\\maketitle\n\n"
        + "\n".join(body)
        + "\n\\end{document}\n"
    )


def ps_string(text):
    """A PostScript string literal in ISO Latin-1, the encoding the prolog gives the fonts."""
    out = ["("]
    for ch in text:
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            try:
                code = ch.encode("latin-1")[0]
            except UnicodeEncodeError:
                sys.exit(f"character {ch!r} is not in ISO Latin-1: {text!r}")
            out.append(f"\\{code:03o}")
    out.append(")")
    return "".join(out)


def ps_words(text):
    return "[" + " ".join(ps_string(w) for w in text.split()) + "]"


# The prolog sets ragged-right text with its own line breaking (stringwidth), draws
# bullets as filled circles (graphics, not text) and puts a header and a page number on
# every page, as office printer drivers do.
PS_PROLOG = r"""%!PS-Adobe-3.0
%%Creator: borging scripts/fixture-src/render.py
%%DocumentMedia: A4 595 842 0 () ()
%%EndComments
%%BeginProlog
/reencode { findfont dup length dict begin
  { 1 index /FID ne { def } { pop pop } ifelse } forall
  /Encoding ISOLatin1Encoding def currentdict end definefont pop } bind def
/Body /Times-Roman reencode
/BodyBold /Times-Bold reencode
/Sans /Helvetica reencode
/SansBold /Helvetica-Bold reencode
/LM 72 def /RM 523 def /TOP 772 def /BOT 78 def
/pageno 0 def /y TOP def /x LM def /indent LM def /lead 14 def
/curfont /Body findfont 10.5 scalefont def /spacew 3 def
/startpage {
  /pageno pageno 1 add def
  /Sans findfont 8 scalefont setfont
  LM 800 moveto HEADER show
  0.5 setlinewidth newpath LM 794 moveto RM 794 lineto stroke
  (Pagina ) pageno 4 string cvs
  2 copy stringwidth pop exch stringwidth pop add RM exch sub 52 moveto
  exch show show
  /y TOP def /x indent def curfont setfont
} bind def
/newline {
  /y y lead sub def /x indent def
  y BOT lt { showpage startpage /y y lead sub def } if
} bind def
/word {
  dup stringwidth pop
  x indent gt { dup x add RM gt { newline } if } if
  x y moveto exch show
  x add spacew add /x exch def
} bind def
% words font size lead indent space-before BLOCK
/beginblock {
  /before exch def /indent exch def /lead exch def
  exch findfont exch scalefont /curfont exch def
  /y y before sub def
  y lead 3 mul sub BOT lt { showpage startpage } if
  newline curfont setfont
  /spacew ( ) stringwidth pop def
} bind def
/P { /Body 10.5 14 LM 5 beginblock { word } forall } bind def
/H1 { /SansBold 17 22 LM 0 beginblock { word } forall } bind def
/SUB { /Sans 9.5 13 LM 4 beginblock { word } forall } bind def
/H2 { /SansBold 12 16 LM 12 beginblock { word } forall } bind def
/LI { /Body 10.5 14 LM 18 add 2 beginblock
  newpath LM 7 add y 3.5 add 1.8 0 360 arc fill { word } forall } bind def
/COLS [ LM LM 190 add LM 300 add ] def
/ROW { % cells font
  10 14 LM 3 beginblock
  0 1 2 index length 1 sub { dup COLS exch get y moveto 1 index exch get show } for
  pop } bind def
/TH { /BodyBold ROW } bind def
/TD { /Body ROW } bind def
%%EndProlog
"""


def postscript(meta, title, subtitle, blocks):
    out = [PS_PROLOG]
    out.append(f"/HEADER {ps_string(meta.get('header', title))} def")
    out.append("<< /PageSize [595 842] >> setpagedevice")
    out.append("startpage")
    out.append(f"{ps_words(title)} H1")
    out.append(f"{ps_words(subtitle)} SUB")
    for kind, payload in blocks:
        if kind == "h2":
            out.append(f"{ps_words(payload)} H2")
        elif kind == "p":
            out.append(f"{ps_words(payload)} P")
        elif kind == "ul":
            out.extend(f"{ps_words(item)} LI" for item in payload)
        elif kind == "table":
            for n, row in enumerate(payload):
                cells = "[" + " ".join(ps_string(c) for c in row) + "]"
                out.append(f"{cells} {'TH' if n == 0 else 'TD'}")
    out.append("showpage")
    out.append("%%EOF")
    return "\n".join(out) + "\n"


FORMATS = {
    "groundtruth": groundtruth,
    "html-office": html_office,
    "html-columns": html_columns,
    "latex": latex,
    "postscript": postscript,
}


def main(argv):
    if len(argv) != 3 or argv[1] not in FORMATS:
        sys.exit(f"usage: {argv[0]} {{{'|'.join(FORMATS)}}} SOURCE")
    sys.stdout.write(FORMATS[argv[1]](*parse(argv[2])))


if __name__ == "__main__":
    main(sys.argv)
