//! One module per subcommand; [`run`] dispatches.

pub mod check;
pub mod entities;
pub mod eval_extract;
pub mod eval_ner;
pub mod index;
pub mod related;
pub mod search;
pub mod show;
pub mod stats;
pub mod train_ner;

use crate::cli::{Cli, Command};
use crate::exit::Status;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Status> {
    match cli.command {
        Command::Index(args) => index::run(&cli.index, args),
        Command::Check(args) => check::run(&cli.index, args),
        Command::Search(args) => search::run(&cli.index, args),
        Command::Show(args) => show::run(&cli.index, args),
        Command::Entities(args) => entities::run(&cli.index, args),
        Command::Related(args) => related::run(&cli.index, args),
        Command::Stats(args) => stats::run(&cli.index, args),
        Command::TrainNer(args) => train_ner::run(args),
        Command::EvalNer(args) => eval_ner::run(args),
        Command::EvalExtract(args) => eval_extract::run(args),
    }
}
