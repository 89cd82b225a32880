//! Reading an index whose files are damaged.
//!
//! Tantivy returns errors for some damage (a truncated block, a missing
//! file) but panics on other (an out-of-range offset in a `.fast` or
//! dictionary file: slice and shift panics deep in its codecs). Both become
//! [`IndexError::Damaged`], so a damaged index is an error message and exit
//! 2, never a panic trace and exit 101. A panic raised anywhere else (in
//! newsdex's own code) is not the index's fault: it becomes an
//! [`InternalError`], also exit 2.

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
    /// The last guarded panic.
    static LAST_PANIC: RefCell<Option<CaughtPanic>> = const { RefCell::new(None) };
}

/// A panic caught by [`guard`].
struct CaughtPanic {
    /// What it said, and where.
    text: String,
    /// Raised inside Tantivy's crates, that is while decoding index files.
    in_tantivy: bool,
}

/// A panic in newsdex's own code while it ran a command: a bug to report,
/// not a damaged index.
#[derive(Debug, thiserror::Error)]
#[error("internal error, please report it: {0} (`newsdex check` tells whether the index is sound)")]
pub struct InternalError(pub String);

/// The crates whose panics mean "the index files do not hold what they
/// should": Tantivy and the crates it decodes its files with.
const INDEX_READING_CRATES: [&str; 2] = ["tantivy", "ownedbytes"];

static QUIET_HOOK: Once = Once::new();

/// Runs `read` (work on the index at `dir`), turning errors that mean damaged
/// data and panics inside Tantivy into [`IndexError::Damaged`], and other
/// panics into an [`InternalError`].
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
        Err(payload) => match LAST_PANIC.take() {
            Some(caught) if caught.in_tantivy => Err(damaged(caught.text)),
            Some(caught) => Err(InternalError(caught.text).into()),
            None => Err(InternalError(payload_text(payload.as_ref())).into()),
        },
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
                LAST_PANIC.set(Some(CaughtPanic {
                    text: describe(info),
                    in_tantivy: info.location().is_some_and(|at| in_tantivy(at.file())),
                }));
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

/// Whether a source file belongs to one of [`INDEX_READING_CRATES`]
/// (`.../tantivy-columnar-0.6.0/src/...`, as Cargo unpacks them).
fn in_tantivy(file: &str) -> bool {
    let short = short_path(file);
    let folder = short.split('/').next().unwrap_or("");
    INDEX_READING_CRATES.iter().any(|name| {
        folder
            .strip_prefix(name)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
    })
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
    fn a_panic_decoding_index_bytes_becomes_a_damage_error() {
        let err = guard(Path::new("idx"), || -> anyhow::Result<()> {
            // What a `.fast` file with a wild offset does inside Tantivy.
            let bytes = tantivy::directory::OwnedBytes::new(vec![0u8; 8]);
            let _ = bytes.slice(4..4000);
            Ok(())
        })
        .unwrap_err();
        assert!(
            err.to_string().starts_with("index is damaged: idx: "),
            "{err}"
        );
        let detail = detail(err);
        assert!(detail.contains("out of range"), "{detail}");
        assert!(detail.contains("ownedbytes-"), "{detail}");
        // The flag is cleared: a later panic outside a guard is not swallowed.
        assert!(!GUARDED.get());
    }

    #[test]
    fn a_panic_in_newsdex_code_is_an_internal_error_not_damage() {
        let err = guard(Path::new("idx"), || -> anyhow::Result<()> {
            let offsets: Vec<usize> = Vec::new();
            let at = offsets.len() + 3;
            let _ = offsets[at];
            Ok(())
        })
        .unwrap_err();
        assert!(err.downcast_ref::<IndexError>().is_none(), "{err}");
        let text = err.to_string();
        assert!(
            text.starts_with("internal error, please report it: index out of bounds"),
            "{text}"
        );
        assert!(text.contains("src/index/damage.rs:"), "{text}");
        assert!(!GUARDED.get());
    }

    #[test]
    fn only_tantivys_crates_are_blamed_on_the_index() {
        let registry = "/root/.cargo/registry/src/index.crates.io-1";
        for file in [
            "tantivy-0.27.0/src/store/reader.rs",
            "tantivy-columnar-0.6.0/src/column_values/mod.rs",
            "tantivy-sstable-0.27.0/src/vint.rs",
            "ownedbytes-0.9.0/src/lib.rs",
        ] {
            assert!(in_tantivy(&format!("{registry}/{file}")), "{file}");
        }
        for file in [
            "src/query/facets.rs",
            "/rustc/abc/library/core/src/slice/index.rs",
            &format!("{registry}/serde_json-1.0.0/src/de.rs"),
            &format!("{registry}/tantivyish-1.0.0/src/lib.rs"),
        ] {
            assert!(!in_tantivy(file), "{file}");
        }
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
