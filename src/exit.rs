//! Exit statuses, as grep and ripgrep use them.

use std::io::ErrorKind;
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
///
/// The write error may come wrapped by the serializer that met it: serde_json
/// and csv keep the `io::Error` inside rather than as their error's source.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let broken = |kind: Option<ErrorKind>| kind == Some(ErrorKind::BrokenPipe);
    err.chain().any(|cause| {
        broken(cause.downcast_ref::<std::io::Error>().map(|io| io.kind()))
            || broken(
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(|json| json.io_error_kind()),
            )
            || broken(
                cause
                    .downcast_ref::<csv::Error>()
                    .and_then(|csv| match csv.kind() {
                        csv::ErrorKind::Io(io) => Some(io.kind()),
                        _ => None,
                    }),
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipe() -> std::io::Error {
        std::io::Error::from(ErrorKind::BrokenPipe)
    }

    #[test]
    fn a_closed_pipe_is_found_inside_serializer_errors() {
        assert!(is_broken_pipe(&anyhow::Error::new(pipe())));
        let json = serde_json::Error::io(pipe());
        assert!(is_broken_pipe(
            &anyhow::Error::new(json).context("printing")
        ));
        let csv = csv::Error::from(pipe());
        assert!(is_broken_pipe(&anyhow::Error::new(csv)));
        let other = std::io::Error::from(ErrorKind::PermissionDenied);
        assert!(!is_broken_pipe(&anyhow::Error::new(other)));
        assert!(!is_broken_pipe(&anyhow::anyhow!("Broken pipe")));
    }
}
