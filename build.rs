//! Gives the binary a fingerprint of the code it is built from (`BORGING_BUILD`): cached
//! rule hits (see src/cache.rs) are only reused by a build of the same code, so that no
//! change to matching, segmentation or folding can serve hits it would not find.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let mut paths = Vec::new();
    files(Path::new("src"), &mut paths);
    paths.push(PathBuf::from("Cargo.lock"));
    paths.sort();
    // FNV-1a over every path and its bytes: a fingerprint, not a defence against forgery.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for path in &paths {
        feed(path.to_string_lossy().as_bytes());
        feed(&[0]);
        feed(&std::fs::read(path).unwrap_or_default());
        feed(&[0]);
    }
    println!(
        "cargo:rustc-env=BORGING_BUILD={}-{hash:016x}",
        env!("CARGO_PKG_VERSION")
    );
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
}
