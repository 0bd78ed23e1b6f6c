//! Bounds that keep one hostile PDF from taking the run's memory or time.
//!
//! Every number here is a ceiling that real documents stay far below; the figures follow
//! the research note (section 5): what mature parsers allow, with some margin. A page that
//! reaches a bound is cut short and the document's message says so, the pages read so far
//! are kept.

/// Per-document and per-page ceilings for the PDF engine.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Decompressed bytes of one stream (content, form, object stream).
    pub stream_bytes: usize,
    /// Decompressed bytes of content and form streams over the whole document.
    pub document_bytes: usize,
    /// Content-stream operators interpreted per page, forms included.
    pub page_operators: u64,
    /// Glyphs kept per page.
    pub page_glyphs: usize,
    /// Nesting of Form XObjects inside each other.
    pub form_depth: usize,
    /// Form XObject invocations per page (a form drawn 1,000 times is a flood).
    pub page_forms: u32,
    /// Nesting of `q` (graphics state saves) and of marked-content sections.
    pub state_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            stream_bytes: 32 << 20,
            document_bytes: 512 << 20,
            page_operators: 2_000_000,
            page_glyphs: 200_000,
            form_depth: 16,
            page_forms: 1_000,
            state_depth: 256,
        }
    }
}

/// Operators between two looks at the clock: cheap enough to be invisible, frequent
/// enough that a flood of operators cannot outrun the deadline by much.
pub const DEADLINE_EVERY: u64 = 4096;

/// Coordinates beyond this many points are clamped; 1e7 pt is 3.5 km, far past any page,
/// and keeps sums and products of coordinates finite.
pub const MAX_COORD: f32 = 1.0e7;
