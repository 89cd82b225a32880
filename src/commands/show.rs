//! `newsdex show ID`: one article in full.

use std::path::Path;

use crate::cli::{OutputFormat, ShowArgs};
use crate::exit::Status;
use crate::index::NewsIndex;
use crate::output::{self, Style};
use crate::query;

pub fn run(index: &Path, args: ShowArgs) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let Some(article) = query::Session::open(&news)?.article(&args.id)? else {
        eprintln!("newsdex: no article with id {}", args.id);
        return Ok(Status::Partial);
    };
    if args.copies {
        let json = matches!(args.format, OutputFormat::Json | OutputFormat::Jsonl);
        return super::duplicates::show_cluster(&news, &article.id, json);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut printer = output::printer(args.format, Style::detect(), &mut out);
    printer.article(&article)?;
    printer.finish()?;
    Ok(Status::Success)
}
