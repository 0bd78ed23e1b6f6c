//! Hostile and broken input, end to end (issue 5): every input here is built at run time in
//! a temporary folder (no large files are committed) and run through the real binary or
//! the library. Each test checks the promises of the tool: the run exits 0, the document is
//! exactly one row with an expected status, nothing panics, and the run ends. The wall-clock
//! bound is a hang guard only (the child is killed after it), not a speed test; on Linux the
//! child's peak resident memory is sampled from /proc and held under a bound as well.

use borging::extract::{Format, Options};
use borging::outcome::Status;
use borging::rules::RuleSet;
use flate2::{Compress, Compression, FlushCompress};
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run that takes longer than this is a hang; the child is killed and the test fails.
const HANG_GUARD: Duration = Duration::from_secs(60);
/// Peak resident memory one scan of one hostile document may reach.
const MEMORY_BOUND_KIB: u64 = 1 << 20;

// ---------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    /// The highest VmHWM seen while the child ran (Linux only).
    peak_rss_kib: Option<u64>,
}

/// Runs `borging args…` in `cwd`, killing it after [`HANG_GUARD`].
fn borging<S: AsRef<OsStr>>(args: &[S], cwd: &Path) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_borging"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the borging binary starts");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    // Drain both pipes while waiting, so a chatty child never blocks on a full pipe.
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let pid = child.id();
    let mut peak: Option<u64> = None;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting on the child works") {
            break status;
        }
        if let Some(kib) = vm_hwm_kib(pid) {
            peak = Some(peak.map_or(kib, |p| p.max(kib)));
        }
        if started.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "hang: `borging {:?}` still running after {HANG_GUARD:?}",
                args.iter().map(|a| a.as_ref()).collect::<Vec<_>>()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        peak_rss_kib: peak,
    }
}

/// The peak resident set of a live process, from /proc (None elsewhere or once it exited).
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A temporary work folder: documents go into `in/`, reports next to it.
struct Case {
    dir: tempfile::TempDir,
}

type Row = HashMap<String, String>;

struct Scanned {
    run: Run,
    rows: Vec<Row>,
}

impl Case {
    fn new() -> Case {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::create_dir(dir.path().join("in")).unwrap();
        Case { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn input(&self) -> PathBuf {
        self.root().join("in")
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.input().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// `borging scan in -o out.csv --timeout 5`, plus `extra`.
    fn scan(&self, extra: &[&str]) -> Scanned {
        let mut args = vec![
            "scan",
            "in",
            "-o",
            "out.csv",
            "--timeout",
            "5",
            "--no-progress",
        ];
        args.extend_from_slice(extra);
        let run = borging(&args, self.root());
        let rows = if run.code == Some(0) {
            read_csv(&self.root().join("out.csv"))
        } else {
            Vec::new()
        };
        Scanned { run, rows }
    }
}

/// Reads a CSV back with its header as keys.
fn read_csv(path: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("{} can be read: {e}", path.display()));
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a well-formed CSV record");
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The promises every hostile document must keep: exit 0, one row, an expected status, no
/// panic, memory under the bound. Returns the row for further checks.
fn assert_one_row<'a>(scanned: &'a Scanned, expected: &[&str]) -> &'a Row {
    let run = &scanned.run;
    assert_eq!(run.code, Some(0), "exit code; stderr:\n{}", run.stderr);
    assert!(
        !run.stderr.contains("panicked"),
        "panic text on stderr:\n{}",
        run.stderr
    );
    assert_eq!(scanned.rows.len(), 1, "rows: {:?}", scanned.rows);
    let row = &scanned.rows[0];
    eprintln!(
        "row: status {:?}, error {:?}, pages {}, peak {:?} KiB",
        row["status"], row["error"], row["pages"], run.peak_rss_kib
    );
    assert!(
        expected.contains(&row["status"].as_str()),
        "status {:?} (error {:?}) not one of {expected:?}",
        row["status"],
        row["error"]
    );
    assert!(
        !row["error"].contains("internal error"),
        "a panic became the row: {}",
        row["error"]
    );
    if let Some(kib) = run.peak_rss_kib {
        assert!(
            kib < MEMORY_BOUND_KIB,
            "peak memory {kib} KiB over the bound of {MEMORY_BOUND_KIB} KiB"
        );
    }
    row
}

// ---------------------------------------------------------------------------------------
// Building PDFs
// ---------------------------------------------------------------------------------------

/// A PDF of numbered objects with a correct cross-reference table; `trailer` gets the
/// offset of that table and returns extra trailer entries.
fn assemble(objects: &[(u32, Vec<u8>)], trailer: impl FnOnce(usize) -> String) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = BTreeMap::new();
    for (number, body) in objects {
        offsets.insert(*number, out.len());
        out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let size = offsets.keys().max().map_or(1, |n| n + 1);
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    for number in 0..size {
        match offsets.get(&number) {
            Some(offset) => out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f \n"),
        }
    }
    let extra = trailer(xref);
    out.extend_from_slice(
        format!("trailer\n<< /Size {size} /Root 1 0 R {extra} >>\nstartxref\n{xref}\n%%EOF\n")
            .as_bytes(),
    );
    out
}

fn object(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A content stream with one readable Dutch sentence, so a document whose hostile part is
/// skipped still has text.
const SENTENCE: &[u8] =
    b"BT /F1 12 Tf 72 720 Td (Het schoolplan wordt jaarlijks geevalueerd.) Tj ET";

/// Objects of a document with one page per content stream object: catalog 1, page tree 2,
/// font 3, pages 10, 12, … with contents 11, 13, …; `resources` is added to every page.
fn document(contents: Vec<Vec<u8>>, resources: &str) -> Vec<(u32, Vec<u8>)> {
    let pages: Vec<u32> = (0..contents.len() as u32).map(|i| 10 + 2 * i).collect();
    let kids: Vec<String> = pages.iter().map(|p| format!("{p} 0 R")).collect();
    let mut objects = vec![
        (1, object("<< /Type /Catalog /Pages 2 0 R >>")),
        (
            2,
            object(&format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                pages.len()
            )),
        ),
        (
            3,
            object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        ),
    ];
    for (page, content) in pages.iter().zip(contents) {
        objects.push((
            *page,
            object(&format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {} 0 R \
                 /Resources << /Font << /F1 3 0 R >> {resources} >> >>",
                page + 1
            )),
        ));
        objects.push((page + 1, content));
    }
    objects
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// Adler-32 state, updated for a chunk repeated many times without visiting its bytes again.
#[derive(Clone, Copy)]
struct Adler {
    a: u64,
    b: u64,
}

const ADLER_MOD: u64 = 65521;

impl Adler {
    fn new() -> Adler {
        Adler { a: 1, b: 0 }
    }

    fn update(&mut self, data: &[u8]) {
        for &byte in data {
            self.a = (self.a + u64::from(byte)) % ADLER_MOD;
            self.b = (self.b + self.a) % ADLER_MOD;
        }
    }

    /// The effect of `times` copies of `chunk`: a += Σx, b += L·a + Σ(L−i)·x_i per copy.
    fn update_repeated(&mut self, chunk: &[u8], times: u64) {
        let len = chunk.len() as u64 % ADLER_MOD;
        let sum = chunk.iter().map(|&x| u64::from(x)).sum::<u64>() % ADLER_MOD;
        let weighted = chunk
            .iter()
            .enumerate()
            .map(|(i, &x)| (chunk.len() - i) as u64 % ADLER_MOD * u64::from(x) % ADLER_MOD)
            .fold(0, |acc, v| (acc + v) % ADLER_MOD);
        for _ in 0..times {
            self.b = (self.b + len * self.a + weighted) % ADLER_MOD;
            self.a = (self.a + sum) % ADLER_MOD;
        }
    }

    fn value(self) -> u32 {
        ((self.b << 16) | self.a) as u32
    }
}

/// A zlib stream of `prefix`, `times` copies of `chunk`, then `suffix`, produced without
/// ever holding or compressing the whole: each copy of the chunk is compressed once, the
/// compressor flushed to a byte boundary, and the (now stationary) compressed block copied.
/// This is how a test writes a stream that inflates to gigabytes in a few hundred KB.
fn repeated_zlib(prefix: &[u8], chunk: &[u8], times: u64, suffix: &[u8]) -> Vec<u8> {
    assert!(times >= 3, "the first copies prime the compressor");
    let mut compress = Compress::new(Compression::best(), false);
    let mut step = |input: &[u8], flush: FlushCompress| -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len() + 1024);
        let before = compress.total_in();
        compress.compress_vec(input, &mut out, flush).unwrap();
        assert_eq!(
            compress.total_in() - before,
            input.len() as u64,
            "all input taken"
        );
        out
    };
    // 0x78 0xDA: deflate with a 32 KiB window, best compression, header checksum valid.
    let mut out = vec![0x78, 0xDA];
    out.extend(step(prefix, FlushCompress::Full));
    out.extend(step(chunk, FlushCompress::Full));
    let block = step(chunk, FlushCompress::Full);
    let again = step(chunk, FlushCompress::Full);
    assert_eq!(
        block, again,
        "a full flush makes the compressed chunk repeat"
    );
    for _ in 1..times {
        out.extend_from_slice(&block);
    }
    out.extend(step(suffix, FlushCompress::Finish));
    let mut adler = Adler::new();
    adler.update(prefix);
    adler.update_repeated(chunk, times);
    adler.update(suffix);
    out.extend_from_slice(&adler.value().to_be_bytes());
    out
}

/// A zlib stream of `mib` MiB of zero bytes.
fn zeros_zlib(mib: u64) -> Vec<u8> {
    repeated_zlib(b"", &vec![0u8; 1 << 20], mib, b"")
}

/// Deterministic pseudo-random bytes (xorshift64), so a failure can be reproduced.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

#[test]
fn bomb_generator_writes_valid_zlib() {
    // The generator must be right, or the bomb tests would test a broken stream.
    let chunk = b"(ab) Tj\n".repeat(1000);
    let data = repeated_zlib(b"BT\n", &chunk, 5, b"ET\n");
    let mut decoded = Vec::new();
    flate2::read::ZlibDecoder::new(&data[..])
        .read_to_end(&mut decoded)
        .expect("the stream inflates, checksum included");
    let mut expected = b"BT\n".to_vec();
    for _ in 0..5 {
        expected.extend_from_slice(&chunk);
    }
    expected.extend_from_slice(b"ET\n");
    assert_eq!(decoded, expected);

    let zeros = zeros_zlib(4);
    assert!(
        zeros.len() < 64 << 10,
        "4 MiB of zeros in {} bytes",
        zeros.len()
    );
    let mut decoded = Vec::new();
    flate2::read::ZlibDecoder::new(&zeros[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded.len(), 4 << 20);
    assert!(decoded.iter().all(|&b| b == 0));
}

// ---------------------------------------------------------------------------------------
// Hostile PDFs
// ---------------------------------------------------------------------------------------

#[test]
fn flate_bomb_of_a_gigabyte_is_one_bounded_row() {
    let case = Case::new();
    let bomb = zeros_zlib(1024);
    assert!(bomb.len() < 2 << 20, "the bomb is {} bytes", bomb.len());
    let pdf = assemble(
        &document(
            vec![stream("", SENTENCE), stream("/Filter /FlateDecode", &bomb)],
            "",
        ),
        |_| String::new(),
    );
    case.write("bom.pdf", &pdf);
    let scanned = case.scan(&[]);
    assert_one_row(&scanned, &["ok", "timeout", "error"]);
}

#[test]
fn two_layer_flate_bomb_of_four_gigabytes_is_one_bounded_row() {
    let case = Case::new();
    // Zeros compress twice over: 4 GiB → a few MB → a few KB.
    let bomb = zlib(&zeros_zlib(4096));
    assert!(bomb.len() < 512 << 10, "the bomb is {} bytes", bomb.len());
    let pdf = assemble(
        &document(
            vec![
                stream("", SENTENCE),
                stream("/Filter [/FlateDecode /FlateDecode]", &bomb),
            ],
            "",
        ),
        |_| String::new(),
    );
    case.write("dubbele-bom.pdf", &pdf);
    let scanned = case.scan(&[]);
    assert_one_row(&scanned, &["ok", "timeout", "error"]);
}

#[test]
fn page_with_three_million_operators_is_one_bounded_row() {
    let case = Case::new();
    let chunk = b"(ab) Tj\n".repeat(8192);
    let content = repeated_zlib(b"BT /F1 12 Tf 72 720 Td\n", &chunk, 366, b"ET\n");
    let pdf = assemble(
        &document(
            vec![
                stream("", SENTENCE),
                stream("/Filter /FlateDecode", &content),
            ],
            "",
        ),
        |_| String::new(),
    );
    case.write("operatoren.pdf", &pdf);
    let scanned = case.scan(&[]);
    assert_one_row(&scanned, &["ok", "timeout"]);
}

#[test]
fn form_xobjects_that_draw_themselves_are_one_row() {
    let case = Case::new();
    let mut content = b"q /X1 Do Q q /X2 Do Q ".to_vec();
    content.extend_from_slice(SENTENCE);
    let mut objects = document(
        vec![stream("", &content)],
        "/XObject << /X1 20 0 R /X2 21 0 R >>",
    );
    // X1 draws itself; X2 and X3 draw each other.
    let form = |me: &str, other: u32| {
        stream(
            &format!(
                "/Type /XObject /Subtype /Form /BBox [0 0 612 792] \
                 /Resources << /XObject << /{me} {other} 0 R >> >>"
            ),
            format!("/{me} Do").as_bytes(),
        )
    };
    objects.push((20, form("X1", 20)));
    objects.push((21, form("X3", 22)));
    objects.push((22, form("X2", 21)));
    case.write("vorm.pdf", &assemble(&objects, |_| String::new()));
    let scanned = case.scan(&[]);
    assert_one_row(&scanned, &["ok"]);
}

#[test]
fn page_tree_whose_kids_point_back_to_the_root_is_one_row() {
    let case = Case::new();
    let mut objects = document(vec![stream("", SENTENCE)], "");
    objects[1].1 = object("<< /Type /Pages /Kids [10 0 R 2 0 R 1 0 R] /Count 3 >>");
    case.write("boom.pdf", &assemble(&objects, |_| String::new()));
    let scanned = case.scan(&[]);
    let row = assert_one_row(&scanned, &["ok"]);
    // The kids are the page, the tree itself and the catalog: one real page.
    assert_eq!(row["pages"], "1");
}

#[test]
fn xref_whose_prev_points_to_itself_is_one_row() {
    let case = Case::new();
    let objects = document(vec![stream("", SENTENCE)], "");
    case.write(
        "prev.pdf",
        &assemble(&objects, |xref| format!("/Prev {xref}")),
    );
    let scanned = case.scan(&[]);
    assert_one_row(&scanned, &["ok"]);
}

#[test]
fn two_xref_sections_whose_prev_entries_form_a_loop_are_one_row() {
    let case = Case::new();
    let objects = document(vec![stream("", SENTENCE)], "");
    // The first section's /Prev points forward to the second, which points back.
    let placeholder = "/Prev 0000000000";
    let mut first = 0;
    let mut pdf = assemble(&objects, |xref| {
        first = xref;
        placeholder.to_string()
    });
    let catalog = pdf.len();
    pdf.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    let second = pdf.len();
    pdf.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \n1 1\n{catalog:010} 00000 n \n\
             trailer\n<< /Size 12 /Root 1 0 R /Prev {first} >>\nstartxref\n{second}\n%%EOF\n"
        )
        .as_bytes(),
    );
    let at = pdf
        .windows(placeholder.len())
        .position(|w| w == placeholder.as_bytes())
        .unwrap();
    pdf[at..at + placeholder.len()].copy_from_slice(format!("/Prev {second:010}").as_bytes());
    case.write("prev-lus.pdf", &pdf);
    let scanned = case.scan(&[]);
    assert_one_row(&scanned, &["ok"]);
}

fn nested(depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn arrays_nested_five_hundred_deep_are_one_row() {
    let case = Case::new();
    // Deep in an object the catalog points to, and deep in the page's content stream.
    let mut content = SENTENCE.to_vec();
    content.extend_from_slice(format!(" BT /F1 12 Tf {} TJ ET", nested(500, "(x)")).as_bytes());
    let mut objects = document(vec![stream("", &content)], "");
    objects[0].1 = object("<< /Type /Catalog /Pages 2 0 R /Diep 30 0 R >>");
    objects.push((30, object(&nested(500, "1"))));
    case.write("diep.pdf", &assemble(&objects, |_| String::new()));
    let scanned = case.scan(&[]);
    // The sentence before the deep array may be lost with the array's content stream.
    assert_one_row(&scanned, &["ok", "no_text", "error"]);
}

#[test]
fn arrays_nested_a_hundred_thousand_deep_do_not_overflow_the_stack() {
    let case = Case::new();
    let content = format!("BT /F1 12 Tf {} TJ ET", nested(100_000, "(x)"));
    let mut objects = document(vec![stream("", content.as_bytes())], "");
    objects.push((30, object(&nested(100_000, "1"))));
    objects[0].1 = object("<< /Type /Catalog /Pages 2 0 R /Diep 30 0 R >>");
    case.write("dieper.pdf", &assemble(&objects, |_| String::new()));
    let scanned = case.scan(&[]);
    assert_one_row(&scanned, &["ok", "no_text", "error"]);
}

#[test]
fn sparse_two_gigabyte_file_is_refused_by_size() {
    let case = Case::new();
    for (name, head) in [("leeg.pdf", &b""[..]), ("kop.pdf", b"%PDF-1.7\n")] {
        let path = case.write(name, head);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(2 << 30)
            .unwrap();
        let scanned = case.scan(&[]);
        let row = assert_one_row(&scanned, &["error"]);
        assert!(row["error"].contains("over the limit"), "{}", row["error"]);
        std::fs::remove_file(path).unwrap();
    }
}

#[test]
fn random_bytes_named_pdf_are_an_error_row() {
    let case = Case::new();
    case.write("ruis.pdf", &noise(64 << 10, 0x5eed));
    let row = assert_one_row(&case.scan(&[]), &["error"]).clone();
    assert!(row["error"].starts_with("not a PDF"), "{}", row["error"]);
}

#[test]
fn random_bytes_after_a_pdf_header_are_one_row() {
    let case = Case::new();
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend(noise(64 << 10, 0xbad));
    case.write("kop-en-ruis.pdf", &bytes);
    assert_one_row(&case.scan(&[]), &["error", "no_text"]);
}

#[test]
fn nine_byte_pdf_is_an_error_row() {
    let case = Case::new();
    case.write("negen.pdf", b"%PDF-1.4\n");
    assert_one_row(&case.scan(&[]), &["error"]);
}

// ---------------------------------------------------------------------------------------
// Pipeline faults
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_permission_row() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new();
    let path = case.write("geheim.txt", b"Het plan wordt jaarlijks geevalueerd.");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!("skipped: running as a user (root?) whom file permissions do not stop");
        return;
    }
    let row = assert_one_row(&case.scan(&[]), &["error"]).clone();
    assert_eq!(row["error"], "permission denied");
}

#[test]
fn file_deleted_between_discovery_and_extraction_is_an_error_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("weg.pdf");
    std::fs::write(&path, b"%PDF-1.4\n").unwrap();
    std::fs::remove_file(&path).unwrap();
    let outcome = borging::pipeline::process(
        &path,
        &borging::pipeline::Batch::single(&RuleSet::bundled(), &Options::default()),
    );
    assert_eq!(outcome.status, Status::Error);
    assert!(outcome.error.contains("not found"), "{}", outcome.error);
    assert_eq!(outcome.path, path);
}

#[cfg(unix)]
#[test]
fn folder_with_a_symlink_loop_is_scanned_once() {
    let case = Case::new();
    std::fs::create_dir(case.input().join("sub")).unwrap();
    std::fs::write(
        case.input().join("sub/plan.txt"),
        "Het plan wordt jaarlijks geevalueerd.",
    )
    .unwrap();
    std::os::unix::fs::symlink(case.input(), case.input().join("sub/terug")).unwrap();
    let scanned = case.scan(&[]);
    assert_one_row(&scanned, &["ok"]);
    assert!(
        scanned.run.stderr.contains("loops back"),
        "{}",
        scanned.run.stderr
    );
}

/// Setup faults: exit 2, every stderr line an `error:` line, no summary (nothing was read).
fn assert_setup_failure(run: &Run) {
    assert_eq!(run.code, Some(2), "stderr:\n{}", run.stderr);
    assert!(!run.stderr.is_empty());
    for line in run.stderr.lines() {
        assert!(line.starts_with("error: "), "{line:?}");
    }
    assert!(!run.stderr.contains("documents ("), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn output_in_a_missing_folder_is_one_setup_line() {
    let case = Case::new();
    case.write("plan.txt", b"Het plan wordt jaarlijks geevalueerd.");
    let run = borging(
        &["scan", "in", "-o", "geen/map/out.csv", "--no-progress"],
        case.root(),
    );
    assert_setup_failure(&run);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("geen/map/out.csv"), "{}", run.stderr);
}

#[test]
fn rule_file_with_a_syntax_error_is_a_setup_failure() {
    let case = Case::new();
    case.write("plan.txt", b"Het plan wordt jaarlijks geevalueerd.");
    std::fs::write(case.root().join("kapot.toml"), "[[category]\nid = \n").unwrap();
    let run = borging(
        &["scan", "in", "--rules", "kapot.toml", "--no-progress"],
        case.root(),
    );
    assert_setup_failure(&run);
    assert!(run.stderr.contains("kapot.toml"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "a report was written to stdout");
}

/// Names of leftover temporary report files in `dir`.
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".borging-"))
        .collect()
}

#[test]
fn good_earlier_output_is_kept_when_setup_fails() {
    let case = Case::new();
    case.write("plan.txt", b"Het plan wordt jaarlijks geevalueerd.");
    let good = "path,status\noud.pdf,ok\n";
    std::fs::write(case.root().join("out.csv"), good).unwrap();
    std::fs::write(case.root().join("ev.csv"), good).unwrap();
    std::fs::write(case.root().join("kapot.toml"), "[[category]\n").unwrap();
    for extra in [
        &["--rules", "kapot.toml"][..],
        &["--timeout", "0"],
        &["--jobs", "0"],
    ] {
        let mut args = vec![
            "scan",
            "in",
            "-o",
            "out.csv",
            "--evidence",
            "ev.csv",
            "--no-progress",
        ];
        args.extend_from_slice(extra);
        let run = borging(&args, case.root());
        assert_setup_failure(&run);
        for name in ["out.csv", "ev.csv"] {
            assert_eq!(
                std::fs::read_to_string(case.root().join(name)).unwrap(),
                good,
                "{name} after {extra:?}"
            );
        }
        assert_eq!(temp_files(case.root()), Vec::<String>::new());
    }
}

// ---------------------------------------------------------------------------------------
// CSV and terminal safety
// ---------------------------------------------------------------------------------------

/// What a spreadsheet would run as a formula: `=`, `+`, `-`, `@`, tab or CR first, after
/// any spaces.
fn is_formula(cell: &str) -> bool {
    matches!(
        cell.trim_start_matches(' ').chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

const PAYLOADS: [&str; 7] = ["=1+1", "+31", "-2", "@SUM(A1)", "\t=1", "\r=1", " =1"];

#[test]
fn formula_starts_are_neutralised_in_both_csvs() {
    let case = Case::new();
    // Each payload starts a file name (the path cell, as the files are named relative to
    // the working folder) and starts a sentence holding evidence (the sentence cell).
    let mut text = String::from("Inleiding.\n");
    for payload in PAYLOADS {
        text.push_str(&format!(
            "{payload} Het plan wordt jaarlijks geevalueerd.\n"
        ));
    }
    let mut names = Vec::new();
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let name = format!("{payload}{i}.txt");
        std::fs::write(case.root().join(&name), &text).unwrap();
        names.push(name);
    }
    let mut args = vec![
        "scan",
        "-o",
        "out.csv",
        "--evidence",
        "ev.csv",
        "--no-progress",
        "--",
    ];
    args.extend(names.iter().map(String::as_str));
    let run = borging(&args, case.root());
    assert_eq!(run.code, Some(0), "{}", run.stderr);

    let documents = read_csv(&case.root().join("out.csv"));
    let evidence = read_csv(&case.root().join("ev.csv"));
    assert_eq!(documents.len(), PAYLOADS.len());
    // Document text is guarded; a path is data and is written exactly (issue 10), a name
    // with a tab or carriage return in double quotes with escapes.
    for row in documents.iter().chain(&evidence) {
        for (column, cell) in row {
            if column != "path" {
                assert!(!is_formula(cell), "{column} = {cell:?}");
            }
        }
    }
    let paths: Vec<&str> = documents.iter().map(|r| r["path"].as_str()).collect();
    for name in &names {
        let written = if name.contains(['\t', '\r']) {
            format!("\"{}\"", name.replace('\t', "\\t").replace('\r', "\\r"))
        } else {
            name.clone()
        };
        assert!(
            paths.contains(&written.as_str()),
            "{written:?} in {paths:?}"
        );
    }
    // The payloads reached the sentence cells, neutralised by a leading quote and otherwise
    // intact: a sentence keeps the marks it starts with.
    let sentences: Vec<&str> = evidence.iter().map(|r| r["sentence"].as_str()).collect();
    for payload in ["=1+1", "+31", "-2", "@SUM(A1)"] {
        let expected = format!("'{payload} Het plan wordt jaarlijks geevalueerd.");
        assert!(
            sentences.contains(&expected.as_str()),
            "{expected:?} in {sentences:?}"
        );
    }
}

#[test]
fn extract_prints_no_terminal_control_characters() {
    let case = Case::new();
    // Enough ordinary text that the few control characters do not make it look binary.
    let mut text = "Het team bespreekt de resultaten in de vergadering. ".repeat(100);
    text.push_str("Het plan\x1b[31m wordt \x1b]0;titel\x07jaarlijks");
    for c in (1u8..0x20).filter(|c| !matches!(c, b'\n' | b'\t' | 0x0c | b'\r')) {
        text.push(c as char);
    }
    text.push_str(" geevalueerd\u{9b}31m.\x7f\n");
    let path = case.write("kleur.txt", text.as_bytes());
    let run = borging(&[OsStr::new("extract"), path.as_os_str()], case.root());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(out.contains("Het plan"), "{out:?}");
    for c in out.chars() {
        assert!(
            !c.is_control() || c == '\n' || c == '\t',
            "control character {c:?} in {out:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn extract_messages_escape_a_hostile_file_name() {
    let case = Case::new();
    // An empty text file is `no_text`, which `extract` reports with the file name.
    let path = case.write("leeg\x1b[2J.txt", b"");
    let run = borging(&[OsStr::new("extract"), path.as_os_str()], case.root());
    assert!(run.stderr.contains("leeg"), "{}", run.stderr);
    assert!(!run.stderr.contains('\x1b'), "{:?}", run.stderr);
}

// ---------------------------------------------------------------------------------------
// Library-level checks
// ---------------------------------------------------------------------------------------

#[test]
fn extract_bytes_survives_truncations_of_a_valid_pdf() {
    // Every prefix of a small valid file: a classic source of index-out-of-range panics.
    let pdf = assemble(&document(vec![stream("", SENTENCE)], ""), |_| String::new());
    let options = Options {
        timeout: Duration::from_secs(2),
        ..Options::default()
    };
    for len in (0..pdf.len()).step_by(7) {
        let got = std::panic::catch_unwind(|| {
            borging::extract::extract_bytes(&pdf[..len], Some(Format::Pdf), &options)
        });
        assert!(got.is_ok(), "panic on the first {len} bytes");
    }
}

// ---------------------------------------------------------------------------------------
// Interruption
// ---------------------------------------------------------------------------------------

/// Starts a slow scan (many documents, one job), waits until it writes its temporary
/// report, sends `signals` to it with `kill`, and checks that it stops with 130, leaves the
/// earlier reports as they were and no temporary file behind.
#[cfg(unix)]
fn interrupt_scan(signals: &[&str]) {
    let case = Case::new();
    let text = "Het team evalueert jaarlijks de doelen van het schoolplan. ".repeat(1700);
    for i in 0..200 {
        case.write(&format!("plan{i:03}.txt"), text.as_bytes());
    }
    let good = "path,status\noud.pdf,ok\n";
    std::fs::write(case.root().join("out.csv"), good).unwrap();
    std::fs::write(case.root().join("ev.csv"), good).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_borging"))
        .args(["scan", "in", "-o", "out.csv", "--evidence", "ev.csv"])
        .args(["--jobs", "1", "--no-progress"])
        .current_dir(case.root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while temp_files(case.root()).len() < 2 {
        assert!(
            started.elapsed() < HANG_GUARD,
            "no temporary report appeared"
        );
        assert!(child.try_wait().unwrap().is_none(), "the scan ended early");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(500));
    for signal in signals {
        let sent = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{signal}");
        std::thread::sleep(Duration::from_millis(50));
    }
    let signalled = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if signalled.elapsed() > HANG_GUARD {
            let _ = child.kill();
            panic!("the scan did not stop after {signals:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "after {signals:?}; stderr:\n{stderr}"
    );
    assert!(stderr.contains("interrupted"), "{stderr}");
    for name in ["out.csv", "ev.csv"] {
        assert_eq!(
            std::fs::read_to_string(case.root().join(name)).unwrap(),
            good,
            "{name} after {signals:?}"
        );
    }
    assert_eq!(temp_files(case.root()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn sigint_stops_the_scan_and_keeps_the_earlier_reports() {
    interrupt_scan(&["INT"]);
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_scan_and_keeps_the_earlier_reports() {
    interrupt_scan(&["TERM"]);
}

#[cfg(unix)]
#[test]
fn second_sigint_exits_130_and_leaves_no_temporary_files() {
    interrupt_scan(&["INT", "INT"]);
}

// ---------------------------------------------------------------------------------------
// --isolate
// ---------------------------------------------------------------------------------------

#[test]
fn isolated_scan_writes_the_same_report_as_in_process() {
    let case = Case::new();
    case.write(
        "plan.txt",
        "Het plan wordt jaarlijks geëvalueerd.".as_bytes(),
    );
    case.write("ruis.pdf", &noise(4096, 7));
    case.write("negen.pdf", b"%PDF-1.4\n");
    let objects = document(vec![stream("", SENTENCE), stream("", SENTENCE)], "");
    case.write(
        "twee.pdf",
        &assemble(&objects, |xref| format!("/Prev {xref}")),
    );
    let in_process = case.scan(&["--evidence", "ev.csv"]);
    assert_eq!(in_process.run.code, Some(0), "{}", in_process.run.stderr);
    let report = std::fs::read(case.root().join("out.csv")).unwrap();
    let evidence = std::fs::read(case.root().join("ev.csv")).unwrap();
    let isolated = case.scan(&["--evidence", "ev.csv", "--isolate", "--jobs", "2"]);
    assert_eq!(isolated.run.code, Some(0), "{}", isolated.run.stderr);
    assert_eq!(isolated.rows.len(), 4);
    assert_eq!(
        String::from_utf8_lossy(&std::fs::read(case.root().join("out.csv")).unwrap()),
        String::from_utf8_lossy(&report)
    );
    assert_eq!(std::fs::read(case.root().join("ev.csv")).unwrap(), evidence);
}

#[test]
fn isolated_worker_that_overruns_the_deadline_is_stopped_from_outside() {
    // A page of a million operators with a one-second deadline: the worker either stops
    // itself in time or the parent kills it at the deadline plus the grace period.
    let case = Case::new();
    let chunk = b"(ab) Tj\n".repeat(8192);
    let content = repeated_zlib(b"BT /F1 12 Tf 72 720 Td\n", &chunk, 128, b"ET\n");
    let objects = document(vec![stream("/Filter /FlateDecode", &content)], "");
    let path = case.write("traag.pdf", &assemble(&objects, |_| String::new()));
    let options = Options {
        timeout: Duration::from_secs(1),
        ..Options::default()
    };
    let pool = borging::isolate::Pool::with_command(
        env!("CARGO_BIN_EXE_borging"),
        ["__worker"],
        options.clone(),
    );
    let started = Instant::now();
    let got = pool.extract(&path);
    let took = started.elapsed();
    assert!(
        matches!(got.status, Status::Timeout | Status::Ok),
        "{:?}: {}",
        got.status,
        got.message
    );
    assert!(
        took < options.timeout + borging::isolate::GRACE + Duration::from_secs(5),
        "took {took:?}"
    );
    // The pool goes on with a fresh or the same worker.
    let text = case.write("plan.txt", b"Het plan wordt jaarlijks geevalueerd.");
    assert_eq!(pool.extract(&text).status, Status::Ok);
}
