//! Following indirect references, which every part of the PDF engine does (the page tree,
//! the interpreter, annotations). Its own module so that those parts do not import each
//! other for it.

use lopdf::{Dictionary, Document, Object, ObjectId};

/// The object `object` stands for: itself, or what its reference (chain) points to.
pub fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    let mut object = object;
    // References to references are legal but rare; a few hops, never a loop.
    for _ in 0..8 {
        match object {
            Object::Reference(id) => match doc.get_object(*id) {
                Ok(next) => object = next,
                Err(_) => return object,
            },
            _ => return object,
        }
    }
    object
}

/// Inheritance chains longer than this are broken (the spec has no limit; files have a
/// few levels, loops have infinitely many).
const MAX_PARENT_HOPS: usize = 64;

/// An attribute of a page-tree node (`/Resources`, `/MediaBox`, `/Rotate`...) from the
/// node itself or the nearest ancestor that has it, as written (not followed).
pub fn inherited<'d>(doc: &'d Document, node: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    let mut node = node;
    let mut seen: Vec<ObjectId> = Vec::new();
    for _ in 0..MAX_PARENT_HOPS {
        if let Ok(value) = node.get(key) {
            return Some(value);
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        if seen.contains(&parent) {
            return None;
        }
        seen.push(parent);
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}
