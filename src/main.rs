//! The `newsdex` binary: parse arguments, run the command, map the outcome to
//! an exit code. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: articles are built on the
/// parsing threads and freed on Tantivy's, a pattern that leaves glibc's
/// per-thread arenas holding freed memory as the run goes on.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = newsdex::cli::Cli::parse();
    match newsdex::commands::run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            if newsdex::exit::is_broken_pipe(&err) {
                return newsdex::exit::Status::Success.into();
            }
            eprintln!("newsdex: {err:#}");
            newsdex::exit::Status::Error.into()
        }
    }
}
