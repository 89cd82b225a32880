//! `newsdex duplicates`: clusters of near-duplicate articles, and
//! `show ID --copies`: the cluster of one article.

use std::io::Write;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::cli::{DuplicatesArgs, ReportFormat};
use crate::dups::members::{self, Cluster, ClusterCounts, ClusterIds};
use crate::exit::Status;
use crate::index::NewsIndex;
use crate::query::{self, ResolvedFilters};

/// What `duplicates --format json` prints.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct DuplicateList {
    /// The query the clusters were chosen by ("" for the whole archive).
    pub query: String,
    pub filters: ResolvedFilters,
    pub min_size: usize,
    /// Clusters of at least `min_size` articles with a matching article.
    pub total: usize,
    /// Articles in those clusters.
    pub articles: u64,
    /// The largest clusters first (ties by cluster id), at most `--limit`.
    pub clusters: Vec<Cluster>,
}

pub fn run(index: &Path, args: DuplicatesArgs) -> anyhow::Result<Status> {
    let news = NewsIndex::open(index)?;
    let session = query::Session::open(&news)?.with_max_depth(args.limits.max_query_depth);
    let prepared = match session.prepare(&args.query, &args.filters.to_filters()) {
        Ok(prepared) => prepared,
        Err(err) => return super::search::name_error(err),
    };
    let searcher = &prepared.searcher;
    let matched = searcher.search(&*prepared.query, &ClusterCounts)?;
    let sizes = if args.query.trim().is_empty() && prepared.filters == ResolvedFilters::default() {
        matched.clone()
    } else {
        searcher.search(&AllQuery, &ClusterCounts)?
    };
    let min_size = args.min_size.max(1);
    let mut chosen: Vec<(u32, u64)> = matched
        .keys()
        .filter_map(|c| sizes.get(c).map(|&n| (n, *c)))
        .filter(|&(n, _)| n as usize >= min_size)
        .collect();
    chosen.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let articles = chosen.iter().map(|&(n, _)| u64::from(n)).sum();
    let mut clusters = Vec::new();
    for &(_, cluster) in chosen.iter().take(args.limit) {
        let loaded = members::load(searcher, &news.fields, cluster)?;
        if !loaded.is_empty() {
            clusters.push(members::describe(cluster, loaded));
        }
    }
    let list = DuplicateList {
        query: args.query.clone(),
        filters: prepared.filters.clone(),
        min_size,
        total: chosen.len(),
        articles,
        clusters,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let printed = match args.format {
        ReportFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&list)?),
        ReportFormat::Text => print_list(&list, &mut out),
    };
    printed?;
    out.flush()?;
    Ok(if list.total > 0 {
        Status::Success
    } else {
        Status::Partial
    })
}

/// `show ID --copies`: the article's cluster.
pub fn show_cluster(news: &NewsIndex, id: &str, json: bool) -> anyhow::Result<Status> {
    let searcher = news.reader()?.searcher();
    let Some(cluster) = cluster_of(news, &searcher, id)? else {
        eprintln!("newsdex: no article with id {id}");
        return Ok(Status::Partial);
    };
    let loaded = members::load(&searcher, &news.fields, cluster)?;
    let cluster = members::describe(cluster, loaded);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let printed = if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&cluster)?)
    } else {
        print_cluster(&cluster, &mut out)
    };
    printed?;
    out.flush()?;
    Ok(Status::Success)
}

fn cluster_of(news: &NewsIndex, searcher: &Searcher, id: &str) -> anyhow::Result<Option<u64>> {
    let term = Term::from_field_text(news.fields.id, id);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some(&(_, address)) = top.first() else {
        return Ok(None);
    };
    Ok(Some(ClusterIds::open(searcher)?.get(address)))
}

fn print_list(list: &DuplicateList, out: &mut dyn Write) -> std::io::Result<()> {
    for cluster in &list.clusters {
        print_cluster(cluster, out)?;
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} of {} clusters of at least {} articles ({} articles in all)",
        list.clusters.len(),
        list.total,
        list.min_size,
        list.articles
    )
}

fn print_cluster(cluster: &Cluster, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "cluster {}  {} article{}",
        cluster.cluster,
        cluster.size,
        if cluster.size == 1 { "" } else { "s" }
    )?;
    for (i, m) in cluster.members.iter().enumerate() {
        let date = m.date.map_or_else(
            || "undated   ".to_string(),
            |d| d.format("%Y-%m-%d").to_string(),
        );
        let change = if i == 0 {
            "representative".to_string()
        } else {
            format!("+{} -{} words", m.added_words, m.removed_words)
        };
        let origin = crate::output::text::origin(m.source.as_deref(), &m.path, m.record);
        let title = if m.title.is_empty() {
            "(untitled)"
        } else {
            &m.title
        };
        writeln!(out, "  {date}  {}  {change:<16} {title}", m.id)?;
        writeln!(out, "              {origin}")?;
    }
    Ok(())
}
