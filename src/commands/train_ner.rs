use crate::cli::TrainNerArgs;
use crate::exit::Status;

pub fn run(args: TrainNerArgs) -> anyhow::Result<Status> {
    let _ = args;
    anyhow::bail!("not built yet")
}
