use std::path::Path;

use crate::cli::IndexArgs;
use crate::exit::Status;

pub fn run(index: &Path, args: IndexArgs) -> anyhow::Result<Status> {
    let _ = (index, args);
    anyhow::bail!("not built yet")
}
