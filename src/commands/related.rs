//! `newsdex related ID`: the articles most like a given one.

use std::path::Path;

use crate::cli::RelatedArgs;
use crate::exit::Status;
use crate::index::NewsIndex;
use crate::output::{self, Style};
use crate::query;

pub fn run(index: &Path, args: RelatedArgs) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let results = match query::related(&news, &args.id, &args.filters.to_filters(), args.limit) {
        Ok(Some(results)) => results,
        Ok(None) => {
            eprintln!("newsdex: no article with id {}", args.id);
            return Ok(Status::Partial);
        }
        Err(err) => return super::search::name_error(err),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut printer = output::printer(args.format, Style::detect(), &mut out);
    printer.search(&results)?;
    printer.finish()?;
    Ok(if results.total > 0 {
        Status::Success
    } else {
        Status::Partial
    })
}
