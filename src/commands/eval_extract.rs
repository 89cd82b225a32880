use crate::cli::EvalExtractArgs;
use crate::exit::Status;

pub fn run(args: EvalExtractArgs) -> anyhow::Result<Status> {
    let _ = args;
    anyhow::bail!("not built yet")
}
