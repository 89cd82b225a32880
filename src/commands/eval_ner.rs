use crate::cli::EvalNerArgs;
use crate::exit::Status;

pub fn run(args: EvalNerArgs) -> anyhow::Result<Status> {
    let _ = args;
    anyhow::bail!("not built yet")
}
