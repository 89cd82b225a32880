use std::path::Path;

use crate::cli::ShowArgs;
use crate::exit::Status;

pub fn run(index: &Path, args: ShowArgs) -> anyhow::Result<Status> {
    let _ = (index, args);
    anyhow::bail!("not built yet")
}
