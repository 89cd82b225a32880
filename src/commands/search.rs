//! `newsdex search`: run a query (or a batch of them) and print the hits,
//! facet counts and histogram.

use std::io::{BufRead, Write};
use std::path::Path;

use crate::cli::{OutputFormat, SearchArgs};
use crate::exit::Status;
use crate::index::NewsIndex;
use crate::output::{self, Printer, Stream, Style};
use crate::query::batch::BatchLine;
use crate::query::filters::Filters;
use crate::query::resolve::{EntityType, NameError};
use crate::query::{self, Request};

pub fn run(index: &Path, args: SearchArgs) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let session = query::Session::open(&news)?.with_max_depth(args.limits.max_query_depth);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let tabular = matches!(args.format, OutputFormat::Csv | OutputFormat::Tsv);
    if !args.fields.is_empty() && !tabular {
        anyhow::bail!("--fields chooses the columns of --format csv or tsv");
    }
    if let Some(batch) = &args.batch {
        return run_batch(&session, batch, &args, &mut out);
    }
    let filters = args.filters.to_filters();
    if let Some(engine) = args.as_engine {
        let request = request(&args, args.query.clone(), filters);
        return super::export::print_request(&session, engine, &request, &mut out);
    }
    let result = if args.count {
        session.count(&args.query, &filters).and_then(|total| {
            writeln!(out, "{total}")?;
            Ok(total)
        })
    } else if args.all {
        let request = request(&args, args.query.clone(), filters);
        let printer = output::printer_with(args.format, Style::detect(), &args.fields, &mut out);
        stream_all(&session, &request, printer)
    } else {
        let request = request(&args, args.query.clone(), filters);
        session.search(&request).and_then(|results| {
            let mut printer =
                output::printer_with(args.format, Style::detect(), &args.fields, &mut out);
            printer.search(&results)?;
            printer.finish()?;
            Ok(results.total)
        })
    };
    out.flush()?;
    match result {
        Ok(total) => Ok(found(total)),
        Err(err) => name_error(err),
    }
}

/// An unknown or ambiguous name is "nothing matched" (exit 1), explained.
pub fn name_error(err: anyhow::Error) -> anyhow::Result<Status> {
    match err.downcast_ref::<NameError>() {
        Some(name) => {
            eprintln!("newsdex: {name}");
            Ok(Status::Partial)
        }
        None => Err(err),
    }
}

fn request(args: &SearchArgs, query: String, filters: Filters) -> Request {
    let mut facets = args.facet.clone();
    if args.facets && facets.is_empty() {
        facets = EntityType::ALL.to_vec();
    }
    Request {
        query,
        filters,
        limit: args.limit,
        offset: args.offset,
        sort: args.sort,
        facets,
        facet_limit: args.facet_limit,
        histogram: args.histogram,
        collapse: args.collapse,
        count_by: args.count_by,
    }
}

/// Every match, printed as it is found (`--all`).
fn stream_all(
    session: &query::Session,
    request: &Request,
    mut printer: Box<dyn Printer + '_>,
) -> anyhow::Result<usize> {
    printer.begin(Stream::Hits)?;
    let total = session.search_all(request, |hit| printer.hit(&hit))?;
    printer.finish()?;
    Ok(total)
}

/// grep's convention: 0 when something matched, 1 when nothing did.
fn found(total: usize) -> Status {
    if total > 0 {
        Status::Success
    } else {
        Status::Partial
    }
}

/// Runs one query per line. A line that cannot run (bad JSON, bad query,
/// a page too large) is reported with its line number and the batch goes
/// on; the exit status then says some failed.
fn run_batch(
    session: &query::Session,
    path: &Path,
    args: &SearchArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let input: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| anyhow::anyhow!("cannot open batch file {}: {e}", path.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut printer = output::printer_with(args.format, Style::detect(), &args.fields, out);
    printer.begin(Stream::Batch)?;
    let (mut any_match, mut failed) = (false, 0usize);
    for (n, line) in input.lines().enumerate() {
        let at = format!("{}:{}", path.display(), n + 1);
        let line = line.map_err(|e| anyhow::anyhow!("{at}: {e}"))?;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (query, filters, limit) = if trimmed.starts_with('{') {
            match serde_json::from_str::<BatchLine>(trimmed) {
                // One string with the filters in query syntax: what each
                // result reports as its query, and runs the same.
                Ok(b) => {
                    let text = [b.filters().to_query_string(), b.query]
                        .join(" ")
                        .trim()
                        .to_string();
                    // `main` has no query syntax: it goes as a filter.
                    let main = Filters {
                        main: b.main,
                        ..Filters::default()
                    };
                    (text, main, b.limit.unwrap_or(args.limit))
                }
                Err(e) => {
                    failed += 1;
                    batch_error(&mut *printer, trimmed, &format!("{at}: {e}"))?;
                    continue;
                }
            }
        } else {
            (trimmed.to_string(), Filters::default(), args.limit)
        };
        let mut merged = args.filters.to_filters();
        merged.merge(filters);
        let mut request = request(args, query, merged);
        request.limit = limit;
        match session.search(&request) {
            Ok(results) => {
                any_match |= results.total > 0;
                printer.batch(&results)?;
            }
            Err(err) => {
                // An unknown name is "nothing matched", as for one query.
                if err.downcast_ref::<NameError>().is_none() {
                    failed += 1;
                }
                batch_error(&mut *printer, &request.query, &format!("{at}: {err:#}"))?;
            }
        }
    }
    printer.finish()?;
    Ok(if failed > 0 {
        eprintln!("newsdex: {failed} batch line(s) failed (each reported above)");
        Status::Error
    } else if any_match {
        Status::Success
    } else {
        Status::Partial
    })
}

/// A batch query that could not run: reported, and the batch goes on.
fn batch_error(printer: &mut dyn Printer, query: &str, error: &str) -> anyhow::Result<()> {
    eprintln!("newsdex: batch query {query:?}: {error}");
    printer.batch_error(query, error)
}
