//! `newsdex search`: run a query and print the hits.

use std::io::Write;
use std::path::Path;

use crate::cli::SearchArgs;
use crate::exit::Status;
use crate::index::NewsIndex;
use crate::output::{self, Style};
use crate::query::{self, Request};

pub fn run(index: &Path, args: SearchArgs) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.count {
        let total = query::count(&news, &args.query)?;
        writeln!(out, "{total}")?;
        out.flush()?;
        return Ok(found(total));
    }
    let request = Request {
        query: args.query,
        limit: args.limit,
        offset: args.offset,
        sort: args.sort,
    };
    let results = query::search(&news, &request)?;
    output::search(&results, args.format, Style::detect(), &mut out)?;
    Ok(found(results.total))
}

/// grep's convention: 0 when something matched, 1 when nothing did.
fn found(total: usize) -> Status {
    if total > 0 {
        Status::Success
    } else {
        Status::Partial
    }
}
