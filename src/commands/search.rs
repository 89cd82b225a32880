use std::path::Path;

use crate::cli::SearchArgs;
use crate::exit::Status;

pub fn run(index: &Path, args: SearchArgs) -> anyhow::Result<Status> {
    let _ = (index, args);
    anyhow::bail!("not built yet")
}
