//! `newsdex export`: write what a query matches for Elasticsearch,
//! OpenSearch or Quickwit; and `search --as`, the request body of a search
//! on that engine.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::ExportArgs;
use crate::exit::Status;
use crate::export::{self, Engine, Options, Progress, Silent};
use crate::index::NewsIndex;
use crate::query::{self, Request};

pub fn run(index: &Path, args: ExportArgs) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let session = query::Session::open(&news)?;
    let options = Options {
        engine: args.engine,
        out: args.out.clone(),
        index: args.name.clone(),
        chunk_size: args.chunk_size,
        since: args.since.clone(),
    };
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(Bar::new);
    let progress: &dyn Progress = match &bar {
        Some(bar) => bar,
        None => &Silent,
    };
    let filters = args.filters.to_filters();
    let summary = match export::export(&news, &session, &args.query, &filters, &options, progress) {
        Ok(summary) => summary,
        Err(err) => return super::search::name_error(err),
    };
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        let mb = summary.bytes as f64 / 1e6;
        eprintln!(
            "newsdex: {} of {} articles written for {} in {} files ({mb:.1} MB, {:.1} MB/s){}; load with {}",
            summary.written,
            summary.matched,
            summary.engine.name(),
            summary.files.len(),
            mb / summary.seconds.max(1e-3),
            if summary.since.is_some() {
                format!(", {} to delete", summary.deleted)
            } else {
                String::new()
            },
            options.out.join("load.sh").display(),
        );
    }
    Ok(Status::Success)
}

/// `search --as ENGINE`: the body on stdout, what does not carry over on
/// stderr.
pub fn print_request(
    session: &query::Session,
    engine: Engine,
    request: &Request,
    out: &mut dyn Write,
) -> anyhow::Result<Status> {
    let catalog = session.catalog()?;
    let (body, notes) = match export::request::body(engine, catalog, request) {
        Ok(made) => made,
        Err(err) => return super::search::name_error(err),
    };
    for note in notes {
        eprintln!("newsdex: {note}");
    }
    serde_json::to_writer_pretty(&mut *out, &body)?;
    writeln!(out)?;
    out.flush()?;
    Ok(Status::Success)
}

/// A progress bar on stderr: articles, MB/s, ETA.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} articles ({per_sec}) ETA {eta}",
            )
            .expect("valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar(bar)
    }
}

impl Progress for Bar {
    fn start(&self, articles: u64) {
        self.0.set_length(articles);
    }

    fn article(&self, _bytes: u64) {
        self.0.inc(1);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
