//! Following indirect references, which every part of the PDF engine does (the page tree,
//! the interpreter, annotations). Its own module so that those parts do not import each
//! other for it.

use lopdf::{Document, Object};

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
