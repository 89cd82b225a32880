//! One module per subcommand; [`run`] dispatches.

pub mod alias;
pub mod check;
pub mod docs;
pub mod duplicates;
pub mod entities;
pub mod eval_extract;
pub mod eval_ner;
pub mod export;
pub mod index;
pub mod related;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
pub mod train_ner;

use crate::cli::{Cli, Command};
use crate::exit::Status;
use crate::index::damage;

/// Runs the parsed command line. Commands that only read the index report a
/// damaged one as such (see [`damage::guard`]).
pub fn run(cli: Cli) -> anyhow::Result<Status> {
    let dir = &cli.index;
    crate::output::set_color(cli.color);
    match cli.command {
        Command::Index(args) => index::run(dir, args),
        Command::Check(args) => check::run(dir, args),
        Command::Search(args) => damage::guard(dir, || search::run(dir, args)),
        Command::Export(args) => damage::guard(dir, || export::run(dir, args)),
        Command::Show(args) => damage::guard(dir, || show::run(dir, args)),
        Command::Duplicates(args) => damage::guard(dir, || duplicates::run(dir, args)),
        Command::Entities(args) => damage::guard(dir, || entities::run(dir, args)),
        Command::Related(args) => damage::guard(dir, || related::run(dir, args)),
        Command::Alias(command) => damage::guard(dir, || alias::run(dir, command)),
        Command::Stats(args) => damage::guard(dir, || stats::run(dir, args)),
        Command::Serve(args) => serve::run(dir, args),
        Command::TrainNer(args) => train_ner::run(args),
        Command::EvalNer(args) => eval_ner::run(args),
        Command::EvalExtract(args) => eval_extract::run(args),
        Command::Completions { shell } => docs::completions(shell),
        Command::Man { subcommand } => docs::man(subcommand.as_deref()),
    }
}
