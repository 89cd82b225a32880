//! Exit statuses, as grep and ripgrep use them.

use std::process::ExitCode;

/// What a command's outcome means to a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Something matched; an indexing run had no failures.
    Success = 0,
    /// Nothing matched; an indexing run had some inputs fail (the rest is indexed).
    Partial = 1,
    /// Nothing could be done: bad arguments, bad query, unusable index.
    Error = 2,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// A closed pipe (`newsdex search ... | head`) is success, not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
