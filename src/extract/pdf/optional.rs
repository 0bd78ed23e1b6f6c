//! Optional content (layers) that the document's default view hides: text in it is not
//! on the page a reader sees, so it is not extracted (other readers agree), and keyword
//! hits in it would be evidence nobody can find in the document.
//!
//! Only the default configuration (`/OCProperties /D`) counts: its `/BaseState`, `/ON`
//! and `/OFF`. A membership dictionary (OCMD) is judged by its `/OCGs` and visibility
//! policy `/P`; visibility expressions (`/VE`) are not evaluated, the `/OCGs` stand in.

use super::objects::deref;
use lopdf::{Document, Object, ObjectId};
use std::collections::HashSet;

/// Most optional content groups read from one list (real files have dozens).
const MAX_GROUPS: usize = 100_000;

/// The optional content groups switched off in the default view.
#[derive(Debug, Default)]
pub struct HiddenContent {
    off: HashSet<ObjectId>,
}

impl HiddenContent {
    pub fn of(doc: &Document) -> HiddenContent {
        let mut hidden = HiddenContent::default();
        let Some(properties) = doc
            .catalog()
            .ok()
            .and_then(|c| c.get(b"OCProperties").ok())
            .and_then(|p| deref(doc, p).as_dict().ok())
        else {
            return hidden;
        };
        let Some(default) = properties
            .get(b"D")
            .ok()
            .and_then(|d| deref(doc, d).as_dict().ok())
        else {
            return hidden;
        };
        let refs = |object: Option<&Object>| -> Vec<ObjectId> {
            object
                .and_then(|o| deref(doc, o).as_array().ok())
                .map(|items| {
                    items
                        .iter()
                        .take(MAX_GROUPS)
                        .filter_map(|i| i.as_reference().ok())
                        .collect()
                })
                .unwrap_or_default()
        };
        let base_off = default.get(b"BaseState").and_then(Object::as_name).ok() == Some(b"OFF");
        if base_off {
            let on: HashSet<ObjectId> = refs(default.get(b"ON").ok()).into_iter().collect();
            hidden.off = refs(properties.get(b"OCGs").ok())
                .into_iter()
                .filter(|id| !on.contains(id))
                .collect();
        }
        hidden.off.extend(refs(default.get(b"OFF").ok()));
        hidden
    }

    /// True when nothing is switched off: every check can be skipped.
    pub fn is_empty(&self) -> bool {
        self.off.is_empty()
    }

    /// True when the content marked with `oc` (a group or a membership dictionary, as
    /// found after `/OC` in a BDC's properties or a form's dictionary) is hidden.
    pub fn hides(&self, doc: &Document, oc: &Object) -> bool {
        if self.off.is_empty() {
            return false;
        }
        if let Object::Reference(id) = oc
            && self.off.contains(id)
        {
            return true;
        }
        let Ok(dict) = deref(doc, oc).as_dict() else {
            return false;
        };
        if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"OCMD") {
            return false;
        }
        let groups: Vec<bool> = match dict.get(b"OCGs").map(|g| (g, deref(doc, g))) {
            Ok((_, Object::Array(items))) => items
                .iter()
                .take(MAX_GROUPS)
                .map(|g| matches!(g, Object::Reference(id) if self.off.contains(id)))
                .collect(),
            Ok((Object::Reference(id), _)) => vec![self.off.contains(id)],
            _ => return false,
        };
        if groups.is_empty() {
            return false;
        }
        let visible = match dict.get(b"P").and_then(Object::as_name).ok() {
            Some(b"AllOn") => groups.iter().all(|off| !off),
            Some(b"AnyOff") => groups.iter().any(|off| *off),
            Some(b"AllOff") => groups.iter().all(|off| *off),
            _ => groups.iter().any(|off| !off),
        };
        !visible
    }
}
