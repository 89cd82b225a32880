//! Tells the tests what the machine has: the shared corpora beside the
//! checkout, and a Chromium for the browser test.
//!
//! Tests over `../shared/` are compiled with `#[cfg_attr(not(shared_corpora),
//! ignore = "...")]`, and the browser test with `not(chromium)`, so where
//! either is missing they are reported as ignored with a reason, never as
//! passed. Likewise the full-disk test, which mounts a small tmpfs, is
//! compiled in (`can_mount`) only where the build runs with the right to
//! mount.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_corpora)");
    println!("cargo::rustc-check-cfg=cfg(can_mount)");
    if may_mount() {
        println!("cargo::rustc-cfg=can_mount");
    }
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

/// Whether this process holds CAP_SYS_ADMIN (root does, outside a locked-down
/// container), which `mount -t tmpfs` needs. Linux only; read, never tried.
fn may_mount() -> bool {
    const CAP_SYS_ADMIN: u32 = 21;
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("CapEff:"))
                .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        })
        .is_some_and(|caps| (caps >> CAP_SYS_ADMIN) & 1 == 1)
}
