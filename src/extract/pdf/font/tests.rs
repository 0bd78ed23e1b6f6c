//! Tests of the font layer on font dictionaries built with lopdf, one per behaviour the
//! content-stream interpreter relies on.

use super::*;
use lopdf::{Stream, dictionary};

fn doc() -> Document {
    Document::with_version("1.5")
}

fn name(n: &str) -> Object {
    Object::Name(n.as_bytes().to_vec())
}

fn numbers(values: &[f32]) -> Object {
    Object::Array(values.iter().map(|&v| Object::Real(v)).collect())
}

fn cmap_stream(doc: &mut Document, body: &str) -> ObjectId {
    let text = format!(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         /CMapName /Test def\n{body}\nendcmap CMapName currentdict /CMap defineresource pop end end"
    );
    doc.add_object(Stream::new(dictionary! {}, text.into_bytes()))
}

fn load(doc: &Document, font: ObjectId) -> Arc<Font> {
    FontCache::new().get(doc, &Object::Reference(font))
}

fn texts(font: &Font, bytes: &[u8]) -> Vec<Option<String>> {
    font.glyphs(bytes).into_iter().map(|g| g.text).collect()
}

fn widths(font: &Font, bytes: &[u8]) -> Vec<f32> {
    font.glyphs(bytes).into_iter().map(|g| g.width).collect()
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

fn identity_h(doc: &mut Document, cid_font: Dictionary, to_unicode: Option<ObjectId>) -> ObjectId {
    let descendant = doc.add_object(cid_font);
    let mut font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "ABCDEF+Calibri",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(descendant)],
    };
    if let Some(id) = to_unicode {
        font.set("ToUnicode", Object::Reference(id));
    }
    doc.add_object(font)
}

fn cid_font(extra: Dictionary) -> Dictionary {
    let mut d = dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => "ABCDEF+Calibri",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
    };
    d.extend(&extra);
    d
}

#[test]
fn tounicode_beats_the_encoding() {
    // Research case 6: a WinAnsi font whose ToUnicode maps `A` to `ĳ`.
    let mut doc = doc();
    let map = cmap_stream(&mut doc, "1 beginbfchar <41> <0133> endbfchar");
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "BaseFont" => "Arial",
        "Encoding" => "WinAnsiEncoding",
        "ToUnicode" => Object::Reference(map),
    });
    let font = load(&doc, font);
    // Codes the ToUnicode map leaves out still come from the encoding.
    assert_eq!(
        texts(&font, b"AB\xEB"),
        vec![some("ĳ"), some("B"), some("ë")]
    );
}

#[test]
fn differences_resolve_uni_names_and_ligature_sequences() {
    let mut doc = doc();
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "ABCDEF+SourceSerif",
        "FirstChar" => 65,
        "Widths" => numbers(&[500.0, 800.0, 450.0, 600.0]),
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![65.into(), name("uni0133"), name("f_f_i"), 68.into(), name("g17")],
        },
    });
    let font = load(&doc, font);
    assert_eq!(
        texts(&font, b"ABCD"),
        vec![some("ĳ"), some("ffi"), some("C"), None]
    );
    assert_eq!(widths(&font, b"ABCD"), vec![0.5, 0.8, 0.45, 0.6]);
}

#[test]
fn ligature_code_points_come_out_as_letters() {
    let mut doc = doc();
    let map = cmap_stream(&mut doc, "2 beginbfchar <01> <FB01> <02> <FB03> endbfchar");
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "LMRoman10-Regular",
        "ToUnicode" => Object::Reference(map),
        // StandardEncoding puts `fi` at 0xAE: also expanded.
        "Encoding" => "StandardEncoding",
    });
    let font = load(&doc, font);
    assert_eq!(
        texts(&font, b"\x01\x02\xAE"),
        vec![some("fi"), some("ffi"), some("fi")]
    );
}

#[test]
fn identity_h_reads_two_byte_codes_with_w_widths_in_both_forms() {
    let mut doc = doc();
    let map = cmap_stream(
        &mut doc,
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
         2 beginbfrange <0001> <0002> <0061> <000A> <000B> [<0020> <00EB>] endbfrange",
    );
    let w = vec![
        1.into(),
        Object::Array(vec![500.into(), 600.into()]),
        10.into(),
        20.into(),
        700.into(),
    ];
    let font = identity_h(
        &mut doc,
        cid_font(dictionary! { "W" => w, "DW" => 300 }),
        Some(map),
    );
    let font = load(&doc, font);
    let bytes = b"\x00\x01\x00\x02\x00\x0A\x00\x0B\x00\x63";
    assert_eq!(
        texts(&font, bytes),
        vec![some("a"), some("b"), some(" "), some("ë"), None]
    );
    assert_eq!(widths(&font, bytes), vec![0.5, 0.6, 0.7, 0.7, 0.3]);
    // A two-byte code 0x000A is not the single-byte code 32: no word spacing.
    assert!(font.glyphs(bytes).iter().all(|g| !g.word_space));
    assert!(!font.vertical());
}

#[test]
fn identity_h_without_tounicode_is_unmapped_not_garbage() {
    let mut doc = doc();
    let font = identity_h(&mut doc, cid_font(dictionary! {}), None);
    let font = load(&doc, font);
    let glyphs = font.glyphs(b"\x00\x24\x00\x25");
    assert_eq!(glyphs.len(), 2);
    assert!(glyphs.iter().all(|g| g.text.is_none()));
    assert_eq!(glyphs[0].code, 0x24);
    // No /W and no /DW: the default of 1000 units.
    assert_eq!(glyphs[0].width, 1.0);
}

#[test]
fn identity_h_without_tounicode_reads_the_embedded_truetype_cmap() {
    let mut doc = doc();
    let program = super::truetype::test_font(&[(0x41, 3), (0x142, 4), (0xF0B7, 5)]);
    let file = doc.add_object(Stream::new(dictionary! {}, program));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontFile2" => Object::Reference(file),
    });
    let font = identity_h(
        &mut doc,
        cid_font(dictionary! { "FontDescriptor" => Object::Reference(descriptor) }),
        None,
    );
    let font = load(&doc, font);
    // Glyph 5 is a private-use symbol: unmapped, like glyph 9 that the cmap lacks.
    assert_eq!(
        texts(&font, b"\x00\x03\x00\x04\x00\x05\x00\x09"),
        vec![some("A"), some("ł"), None, None]
    );

    // A CIDToGIDMap stream sends CID 1 to glyph 4.
    let map = doc.add_object(Stream::new(dictionary! {}, vec![0, 0, 0, 4]));
    let font = identity_h(
        &mut doc,
        cid_font(dictionary! {
            "FontDescriptor" => Object::Reference(descriptor),
            "CIDToGIDMap" => Object::Reference(map),
        }),
        None,
    );
    assert_eq!(texts(&load(&doc, font), b"\x00\x01"), vec![some("ł")]);
}

#[test]
fn odd_trailing_byte_of_a_two_byte_font_is_one_glyph() {
    let mut doc = doc();
    let font = identity_h(&mut doc, cid_font(dictionary! {}), None);
    let font = load(&doc, font);
    let codes: Vec<u32> = font
        .glyphs(b"\x00\x24\x07")
        .iter()
        .map(|g| g.code)
        .collect();
    assert_eq!(codes, vec![0x24, 0x07]);
}

#[test]
fn surrogate_pairs_in_tounicode_give_one_char() {
    let mut doc = doc();
    let map = cmap_stream(&mut doc, "1 beginbfchar <0005> <D835DC9C> endbfchar");
    let font = identity_h(&mut doc, cid_font(dictionary! {}), Some(map));
    let font = load(&doc, font);
    assert_eq!(texts(&font, b"\x00\x05"), vec![some("\u{1D49C}")]);
}

#[test]
fn identity_v_is_vertical_with_downward_advances() {
    let mut doc = doc();
    let descendant = doc.add_object(cid_font(dictionary! {
        "W2" => vec![5.into(), Object::Array(vec![(-800).into(), 500.into(), 880.into()])],
    }));
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "Encoding" => "Identity-V",
        "DescendantFonts" => vec![Object::Reference(descendant)],
    });
    let font = load(&doc, font);
    assert!(font.vertical());
    assert_eq!(widths(&font, b"\x00\x05\x00\x06"), vec![0.8, 1.0]);
}

#[test]
fn predefined_cmaps_h_and_v_give_their_writing_mode() {
    for (cmap, vertical) in [("V", true), ("H", false), ("UniJIS-UCS2-V", true)] {
        let mut doc = doc();
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "Encoding" => cmap,
        });
        assert_eq!(load(&doc, font).vertical(), vertical, "{cmap}");
    }
}

#[test]
fn embedded_encoding_cmap_splits_mixed_codes_and_maps_cids() {
    let mut doc = doc();
    let encoding = cmap_stream(
        &mut doc,
        "2 begincodespacerange <00> <7F> <8140> <9FFC> endcodespacerange\n\
         1 begincidrange <20> <7E> 1 endcidrange\n\
         1 begincidrange <8140> <817E> 633 endcidrange",
    );
    let map = cmap_stream(
        &mut doc,
        "1 beginbfrange <20> <7E> <0020> endbfrange\n\
         1 beginbfchar <8140> <3000> endbfchar",
    );
    let descendant = doc.add_object(cid_font(dictionary! {
        "W" => vec![1.into(), 1.into(), 250.into(), 34.into(), Object::Array(vec![610.into()]), 633.into(), 633.into(), 1000.into()],
        "DW" => 500,
    }));
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "Encoding" => Object::Reference(encoding),
        "ToUnicode" => Object::Reference(map),
        "DescendantFonts" => vec![Object::Reference(descendant)],
    });
    let font = load(&doc, font);
    let glyphs = font.glyphs(b" A\x81\x40");
    let got: Vec<(u32, Option<&str>, f32, bool)> = glyphs
        .iter()
        .map(|g| (g.code, g.text(), g.width, g.word_space))
        .collect();
    assert_eq!(
        got,
        vec![
            (0x20, Some(" "), 0.25, true),
            (0x41, Some("A"), 0.61, false),
            (0x8140, Some("\u{3000}"), 1.0, false),
        ]
    );
}

#[test]
fn type3_widths_go_through_the_font_matrix_and_names_give_text() {
    // Research case 8: a LaTeX T1 bitmap font with no ToUnicode.
    let mut doc = doc();
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type3",
        "FontMatrix" => numbers(&[0.01, 0.0, 0.0, 0.01, 0.0, 0.0]),
        "FontBBox" => numbers(&[0.0, -20.0, 90.0, 70.0]),
        "FirstChar" => 1,
        "LastChar" => 3,
        "Widths" => numbers(&[50.0, 60.0, 30.0]),
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "Differences" => vec![1.into(), name("edieresis"), name("a28"), name("n")],
        },
        "CharProcs" => dictionary! {},
        "Resources" => dictionary! {},
    });
    let font = load(&doc, font);
    // The em is the box's height through the matrix, which the widths confirm.
    assert!((font.em() - 0.9).abs() < 1e-6, "{}", font.em());
    assert_eq!(
        texts(&font, b"\x01\x02\x03"),
        vec![some("ë"), None, some("n")]
    );
    let got = widths(&font, b"\x01\x02\x03");
    let want = [0.5, 0.6, 0.3];
    assert!(
        got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-6),
        "{got:?}"
    );
    // A code outside /Differences means nothing in a Type3 font.
    assert_eq!(texts(&font, b"A"), vec![None]);
    assert!((font.ascent() - 0.7).abs() < 1e-6 && (font.descent() + 0.2).abs() < 1e-6);
}

#[test]
fn type3_em_follows_the_glyph_units_the_producer_chose() {
    // Three real-world shapes of Type3 font: 1 unit per em (MuPDF), 100 units per em
    // (AFP converters) and 2048 units per em with a flipped y axis (Skia, Google Docs).
    // Each is an ordinary text font whose em is the font size.
    for (scale, flip) in [(1.0f32, 1.0f32), (0.01, 1.0), (1.0 / 2048.0, -1.0)] {
        let units = 1.0 / scale;
        let mut doc = doc();
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type3",
            "FontMatrix" => numbers(&[scale, 0.0, 0.0, flip * scale, 0.0, 0.0]),
            "FontBBox" => numbers(&[0.0, flip * -0.2 * units, units, flip * 0.9 * units]),
            "FirstChar" => 97,
            "Widths" => numbers(&[0.5 * units, 0.55 * units, 0.45 * units]),
            "Encoding" => dictionary! {
                "Differences" => vec![97.into(), name("a"), name("b"), name("c")],
            },
            "CharProcs" => dictionary! {},
        });
        let font = load(&doc, font);
        assert!((font.em() - 1.1).abs() < 1e-3, "{scale}: {}", font.em());
    }
}

#[test]
fn type3_box_that_disagrees_with_the_widths_gives_way_to_them() {
    // A flat box and a box around one huge drawing: the widths (median 0.5) decide.
    for bbox in [[0.0, 0.0, 0.0, 0.0], [-276.0, -3473.0, 4185.0, 422.0]] {
        let mut doc = doc();
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type3",
            "FontMatrix" => numbers(&[0.001, 0.0, 0.0, 0.001, 0.0, 0.0]),
            "FontBBox" => numbers(&bbox),
            "FirstChar" => 97,
            "Widths" => numbers(&[500.0, 400.0, 600.0]),
            "CharProcs" => dictionary! {},
        });
        let font = load(&doc, font);
        assert!((font.em() - 1.0).abs() < 1e-6, "{bbox:?}: {}", font.em());
    }
}

#[test]
fn ordinary_fonts_have_an_em_of_one() {
    let mut doc = doc();
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
    });
    assert_eq!(load(&doc, font).em(), 1.0);
}

#[test]
fn standard_14_fonts_without_widths_get_their_published_widths() {
    let mut doc = doc();
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let font = load(&doc, font);
    let glyphs = font.glyphs(b"a W");
    assert_eq!(glyphs[0].width, 0.556);
    assert_eq!(glyphs[1].width, 0.278);
    assert!(glyphs[1].word_space);
    assert_eq!(glyphs[2].width, 0.944);
    assert!((font.ascent() - 0.718).abs() < 1e-6);

    let times = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Times-Bold",
    });
    let times = load(&doc, times);
    // StandardEncoding by default; Times-Bold `a` is 500, `quoteright` at 0x27 is 333.
    assert_eq!(widths(&times, b"a'"), vec![0.5, 0.333]);
    assert_eq!(texts(&times, b"'"), vec![some("\u{2019}")]);
}

#[test]
fn widths_use_first_char_and_missing_width() {
    let mut doc = doc();
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "Flags" => 32,
        "MissingWidth" => 250,
        "Ascent" => 900,
        "Descent" => -250,
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "BaseFont" => "ABCDEF+Verdana",
        "FirstChar" => 97,
        "Widths" => numbers(&[601.0, 623.0]),
        "FontDescriptor" => Object::Reference(descriptor),
        "Encoding" => "WinAnsiEncoding",
    });
    let font = load(&doc, font);
    assert_eq!(widths(&font, b"abc"), vec![0.601, 0.623, 0.25]);
    assert!((font.ascent() - 0.9).abs() < 1e-6 && (font.descent() + 0.25).abs() < 1e-6);
}

#[test]
fn symbolic_truetype_without_encoding_reads_codes_as_winansi() {
    let mut doc = doc();
    let descriptor = doc.add_object(dictionary! { "Type" => "FontDescriptor", "Flags" => 4 });
    let plain = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "BaseFont" => "ABCDEF+Calibri",
        "FontDescriptor" => Object::Reference(descriptor),
        "FirstChar" => 32,
        "Widths" => numbers(&[226.0; 100]),
    });
    let dingbats = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "BaseFont" => "Wingdings-Regular",
        "FontDescriptor" => Object::Reference(descriptor),
    });
    assert_eq!(texts(&load(&doc, plain), b"Ja"), vec![some("J"), some("a")]);
    // A dingbat font's codes are pictures, not letters.
    assert_eq!(texts(&load(&doc, dingbats), b"l"), vec![None]);
}

#[test]
fn symbol_font_uses_its_built_in_encoding() {
    let mut doc = doc();
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Symbol",
    });
    let font = load(&doc, font);
    assert_eq!(texts(&font, b"ab"), vec![some("α"), some("β")]);
    assert_eq!(widths(&font, b"a"), vec![0.631]);
}

#[test]
fn embedded_type1_program_encoding_is_used_when_the_pdf_names_none() {
    // dvips/Ghostscript LaTeX output: CM fonts with their encoding only in the program.
    let mut doc = doc();
    let program = b"%!PS-AdobeFont-1.0: CMR10 003.002\n/FontName /GGAUYO+CMR10 def\n\
        /Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
        dup 12 /fi put\ndup 65 /A put\ndup 235 /edieresis put\nreadonly def\n\
        currentfile eexec\n";
    let file = doc.add_object(Stream::new(
        dictionary! { "Length1" => program.len() as i64, "Length2" => 0, "Length3" => 0 },
        program.to_vec(),
    ));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "Flags" => 4,
        "FontFile" => Object::Reference(file),
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "GGAUYO+CMR10",
        "FirstChar" => 0,
        "Widths" => numbers(&[500.0; 256]),
        "FontDescriptor" => Object::Reference(descriptor),
    });
    let font = load(&doc, font);
    assert_eq!(
        texts(&font, b"\x0CA\xEBB"),
        vec![some("fi"), some("A"), some("ë"), None]
    );
}

/// A symbolic Type1 font (TeX's CMSY) embedded as a bare CFF program whose own
/// encoding puts braceleft and braceright at 0x66 and 0x67, with `encoding` as the
/// PDF's `/Encoding` when given.
fn cff_symbol_font(encoding: Option<&str>) -> Arc<Font> {
    let mut doc = doc();
    let program = super::cff::test_program(&[92, 94], Some(&[0, 2, 0x66, 0x67]), &[]);
    let file = doc.add_object(Stream::new(dictionary! { "Subtype" => "Type1C" }, program));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "Flags" => 4,
        "FontFile3" => Object::Reference(file),
    });
    let mut font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "RFSQHQ+CMSY9",
        "FirstChar" => 0x66,
        "Widths" => numbers(&[508.0, 508.0]),
        "FontDescriptor" => Object::Reference(descriptor),
    };
    if let Some(encoding) = encoding {
        font.set("Encoding", name(encoding));
    }
    let font = doc.add_object(font);
    load(&doc, font)
}

#[test]
fn embedded_cff_program_encoding_is_used_when_the_pdf_names_none() {
    let font = cff_symbol_font(None);
    assert_eq!(texts(&font, b"fg"), vec![some("{"), some("}")]);
}

#[test]
fn encoding_named_by_the_pdf_overrides_the_cff_program_encoding() {
    let font = cff_symbol_font(Some("WinAnsiEncoding"));
    assert_eq!(texts(&font, b"fg"), vec![some("f"), some("g")]);
}

#[test]
fn compressed_tounicode_is_decoded() {
    let mut doc = doc();
    let mut body = String::from("100 beginbfchar\n");
    for code in 0..100 {
        body.push_str(&format!("<{code:02X}> <{:04X}>\n", 0x61 + code % 26));
    }
    body.push_str("endbfchar");
    let mut stream = Stream::new(dictionary! {}, body.into_bytes());
    stream.compress().unwrap();
    assert!(stream.dict.get(b"Filter").is_ok());
    let map = doc.add_object(stream);
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "ToUnicode" => Object::Reference(map),
    });
    assert_eq!(
        texts(&load(&doc, font), b"\x00\x19"),
        vec![some("a"), some("z")]
    );
}

#[test]
fn cache_returns_one_font_per_id_and_parses_a_shared_cmap_once() {
    let mut doc = doc();
    let map = cmap_stream(&mut doc, "1 beginbfchar <41> <0133> endbfchar");
    let font = |doc: &mut Document| {
        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "TrueType",
            "ToUnicode" => Object::Reference(map),
        })
    };
    let (first, second) = (font(&mut doc), font(&mut doc));
    let mut cache = FontCache::new();
    let a = cache.get(&doc, &Object::Reference(first));
    let again = cache.get(&doc, &Object::Reference(first));
    let b = cache.get(&doc, &Object::Reference(second));
    assert!(Arc::ptr_eq(&a, &again));
    assert!(!Arc::ptr_eq(&a, &b));
    assert_eq!(cache.cmaps.len(), 1);
    assert_eq!(texts(&b, b"A"), vec![some("ĳ")]);
}

#[test]
fn font_streams_beyond_the_document_budget_are_not_decoded() {
    let mut doc = doc();
    let map = cmap_stream(&mut doc, "1 beginbfchar <41> <0133> endbfchar");
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "Encoding" => "WinAnsiEncoding",
        "ToUnicode" => Object::Reference(map),
    });
    let mut cache = FontCache::new();
    cache.budget = 10;
    let font = cache.get(&doc, &Object::Reference(font));
    // The map is skipped, the encoding still gives text.
    assert_eq!(texts(&font, b"A"), vec![some("A")]);
}

#[test]
fn huge_bfrange_in_a_font_maps_without_expanding() {
    let mut doc = doc();
    let map = cmap_stream(&mut doc, "1 beginbfrange <0000> <FFFF> <4E00> endbfrange");
    let font = identity_h(&mut doc, cid_font(dictionary! {}), Some(map));
    let mut cache = FontCache::new();
    let font = cache.get(&doc, &Object::Reference(font));
    assert_eq!(
        texts(&font, b"\x00\x00\x00\x05"),
        vec![some("一"), some("\u{4E05}")]
    );
    let cmap = cache.cmaps.values().next().unwrap();
    assert!(!cmap.truncated);
}

#[test]
fn predefined_unicode_cmaps_read_codes_as_utf16() {
    let mut doc = doc();
    let descendant = doc.add_object(cid_font(dictionary! {}));
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "Encoding" => "UniGB-UTF16-H",
        "DescendantFonts" => vec![Object::Reference(descendant)],
    });
    let font = load(&doc, font);
    assert_eq!(
        texts(&font, b"\x4E\x2D\xD8\x3D\xDE\x00"),
        vec![some("中"), some("😀")]
    );
}

#[test]
fn bad_font_objects_fall_back_without_panicking() {
    let mut doc = doc();
    let not_a_dict = doc.add_object(Object::Integer(7));
    let missing = (999, 0);
    let odd = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "FirstChar" => -5,
        "Widths" => vec![Object::string_literal("x"), Object::Real(f32::NAN), Object::Null],
        "Encoding" => 12,
        "ToUnicode" => Object::Reference((888, 0)),
        "FontDescriptor" => "Nope",
        "FontMatrix" => numbers(&[0.0; 6]),
    });
    let type0 = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "Encoding" => Object::Reference(odd),
        "DescendantFonts" => 3,
    });
    let weird_w = identity_h(
        &mut doc,
        cid_font(dictionary! {
            "W" => vec![(-4).into(), 1.into(), 5.into(), Object::Array(vec![]), 1e30.into(), 7.into()],
            "DW" => Object::Real(f32::INFINITY),
        }),
        None,
    );
    let mut cache = FontCache::new();
    for entry in [
        Object::Reference(not_a_dict),
        Object::Reference(missing),
        Object::Reference(odd),
        Object::Reference(type0),
        Object::Reference(weird_w),
        Object::Integer(3),
        Object::Dictionary(dictionary! {}),
    ] {
        let font = cache.get(&doc, &entry);
        for g in font.glyphs(b"\x00\x41\xFF\x20\x01") {
            assert!(g.width.is_finite(), "{entry:?}");
        }
    }
}

#[test]
fn for_each_glyph_agrees_with_glyphs() {
    let mut doc = doc();
    let map = cmap_stream(
        &mut doc,
        "1 beginbfrange <0001> <0003> [<0066> <FB01> <0020>] endbfrange",
    );
    let font = identity_h(&mut doc, cid_font(dictionary! { "DW" => 400 }), Some(map));
    let font = load(&doc, font);
    let bytes = b"\x00\x01\x00\x02\x00\x03\x00\x04";
    let mut seen = Vec::new();
    font.for_each_glyph(bytes, |g| seen.push(g.to_glyph()));
    assert_eq!(seen, font.glyphs(bytes));
    assert_eq!(seen[1].text(), Some("fi"));
}

#[test]
fn fallback_reads_winansi_with_helvetica_widths() {
    let font = Font::fallback();
    let glyphs = font.glyphs(b"a\xEB ");
    assert_eq!(glyphs[0].text(), Some("a"));
    assert_eq!(glyphs[1].text(), Some("ë"));
    assert_eq!(glyphs[0].width, 0.556);
    assert!(glyphs[2].word_space);
}

/// By hand: `cargo test --release corpus_font_report -- --ignored --nocapture`.
/// Decodes every `Tj`/`TJ`/`'`/`"` string of the corpus PDFs (page content only, no
/// forms) and compares the letters with pdftotext's, per file: a check that the font
/// layer turns real fonts into the right characters. Needs ../shared and pdftotext;
/// skips when either is missing. `FONT_REPORT_FILTER=part-of-path` picks files,
/// `FONT_REPORT_TEXT=1` prints the decoded strings.
#[test]
#[ignore]
fn corpus_font_report() {
    use lopdf::content::Content;
    use std::path::Path;
    use std::process::Command;

    // ../shared beside the main checkout; one level further up from a worktree.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = [
        root.join("../shared/corpus"),
        root.join("../../shared/corpus"),
    ]
    .into_iter()
    .find(|p| p.is_dir())
    .unwrap_or_default();
    if !corpus.is_dir() || Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("skipped: no corpus or no pdftotext");
        return;
    }
    let filter = std::env::var("FONT_REPORT_FILTER").unwrap_or_default();
    let mut files: Vec<_> = walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .filter(|p| p.to_string_lossy().contains(&filter))
        .collect();
    files.sort();
    let letters = |s: &str, into: &mut HashMap<char, usize>| {
        for c in s.chars().filter(|c| c.is_alphanumeric()) {
            *into.entry(c).or_default() += 1;
        }
    };
    for path in files {
        let Ok(doc) = Document::load(&path) else {
            continue;
        };
        let mut cache = FontCache::new();
        let (mut glyphs, mut unmapped) = (0usize, 0usize);
        let mut ours = HashMap::new();
        for (_, page) in doc.get_pages() {
            let mut fonts: HashMap<Vec<u8>, Object> = HashMap::new();
            if let Ok((inline, ids)) = doc.get_page_resources(page) {
                let dicts = inline
                    .into_iter()
                    .chain(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
                for res in dicts {
                    if let Ok(Object::Dictionary(f)) = res
                        .get(b"Font")
                        .map(|o| doc.dereference(o).map_or(&Object::Null, |x| x.1))
                    {
                        for (k, v) in f.iter() {
                            fonts.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                }
            }
            let Ok(content) = doc.get_page_content_with_limit(page, 64 << 20) else {
                continue;
            };
            let Ok(content) = Content::decode(&content) else {
                continue;
            };
            let mut font = Arc::new(Font::fallback());
            let mut text = String::new();
            for op in content.operations {
                let strings: Vec<&[u8]> = match op.operator.as_str() {
                    "Tf" => {
                        if let Some(entry) = op
                            .operands
                            .first()
                            .and_then(|n| n.as_name().ok())
                            .and_then(|n| fonts.get(n))
                        {
                            font = cache.get(&doc, entry);
                        }
                        continue;
                    }
                    "Tj" | "'" | "\"" => {
                        op.operands.iter().filter_map(|o| o.as_str().ok()).collect()
                    }
                    "TJ" => op
                        .operands
                        .first()
                        .and_then(|a| a.as_array().ok())
                        .map(|a| a.iter().filter_map(|o| o.as_str().ok()).collect())
                        .unwrap_or_default(),
                    _ => continue,
                };
                for s in strings {
                    font.for_each_glyph(s, |g| {
                        glyphs += 1;
                        match g.text {
                            Some(t) => text.push_str(t),
                            None => unmapped += 1,
                        }
                    });
                }
            }
            if std::env::var_os("FONT_REPORT_TEXT").is_some() {
                eprintln!("{text}");
            }
            letters(&text, &mut ours);
        }
        let out = Command::new("pdftotext").arg(&path).arg("-").output();
        let theirs_text = out
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default();
        let mut theirs = HashMap::new();
        letters(&theirs_text, &mut theirs);
        let common: usize = theirs
            .iter()
            .map(|(c, n)| (*n).min(*ours.get(c).unwrap_or(&0)))
            .sum();
        let (t, o): (usize, usize) = (theirs.values().sum(), ours.values().sum());
        eprintln!(
            "{:>7} glyphs {:>6} unmapped  recall {:.3}  precision {:.3}  {}",
            glyphs,
            unmapped,
            common as f64 / t.max(1) as f64,
            common as f64 / o.max(1) as f64,
            path.strip_prefix(&corpus).unwrap_or(&path).display()
        );
    }
}

#[test]
fn glyphs_a_tounicode_map_leaves_out_are_read_from_the_embedded_cmap() {
    // A ToUnicode map for the letters only; the space glyph (3) is in the program's cmap.
    // No /W, so nothing tells which glyphs the map was meant to cover.
    let mut doc = doc();
    let program = super::truetype::test_font(&[(0x20, 3), (0x41, 4)]);
    let file = doc.add_object(Stream::new(dictionary! {}, program));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontFile2" => Object::Reference(file),
    });
    let to_unicode = cmap_stream(
        &mut doc,
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
         1 beginbfchar <0004> <0041> endbfchar",
    );
    let font = identity_h(
        &mut doc,
        cid_font(dictionary! { "FontDescriptor" => Object::Reference(descriptor) }),
        Some(to_unicode),
    );
    assert_eq!(
        texts(&load(&doc, font), b"\x00\x04\x00\x03\x00\x04"),
        vec![some("A"), some(" "), some("A")]
    );
}

/// A Type3 font whose `/Differences` name codes from `first` on.
fn type3_named(doc: &mut Document, encoding: Dictionary) -> ObjectId {
    doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type3",
        "FontMatrix" => numbers(&[0.001, 0.0, 0.0, 0.001, 0.0, 0.0]),
        "FontBBox" => numbers(&[0.0, -200.0, 900.0, 700.0]),
        "FirstChar" => 0,
        "LastChar" => 255,
        "Widths" => Object::Array(vec![Object::Integer(500); 256]),
        "Encoding" => encoding,
        "CharProcs" => dictionary! {},
        "Resources" => dictionary! {},
    })
}

#[test]
fn type3_glyphs_named_by_their_decimal_code_read_as_tex_text() {
    // dvips bitmap fonts: /a65 at code 65, /a233 at 233, /a28 (the T1 fi) at 28.
    let mut doc = doc();
    let font = type3_named(
        &mut doc,
        dictionary! { "Differences" => vec![
            28.into(), name("a28"), 65.into(), name("a65"), name("a66"), 233.into(), name("a233"),
        ] },
    );
    assert_eq!(
        texts(&load(&doc, font), b"\x41\x42\x1c\xe9"),
        vec![some("A"), some("B"), some("fi"), some("é")]
    );
}

#[test]
fn type3_glyphs_named_by_their_hex_code_read_as_the_code() {
    let mut doc = doc();
    let font = type3_named(
        &mut doc,
        dictionary! { "Differences" => vec![
            32.into(), name("C20"), 44.into(), name("C2c"), 65.into(), name("C41"), name("C42"),
        ] },
    );
    assert_eq!(
        texts(&load(&doc, font), b"A,B"),
        vec![some("A"), some(","), some("B")]
    );
}

#[test]
fn numbered_names_that_are_not_the_code_stay_unmapped() {
    // Glyph numbers (/g23 at code 65): nothing says what they are.
    let mut doc = doc();
    let font = type3_named(
        &mut doc,
        dictionary! { "Differences" => vec![65.into(), name("g23"), name("g24"), name("g31")] },
    );
    assert_eq!(texts(&load(&doc, font), b"AB"), vec![None, None]);
}

#[test]
fn type3_names_of_its_own_fall_back_to_the_base_encoding_it_names() {
    let mut doc = doc();
    let font = type3_named(
        &mut doc,
        dictionary! {
            "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![97.into(), name("CP"), 99.into(), name("CR")],
        },
    );
    assert_eq!(texts(&load(&doc, font), b"ac"), vec![some("a"), some("c")]);
}

#[test]
fn tounicode_entry_of_a_control_character_gives_way_to_the_encoding() {
    // A producer's slip: the `c` mapped to U+000D.
    let mut doc = doc();
    let map = cmap_stream(
        &mut doc,
        "1 begincodespacerange <00> <FF> endcodespacerange\n\
         1 beginbfrange <63> <63> <000D> endbfrange",
    );
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
        "ToUnicode" => Object::Reference(map),
    });
    assert_eq!(texts(&load(&doc, font), b"c"), vec![some("c")]);
}

#[test]
fn encoding_cmap_with_cids_written_as_bfchar_reaches_the_program_cmap() {
    // Codes are Unicode, the CMap's bfchar entries give the glyph (CID) numbers, and the
    // embedded program's cmap says what the glyphs are.
    let mut doc = doc();
    let encoding = cmap_stream(
        &mut doc,
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
         2 beginbfchar <0043> <0005> <0068> <0006> endbfchar",
    );
    let program = super::truetype::test_font(&[(0x43, 5), (0x68, 6)]);
    let file = doc.add_object(Stream::new(dictionary! {}, program));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontFile2" => Object::Reference(file),
    });
    let descendant = doc.add_object(cid_font(
        dictionary! { "FontDescriptor" => Object::Reference(descriptor) },
    ));
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "Encoding" => Object::Reference(encoding),
        "ToUnicode" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(descendant)],
    });
    assert_eq!(
        texts(&load(&doc, font), b"\x00\x43\x00\x68"),
        vec![some("C"), some("h")]
    );
}

#[test]
fn identity_codes_nothing_maps_are_offered_as_unicode_guesses() {
    // No ToUnicode, no program, Identity ordering: the code read as Unicode is a guess
    // for the page to judge; a registered collection's CIDs are not.
    let mut doc = doc();
    let font = identity_h(&mut doc, cid_font(dictionary! {}), None);
    let font = load(&doc, font);
    assert_eq!(texts(&font, b"\x00\xfd"), vec![None]);
    assert_eq!(font.unicode_guess(0xfd), Some('ý'));
    let mut japan = cid_font(dictionary! {});
    japan.set(
        "CIDSystemInfo",
        dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Japan1"),
            "Supplement" => 2,
        },
    );
    let font = identity_h(&mut doc, japan, None);
    assert_eq!(load(&doc, font).unicode_guess(0x35), None);
}

#[test]
fn unicode_cmap_codes_find_their_widths_under_the_collections_cids() {
    // UniJIS-UCS2-H: code U+3042 (あ) is Adobe-Japan1 CID 843, which /W makes half an em.
    let mut doc = doc();
    let descendant = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType0",
        "BaseFont" => "KozMinPro-Regular",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Japan1"),
            "Supplement" => 6,
        },
        "W" => vec![843.into(), Object::Array(vec![500.into()])],
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "Encoding" => "UniJIS-UCS2-H",
        "DescendantFonts" => vec![Object::Reference(descendant)],
    });
    let font = load(&doc, font);
    assert_eq!(
        texts(&font, b"\x30\x42\x30\x44"),
        vec![some("あ"), some("い")]
    );
    assert_eq!(widths(&font, b"\x30\x42\x30\x44"), vec![0.5, 1.0]);
}
