//! Tells the tests whether the shared corpora sit beside the checkout.
//!
//! Tests over `../shared/` are compiled with `#[cfg_attr(not(shared_corpora),
//! ignore = "...")]`, so on a fresh clone without it they are reported as
//! ignored with a reason, never as passed.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_corpora)");
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    // Re-run when the folder appears or goes away.
    println!("cargo::rerun-if-changed={}", shared.display());
    if shared.join("README.md").is_file() {
        println!("cargo::rustc-cfg=shared_corpora");
    }
}
