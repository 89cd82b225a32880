//! `newsdex serve`: the search page and JSON API (see [`crate::serve`]).

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::cli::ServeArgs;
use crate::exit::Status;
use crate::serve::{self, Config};

pub fn run(index: &Path, args: ServeArgs) -> anyhow::Result<Status> {
    if !args.bind.ip().is_loopback() {
        eprintln!(
            "newsdex: warning: listening on {}, not a loopback address: the server has no \
             authentication, so anyone who can reach this address can read the whole archive",
            args.bind
        );
    }
    let workers = args.workers.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    });
    let config = Config {
        bind: args.bind,
        workers,
        timeout: Duration::from_millis(args.timeout_ms.max(1)),
    };
    serve::run(index, &config, |bound| {
        // One line on stdout, flushed: scripts and tests read the address
        // (with --bind 127.0.0.1:0, the port) from it.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "newsdex: serving {} at http://{bound}/",
            index.display()
        );
        let _ = out.flush();
    })?;
    Ok(Status::Success)
}
