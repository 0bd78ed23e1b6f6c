//! Annotations that carry text a reader sees on the page: filled-in form fields (widget
//! annotations) and free-text comments. Subsidy applications often arrive as filled-in
//! forms, and what was typed into them (the applicant, the amounts, the coordinator's
//! name) lives in the annotations, not in the page's content stream.
//!
//! This module decides what each annotation shows; the interpreter draws it
//! (`content::Interpreter::annotations`). An annotation shows its normal appearance
//! stream (`/AP /N`; for a dictionary of states, the one `/AS` names), a Form XObject
//! fitted to `/Rect` (PDF 32000-1 §12.5.5). A text or choice field whose appearance is
//! missing or draws no text shows its value (`/V`) instead, set inside `/Rect` the way a
//! viewer would; so does every such field when the form asks viewers to regenerate
//! appearances (`/NeedAppearances`), because then the appearance may be stale. A free-text
//! annotation without appearance shows its `/Contents`. Hidden annotations and password
//! fields show nothing.

use super::font::Font;
use super::objects::deref;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Annotation flags (PDF 32000-1 table 165) that keep an annotation off the screen:
/// Hidden (bit 2) and NoView (bit 6).
const HIDDEN: i64 = 1 << 1;
const NO_VIEW: i64 = 1 << 5;
/// Field flags of text fields (table 228): a multi-line field wraps its value; a
/// password field's value is a secret and its appearance shows bullets.
const MULTILINE: i64 = 1 << 12;
const PASSWORD: i64 = 1 << 13;
/// Steps up a field's `/Parent` chain when looking for an inherited attribute (forms
/// nest fields a few levels; a loop would go on for ever).
const MAX_PARENT_HOPS: usize = 32;
/// The margin viewers leave inside a field's rectangle, in points.
const PADDING: f32 = 2.0;
/// Ascent and descent of the fallback font (Helvetica), per unit of size.
const ASCENT: f32 = 0.718;
const DESCENT: f32 = 0.207;
/// Line pitch of a multi-line value, per unit of size.
const LEADING: f32 = 1.15;

/// What the document's interactive form (`/AcroForm`) says for all its fields.
#[derive(Default)]
pub struct FormDefaults<'d> {
    /// Viewers must build the fields' appearances from their values.
    need_appearances: bool,
    /// Default resources: fonts for appearance streams that carry none.
    pub resources: Option<&'d Dictionary>,
    /// The form dictionary, for the default `/DA` and `/Q`.
    form: Option<&'d Dictionary>,
}

impl<'d> FormDefaults<'d> {
    pub fn of(doc: &'d Document) -> FormDefaults<'d> {
        let Some(form) = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"AcroForm").ok())
            .and_then(|f| deref(doc, f).as_dict().ok())
        else {
            return FormDefaults::default();
        };
        FormDefaults {
            need_appearances: form
                .get(b"NeedAppearances")
                .ok()
                .and_then(|v| deref(doc, v).as_bool().ok())
                .unwrap_or(false),
            resources: form
                .get(b"DR")
                .ok()
                .and_then(|r| deref(doc, r).as_dict().ok()),
            form: Some(form),
        }
    }
}

/// One annotation to draw.
pub struct Annot<'d> {
    /// `/Rect` in the page's default space, normalised: `[x0, y0, x1, y1]`, x0 < x1 and
    /// y0 < y1.
    pub rect: [f32; 4],
    /// The appearance stream to draw, if any.
    pub appearance: Option<(ObjectId, &'d Stream)>,
    /// The text to set when the appearance is missing or draws no text.
    pub value: Option<Value>,
}

/// A value set in the fallback font: its size and its lines, each with the start of
/// its baseline in the page's default space.
#[derive(Debug, PartialEq)]
pub struct Value {
    pub size: f32,
    pub lines: Vec<(f32, f32, String)>,
}

/// The annotations of a page that may show text, in the order of `/Annots` (the order
/// viewers draw them in).
pub fn page_annots<'d>(
    doc: &'d Document,
    page: &'d Dictionary,
    form: &FormDefaults<'d>,
) -> Vec<Annot<'d>> {
    let Some(list) = page
        .get(b"Annots")
        .ok()
        .and_then(|a| deref(doc, a).as_array().ok())
    else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|a| deref(doc, a).as_dict().ok())
        .filter_map(|a| annot(doc, a, form))
        .collect()
}

fn annot<'d>(
    doc: &'d Document,
    dict: &'d Dictionary,
    form: &FormDefaults<'d>,
) -> Option<Annot<'d>> {
    let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok()?;
    let flags = int(doc, dict.get(b"F").ok()).unwrap_or(0);
    if flags & (HIDDEN | NO_VIEW) != 0 {
        return None;
    }
    let rect = rect(doc, dict)?;
    let (appearance, value) = match subtype {
        b"Widget" => {
            let kind = inherited(doc, dict, b"FT").and_then(|t| t.as_name().ok());
            if !matches!(kind, Some(b"Tx" | b"Ch")) {
                // Buttons and signatures: only what their appearance draws.
                return Some(Annot {
                    rect,
                    appearance: appearance(doc, dict),
                    value: None,
                });
            }
            let field_flags = int(doc, inherited(doc, dict, b"Ff")).unwrap_or(0);
            if field_flags & PASSWORD != 0 {
                return None;
            }
            let text = inherited(doc, dict, b"V").and_then(|v| field_text(doc, v));
            let da = inherited(doc, dict, b"DA").or_else(|| form_entry(doc, form, b"DA"));
            let q = int(
                doc,
                inherited(doc, dict, b"Q").or_else(|| form_entry(doc, form, b"Q")),
            );
            let value = text.map(|t| {
                set_value(
                    &t,
                    rect,
                    da_size(da),
                    q.unwrap_or(0),
                    field_flags & MULTILINE != 0,
                )
            });
            let appearance = if form.need_appearances {
                None
            } else {
                appearance(doc, dict)
            };
            (appearance, value)
        }
        b"FreeText" => {
            let text = dict
                .get(b"Contents")
                .ok()
                .and_then(|c| lopdf::decode_text_string(deref(doc, c)).ok())
                .filter(|t| !t.trim().is_empty());
            let da = dict.get(b"DA").ok().map(|d| deref(doc, d));
            let q = int(doc, dict.get(b"Q").ok()).unwrap_or(0);
            let value = text.map(|t| set_value(&t, rect, da_size(da), q, true));
            (appearance(doc, dict), value)
        }
        _ => return None,
    };
    (appearance.is_some() || value.is_some()).then_some(Annot {
        rect,
        appearance,
        value,
    })
}

/// The normal appearance: `/AP /N`, a stream or a dictionary of streams by state.
fn appearance<'d>(doc: &'d Document, dict: &'d Dictionary) -> Option<(ObjectId, &'d Stream)> {
    let ap = deref(doc, dict.get(b"AP").ok()?).as_dict().ok()?;
    let normal = ap.get(b"N").ok()?;
    let stream = |object: &Object| match object {
        Object::Reference(id) => doc
            .get_object(*id)
            .and_then(Object::as_stream)
            .ok()
            .map(|s| (*id, s)),
        _ => None,
    };
    if let Some(found) = stream(normal) {
        return Some(found);
    }
    // A checkbox or radio button: one appearance per state, `/AS` names the current one.
    let states = deref(doc, normal).as_dict().ok()?;
    let state = dict.get(b"AS").and_then(Object::as_name).ok()?;
    stream(states.get(state).ok()?)
}

/// A field attribute from the field or the nearest ancestor that has it.
fn inherited<'d>(doc: &'d Document, dict: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    let mut node = dict;
    for _ in 0..MAX_PARENT_HOPS {
        if let Ok(value) = node.get(key) {
            return Some(deref(doc, value));
        }
        node = deref(doc, node.get(b"Parent").ok()?).as_dict().ok()?;
    }
    None
}

fn form_entry<'d>(doc: &'d Document, form: &FormDefaults<'d>, key: &[u8]) -> Option<&'d Object> {
    form.form?.get(key).ok().map(|v| deref(doc, v))
}

fn int(doc: &Document, object: Option<&Object>) -> Option<i64> {
    deref(doc, object?).as_i64().ok()
}

/// The text of a field value: a text string, or for a multiple-choice list an array of
/// them (joined by ", "). `None` when blank.
fn field_text(doc: &Document, value: &Object) -> Option<String> {
    let text = match value {
        Object::Array(items) => items
            .iter()
            .filter_map(|i| lopdf::decode_text_string(deref(doc, i)).ok())
            .collect::<Vec<_>>()
            .join(", "),
        other => lopdf::decode_text_string(other).ok()?,
    };
    (!text.trim().is_empty()).then_some(text)
}

/// `/Rect`, normalised; `None` when it is missing, not finite or has no area (such an
/// annotation shows nothing).
fn rect(doc: &Document, dict: &Dictionary) -> Option<[f32; 4]> {
    let array = deref(doc, dict.get(b"Rect").ok()?).as_array().ok()?;
    let nums: Vec<f32> = array
        .iter()
        .filter_map(|o| deref(doc, o).as_float().ok())
        .collect();
    let [a, b, c, d] = <[f32; 4]>::try_from(nums).ok()?;
    let rect = [a.min(c), b.min(d), a.max(c), b.max(d)];
    (rect.iter().all(|v| v.is_finite()) && rect[2] > rect[0] && rect[3] > rect[1]).then_some(rect)
}

/// The font size of a default appearance string (`/Helv 10 Tf 0 g`); 0 means "fit the
/// field", as does a string without one.
fn da_size(da: Option<&Object>) -> f32 {
    let Some(Ok(bytes)) = da.map(Object::as_str) else {
        return 0.0;
    };
    let text = String::from_utf8_lossy(bytes);
    let tokens: Vec<&str> = text.split_whitespace().collect();
    tokens
        .iter()
        .rposition(|t| *t == "Tf")
        .and_then(|at| tokens.get(at.checked_sub(1)?)?.parse::<f32>().ok())
        .filter(|s| s.is_finite())
        .unwrap_or(0.0)
}

/// Sets `text` inside `rect` as a viewer regenerating the appearance would: one line
/// centred across the field, or for a multi-line field from the top, wrapped at word
/// boundaries to the field's width; aligned by `q` (0 left, 1 centre, 2 right). A size
/// of 0 fits the text to the field's height.
pub fn set_value(text: &str, rect: [f32; 4], size: f32, q: i64, multiline: bool) -> Value {
    let [x0, y0, x1, y1] = rect;
    let (width, height) = (x1 - x0, y1 - y0);
    let size = if size > 0.0 {
        size.clamp(1.0, 100.0)
    } else {
        (0.7 * height).clamp(4.0, 12.0)
    };
    let avail = (width - 2.0 * PADDING).max(0.0);
    let measure = |s: &str| s.chars().map(Font::fallback_width).sum::<f32>() * size;
    let clean: String = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .filter(|&c| !c.is_control() || c == '\n' || c == '\r')
        .collect();
    let mut lines: Vec<String> = Vec::new();
    if multiline {
        for paragraph in clean.split(['\n', '\r']) {
            wrap(paragraph, avail, &measure, &mut lines);
        }
        // "\r\n" splits into a paragraph and an empty one; drop trailing blank lines.
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
    } else {
        lines.push(clean.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    let first = if multiline {
        y1 - PADDING - ASCENT * size
    } else {
        y0 + 0.5 * (height - (ASCENT + DESCENT) * size) + DESCENT * size
    };
    let lines = lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let spare = avail - measure(&line);
            let x = x0
                + PADDING
                + match q {
                    1 => 0.5 * spare.max(0.0),
                    2 => spare.max(0.0),
                    _ => 0.0,
                };
            (x, first - i as f32 * LEADING * size, line)
        })
        .collect();
    Value { size, lines }
}

/// Breaks a paragraph into lines of at most `avail` wide, at spaces; a word wider than
/// the line stands alone. An empty paragraph is an empty line. Widths are summed as the
/// line grows, so a long value costs linear time.
fn wrap(paragraph: &str, avail: f32, measure: &impl Fn(&str) -> f32, out: &mut Vec<String>) {
    let space = measure(" ");
    let mut line = String::new();
    let mut width = 0.0;
    for word in paragraph.split_whitespace() {
        let word_width = measure(word);
        if !line.is_empty() {
            if width + space + word_width > avail {
                out.push(std::mem::take(&mut line));
                width = 0.0;
            } else {
                line.push(' ');
                width += space;
            }
        }
        line.push_str(word);
        width += word_width;
    }
    out.push(line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_value_is_centred_across_the_field() {
        let value = set_value(
            "Stichting  De\tBrug",
            [100.0, 500.0, 300.0, 520.0],
            10.0,
            0,
            false,
        );
        assert_eq!(value.size, 10.0);
        let [(x, y, ref text)] = value.lines[..] else {
            panic!("one line: {value:?}")
        };
        assert_eq!(text, "Stichting De Brug");
        assert_eq!(x, 102.0);
        // The box from descent to ascent sits in the middle of the 20-point field.
        let (bottom, top) = (y - DESCENT * 10.0, y + ASCENT * 10.0);
        assert!(
            (bottom - 500.0 - (520.0 - top)).abs() < 0.01,
            "{bottom} {top}"
        );
    }

    #[test]
    fn multiline_value_wraps_at_the_field_width_from_the_top() {
        // 60 points wide: room for 56 points of 10-point Helvetica per line.
        let value = set_value(
            "een twee drie\nvier",
            [0.0, 0.0, 60.0, 100.0],
            10.0,
            0,
            true,
        );
        let texts: Vec<&str> = value.lines.iter().map(|l| l.2.as_str()).collect();
        assert_eq!(texts, ["een twee", "drie", "vier"]);
        assert!(value.lines[0].1 < 100.0 - PADDING);
        assert!(value.lines[1].1 < value.lines[0].1);
    }

    #[test]
    fn right_aligned_value_ends_at_the_padding_and_auto_size_fits_the_height() {
        let value = set_value("1250", [0.0, 0.0, 100.0, 10.0], 0.0, 2, false);
        assert_eq!(value.size, 7.0);
        let (x, _, ref text) = value.lines[0];
        let end = x + text.chars().map(Font::fallback_width).sum::<f32>() * 7.0;
        assert!((end - (100.0 - PADDING)).abs() < 0.01, "{end}");
    }

    #[test]
    fn size_is_read_from_the_default_appearance() {
        let da = Object::string_literal("0.3 g /Helv 11 Tf");
        assert_eq!(da_size(Some(&da)), 11.0);
        assert_eq!(da_size(Some(&Object::string_literal("/F5 0 Tf 0 g"))), 0.0);
        assert_eq!(da_size(None), 0.0);
    }
}
