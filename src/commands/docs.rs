//! `newsdex completions SHELL` and `newsdex man`: generated from the clap
//! definitions, so they never drift from the real options.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, Shell};
use crate::exit::Status;

/// Writes the completion script of `shell` to stdout.
pub fn completions(shell: Shell) -> anyhow::Result<Status> {
    let mut command = Cli::command();
    let name = command.get_name().to_string();
    let mut out = std::io::stdout().lock();
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(shell, &mut command, name, &mut out);
    out.flush()?;
    Ok(Status::Success)
}

/// Writes the man page (roff) of newsdex, or of one subcommand, to stdout.
pub fn man(subcommand: Option<&str>) -> anyhow::Result<Status> {
    let command = Cli::command();
    let page = match subcommand {
        None => command,
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let names: Vec<&str> = command.get_subcommands().map(|s| s.get_name()).collect();
                anyhow::bail!("no subcommand {name:?}; subcommands: {}", names.join(", "));
            };
            let title = format!("newsdex-{name}");
            sub.clone().name(title.clone()).display_name(title)
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out)?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&out)?;
    stdout.flush()?;
    Ok(Status::Success)
}
