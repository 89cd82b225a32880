//! `newsdex show ID`: one article in full.

use std::path::Path;

use crate::cli::{OutputFormat, ShowArgs};
use crate::exit::Status;
use crate::index::NewsIndex;
use crate::output::{self, Style};
use crate::query;

pub fn run(index: &Path, args: ShowArgs) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let Some((mut article, _)) = query::get(&news, &args.id)? else {
        eprintln!("newsdex: no article with id {}", args.id);
        return Ok(Status::Partial);
    };
    if args.copies {
        let json = matches!(args.format, OutputFormat::Json | OutputFormat::Jsonl);
        return super::duplicates::show_cluster(&news, &args.id, json);
    }
    // Entity names and mention counts as the aliases have them, as in
    // search results and facets.
    let session = query::Session::open(&news)?;
    crate::aliases::apply::canonical_article(session.catalog()?.names(), &mut article);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut printer = output::printer(args.format, Style::detect(), &mut out);
    printer.article(&article)?;
    printer.finish()?;
    Ok(Status::Success)
}
