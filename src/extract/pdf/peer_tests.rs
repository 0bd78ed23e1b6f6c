//! One small PDF per kind of text loss that other readers' test suites showed (issue 13):
//! each test builds the file here, byte by byte where the damage is one lopdf's writer
//! would never produce, and checks one behaviour.

use super::*;
use lopdf::dictionary;

/// A PDF written by hand from object bodies (object `n` is `objects[n - 1]`), with a
/// correct cross-reference table, so that any damage is only what the bodies hold.
fn raw_pdf(objects: &[&[u8]]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let table = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{table}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A one-page PDF whose page draws content stream object 5 (`stream`, written whole,
/// dictionary and all) with Helvetica as `/F1`.
fn page_with_stream(stream: &[u8]) -> Vec<u8> {
    page_with(b"", b"", stream, &[])
}

/// A one-page PDF: Helvetica is `/F1` (object 4), `resources` are added to the page's
/// resources and `fonts` to its font resources, the page draws object 5 (`stream`) and
/// `extra` are objects 6, 7, ...
fn page_with(resources: &[u8], fonts: &[u8], stream: &[u8], extra: &[&[u8]]) -> Vec<u8> {
    let page = [
        &b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 5 0 R "[..],
        b"/Resources << /Font << /F1 4 0 R ",
        fonts,
        b" >> ",
        resources,
        b" >> >>",
    ]
    .concat();
    let mut objects: Vec<&[u8]> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        &page,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        stream,
    ];
    objects.extend_from_slice(extra);
    raw_pdf(&objects)
}

/// A stream object body holding `data`, with its right length.
fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

fn run(bytes: &[u8]) -> Extraction {
    extract(bytes, &Options::default())
}

fn text(extraction: &Extraction) -> String {
    let pages: Vec<&str> = extraction.pages.iter().map(|p| p.text.as_str()).collect();
    pages.join("\u{c}")
}

// Cause 1: stream length.

#[test]
fn content_stream_without_length_is_read_up_to_endstream_with_a_note() {
    let got = run(&page_with_stream(
        b"<< >>\nstream\nBT /F1 12 Tf 10 50 Td (Hallo wereld) Tj ET\nendstream",
    ));
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Hallo wereld");
    assert!(got.message.contains("without /Length"), "{}", got.message);
}

#[test]
fn too_long_length_with_endstream_after_the_last_operator_is_repaired_with_a_note() {
    let got = run(&page_with_stream(
        b"<< /Length 90 >>\nstream\nBT /F1 12 Tf 10 50 Td (Hallo wereld) Tj ET endstream",
    ));
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Hallo wereld");
    assert!(got.message.contains("wrong /Length"), "{}", got.message);
}

// Cause 2: glyphs without Unicode.

#[test]
fn mapped_text_is_kept_beside_a_mostly_unmapped_font_and_the_note_counts_the_rest() {
    // Twenty glyphs of a CID font that says nothing of their text (glyph numbers, which
    // as Unicode would read "$%&'()0123456789@ABC"), and one mapped word.
    let got = run(&page_with(
        b"",
        b"/C 6 0 R",
        &stream(
            "",
            b"BT /C 12 Tf 10 70 Td <0024002500260027002800290030003100320033\
              0034003500360037003800390040004100420043> Tj ET \
              BT /F1 12 Tf 10 40 Td (2021) Tj ET",
        ),
        &[b"<< /Type /Font /Subtype /Type0 /BaseFont /Onbekend /Encoding /Identity-H >>"],
    ));
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "2021");
    assert!(
        got.message
            .contains("20 glyphs without Unicode mapping left out on 1 page"),
        "{}",
        got.message
    );
}

#[test]
fn a_word_closes_over_an_unmapped_ligature() {
    // "so", a ligature glyph (code 9) that the ToUnicode map leaves out, "ware".
    let got = cid_page(
        "Identity-H",
        "soware",
        b"BT /C 12 Tf 20 50 Td <0001000200090003000400050006> Tj ET",
    );
    assert_eq!(text(&got), "soware");
}

#[test]
fn letters_scattered_among_mostly_unmapped_glyphs_are_not_glued_together() {
    // Three mapped letters among six glyphs the ToUnicode map leaves out (code 9), as a
    // font that maps only some forms of a script draws: one unmapped glyph between a and
    // b, two between b and c. Closing over them would read "abc", a word the page does
    // not hold.
    let got = cid_page(
        "Identity-H",
        "abc",
        b"BT /C 12 Tf 20 50 Td <000900010009000200090009000300090009> Tj ET",
    );
    assert_eq!(text(&got), "a b c");
}

// Cause 3: word spaces.

#[test]
fn code_32_made_notdef_by_differences_still_separates_words() {
    let got = run(&page_with(
        b"",
        b"/N 6 0 R",
        &stream("", b"BT /N 12 Tf 10 50 Td (Woorden met spaties) Tj ET"),
        &[b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
            /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [32 /.notdef] >> >>"],
    ));
    assert_eq!(text(&got), "Woorden met spaties");
    assert!(got.message.is_empty(), "{}", got.message);
}

#[test]
fn space_glyph_counts_where_the_pen_moves_on_though_widths_are_all_one_em() {
    // Every glyph declared 1 em wide and pulled back by TJ to its real width, as some
    // producers write: the gaps between glyph boxes are all negative, but the pen moves
    // on a quarter em at each space glyph.
    let cmap = stream(
        "",
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
          1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
          3 beginbfchar <0001> <0020> <0002> <0061> <0003> <0062> endbfchar\n\
          endcmap CMapName currentdict /CMap defineresource pop end end",
    );
    let got = run(&page_with(
        b"",
        b"/C 6 0 R",
        &stream(
            "",
            b"BT /C 12 Tf 10 50 Td \
              [<0002>500<0003>500<0001>750<0002>500<0003>500<0002>500<0001>750<0003>500] TJ ET",
        ),
        &[
            b"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H \
              /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial /DW 1000 \
              /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
            &cmap,
        ],
    ));
    assert_eq!(text(&got), "ab aba b");
}

#[test]
fn ligature_glyphs_are_not_taken_for_letter_spacing() {
    // "f ff fi ffi" of a TeX font, set apart by a third of an em without space glyphs:
    // one glyph per word, but words of more than one letter.
    let got = run(&page_with(
        b"",
        b"/T 6 0 R",
        &stream(
            "",
            b"BT /T 12 Tf 10 50 Td [(Test:) -333 (f) -333 <0b> -333 <0c> -333 <0e>] TJ ET",
        ),
        &[
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
            /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [11 /ff /fi 14 /ffi] >> \
            /FirstChar 11 /LastChar 122 /Widths 7 0 R >>",
            &widths_11_to_122(),
        ],
    ));
    assert_eq!(text(&got), "Test: f ff fi ffi");
}

/// Widths for codes 11 to 122: half an em, a third for the space and the letter f.
fn widths_11_to_122() -> Vec<u8> {
    let widths: Vec<&str> = (11..=122)
        .map(|c| if c == 32 || c == 102 { "333" } else { "500" })
        .collect();
    format!("[{}]", widths.join(" ")).into_bytes()
}

// Cause 4: text that is not on the page.

#[test]
fn text_outside_the_crop_box_is_left_out() {
    // The page is 300 x 100 with a crop box of its top half; a line below the crop box,
    // one right of the media box and one inside.
    let bytes = raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 100] >>",
        b"<< /Type /Page /Parent 2 0 R /CropBox [0 50 300 100] \
          /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        &stream(
            "",
            b"BT /F1 12 Tf 10 70 Td (Zichtbaar) Tj ET \
              BT /F1 12 Tf 10 20 Td (Afgesneden) Tj ET \
              BT /F1 12 Tf 320 70 Td (Ernaast) Tj ET",
        ),
    ]);
    assert_eq!(text(&run(&bytes)), "Zichtbaar");
}

#[test]
fn optional_content_off_in_the_default_view_is_left_out() {
    // Layer 6 is off by default, layer 7 on; a form in layer 6 is hidden too.
    let bytes = raw_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R \
          /OCProperties << /OCGs [6 0 R 7 0 R] /D << /OFF [6 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 5 0 R \
          /Resources << /Font << /F1 4 0 R >> /Properties << /L1 6 0 R /L2 7 0 R >> \
          /XObject << /Fm 8 0 R >> >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        &stream(
            "",
            b"/OC /L1 BDC BT /F1 12 Tf 10 70 Td (Verborgen) Tj ET EMC \
              /OC /L2 BDC BT /F1 12 Tf 10 50 Td (Zichtbaar) Tj ET EMC /Fm Do",
        ),
        b"<< /Type /OCG /Name (Uit) >>",
        b"<< /Type /OCG /Name (Aan) >>",
        &stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 300 100] /OC 6 0 R \
             /Resources << /Font << /F1 4 0 R >> >>",
            b"BT /F1 12 Tf 10 30 Td (Ook verborgen) Tj ET",
        ),
    ]);
    assert_eq!(text(&run(&bytes)), "Zichtbaar");
}

// Cause 5: encryption.

/// A one-page document with a line of Helvetica text, built with lopdf and encrypted
/// as `version` says, with a file identifier as the algorithms need.
fn encrypted_doc(
    version: impl FnOnce(&lopdf::Document) -> lopdf::EncryptionVersion<'_>,
) -> lopdf::Document {
    use lopdf::EncryptionState;
    let mut doc = lopdf::Document::with_version("1.7");
    let pages = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let content = doc.add_object(lopdf::Stream::new(
        dictionary! {},
        b"BT /F1 12 Tf 10 50 Td (Geheim verslag) Tj ET".to_vec(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "MediaBox" => vec![0.into(), 0.into(), 300.into(), 100.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        "Contents" => content,
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"fedcba9876543210".to_vec()),
        ]),
    );
    let state = EncryptionState::try_from(version(&doc)).expect("an encryption state");
    doc.encrypt(&state).expect("encrypts");
    doc
}

fn saved(mut doc: lopdf::Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("saves");
    out
}

/// The document's encryption dictionary, to be edited.
fn encrypt_dict(doc: &mut lopdf::Document) -> &mut lopdf::Dictionary {
    let id = doc
        .trailer
        .get(b"Encrypt")
        .and_then(Object::as_reference)
        .expect("encrypted");
    doc.get_dictionary_mut(id).expect("a dictionary")
}

fn with_password(password: &str) -> Options {
    Options {
        password: Some(password.into()),
        ..Options::default()
    }
}

fn aes256(user: &'static str) -> impl FnOnce(&lopdf::Document) -> lopdf::EncryptionVersion<'_> {
    move |_| {
        use lopdf::encryption::crypt_filters::{Aes256CryptFilter, CryptFilter};
        let filter: std::sync::Arc<dyn CryptFilter> = std::sync::Arc::new(Aes256CryptFilter);
        lopdf::EncryptionVersion::V5 {
            encrypt_metadata: true,
            crypt_filters: std::collections::BTreeMap::from([(b"StdCF".to_vec(), filter)]),
            file_encryption_key: &[7u8; 32],
            stream_filter: b"StdCF".to_vec(),
            string_filter: b"StdCF".to_vec(),
            owner_password: "eigenaar",
            user_password: user,
            permissions: lopdf::Permissions::all(),
        }
    }
}

#[test]
fn aes256_with_a_utf8_password_and_the_dictionary_in_the_trailer_opens() {
    let mut doc = encrypted_doc(aes256("æøå"));
    // Written in the trailer itself, as cpdf does.
    let id = doc
        .trailer
        .get(b"Encrypt")
        .and_then(Object::as_reference)
        .unwrap();
    let dict = doc.objects.remove(&id).unwrap();
    doc.trailer.set("Encrypt", dict);
    let bytes = saved(doc);
    let got = extract(&bytes, &with_password("æøå"));
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Geheim verslag");
    let wrong = extract(&bytes, &with_password("aeoa"));
    assert_eq!(wrong.status, Status::Encrypted, "{}", wrong.message);
    assert!(wrong.message.contains("does not open"), "{}", wrong.message);
}

#[test]
fn crypt_filters_given_by_reference_decrypt_the_pages() {
    let mut doc = encrypted_doc(aes256(""));
    let cf = encrypt_dict(&mut doc).get(b"CF").unwrap().clone();
    let cf_id = doc.add_object(cf);
    encrypt_dict(&mut doc).set("CF", cf_id);
    let got = run(&saved(doc));
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Geheim verslag");
}

#[test]
fn rc4_crypt_filter_of_40_bits_opens_with_the_empty_password() {
    // 40-bit RC4 (revision 3 derives the key as revision 4 does when the metadata is
    // encrypted), described the V4 way: a crypt filter of 5 bytes.
    let mut doc = encrypted_doc(|doc| lopdf::EncryptionVersion::V2 {
        document: doc,
        owner_password: "eigenaar",
        user_password: "",
        key_length: 40,
        permissions: lopdf::Permissions::all(),
    });
    let dict = encrypt_dict(&mut doc);
    dict.set("V", 4);
    dict.set("R", 4);
    dict.set(
        "CF",
        dictionary! { "StdCF" => dictionary! {
            "CFM" => "V2", "Length" => 5, "AuthEvent" => "DocOpen",
        } },
    );
    dict.set("StmF", "StdCF");
    dict.set("StrF", "StdCF");
    let got = run(&saved(doc));
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Geheim verslag");
}

#[test]
fn file_with_only_its_attachments_encrypted_reads_without_a_password() {
    let mut doc = encrypted_doc(aes256("leerling"));
    // The pages were never encrypted: strings and streams use the Identity filter.
    let dict = encrypt_dict(&mut doc);
    dict.set("StmF", "Identity");
    dict.set("StrF", "Identity");
    dict.set("EFF", "StdCF");
    let mut doc_plain = doc;
    let plain_content = lopdf::Stream::new(
        dictionary! {},
        b"BT /F1 12 Tf 10 50 Td (Open verslag) Tj ET".to_vec(),
    );
    let content_id = doc_plain
        .objects
        .iter()
        .find(|(_, o)| o.as_stream().is_ok())
        .map(|(id, _)| *id)
        .unwrap();
    doc_plain
        .objects
        .insert(content_id, Object::Stream(plain_content));
    let got = run(&saved(doc_plain));
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Open verslag");
}

// Cause 6: fonts without a usable ToUnicode.

/// A page drawing `codes` (hex) in a Type0 Identity-H font that nothing maps.
fn unmapped_identity_page(codes: &str) -> Extraction {
    run(&page_with(
        b"",
        b"/C 6 0 R",
        &stream(
            "",
            format!("BT /C 12 Tf 10 50 Td <{codes}> Tj ET").as_bytes(),
        ),
        &[
            b"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H \
              /DescendantFonts [7 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial /DW 500 \
              /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        ],
    ))
}

#[test]
fn identity_codes_that_spell_writing_are_read_as_unicode() {
    // "Výbava na přání", written as Unicode code points.
    let got =
        unmapped_identity_page("005600fd00620061007600610020006e006100200070015900e1006e00ed");
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Výbava na přání");
}

#[test]
fn identity_codes_that_are_glyph_numbers_stay_unmapped() {
    // "Hello world" in Arial's glyph numbers (h is 75, space 3): noise as Unicode.
    let got = unmapped_identity_page("002b0048004f004f0052000300500052");
    assert_eq!(got.status, Status::NoText, "{}", got.message);
    assert!(got.message.contains("without Unicode"), "{}", got.message);
}

// Cause 7: direction and order.

#[test]
fn negative_font_size_reads_forwards() {
    // Tf -12 turns the glyphs half round and runs them leftwards from x = 200.
    let got = run(&page_with_stream(&stream(
        "",
        b"BT /F1 -12 Tf 200 50 Td (Tekst op zijn kop) Tj ET",
    )));
    assert_eq!(text(&got), "Tekst op zijn kop");
}

/// A ToUnicode map giving codes 1, 2, 3, ... the characters of `chars`.
fn to_unicode_of(chars: &str) -> Vec<u8> {
    let entries: String = chars
        .chars()
        .enumerate()
        .map(|(i, c)| format!("<{:04X}> <{:04X}>\n", i + 1, c as u32))
        .collect();
    stream(
        "",
        format!(
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
             1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
             {} beginbfchar\n{entries}endbfchar\n\
             endcmap CMapName currentdict /CMap defineresource pop end end",
            chars.chars().count()
        )
        .as_bytes(),
    )
}

/// A page drawing `content` with `/C`, a Type0 font of encoding `encoding` whose codes
/// 1, 2, 3, ... are the characters of `chars`.
fn cid_page(encoding: &str, chars: &str, content: &[u8]) -> Extraction {
    let font = format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /{encoding} \
         /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>"
    );
    run(&page_with(
        b"",
        b"/C 6 0 R",
        &stream("", content),
        &[
            font.as_bytes(),
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test /DW 600 \
              /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
            &to_unicode_of(chars),
        ],
    ))
}

#[test]
fn vertical_text_with_negative_character_spacing_runs_down() {
    // Tc -2 in vertical writing: each glyph steps down one em and two units more.
    let got = cid_page(
        "Identity-V",
        "ABCDE",
        b"BT /C 10 Tf -2 Tc 100 90 Td <00010002000300040005> Tj ET",
    );
    assert_eq!(text(&got), "ABCDE");
}

#[test]
fn two_strings_drawn_at_one_place_are_not_interleaved() {
    let got = run(&page_with_stream(&stream(
        "",
        b"BT /F1 12 Tf 20 50 Td (Hallo, wereld!) Tj ET BT /F1 12 Tf 20 50 Td (Groeten, wereld!) Tj ET",
    )));
    assert_eq!(text(&got), "Hallo, wereld!\nGroeten, wereld!");
}

#[test]
fn hebrew_drawn_left_to_right_reads_in_logical_order() {
    // "שלום עולם" drawn as it shows: from the left, ם ל ו ע, a space, ם ו ל ש.
    let got = cid_page(
        "Identity-H",
        "שלוםע ",
        b"BT /C 12 Tf 20 50 Td <000400020003000500060004000300020001> Tj ET",
    );
    assert_eq!(text(&got), "שלום עולם");
}

#[test]
fn sheared_lines_read_as_lines() {
    // A text matrix that slants the baseline down by 26.6 degrees; two lines.
    let got = run(&page_with_stream(&stream(
        "",
        b"BT /F1 10 Tf 1.4 -0.7 0.7 0.7 20 90 Tm 14 TL (Schuine regel een) Tj T* \
          (Schuine regel twee) Tj ET",
    )));
    assert_eq!(text(&got), "Schuine regel een\nSchuine regel twee");
}

// Cause 8: CJK without ToUnicode.

/// A page drawing the hex string `codes` with `/C`, a non-embedded Type0 font (no
/// ToUnicode) of Adobe-Japan1 CIDs whose `/Encoding` is `encoding` (a name or a reference).
fn japan1_page(encoding: &str, codes: &str, extra: &[&[u8]]) -> Extraction {
    let font = format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /Ryumin-Light /Encoding {encoding} \
         /DescendantFonts [7 0 R] >>"
    );
    let mut objects: Vec<&[u8]> = vec![
        font.as_bytes(),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Ryumin-Light \
          /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> >>",
    ];
    objects.extend_from_slice(extra);
    run(&page_with(
        b"",
        b"/C 6 0 R",
        &stream(
            "",
            format!("BT /C 12 Tf 10 50 Td <{codes}> Tj ET").as_bytes(),
        ),
        &objects,
    ))
}

#[test]
fn shift_jis_string_in_a_90ms_rksj_h_font_reads_as_japanese() {
    // "日本語 ABC" in Shift-JIS: two-byte kanji and one-byte ASCII, split by the CMap's
    // code-space ranges.
    let got = japan1_page("/90ms-RKSJ-H", "93fa967b8cea20414243", &[]);
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "日本語 ABC");
}

#[test]
fn adobe_japan1_cids_without_tounicode_read_through_the_collection_table() {
    // あいうえお are Adobe-Japan1 CIDs 843, 845, 847, 849 and 851.
    let got = japan1_page("/Identity-H", "034b034d034f03510353", &[]);
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "あいうえお");
}

#[test]
fn embedded_cmap_that_uses_a_predefined_one_falls_back_to_it() {
    // The file's CMap gives code <8140> (an ideographic space in Shift-JIS) CID 843 (あ)
    // and leaves every other code, and the code space, to 90ms-RKSJ-H: <93fa> is 日.
    let cmap = stream(
        "/Type /CMap /CMapName /Test-RKSJ-H",
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
          /90ms-RKSJ-H usecmap\n\
          1 begincidchar <8140> 843 endcidchar\n\
          endcmap CMapName currentdict /CMap defineresource pop end end",
    );
    let got = japan1_page("8 0 R", "814093fa", &[&cmap]);
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "あ日");
}

#[test]
fn gbk_bytes_in_a_winansi_font_named_for_a_chinese_system_font_read_as_chinese() {
    // 宋体 (SimSun) in GBK bytes, not embedded, "WinAnsi": the strings are GBK, 中文 here.
    let got = run(&page_with(
        b"",
        b"/S 6 0 R",
        &stream("", b"BT /S 12 Tf 10 50 Td <D6D0CEC4> Tj ET"),
        &[
            b"<< /Type /Font /Subtype /TrueType /BaseFont /#CB#CE#CC#E5 \
              /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 32 /Widths [500] >>",
        ],
    ));
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "中文");
}
