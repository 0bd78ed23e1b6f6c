//! Temporary files that are renamed into place when complete (reports, cache entries), so
//! that a reader never sees half a file. A leaf module: the report and the cache both
//! write this way.

use std::io;
use std::path::Path;

/// A temporary file in `dir`, created with the mode the umask allows for a new file (as
/// `touch` would), not the owner-only mode of an ordinary temporary file: it becomes a
/// report or a cache entry that others may need to read.
pub fn new_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".borging-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}
