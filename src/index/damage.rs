//! Reading an index whose files are damaged.
//!
//! Tantivy returns errors for some damage (a truncated block, a missing
//! file) but panics on other (an out-of-range offset in a `.fast` or
//! dictionary file: slice and shift panics deep in its codecs). Both become
//! [`IndexError::Damaged`], so a damaged index is an error message and exit
//! 2, never a panic trace and exit 101.

use std::cell::{Cell, RefCell};
use std::io;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::path::Path;
use std::sync::Once;

use tantivy::TantivyError;
use tantivy::directory::error::OpenReadError;

use super::IndexError;

thread_local! {
    /// Set while [`guard`] runs on this thread: its panics are reported as
    /// damage instead of printed by the default hook.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// What the last guarded panic said, and where.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

static QUIET_HOOK: Once = Once::new();

/// Runs `read` (work on the index at `dir`), turning a panic inside it and
/// errors that mean damaged data into [`IndexError::Damaged`].
///
/// The closure must not be retried after a panic: whatever it held is
/// dropped, and the caller gets an error to report.
pub fn guard<T>(dir: &Path, read: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    install_quiet_hook();
    let was_guarded = GUARDED.replace(true);
    let outcome = panic::catch_unwind(AssertUnwindSafe(read));
    GUARDED.set(was_guarded);
    let damaged = |detail: String| {
        anyhow::Error::new(IndexError::Damaged {
            path: dir.to_path_buf(),
            detail,
        })
    };
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(damage_in(&err).map_or(err, damaged)),
        Err(payload) => {
            let detail = LAST_PANIC
                .take()
                .unwrap_or_else(|| payload_text(payload.as_ref()));
            Err(damaged(detail))
        }
    }
}

/// What is damaged, when an error Tantivy returned says the files do not
/// hold what they should (as opposed to, say, a permission or a bad query).
fn damage_in(err: &anyhow::Error) -> Option<String> {
    let corrupt = |io: &io::Error| {
        matches!(
            io.kind(),
            io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidData
        )
    };
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<TantivyError>())
        .find_map(|tantivy| match tantivy {
            TantivyError::DataCorruption(corruption) => Some(format!("{corruption:?}")),
            TantivyError::DeserializeError(e) => Some(e.to_string()),
            TantivyError::IoError(io) if corrupt(io) => Some(io.to_string()),
            TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(file)) => {
                Some(format!("{} is missing", file.display()))
            }
            TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath })
                if corrupt(io_error) =>
            {
                Some(format!("{}: {io_error}", filepath.display()))
            }
            _ => None,
        })
}

/// Chains a hook in front of the current one that stays quiet for guarded
/// panics (keeping their message for the error) and hands others on.
fn install_quiet_hook() {
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.get() {
                LAST_PANIC.set(Some(describe(info)));
            } else {
                previous(info);
            }
        }));
    });
}

/// "message (at crate-x.y/src/file.rs:line)", the registry prefix cut off.
fn describe(info: &PanicHookInfo) -> String {
    let message = payload_text(info.payload());
    match info.location() {
        Some(at) => format!("{message} (at {}:{})", short_path(at.file()), at.line()),
        None => message,
    }
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic while reading".to_string()
    }
}

/// The path from the crate folder on: `.../tantivy-sstable-0.27.0/src/vint.rs`
/// → `tantivy-sstable-0.27.0/src/vint.rs`.
fn short_path(file: &str) -> &str {
    match file.rfind("/src/") {
        Some(src) => {
            let crate_start = file[..src].rfind('/').map_or(0, |slash| slash + 1);
            &file[crate_start..]
        }
        None => file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(err: anyhow::Error) -> String {
        match err.downcast_ref::<IndexError>() {
            Some(IndexError::Damaged { detail, .. }) => detail.clone(),
            _ => panic!("not reported as damage: {err:#}"),
        }
    }

    #[test]
    fn a_panic_becomes_a_damage_error() {
        let err = guard(Path::new("idx"), || -> anyhow::Result<()> {
            let offsets: Vec<usize> = Vec::new();
            let at = offsets.len() + 3;
            let _ = offsets[at];
            Ok(())
        })
        .unwrap_err();
        assert!(
            err.to_string().starts_with("index is damaged: idx: "),
            "{err}"
        );
        let detail = detail(err);
        assert!(detail.contains("index out of bounds"), "{detail}");
        assert!(detail.contains("src/index/damage.rs:"), "{detail}");
        // The flag is cleared: a later panic outside a guard is not swallowed.
        assert!(!GUARDED.get());
    }

    #[test]
    fn corrupt_data_errors_are_damage_and_others_are_not() {
        let corrupt = guard(Path::new("idx"), || -> anyhow::Result<()> {
            Err(TantivyError::IoError(std::sync::Arc::new(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "failed to read block content",
            )))
            .into())
        })
        .unwrap_err();
        assert!(detail(corrupt).contains("failed to read block content"));
        let other = guard(Path::new("idx"), || -> anyhow::Result<()> {
            anyhow::bail!("cannot understand the query")
        })
        .unwrap_err();
        assert!(other.downcast_ref::<IndexError>().is_none());
        assert_eq!(guard(Path::new("idx"), || Ok(7)).unwrap(), 7);
    }

    #[test]
    fn registry_prefixes_are_cut() {
        assert_eq!(
            short_path(
                "/root/.cargo/registry/src/index.crates.io-1/tantivy-sstable-0.27.0/src/vint.rs"
            ),
            "tantivy-sstable-0.27.0/src/vint.rs"
        );
        assert_eq!(short_path("src/query/facets.rs"), "src/query/facets.rs");
    }
}
