use std::path::Path;

use crate::cli::StatsArgs;
use crate::exit::Status;

pub fn run(index: &Path, args: StatsArgs) -> anyhow::Result<Status> {
    let _ = (index, args);
    anyhow::bail!("not built yet")
}
