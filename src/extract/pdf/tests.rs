//! End-to-end tests of the PDF engine on small documents built here with lopdf: the cases
//! of section 7 of the research note that belong to the engine (fonts are tested in the
//! font module). Content streams are written by hand so that each test controls exactly
//! where every glyph goes.

use super::*;
use lopdf::{Dictionary, Stream, dictionary};
use std::time::Duration;

/// Helvetica's advance widths (thousandths of an em) for codes 32 to 126, from its AFM
/// metrics; codes above 126 get 556 (the width of most accented lower-case letters).
const HELVETICA: [i64; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 32-47
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 48-63
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 64-79
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 80-95
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 96-111
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 112-126
];

fn helvetica() -> Dictionary {
    let widths: Vec<Object> = (32..=255)
        .map(|code| Object::Integer(HELVETICA.get(code - 32).copied().unwrap_or(556)))
        .collect();
    dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
        "FirstChar" => 32,
        "LastChar" => 255,
        "Widths" => widths,
    }
}

/// Builds a small PDF: pages from hand-written content streams, Helvetica as `/F1`.
struct TestPdf {
    doc: Document,
    pages: ObjectId,
    font: ObjectId,
    kids: Vec<Object>,
}

impl TestPdf {
    fn new() -> TestPdf {
        let mut doc = Document::with_version("1.5");
        let pages = doc.new_object_id();
        let font = doc.add_object(helvetica());
        TestPdf {
            doc,
            pages,
            font,
            kids: Vec::new(),
        }
    }

    fn resources(&self) -> Dictionary {
        dictionary! { "Font" => dictionary! { "F1" => self.font } }
    }

    fn page(&mut self, content: &str) -> ObjectId {
        let resources = self.resources();
        self.page_with(content, resources)
    }

    fn page_with(&mut self, content: &str, resources: Dictionary) -> ObjectId {
        let contents = self
            .doc
            .add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let page = self.doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => self.pages,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => contents,
            "Resources" => resources,
        });
        self.kids.push(page.into());
        page
    }

    /// A Form XObject drawing `content`, with its own resources and matrix.
    fn form(&mut self, content: &str, resources: Dictionary, matrix: [f32; 6]) -> ObjectId {
        let matrix: Vec<Object> = matrix.iter().map(|&v| Object::Real(v)).collect();
        self.doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Matrix" => matrix,
                "Resources" => resources,
            },
            content.as_bytes().to_vec(),
        ))
    }

    fn finish(mut self) -> Document {
        let count = self.kids.len() as i64;
        self.doc.objects.insert(
            self.pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => self.kids,
                "Count" => count,
            }),
        );
        let catalog = self.doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => self.pages,
        });
        self.doc.trailer.set("Root", catalog);
        self.doc
    }

    fn bytes(self) -> Vec<u8> {
        save(self.finish())
    }
}

fn save(mut doc: Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("a built document saves");
    out
}

fn run(bytes: &[u8]) -> Extraction {
    extract(bytes, &Options::default())
}

fn one_page(content: &str) -> Extraction {
    let mut pdf = TestPdf::new();
    pdf.page(content);
    run(&pdf.bytes())
}

fn text(extraction: &Extraction) -> String {
    extraction
        .pages
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\x0c")
}

fn collapsed(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// Case 1
#[test]
fn words_placed_by_td_get_spaces_and_lines() {
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td (het) Tj 20 0 Td (nieuwe) Tj 42 0 Td (schoolplan) Tj \
         -62 -14 Td (passend) Tj 48 0 Td (onderwijs) Tj ET",
    );
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "het nieuwe schoolplan\npassend onderwijs");
}

// Case 2
#[test]
fn tj_kerning_joins_and_word_gaps_split() {
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td [(zorg)-30(plicht)] TJ 0 -14 Td [(passend)-250(onderwijs)] TJ \
         0 -14 Td [(goede)-170(doelen)] TJ ET",
    );
    assert_eq!(text(&got), "zorgplicht\npassend onderwijs\ngoede doelen");
}

// Case 3
#[test]
fn letter_spaced_heading_stays_one_word() {
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td 3 Tc (VISIE) Tj 0 Tc 0 -14 Td (Onze visie) Tj ET \
         BT /F1 12 Tf 72 640 Td (M) Tj 14 0 Td (I) Tj 7 0 Td (S) Tj 12 0 Td (S) Tj 12 0 Td (I) Tj \
         7 0 Td (E) Tj ET",
    );
    assert_eq!(text(&got), "VISIE\nOnze visie\n\nMISSIE");
}

#[test]
fn single_letters_that_change_from_lower_to_upper_case_are_no_letter_spaced_word() {
    // The same third of an em between the letters of every line, as TeX sets a word
    // space: a list of letters and their capitals stays apart; a spaced word closes up,
    // also one with a capital inside.
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td [(e) -333 (E) -333 (a) -333 (A) -333 (o) -333 (O)] TJ \
         0 -14 Td [(M) -333 (i) -333 (s) -333 (s) -333 (i) -333 (e)] TJ \
         0 -14 Td [(s) -333 (c) -333 (h) -333 (o) -333 (o) -333 (l) -333 (P) -333 (l) -333 \
         (a) -333 (n)] TJ ET",
    );
    assert_eq!(text(&got), "e E a A o O\nMissie\nschoolPlan");
}

#[test]
fn toc_line_with_dot_leaders_keeps_its_word_spaces() {
    // As TeX sets a table of contents: words a third of an em apart, then a row of dots
    // half an em apart up to the page number. The dots are no letters, so they do not make
    // the line letter-spaced. A letter-spaced title still closes up, also before dots set
    // closer together than its letters.
    let leaders = "(.) -500 ".repeat(12);
    let close_leaders = "(.) -150 ".repeat(12);
    let got = one_page(&format!(
        "BT /F1 12 Tf 72 700 Td [(3.5) -333 (Werking) -333 (van) -333 (de) -333 (FLS) -333 \
         (monitor) -500 {leaders} (16)] TJ \
         0 -14 Td [(M) -300 (I) -300 (S) -300 (S) -300 (I) -300 (E) -500 {close_leaders} (3)] TJ \
         ET"
    ));
    let text = text(&got);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0].split(" .").next(),
        Some("3.5 Werking van de FLS monitor"),
        "{text}"
    );
    assert!(lines[1].starts_with("MISSIE ."), "{text}");
}

// Case 5
#[test]
fn line_end_hyphens_rejoin_the_dutch_way() {
    let got = one_page(
        "BT /F1 12 Tf 14 TL 72 700 Td (Wij krij-) Tj T* (gen een plan voor taal-) Tj \
         T* (en rekenonderwijs in Noord-) Tj T* (Brabant en evalu\\255) Tj T* (atie.) Tj ET",
    );
    assert_eq!(
        collapsed(&text(&got)),
        "Wij krijgen een plan voor taal- en rekenonderwijs in Noord-Brabant en evaluatie."
    );
    assert!(text(&got).starts_with("Wij krijgen\n"), "{}", text(&got));
}

// Case 9
#[test]
fn text_inside_nested_forms_with_own_resources_and_matrix() {
    let mut pdf = TestPdf::new();
    let fonts = pdf.resources();
    let inner = pdf.form(
        "BT /G 12 Tf 0 0 Td (binnen) Tj ET",
        {
            let font = pdf.font;
            dictionary! { "Font" => dictionary! { "G" => font } }
        },
        [1.0, 0.0, 0.0, 1.0, 0.0, -14.0],
    );
    let mut outer_res = fonts.clone();
    outer_res.set("XObject", dictionary! { "Inner" => inner });
    let outer = pdf.form(
        "BT /F1 12 Tf 0 0 Td (buiten) Tj ET /Inner Do",
        outer_res,
        [1.0, 0.0, 0.0, 1.0, 72.0, 700.0],
    );
    // The page's own resources have no font named G: the inner form must use its own.
    pdf.page_with(
        "BT /F1 12 Tf 72 760 Td (pagina) Tj ET /Outer Do",
        dictionary! { "Font" => dictionary! { "F1" => pdf.font }, "XObject" => dictionary! { "Outer" => outer } },
    );
    let got = run(&pdf.bytes());
    assert_eq!(text(&got), "pagina\n\nbuiten\nbinnen");
}

// Case 10
#[test]
fn self_drawing_form_is_drawn_once_and_flagged() {
    let mut pdf = TestPdf::new();
    let id = pdf.doc.new_object_id();
    let mut res = pdf.resources();
    res.set("XObject", dictionary! { "X1" => id });
    let form = Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => res.clone(),
        },
        b"BT /F1 12 Tf 72 700 Td (Lus) Tj ET /X1 Do".to_vec(),
    );
    pdf.doc.objects.insert(id, Object::Stream(form));
    pdf.page_with("BT /F1 12 Tf 72 750 Td (Hallo) Tj ET /X1 Do", res);
    let got = run(&pdf.bytes());
    assert_eq!(got.status, Status::Ok);
    assert_eq!(text(&got), "Hallo\n\nLus");
    assert!(got.message.contains("form_cycle"), "{}", got.message);
}

// Case 11
#[test]
fn looped_page_tree_gives_its_real_page_count() {
    let mut pdf = TestPdf::new();
    pdf.page("BT /F1 12 Tf 72 700 Td (Enige pagina) Tj ET");
    let pages = pdf.pages;
    // Kids: the page, then the tree root itself (a loop), then the page again.
    let page = pdf.kids[0].clone();
    pdf.kids = vec![page.clone(), pages.into(), page];
    let got = run(&pdf.bytes());
    assert_eq!(got.pages.len(), 1);
    assert_eq!(got.pages[0].number, 1);
    assert_eq!(got.pages[0].text, "Enige pagina");
    assert!(got.message.contains("repeat"), "{}", got.message);
}

fn encrypted(cipher: &str, user: &str) -> Vec<u8> {
    use lopdf::encryption::crypt_filters::{Aes128CryptFilter, CryptFilter};
    use lopdf::{EncryptionState, EncryptionVersion, Permissions};
    use std::collections::BTreeMap;
    let mut pdf = TestPdf::new();
    pdf.page("BT /F1 12 Tf 72 700 Td (Geheim schoolplan) Tj ET");
    let mut doc = pdf.finish();
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"fedcba9876543210".to_vec()),
        ]),
    );
    let version = match cipher {
        "rc4" => EncryptionVersion::V2 {
            document: &doc,
            key_length: 128,
            owner_password: "eigenaar",
            user_password: user,
            permissions: Permissions::all(),
        },
        _ => {
            let filter: std::sync::Arc<dyn CryptFilter> = std::sync::Arc::new(Aes128CryptFilter);
            EncryptionVersion::V4 {
                document: &doc,
                encrypt_metadata: true,
                crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), filter)]),
                stream_filter: b"StdCF".to_vec(),
                string_filter: b"StdCF".to_vec(),
                owner_password: "eigenaar",
                user_password: user,
                permissions: Permissions::all(),
            }
        }
    };
    let state = EncryptionState::try_from(version).expect("encryption state");
    doc.encrypt(&state).expect("encrypts");
    save(doc)
}

// Case 12
#[test]
fn owner_password_only_files_open_without_a_password() {
    for cipher in ["rc4", "aes128"] {
        let got = run(&encrypted(cipher, ""));
        assert_eq!(got.status, Status::Ok, "{cipher}: {}", got.message);
        assert_eq!(text(&got), "Geheim schoolplan", "{cipher}");
    }
}

#[test]
fn user_password_file_is_encrypted_unless_the_password_is_given() {
    let bytes = encrypted("aes128", "leerling");
    let got = run(&bytes);
    assert_eq!(got.status, Status::Encrypted);
    assert!(got.message.contains("--password"), "{}", got.message);
    let options = Options {
        password: Some("leerling".into()),
        ..Options::default()
    };
    let got = extract(&bytes, &options);
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Geheim schoolplan");
    let wrong = Options {
        password: Some("fout".into()),
        ..Options::default()
    };
    assert_eq!(extract(&bytes, &wrong).status, Status::Encrypted);
}

/// Ten pages of distinct numbered words, the catalog written last as most writers do.
fn ten_pages() -> (Vec<u8>, Vec<String>) {
    let mut pdf = TestPdf::new();
    let mut words = Vec::new();
    for p in 0..10 {
        let mut content = String::from("BT /F1 10 Tf 14 TL 72 760 Td ");
        for line in 0..20 {
            let line_words: Vec<String> = (0..6).map(|w| format!("woord{p}x{line}x{w}")).collect();
            content.push_str(&format!("({}) Tj T* ", line_words.join(" ")));
            words.extend(line_words);
        }
        content.push_str("ET");
        pdf.page(&content);
    }
    (pdf.bytes(), words)
}

// Case 13
#[test]
fn startxref_past_the_end_is_repaired() {
    let (mut bytes, words) = ten_pages();
    let at = find(&bytes, b"startxref").unwrap() + 10;
    bytes.truncate(at);
    bytes.extend_from_slice(b"99999999\n%%EOF\n");
    let got = run(&bytes);
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert!(got.message.starts_with("repaired"), "{}", got.message);
    assert_eq!(got.pages.len(), 10);
    assert_eq!(crate::extract::count_words(&text(&got)), words.len() as u64);
}

#[test]
fn wrong_offset_of_one_object_is_repaired_when_the_page_comes_out_blank() {
    // The table parses, but the content stream's entry points three bytes past it, so
    // the page reads as blank until the objects are found by scanning the file.
    let mut pdf = TestPdf::new();
    pdf.page("BT /F1 12 Tf 72 700 Td (Aardappel) Tj ET");
    let mut bytes = pdf.bytes();
    let content_at = find(&bytes, b"\n3 0 obj").unwrap() as u32 + 1;
    // lopdf writes an uncompressed cross-reference stream of entries of 1 + 4 + 2 bytes
    // (type, offset, generation) for objects 1 to 6; object 3's is the third.
    let table = find(&bytes, b"/Type/XRef").unwrap();
    let data = table + find(&bytes[table..], b"stream\n").unwrap() + 7;
    let entry = data + 2 * 7;
    assert_eq!(&bytes[entry + 1..entry + 5], content_at.to_be_bytes());
    bytes[entry + 1..entry + 5].copy_from_slice(&(content_at + 3).to_be_bytes());
    let got = run(&bytes);
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Aardappel");
    assert!(got.message.starts_with("repaired"), "{}", got.message);
}

#[test]
fn file_cut_at_sixty_percent_keeps_at_least_half_its_words() {
    let (bytes, words) = ten_pages();
    let cut = &bytes[..bytes.len() * 6 / 10];
    let got = run(cut);
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert!(got.message.contains("repaired"), "{}", got.message);
    let all = text(&got);
    let found = words.iter().filter(|w| all.contains(w.as_str())).count();
    assert!(found * 2 >= words.len(), "{found} of {} words", words.len());
}

#[test]
fn prev_pointing_to_itself_ends_cleanly() {
    let (mut bytes, _) = ten_pages();
    let root_at = find(&bytes, b"/Root ").unwrap() + 6;
    let root: String = bytes[root_at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    // An incremental update whose cross-reference section names itself as the previous one.
    let at = bytes.len();
    bytes.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 100 /Root {root} 0 R /Prev {at} >>\n\
             startxref\n{at}\n%%EOF\n"
        )
        .as_bytes(),
    );
    let started = std::time::Instant::now();
    let got = run(&bytes);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(got.status, Status::Ok | Status::Error),
        "{:?}",
        got.status
    );
}

// Case 14
#[test]
fn decompression_bomb_is_cut_off_by_the_stream_limit() {
    let mut pdf = TestPdf::new();
    pdf.page("BT /F1 12 Tf 72 700 Td (Eerste pagina) Tj ET");
    let bomb = "0 0 m\n".repeat(700_000);
    let mut stream = Stream::new(dictionary! {}, bomb.into_bytes());
    stream.compress().unwrap();
    let bomb_id = pdf.doc.add_object(stream);
    let page = pdf.page("");
    pdf.doc
        .get_dictionary_mut(page)
        .unwrap()
        .set("Contents", bomb_id);
    let limits = Limits {
        stream_bytes: 1 << 20,
        ..Limits::default()
    };
    let got = extract(
        &pdf.bytes(),
        &Options {
            limits,
            ..Options::default()
        },
    );
    assert_eq!(got.pages.len(), 2);
    assert_eq!(got.pages[0].text, "Eerste pagina");
    assert!(
        got.message.contains("decompression limit"),
        "{}",
        got.message
    );
}

#[test]
fn operator_and_glyph_floods_are_truncated() {
    let ops = format!(
        "{}BT /F1 12 Tf 72 700 Td (Na) Tj ET",
        "0 0 m\n".repeat(50_000)
    );
    let glyphs = format!("BT /F1 1 Tf 72 700 Td ({}) Tj ET", "x".repeat(5_000));
    let mut pdf = TestPdf::new();
    pdf.page(&ops);
    pdf.page(&glyphs);
    pdf.page("BT /F1 12 Tf 72 700 Td (Gewoon) Tj ET");
    let limits = Limits {
        page_operators: 10_000,
        page_glyphs: 1_000,
        ..Limits::default()
    };
    let got = extract(
        &pdf.bytes(),
        &Options {
            limits,
            ..Options::default()
        },
    );
    assert_eq!(got.pages.len(), 3);
    assert_eq!(got.pages[0].text, "");
    assert_eq!(got.pages[1].text.len(), 1_000);
    assert_eq!(got.pages[2].text, "Gewoon");
    assert!(got.message.contains("operator limit"), "{}", got.message);
    assert!(got.message.contains("glyph limit"), "{}", got.message);
}

#[test]
fn expired_deadline_keeps_every_page_and_says_timeout() {
    let (bytes, _) = ten_pages();
    let options = Options {
        timeout: Duration::ZERO,
        ..Options::default()
    };
    let got = extract(&bytes, &options);
    assert_eq!(got.status, Status::Timeout);
    assert_eq!(got.pages.len(), 10);
}

// Case 15
#[test]
fn two_columns_drawn_row_by_row_read_column_by_column() {
    let mut content = String::from("BT /F1 10 Tf ");
    for line in 0..6 {
        let y = 700 - 12 * line;
        content.push_str(&format!(
            "1 0 0 1 72 {y} Tm (links regel {line} van de eerste kolom) Tj \
             1 0 0 1 320 {y} Tm (rechts regel {line} van de tweede kolom) Tj "
        ));
    }
    content.push_str("ET");
    let got = one_page(&content);
    let expected: Vec<String> = (0..6)
        .map(|l| format!("links regel {l} van de eerste kolom"))
        .chain((0..6).map(|l| format!("rechts regel {l} van de tweede kolom")))
        .collect();
    assert_eq!(collapsed(&text(&got)), expected.join(" "));
}

#[test]
fn rotated_label_is_its_own_line() {
    let got = one_page(
        "BT /F1 12 Tf 1 0 0 1 72 700 Tm (Eerste regel tekst) Tj 1 0 0 1 72 686 Tm (tweede regel) Tj ET \
         BT /F1 9 Tf 0 1 -1 0 40 690 Tm (Concept) Tj ET",
    );
    assert_eq!(text(&got), "Eerste regel tekst\ntweede regel\n\nConcept");
}

#[test]
fn actual_text_replaces_glyphs_and_invisible_text_is_kept() {
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td (Het ) Tj /Span << /ActualText (zorgplan) >> BDC (z0rg-) Tj \
         (plan) Tj EMC ( is klaar) Tj ET \
         BT 3 Tr /F1 12 Tf 72 600 Td (onzichtbare OCR-laag) Tj ET",
    );
    assert_eq!(text(&got), "Het zorgplan is klaar\n\nonzichtbare OCR-laag");
}

#[test]
fn fake_bold_duplicates_are_dropped() {
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td (Vet) Tj ET BT /F1 12 Tf 72.4 700 Td (Vet) Tj ET \
         BT /F1 12 Tf 72 686 Td (normaal) Tj ET",
    );
    assert_eq!(text(&got), "Vet\nnormaal");
}

#[test]
fn page_labels_and_physical_numbers() {
    let mut pdf = TestPdf::new();
    for n in 0..4 {
        pdf.page(&format!("BT /F1 12 Tf 72 700 Td (pagina {n}) Tj ET"));
    }
    let mut doc = pdf.finish();
    let labels = dictionary! {
        "Nums" => vec![
            0.into(), Object::Dictionary(dictionary! { "S" => "r" }),
            2.into(), Object::Dictionary(dictionary! { "S" => "D", "P" => Object::string_literal("B-"), "St" => 5 }),
        ],
    };
    doc.catalog_mut().unwrap().set("PageLabels", labels);
    let got = run(&save(doc));
    let numbers: Vec<u32> = got.pages.iter().map(|p| p.number).collect();
    let labels: Vec<Option<String>> = got.pages.iter().map(|p| p.label.clone()).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    assert_eq!(
        labels,
        [
            Some("i".into()),
            Some("ii".into()),
            Some("B-5".into()),
            Some("B-6".into())
        ]
    );
    assert_eq!(got.pages[3].text, "pagina 3");
}

#[test]
fn pages_without_text_make_the_document_no_text() {
    let mut pdf = TestPdf::new();
    pdf.page("q 100 0 0 100 0 0 cm 0 0 m 1 1 l S Q");
    pdf.page("");
    let got = run(&pdf.bytes());
    assert_eq!(got.status, Status::NoText);
    assert_eq!(got.pages.len(), 2);
}

#[test]
fn glyphs_without_unicode_are_not_emitted() {
    let mut pdf = TestPdf::new();
    let cid = pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Onbekend",
        "Encoding" => "Identity-H",
    });
    pdf.page_with(
        "BT /C 12 Tf 72 700 Td <0041004200430044> Tj ET",
        dictionary! { "Font" => dictionary! { "C" => cid } },
    );
    let got = run(&pdf.bytes());
    assert_eq!(got.status, Status::NoText, "{}", got.message);
    assert_eq!(got.pages[0].text, "");
    assert!(got.message.contains("without Unicode"), "{}", got.message);
}

#[test]
fn garbage_bytes_after_the_header_are_an_error_not_a_panic() {
    let got = run(b"%PDF-1.4\n\x00\x01garbage that is no pdf at all");
    assert_eq!(got.status, Status::Error);
    assert!(!got.message.is_empty());
}
#[test]
fn small_caption_across_a_big_heading_is_not_interleaved() {
    let got = one_page(
        "BT /F1 24 Tf 72 700 Td (BESTELLEN) Tj ET BT /F1 9 Tf 80 703 Td (Arnoud Klerkx) Tj ET",
    );
    let text = text(&got);
    assert!(text.contains("BESTELLEN"), "{text}");
    assert!(text.contains("Arnoud Klerkx"), "{text}");
}

#[test]
fn double_spaced_text_stays_one_block() {
    let got = one_page(
        "BT /F1 10 Tf 24 TL 72 700 Td (eerste regel) Tj T* (tweede regel) Tj T* (derde regel) Tj \
         T* T* T* (nieuwe alinea) Tj ET",
    );
    assert_eq!(
        text(&got),
        "eerste regel\ntweede regel\nderde regel\n\nnieuwe alinea"
    );
}

#[test]
fn content_with_an_indirect_filter_is_decoded() {
    let mut pdf = TestPdf::new();
    let page = pdf.page("");
    // Long enough for compress() to find it worth compressing.
    let content = format!(
        "{}\nBT /F1 12 Tf 72 700 Td (Factuur) Tj ET",
        "q Q ".repeat(100)
    );
    let mut stream = Stream::new(dictionary! {}, content.into_bytes());
    stream.compress().unwrap();
    assert!(stream.dict.has(b"Filter"));
    let filter = pdf
        .doc
        .add_object(vec![Object::Name(b"FlateDecode".to_vec())]);
    stream.dict.set("Filter", filter);
    let contents = pdf.doc.add_object(stream);
    pdf.doc
        .get_dictionary_mut(page)
        .unwrap()
        .set("Contents", contents);
    assert_eq!(text(&run(&pdf.bytes())), "Factuur");
}

#[test]
fn type3_glyphs_are_sized_by_the_font_em_not_the_tf_size() {
    // A Type3 font drawn at Tf 1 whose em is 10 text-space units (glyph units of 1/1000
    // with a box 10,000 units tall and 5,000-unit advances). Letters 0.5 units apart sit
    // within a word (0.05 em); taking Tf 1 for the em would break every letter apart.
    let mut pdf = TestPdf::new();
    let widths: Vec<Object> = (0..26).map(|_| Object::Real(5000.0)).collect();
    let mut differences: Vec<Object> = vec![97.into()];
    differences.extend((b'a'..=b'z').map(|c| Object::Name(vec![c])));
    let type3 = pdf.doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type3",
        "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
        "FontBBox" => vec![0.into(), (-2000).into(), 6000.into(), 8000.into()],
        "FirstChar" => 97,
        "LastChar" => 122,
        "Widths" => widths,
        "Encoding" => dictionary! { "Differences" => differences },
        "CharProcs" => dictionary! {},
    });
    pdf.page_with(
        "BT /T 1 Tf 0.5 Tc 72 700 Td (plan) Tj 25 0 Td (klaar) Tj ET",
        dictionary! { "Font" => dictionary! { "T" => type3 } },
    );
    let got = run(&pdf.bytes());
    assert_eq!(text(&got), "plan klaar", "{}", got.message);
}

#[test]
fn page_number_in_the_gutter_does_not_join_the_columns() {
    // pdfTeX's layout: the left column runs down the page, the right one holds three
    // lines at the top, and the page number sits in the 10-point gutter under the text,
    // less than 3 points from both columns. Without the gutter the page is cut across at
    // the left column's paragraph gap, and the right column is read in its middle.
    let mut content = String::from("BT /F1 10 Tf ");
    for line in 0..12 {
        let y = 700 - 12 * line - if line >= 3 { 30 } else { 0 };
        content.push_str(&format!(
            "1 0 0 1 72 {y} Tm (links regel {line} van de kolom) Tj "
        ));
    }
    for line in 0..3 {
        let y = 700 - 12 * line;
        content.push_str(&format!(
            "1 0 0 1 204 {y} Tm (rechts regel {line} hier) Tj "
        ));
    }
    content.push_str("1 0 0 1 196 518 Tm (2) Tj ET");
    let got = one_page(&content);
    let words = collapsed(&text(&got));
    let left_end = words.find("links regel 11").expect("left column read");
    let right = words.find("rechts regel 0").expect("right column read");
    assert!(left_end < right, "{words}");
}

#[test]
fn invisible_ocr_text_is_kept_and_flagged() {
    let mut pdf = TestPdf::new();
    pdf.page("q 595 0 0 842 0 0 cm Q BT 3 Tr /F1 12 Tf 72 700 Td (gescande tekst) Tj ET");
    pdf.page("BT /F1 12 Tf 72 700 Td (gewone tekst) Tj ET");
    let got = run(&pdf.bytes());
    assert_eq!(got.status, Status::Ok);
    assert_eq!(got.pages[0].text, "gescande tekst");
    assert_eq!(
        got.message, "text from an invisible OCR layer on 1 page",
        "{}",
        got.message
    );
    let visible = one_page("BT 0 Tr /F1 12 Tf 72 700 Td (gewone tekst) Tj ET");
    assert_eq!(visible.message, "");
}

// "evaluatie" is 4.002 em wide in Helvetica: 48.024 pt at 12 pt, so a glyph placed at
// 72 + 48.024 touches its last letter.
#[test]
fn raised_smaller_footnote_mark_is_its_own_word() {
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td (evaluatie) Tj ET BT /F1 7 Tf 120.024 704 Td (3) Tj ET \
         BT /F1 12 Tf 124 700 Td ( volgt) Tj ET",
    );
    assert_eq!(text(&got), "evaluatie 3 volgt");
}

#[test]
fn text_rise_sets_a_footnote_mark_apart_on_both_sides() {
    // The second mark has the size of its neighbours: the rise alone marks it.
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td (evaluatie) Tj 4 Ts /F1 7 Tf (12) Tj 0 Ts /F1 12 Tf (en) Tj \
         4 Ts (3) Tj 0 Ts (plan) Tj ET",
    );
    assert_eq!(text(&got), "evaluatie 12 en 3 plan");
}

#[test]
fn ordinals_units_and_punctuation_after_a_mark_stay_attached() {
    // A raised "e" after "21" is an ordinal, a raised "2" after "9.000m" a unit; after
    // "2019" a raised "3" is a footnote mark; a full stop after a mark ends the sentence.
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td (21) Tj 4 Ts /F1 7 Tf (e) Tj 0 Ts /F1 12 Tf ( eeuw) Tj ET \
         BT /F1 12 Tf 72 680 Td (doelen) Tj 4 Ts /F1 7 Tf (2) Tj 0 Ts /F1 12 Tf (.) Tj ET \
         BT /F1 12 Tf 72 660 Td (9.000m) Tj 4 Ts /F1 7 Tf (2) Tj 0 Ts /F1 12 Tf ( in) Tj \
         ( 2019) Tj 4 Ts /F1 7 Tf (3) Tj ET",
    );
    assert_eq!(text(&got), "21e eeuw\ndoelen 2.\n9.000m2 in 2019 3");
}

#[test]
fn subscripts_and_overlapping_logos_stay_whole() {
    // CO with a lowered, smaller 2; the LaTeX logo: a raised small A drawn over the L and
    // the T, and an E lowered at full size.
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td (CO) Tj -3 Ts /F1 8 Tf (2) Tj 0 Ts /F1 12 Tf (-uitstoot) Tj ET \
         BT /F1 12 Tf 72 680 Td (L) Tj ET BT /F1 8.5 Tf 75 683 Td (A) Tj ET \
         BT /F1 12 Tf 78 680 Td (T) Tj ET BT /F1 12 Tf 84 677.4 Td (E) Tj ET \
         BT /F1 12 Tf 91 680 Td (X) Tj ET",
    );
    assert_eq!(text(&got), "CO2-uitstoot\nLATEX");
}

#[test]
fn kerned_same_size_text_and_small_caps_are_unchanged() {
    // Kerning in TJ, a same-size piece set 3 pt higher without a rise (a wavering
    // baseline, not a superscript) and small capitals on the baseline are all one word.
    let got = one_page(
        "BT /F1 12 Tf 72 700 Td [(W)80(aar)-20(de)] TJ ET \
         BT /F1 12 Tf 72 680 Td (school) Tj ET BT /F1 12 Tf 106.68 683 Td (plan) Tj ET \
         BT /F1 12 Tf 72 660 Td (S) Tj /F1 9 Tf (CHOOL) Tj ET",
    );
    assert_eq!(text(&got), "Waarde\nschoolplan\nSCHOOL");
}

impl TestPdf {
    /// An appearance stream (a Form XObject) with the given box and matrix, drawing with
    /// Helvetica as `/F1`.
    fn appearance(&mut self, content: &str, bbox: [f32; 4], matrix: [f32; 6]) -> ObjectId {
        let real = |v: &[f32]| v.iter().map(|&v| Object::Real(v)).collect::<Vec<_>>();
        let resources = self.resources();
        self.doc.add_object(Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Form",
                "BBox" => real(&bbox),
                "Matrix" => real(&matrix),
                "Resources" => resources,
            },
            content.as_bytes().to_vec(),
        ))
    }

    /// Sets the page's `/Annots`.
    fn annotate(&mut self, page: ObjectId, annots: Vec<Dictionary>) {
        let refs: Vec<Object> = annots
            .into_iter()
            .map(|a| self.doc.add_object(a).into())
            .collect();
        self.doc
            .get_dictionary_mut(page)
            .unwrap()
            .set("Annots", refs);
    }
}

fn rect(r: [f32; 4]) -> Vec<Object> {
    r.iter().map(|&v| Object::Real(v)).collect()
}

fn widget(r: [f32; 4]) -> Dictionary {
    dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx", "F" => 4, "Rect" => rect(r),
    }
}

const IDENTITY: [f32; 6] = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

// Labels under 3 ems wide, so that label and value read as one line: wider ones make
// two columns of the form (labels, then values), as the layout reads any page.
#[test]
fn filled_in_form_field_appears_in_its_place_on_the_page() {
    let mut pdf = TestPdf::new();
    let page =
        pdf.page("BT /F1 10 Tf 72 700 Td (Naam:) Tj ET BT /F1 10 Tf 72 680 Td (Sinds:) Tj ET");
    let name = pdf.appearance(
        "/Tx BMC BT /F1 10 Tf 2 6 Td (Stichting De Brug) Tj ET EMC",
        [0.0, 0.0, 200.0, 20.0],
        IDENTITY,
    );
    let mut field = widget([110.0, 694.0, 310.0, 714.0]);
    field.set("AP", dictionary! { "N" => name });
    field.set("V", Object::string_literal("Stichting De Brug"));
    pdf.annotate(page, vec![field]);
    let got = run(&pdf.bytes());
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Naam: Stichting De Brug\nSinds:");
}

#[test]
fn appearance_box_and_matrix_are_fitted_to_the_rectangle() {
    let mut pdf = TestPdf::new();
    let page =
        pdf.page("BT /F1 10 Tf 72 680 Td (Euro:) Tj ET BT /F1 10 Tf 300 680 Td (per jaar) Tj ET");
    // The form's box is twice the size of its rectangle and its matrix moves the box to
    // the origin: fitted, "12500" sits on the label's baseline at 10 points and "EUR"
    // lands at 262, before "per jaar"; drawn unscaled, "EUR" would land at 414, after it.
    let amount = pdf.appearance(
        "BT /F1 20 Tf 504 1012 Td (12500) Tj 300 0 Td (EUR) Tj ET",
        [500.0, 1000.0, 700.0, 1040.0],
        [1.0, 0.0, 0.0, 1.0, -500.0, -1000.0],
    );
    let mut field = widget([110.0, 674.0, 210.0, 694.0]);
    field.set("AP", dictionary! { "N" => amount });
    pdf.annotate(page, vec![field]);
    let got = run(&pdf.bytes());
    assert_eq!(text(&got), "Euro: 12500 EUR per jaar");
}

#[test]
fn field_value_without_appearance_is_set_at_its_rectangle() {
    let mut pdf = TestPdf::new();
    let page = pdf.page("BT /F1 10 Tf 72 700 Td (Naam) Tj ET BT /F1 10 Tf 72 680 Td (Door) Tj ET");
    let mut first = widget([110.0, 694.0, 300.0, 712.0]);
    first.set("V", Object::string_literal("Alice"));
    first.set("DA", Object::string_literal("/Helv 10 Tf 0 g"));
    // An appearance that draws nothing (as LibreOffice writes for a field it expects the
    // viewer to fill in) falls back to the value too; the value sits on the parent field.
    let empty = pdf.appearance("/Tx BMC EMC", [0.0, 0.0, 140.0, 18.0], IDENTITY);
    let parent = pdf.doc.add_object(dictionary! {
        "FT" => "Tx", "T" => "coordinator", "V" => Object::string_literal("Bob de Vries"),
    });
    let mut second = dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "Parent" => parent,
        "Rect" => rect([110.0, 674.0, 300.0, 692.0]),
    };
    second.set("AP", dictionary! { "N" => empty });
    pdf.annotate(page, vec![first, second]);
    let got = run(&pdf.bytes());
    assert_eq!(text(&got), "Naam Alice\nDoor Bob de Vries");
}

#[test]
fn hidden_and_password_fields_and_unknown_annotations_show_nothing() {
    let mut pdf = TestPdf::new();
    let page = pdf.page("BT /F1 10 Tf 72 700 Td (Formulier) Tj ET");
    let shown = pdf.appearance(
        "BT /F1 10 Tf 0 0 Td (zichtbaar) Tj ET",
        [0.0, 0.0, 100.0, 20.0],
        IDENTITY,
    );
    let secret = pdf.appearance(
        "BT /F1 10 Tf 0 0 Td (geheim) Tj ET",
        [0.0, 0.0, 100.0, 20.0],
        IDENTITY,
    );
    let mut visible = widget([72.0, 600.0, 172.0, 620.0]);
    visible.set("AP", dictionary! { "N" => shown });
    let mut hidden = widget([72.0, 500.0, 172.0, 520.0]);
    hidden.set("AP", dictionary! { "N" => secret });
    hidden.set("F", 2);
    let mut no_view = widget([72.0, 450.0, 172.0, 470.0]);
    no_view.set("V", Object::string_literal("geheim"));
    no_view.set("F", 32);
    let mut password = widget([72.0, 400.0, 172.0, 420.0]);
    password.set("V", Object::string_literal("geheim"));
    password.set("Ff", 1 << 13);
    let stamp = dictionary! {
        "Type" => "Annot", "Subtype" => "Stamp", "Rect" => rect([72.0, 300.0, 172.0, 320.0]),
        "AP" => dictionary! { "N" => secret },
    };
    pdf.annotate(page, vec![visible, hidden, no_view, password, stamp]);
    let got = run(&pdf.bytes());
    assert_eq!(text(&got), "Formulier\n\nzichtbaar");
}

#[test]
fn button_state_picks_its_appearance_and_check_marks_are_not_unmapped_text() {
    let mut pdf = TestPdf::new();
    let page = pdf.page("BT /F1 10 Tf 72 700 Td (Akkoord) Tj ET");
    let on = pdf.appearance(
        "BT /F1 10 Tf 0 2 Td (ja) Tj ET",
        [0.0, 0.0, 20.0, 12.0],
        IDENTITY,
    );
    let off = pdf.appearance(
        "BT /F1 10 Tf 0 2 Td (nee) Tj ET",
        [0.0, 0.0, 20.0, 12.0],
        IDENTITY,
    );
    // A check mark in a dingbat font has no text: it must not be counted against the page.
    let dingbats = pdf.doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "ZapfDingbats",
    });
    let check = pdf.doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => rect([0.0, 0.0, 20.0, 12.0]),
            "Resources" => dictionary! { "Font" => dictionary! { "ZaDb" => dingbats } },
        },
        b"BT /ZaDb 10 Tf 0 2 Td (4444444444) Tj ET".to_vec(),
    ));
    let mut choice = widget([120.0, 697.0, 140.0, 709.0]);
    choice.set("FT", "Btn");
    choice.set("AS", "Ja");
    choice.set(
        "AP",
        dictionary! { "N" => dictionary! { "Ja" => on, "Off" => off } },
    );
    let mut boxed = widget([72.0, 600.0, 92.0, 612.0]);
    boxed.set("FT", "Btn");
    boxed.set("AS", "Yes");
    boxed.set("AP", dictionary! { "N" => dictionary! { "Yes" => check } });
    pdf.annotate(page, vec![choice, boxed]);
    let got = run(&pdf.bytes());
    assert_eq!(got.status, Status::Ok, "{}", got.message);
    assert_eq!(text(&got), "Akkoord ja");
}

#[test]
fn need_appearances_sets_the_value_instead_of_a_stale_appearance() {
    let mut pdf = TestPdf::new();
    let page = pdf.page("BT /F1 10 Tf 72 700 Td (Plaats) Tj ET");
    let stale = pdf.appearance(
        "BT /F1 10 Tf 2 6 Td (Oud) Tj ET",
        [0.0, 0.0, 140.0, 18.0],
        IDENTITY,
    );
    let mut field = widget([160.0, 694.0, 300.0, 712.0]);
    field.set("AP", dictionary! { "N" => stale });
    field.set("V", Object::string_literal("Zwolle"));
    pdf.annotate(page, vec![field]);
    let mut doc = pdf.finish();
    doc.catalog_mut().unwrap().set(
        "AcroForm",
        dictionary! { "NeedAppearances" => true, "Fields" => vec![] },
    );
    let got = run(&save(doc));
    assert_eq!(text(&got), "Plaats Zwolle");
}

#[test]
fn free_text_annotation_shows_its_appearance_or_contents() {
    let mut pdf = TestPdf::new();
    let page = pdf.page("BT /F1 10 Tf 72 700 Td (Opmerkingen) Tj ET");
    let note = pdf.appearance(
        "BT /F1 10 Tf 2 4 Td (Zie bijlage) Tj ET",
        [0.0, 0.0, 150.0, 16.0],
        IDENTITY,
    );
    let drawn = dictionary! {
        "Type" => "Annot", "Subtype" => "FreeText", "Rect" => rect([72.0, 660.0, 222.0, 676.0]),
        "AP" => dictionary! { "N" => note }, "Contents" => Object::string_literal("Zie bijlage"),
    };
    let plain = dictionary! {
        "Type" => "Annot", "Subtype" => "FreeText", "Rect" => rect([72.0, 600.0, 222.0, 640.0]),
        "DA" => Object::string_literal("/Helv 10 Tf"),
        "Contents" => Object::string_literal("Goedgekeurd door\nhet bestuur"),
    };
    pdf.annotate(page, vec![drawn, plain]);
    let got = run(&pdf.bytes());
    assert_eq!(
        collapsed(&text(&got)),
        "Opmerkingen Zie bijlage Goedgekeurd door het bestuur"
    );
    assert!(text(&got).contains("door\nhet"), "{}", text(&got));
}

#[test]
fn appearance_streams_keep_the_form_limits() {
    let mut pdf = TestPdf::new();
    let page = pdf.page("BT /F1 10 Tf 72 700 Td (Velden) Tj ET");
    // An appearance that draws itself, and more appearances than the page may draw.
    let looped = pdf.doc.new_object_id();
    let mut res = pdf.resources();
    res.set("XObject", dictionary! { "Self" => looped });
    pdf.doc.objects.insert(
        looped,
        Object::Stream(Stream::new(
            dictionary! {
                "Type" => "XObject", "Subtype" => "Form",
                "BBox" => rect([0.0, 0.0, 100.0, 20.0]), "Resources" => res,
            },
            b"BT /F1 10 Tf 0 5 Td (lus) Tj ET /Self Do".to_vec(),
        )),
    );
    let mut annots = Vec::new();
    let mut first = widget([72.0, 600.0, 172.0, 620.0]);
    first.set("AP", dictionary! { "N" => looped });
    annots.push(first);
    for n in 0..4 {
        let y = 500.0 - 30.0 * n as f32;
        let stream = pdf.appearance(
            &format!("BT /F1 10 Tf 0 5 Td (veld{n}) Tj ET"),
            [0.0, 0.0, 100.0, 20.0],
            IDENTITY,
        );
        let mut field = widget([72.0, y, 172.0, y + 20.0]);
        field.set("AP", dictionary! { "N" => stream });
        annots.push(field);
    }
    pdf.annotate(page, annots);
    let limits = Limits {
        page_forms: 3,
        ..Limits::default()
    };
    let got = extract(
        &pdf.bytes(),
        &Options {
            limits,
            ..Options::default()
        },
    );
    assert_eq!(collapsed(&text(&got)), "Velden lus veld0 veld1");
    assert!(got.message.contains("form_cycle"), "{}", got.message);
    assert!(
        got.message.contains("form nesting or count"),
        "{}",
        got.message
    );
}

#[test]
fn field_text_the_page_already_shows_in_its_place_is_not_repeated() {
    // A form printed with its fields flattened but kept: the page draws the value and
    // the widget draws it again 1.3 points to the right, which would interleave the two
    // copies letter by letter. A different value in the next field is kept.
    let mut pdf = TestPdf::new();
    let page = pdf.page(
        "BT /F1 10 Tf 72 700 Td (Naam:) Tj 40 0 Td (Stichting De Brug) Tj ET \
         BT /F1 10 Tf 72 680 Td (Plaats:) Tj 40 0 Td (Zwolle) Tj ET",
    );
    let same = pdf.appearance(
        "BT /F1 10 Tf 3.3 6 Td (Stichting De Brug) Tj ET",
        [0.0, 0.0, 200.0, 20.0],
        IDENTITY,
    );
    let other = pdf.appearance(
        "BT /F1 10 Tf 2 6 Td (Ede) Tj ET",
        [0.0, 0.0, 200.0, 20.0],
        IDENTITY,
    );
    let mut first = widget([110.0, 694.0, 310.0, 714.0]);
    first.set("AP", dictionary! { "N" => same });
    let mut second = widget([150.0, 674.0, 350.0, 694.0]);
    second.set("AP", dictionary! { "N" => other });
    pdf.annotate(page, vec![first, second]);
    let got = run(&pdf.bytes());
    assert_eq!(text(&got), "Naam: Stichting De Brug\nPlaats: Zwolle Ede");
}

#[test]
fn looping_field_parents_and_huge_values_stay_bounded() {
    let mut pdf = TestPdf::new();
    let page = pdf.page("BT /F1 10 Tf 72 700 Td (Lange waarde) Tj ET");
    // A page as wide as the field, so that its glyphs are on it and count.
    if let Ok(dict) = pdf.doc.get_dictionary_mut(page) {
        dict.set("MediaBox", rect([0.0, 0.0, 1.0e7, 842.0]));
    }
    let looped = pdf.doc.new_object_id();
    pdf.doc.objects.insert(
        looped,
        Object::Dictionary(dictionary! { "Parent" => looped, "T" => "lus" }),
    );
    let mut orphan = widget([72.0, 600.0, 172.0, 620.0]);
    orphan.remove(b"FT");
    orphan.set("Parent", looped);
    // 150,000 words in a multi-line field as wide as the coordinate range allows.
    let mut huge = widget([0.0, 0.0, 1.0e9, 500.0]);
    huge.set("Ff", 1 << 12);
    huge.set("V", Object::string_literal("woord ".repeat(150_000)));
    pdf.annotate(page, vec![orphan, huge]);
    let started = std::time::Instant::now();
    let got = run(&pdf.bytes());
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(got.message.contains("glyph limit"), "{}", got.message);
    assert!(
        text(&got).starts_with("Lange waarde"),
        "{}",
        &text(&got)[..40]
    );
}
