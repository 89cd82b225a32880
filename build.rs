//! Tells the tests what the machine has: the shared corpora beside the
//! checkout, and a Chromium for the browser test.
//!
//! Tests over `../shared/` are compiled with `#[cfg_attr(not(shared_corpora),
//! ignore = "...")]`, and the browser test with `not(chromium)`, so where
//! either is missing they are reported as ignored with a reason, never as
//! passed.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_corpora)");
    println!("cargo::rustc-check-cfg=cfg(chromium)");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    // Re-run when the folder appears or goes away.
    println!("cargo::rerun-if-changed={}", shared.display());
    if shared.join("README.md").is_file() {
        println!("cargo::rustc-cfg=shared_corpora");
    }
    println!("cargo::rerun-if-env-changed=CHROMIUM");
    println!("cargo::rerun-if-env-changed=PATH");
    if let Some(chromium) = chromium() {
        println!("cargo::rerun-if-changed={}", chromium.display());
        println!("cargo::rustc-cfg=chromium");
    } else {
        // Re-run once it is installed.
        println!("cargo::rerun-if-changed=/usr/bin/chromium");
    }
}

/// `$CHROMIUM` when it names a file, else `chromium` on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").map(PathBuf::from) {
        return path.is_file().then_some(path);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("chromium"))
        .find(|path| path.is_file())
}
