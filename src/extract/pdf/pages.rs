//! Page enumeration of our own: the page tree walked iteratively with a visited set, the
//! inherited `/Resources`, and the printed page labels (`/PageLabels`).
//!
//! lopdf's own page iterator is cycle-safe but may yield a page twice when the tree is
//! looped (`/Kids [3 0 R 2 0 R]` gives 3 pages for a 1-page file); here a node is visited
//! once, so the count is the real one. When no tree survives (a damaged or truncated
//! file), the pages are collected from every object typed `/Page`, in object order.

use super::objects::{deref, inherited};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashSet;

/// One page: its dictionary and the resources it uses (its own or inherited).
pub struct PageRef<'d> {
    pub dict: &'d Dictionary,
    pub resources: Option<&'d Dictionary>,
}

/// The pages of a document in order, and how many repeated tree nodes were skipped.
pub struct PageList<'d> {
    pub pages: Vec<PageRef<'d>>,
    pub repeats: usize,
    /// True when the pages come from an object scan, not the page tree.
    pub scanned: bool,
}

pub fn pages(doc: &Document) -> PageList<'_> {
    let mut list = PageList {
        pages: Vec::new(),
        repeats: 0,
        scanned: false,
    };
    let root = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|p| p.as_reference().ok());
    if let Some(root) = root {
        walk(doc, root, &mut list);
    }
    if list.pages.is_empty() {
        list.scanned = true;
        for object in doc.objects.values() {
            if let Ok(dict) = object.as_dict()
                && dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"Page")
            {
                let resources =
                    inherited(doc, dict, b"Resources").and_then(|r| deref(doc, r).as_dict().ok());
                list.pages.push(PageRef { dict, resources });
            }
        }
    }
    list
}

/// Depth-first, left to right, with an explicit stack; each node once.
fn walk<'d>(doc: &'d Document, root: ObjectId, list: &mut PageList<'d>) {
    let mut visited: HashSet<ObjectId> = HashSet::new();
    let mut stack: Vec<(&'d Object, Option<&'d Dictionary>)> = Vec::new();
    let root_ref = doc.objects.get(&root);
    let Some(root_obj) = root_ref else { return };
    visited.insert(root);
    stack.push((root_obj, None));
    while let Some((node, inherited)) = stack.pop() {
        let Ok(dict) = node.as_dict() else { continue };
        let resources = dict
            .get(b"Resources")
            .ok()
            .and_then(|r| deref(doc, r).as_dict().ok())
            .or(inherited);
        let kids = dict
            .get(b"Kids")
            .ok()
            .map(|k| deref(doc, k))
            .and_then(|k| k.as_array().ok());
        let kind = dict.get(b"Type").and_then(Object::as_name).ok();
        match kids {
            Some(kids) if kind != Some(b"Page") => {
                for kid in kids.iter().rev() {
                    match kid {
                        Object::Reference(id) => {
                            if !visited.insert(*id) {
                                list.repeats += 1;
                                continue;
                            }
                            if let Ok(object) = doc.get_object(*id) {
                                stack.push((object, resources));
                            }
                        }
                        direct @ Object::Dictionary(_) => stack.push((direct, resources)),
                        _ => {}
                    }
                }
            }
            // A leaf is a page when it says so, or says nothing (lenient readers accept an
            // untyped page); a Catalog, a childless Pages node or any other object a broken
            // /Kids points at is not a page.
            _ if kind.is_none_or(|k| k == b"Page") => list.pages.push(PageRef { dict, resources }),
            _ => {}
        }
    }
}

/// The part of the page a reader shows: the crop box (default: the media box) within
/// the media box, both inherited, as `[x0, y0, x1, y1]` with `x0 <= x1` and `y0 <= y1`.
/// `None` when the page has no usable box.
pub fn visible_box(doc: &Document, page: &Dictionary) -> Option<[f32; 4]> {
    let media = inherited_box(doc, page, b"MediaBox");
    let crop = inherited_box(doc, page, b"CropBox");
    match (media, crop) {
        (Some(m), Some(c)) => {
            let b = [
                m[0].max(c[0]),
                m[1].max(c[1]),
                m[2].min(c[2]),
                m[3].min(c[3]),
            ];
            // Boxes that do not overlap are a producer's error: the media box wins.
            Some(if b[0] < b[2] && b[1] < b[3] { b } else { m })
        }
        (m, c) => m.or(c),
    }
}

/// A rectangle key of the page or its nearest ancestor that has it, ordered.
fn inherited_box(doc: &Document, page: &Dictionary, key: &[u8]) -> Option<[f32; 4]> {
    let items = deref(doc, inherited(doc, page, key)?).as_array().ok()?;
    let n: Vec<f32> = items
        .iter()
        .filter_map(|o| deref(doc, o).as_float().ok())
        .filter(|v| v.is_finite())
        .collect();
    let [a, b, c, d] = <[f32; 4]>::try_from(n).ok()?;
    let rect = [a.min(c), b.min(d), a.max(c), b.max(d)];
    // A box without area hides nothing a reader would show.
    (rect[2] - rect[0] > 0.0 && rect[3] - rect[1] > 0.0).then_some(rect)
}

/// The printed label of every page (`None` where the document defines none), from the
/// `/PageLabels` number tree.
pub fn labels(doc: &Document, count: usize) -> Vec<Option<String>> {
    let mut ranges: Vec<(usize, &Dictionary)> = Vec::new();
    if let Some(tree) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"PageLabels").ok())
        .map(|t| deref(doc, t))
    {
        number_tree(doc, tree, &mut ranges);
    }
    if ranges.is_empty() {
        return vec![None; count];
    }
    ranges.sort_by_key(|r| r.0);
    let mut out = Vec::with_capacity(count);
    let mut r = 0;
    for index in 0..count {
        while r + 1 < ranges.len() && ranges[r + 1].0 <= index {
            r += 1;
        }
        let (start, style) = ranges[r];
        out.push((start <= index).then(|| label(doc, style, index - start)));
    }
    out
}

/// Collects the (key, value) pairs of a number tree, iteratively with a visited set.
fn number_tree<'d>(doc: &'d Document, root: &'d Object, out: &mut Vec<(usize, &'d Dictionary)>) {
    let mut stack = vec![root];
    let mut visited: HashSet<*const Object> = HashSet::new();
    while let Some(node) = stack.pop() {
        if !visited.insert(node as *const Object) || visited.len() > 10_000 {
            continue;
        }
        let Ok(dict) = node.as_dict() else { continue };
        if let Ok(nums) = dict
            .get(b"Nums")
            .map(|n| deref(doc, n))
            .and_then(Object::as_array)
        {
            for pair in nums.chunks(2) {
                if let [key, value] = pair
                    && let Ok(key) = deref(doc, key).as_i64()
                    && let Ok(value) = deref(doc, value).as_dict()
                    && key >= 0
                {
                    out.push((key as usize, value));
                }
            }
        }
        if let Ok(kids) = dict
            .get(b"Kids")
            .map(|k| deref(doc, k))
            .and_then(Object::as_array)
        {
            stack.extend(kids.iter().map(|k| deref(doc, k)));
        }
    }
}

fn label(doc: &Document, style: &Dictionary, offset: usize) -> String {
    let mut out = style
        .get(b"P")
        .ok()
        .and_then(|p| lopdf::decode_text_string(deref(doc, p)).ok())
        .unwrap_or_default();
    let first = style
        .get(b"St")
        .and_then(Object::as_i64)
        .unwrap_or(1)
        .max(1) as usize;
    let n = first.saturating_add(offset);
    match style.get(b"S").and_then(Object::as_name).ok() {
        Some(b"D") => out.push_str(&n.to_string()),
        Some(b"R") => out.push_str(&roman(n)),
        Some(b"r") => out.push_str(&roman(n).to_lowercase()),
        Some(b"A") => out.push_str(&letters(n)),
        Some(b"a") => out.push_str(&letters(n).to_lowercase()),
        _ => {}
    }
    out
}

fn roman(n: usize) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// A, B, …, Z, AA, BB, …, ZZ, AAA, … (the PDF style, not spreadsheet columns).
fn letters(n: usize) -> String {
    let n = n.max(1) - 1;
    let letter = (b'A' + (n % 26) as u8) as char;
    std::iter::repeat_n(letter, (n / 26 + 1).min(1000)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_and_letter_labels() {
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(1994), "MCMXCIV");
        assert_eq!(letters(1), "A");
        assert_eq!(letters(27), "AA");
        assert_eq!(letters(53), "AAA");
    }
}
