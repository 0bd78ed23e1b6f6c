//! Encrypted files that lopdf does not open by itself, opened by hand with its parts.
//!
//! lopdf decrypts while it loads, from an `/Encrypt` dictionary given by reference with
//! its crypt filters written in place. Files in the wild (and in other readers' test
//! suites) differ in ways every reader accepts:
//! - the `/Encrypt` dictionary written directly in the trailer (lopdf then does not see
//!   the encryption at all, so even the right password does not open the file);
//! - `/CF` or its filters given by reference (lopdf then decrypts with the wrong cipher
//!   and the pages come out blank, silently);
//! - V4 with a 40-bit RC4 crypt filter (lopdf wants 128 bits from V4 and refuses);
//! - only embedded files encrypted (`/StmF` and `/StrF` are `/Identity`, `/EFF` names a
//!   filter): the pages are plain, and no password is needed to read them.
//!
//! Here the file is loaded with the trailer's `/Encrypt` key renamed (same length, so no
//! offset moves), which gives the objects as stored; the dictionary is put in the form
//! lopdf reads, the password is checked by lopdf's own algorithms
//! ([`EncryptionState::decode`], which also applies SASLprep to AES-256 passwords), and
//! every object is decrypted with [`lopdf::encryption::decrypt_object`]. Object streams
//! are unpacked after decryption, since their contents could not be read before.

use lopdf::{Dictionary, Document, EncryptionState, LoadOptions, Object, ObjectId, ObjectStream};
use memchr::memmem;

/// The trailer key `/Encrypt` renamed so that lopdf loads the stored objects.
const HIDDEN_KEY: &[u8] = b"EncrypX";

/// Why a file could not be opened by hand.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The file is encrypted and the password (given or empty) does not open it.
    Password,
    /// Not something this path can open (no encryption found, an unknown handler, a
    /// file lopdf cannot load): the caller keeps what it had.
    NotHandled,
}

/// True when a document lopdf loaded and decrypted names a crypt filter it did not
/// find (a `/CF` given by reference): its streams were decrypted with a stand-in
/// cipher and read as noise.
pub fn decrypted_wrongly(doc: &Document) -> bool {
    let Some(state) = &doc.encryption_state else {
        return false;
    };
    let missing = |name: &[u8]| {
        !name.is_empty() && name != b"Identity" && !state.crypt_filters().contains_key(name)
    };
    state.version() >= 4
        && (missing(state.default_stream_filter()) || missing(state.default_string_filter()))
}

/// Opens an encrypted file by hand (see the module documentation), with `password` or
/// the empty one. `load` gives the options lopdf is to load with.
pub fn open(
    bytes: &[u8],
    password: Option<&str>,
    load: impl Fn(bool) -> LoadOptions,
) -> Result<Document, Refused> {
    let hidden = hide_encrypt(bytes).ok_or(Refused::NotHandled)?;
    let mut doc =
        Document::load_mem_with_options(&hidden, load(false)).map_err(|_| Refused::NotHandled)?;
    let entry = doc.trailer.remove(HIDDEN_KEY).ok_or(Refused::NotHandled)?;
    let original = entry.as_reference().ok();
    let mut dict = resolved(&doc, &entry).ok_or(Refused::NotHandled)?;
    if dict.get(b"Filter").and_then(Object::as_name).ok() != Some(b"Standard") {
        return Err(Refused::NotHandled);
    }
    let version = dict.get(b"V").and_then(Object::as_i64).unwrap_or(0);
    if version >= 4 && plain_pages(&dict) {
        // Only embedded files are encrypted: the pages need no password.
        unpack_object_streams(&mut doc, None);
        return Ok(doc);
    }
    if version == 4 {
        forty_bit_rc4_as_v2(&mut dict);
    }
    let id = doc.new_object_id();
    doc.objects.insert(id, Object::Dictionary(dict));
    doc.trailer.set("Encrypt", Object::Reference(id));
    let state =
        EncryptionState::decode(&doc, password.unwrap_or("")).map_err(|_| Refused::Password)?;
    doc.trailer.remove(b"Encrypt");
    doc.objects.remove(&id);
    if let Some(original) = original {
        doc.objects.remove(&original);
    }
    for (id, object) in doc.objects.iter_mut() {
        // A part that does not decrypt stays as it is; the page reads what it can.
        let _ = lopdf::encryption::decrypt_object(&state, *id, object);
    }
    unpack_object_streams(&mut doc, load(false).max_decompressed_size);
    doc.encryption_state = Some(state);
    Ok(doc)
}

/// A copy of `bytes` with every `/Encrypt` key (not `/EncryptMetadata`) renamed.
fn hide_encrypt(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = bytes.to_vec();
    let mut found = false;
    let finder = memmem::Finder::new(b"/Encrypt");
    let mut from = 0;
    while let Some(i) = finder.find(&out[from..]) {
        let at = from + i;
        from = at + 8;
        if out.get(at + 8).is_some_and(|b| b.is_ascii_alphanumeric()) {
            continue;
        }
        out[at + 1..at + 8].copy_from_slice(HIDDEN_KEY);
        found = true;
    }
    found.then_some(out)
}

/// The encryption dictionary with `/CF` and its filters written in place.
fn resolved(doc: &Document, entry: &Object) -> Option<Dictionary> {
    let mut dict = deref(doc, entry).as_dict().ok()?.clone();
    if let Ok(cf) = dict.get(b"CF") {
        let mut filters = deref(doc, cf).as_dict().ok()?.clone();
        for (_, filter) in filters.iter_mut() {
            *filter = deref(doc, filter).clone();
        }
        dict.set("CF", Object::Dictionary(filters));
    }
    for key in [
        &b"O"[..],
        b"U",
        b"OE",
        b"UE",
        b"Perms",
        b"P",
        b"V",
        b"R",
        b"Length",
    ] {
        if let Ok(value) = dict.get(key) {
            let value = deref(doc, value).clone();
            dict.set(key, value);
        }
    }
    Some(dict)
}

/// True when strings and streams are not encrypted (V4/V5 with `/StmF` and `/StrF`
/// `/Identity` or absent, which means `/Identity`).
fn plain_pages(dict: &Dictionary) -> bool {
    let identity = |key: &[u8]| {
        dict.get(key)
            .and_then(Object::as_name)
            .map_or(true, |name| name == b"Identity")
    };
    identity(b"StmF") && identity(b"StrF")
}

/// V4 whose crypt filter is RC4 (`/CFM /V2`) with a key under 128 bits is the V2
/// scheme with that key length, the way poppler and pdf.js read it; lopdf reads V4 as
/// 128 bits only. A crypt filter's `/Length` is in bytes when under 40 (5 means 40 bits).
fn forty_bit_rc4_as_v2(dict: &mut Dictionary) {
    let Some(filter) = dict
        .get(b"StmF")
        .and_then(Object::as_name)
        .ok()
        .map(<[u8]>::to_vec)
        .and_then(|name| {
            dict.get(b"CF")
                .ok()?
                .as_dict()
                .ok()?
                .get(&name)
                .ok()?
                .as_dict()
                .ok()
                .cloned()
        })
    else {
        return;
    };
    if filter.get(b"CFM").and_then(Object::as_name).ok() != Some(b"V2") {
        return;
    }
    let bits = match filter.get(b"Length").and_then(Object::as_i64).ok() {
        Some(n) if n < 40 => n * 8,
        Some(n) => n,
        None => dict.get(b"Length").and_then(Object::as_i64).unwrap_or(128),
    };
    if (40..128).contains(&bits) && bits % 8 == 0 {
        dict.set("V", 2);
        dict.set("Length", bits);
        dict.remove(b"CF");
        dict.remove(b"StmF");
        dict.remove(b"StrF");
    }
}

/// Reads the objects held in object streams (decrypted by now) into the document,
/// keeping any object already there.
fn unpack_object_streams(doc: &mut Document, limit: Option<usize>) {
    let containers: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| o.as_stream().is_ok_and(|s| s.dict.has_type(b"ObjStm")))
        .map(|(id, _)| *id)
        .collect();
    for id in containers {
        let Some(Ok(stream)) = doc.objects.get(&id).map(Object::as_stream) else {
            continue;
        };
        let Ok(unpacked) = ObjectStream::new_with_limit(stream, limit) else {
            continue;
        };
        for (inner, object) in unpacked.objects {
            doc.objects.entry(inner).or_insert(object);
        }
    }
}

fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    super::objects::deref(doc, object)
}
