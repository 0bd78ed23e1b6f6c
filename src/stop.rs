//! The stop flag of a run: set by the first SIGINT or SIGTERM, read by the pipeline
//! between documents and by extraction's deadline inside one. A leaf module, so that
//! extraction can see the flag without depending on the pipeline above it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// True once SIGINT or SIGTERM arrived (after [`stop_on_signal`]).
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Installs the handler for SIGINT and SIGTERM of a scan. The first signal lets `pipeline::run`
/// stop after the documents in progress (up to one deadline), so the caller can drop its
/// temporary files; a second signal removes `temp_files` itself and exits at once with 130.
/// A process has one handler: a second call keeps the first.
pub fn stop_on_signal(temp_files: Vec<PathBuf>) {
    let _ = ctrlc::set_handler(move || {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            for path in &temp_files {
                let _ = std::fs::remove_file(path);
            }
            std::process::exit(130);
        }
        eprintln!("interrupted: finishing the documents in progress (again to stop at once)");
    });
}
