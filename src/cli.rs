//! The whole command line, in one place (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Search engine for news archives.
///
/// Index a folder of saved articles (plain text, JSON/JSONL, Reuters SGML,
/// HTML; gzip read transparently), then search it by words, phrases, people,
/// places, organizations and dates.
#[derive(Debug, Parser)]
#[command(
    name = "newsdex",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Index directory (created on first use).
    #[arg(
        long,
        global = true,
        env = "NEWSDEX_INDEX",
        default_value = "newsdex-index",
        value_name = "DIR"
    )]
    pub index: PathBuf,

    /// Colour in human output: auto (on a terminal, unless NO_COLOR is
    /// set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// The shells `newsdex completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index files and folders of news articles (incremental).
    #[command(
        after_help = "Examples:\n  newsdex index data/sample\n  newsdex --index /srv/idx index ~/archive --threads 2 --json\n  newsdex index ~/archive --exclude 'drafts/**' --include 'NOTES.txt'\n  newsdex index ~/bbc --source 'BBC News'   # later: newsdex index ~/bbc\n\nREADMEs, licences, word lists (one short token a line), metadata sidecars\n(page-metadata.json beside page.html) and HTML fragments beside a full page\nare skipped as not articles; --include and --exclude override that."
    )]
    Index(IndexArgs),
    /// Verify that the index and its manifest agree and every segment reads
    /// in full (like `git fsck`); exit 0 sound, 1 problems, 2 cannot open.
    #[command(after_help = "Examples:\n  newsdex check\n  newsdex check --repair --format json")]
    Check(CheckArgs),
    /// Search the index.
    #[command(
        after_help = "Examples:\n  newsdex search 'airstrike AND Iraq'\n  newsdex search '\"state department\"' --format json\n  newsdex search oil --limit 50 --format csv\n  newsdex search oil --all --format tsv --fields date,title,url,snippet"
    )]
    Search(SearchArgs),
    /// Export articles to Elasticsearch, OpenSearch or Quickwit: index
    /// definition, NDJSON files and a load script.
    #[command(
        after_help = "Examples:\n  newsdex export --to elasticsearch --out es/\n  newsdex export --to opensearch --out os/ 'oil' --place Iraq --from 2019\n  newsdex export --to quickwit --out qw/ --chunk-size 5000\n  newsdex export --to elasticsearch --out es-2/ --since es/   # what changed since es/\n  es/load.sh https://localhost:9200"
    )]
    Export(ExportArgs),
    /// Print one article in full.
    #[command(
        after_help = "Examples:\n  newsdex show 3f2a9c0d1e4b5a67\n  newsdex show 3f2a9c        # a prefix only one id has\n  newsdex show 3f2a9c --format json"
    )]
    Show(ShowArgs),
    /// List clusters of near-duplicate articles (wire copies, corrections,
    /// re-saved pages) with how each copy differs from the first published.
    #[command(
        after_help = "Examples:\n  newsdex duplicates\n  newsdex duplicates cocoa --min-size 3\n  newsdex duplicates --place Iraq --format json"
    )]
    Duplicates(DuplicatesArgs),
    /// List persons, places or organizations with their article counts.
    #[command(
        after_help = "Examples:\n  newsdex entities --type person --top 20\n  newsdex entities --type place --within Iraq\n  newsdex entities --type org --with-person 'Abu Mahdi al-Muhandis'\n  newsdex entities --match muhandis"
    )]
    Entities(EntitiesArgs),
    /// Articles most like a given one.
    #[command(
        after_help = "Examples:\n  newsdex related 3f2a9c0d1e4b5a67\n  newsdex related 3f2a9c --from 2019 --place Iraq -n 5 --format json"
    )]
    Related(RelatedArgs),
    /// Correct entity values: merge, rename, drop; applied at once, no re-index.
    #[command(
        subcommand,
        after_help = "Examples:\n  newsdex alias merge --type person Reagan 'Ronald Reagan'\n  newsdex alias rename --type org EC 'European Community'\n  newsdex alias drop --type org 'Counter Terrorism Service'\n  newsdex alias list --format json\n  newsdex alias export corrections.tsv"
    )]
    Alias(AliasCommand),
    /// Summarise the index: articles, date range, sources, formats, size.
    #[command(after_help = "Examples:\n  newsdex stats\n  newsdex --index /srv/idx stats --json")]
    Stats(StatsArgs),
    /// Serve a search page and a JSON API over the index (read-only; no
    /// authentication, so loopback unless told otherwise).
    #[command(
        after_help = "Examples:\n  newsdex serve                      # http://127.0.0.1:7878/\n  newsdex --index /srv/idx serve --bind 127.0.0.1:8080\n  newsdex serve --bind 0.0.0.0:7878  # every interface: anyone who reaches it can read the archive"
    )]
    Serve(ServeArgs),
    /// Train the entity tagger on annotated news (see data/README.md).
    #[command(
        after_help = "Examples:\n  newsdex train-ner\n  newsdex train-ner --corpora ../shared/ner --epochs 8 --output data/ner/model.bin.gz"
    )]
    TrainNer(TrainNerArgs),
    /// Score the entity extractor against an annotated file (CoNLL or GMB CSV).
    #[command(
        after_help = "Examples:\n  newsdex eval-ner ../shared/ner/conll2003/eng.testa\n  newsdex eval-ner ../shared/ner/gmb/ner_dataset.csv --gmb-heldout --format json"
    )]
    EvalNer(EvalNerArgs),
    /// Score HTML main-text extraction against pages with expected output.
    #[command(
        after_help = "Examples:\n  newsdex eval-extract ../shared/html/mozilla-readability/test-pages\n  newsdex eval-extract pages/ --format json"
    )]
    EvalExtract(EvalExtractArgs),
    /// Print a shell completion script (bash, zsh or fish).
    #[command(
        after_help = "Examples:\n  newsdex completions bash > ~/.local/share/bash-completion/completions/newsdex\n  newsdex completions zsh > ~/.zfunc/_newsdex\n  newsdex completions fish > ~/.config/fish/completions/newsdex.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page of newsdex, or of one subcommand (roff).
    #[command(
        after_help = "Examples:\n  newsdex man | man -l -\n  newsdex man search > newsdex-search.1"
    )]
    Man {
        /// A subcommand, for its own page.
        #[arg(value_name = "SUBCOMMAND")]
        subcommand: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files and folders to index.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Worker threads for parsing and for Tantivy's writer (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Memory budget of the documents in MB: a quarter for annotated
    /// articles waiting for the index writer, the rest for the writer's
    /// buffers (shared by its threads) and the segments they become.
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub memory: usize,
    /// Remove the articles of files that are gone from the given paths.
    #[arg(long)]
    pub prune: bool,
    /// Commit at least every N articles, so a killed run keeps its work.
    #[arg(long, value_name = "N", default_value_t = 50_000)]
    pub commit_every: usize,
    /// Largest file to read, in MB, on disk and after gunzip; larger ones
    /// are reported and skipped (a file is held in memory while read).
    #[arg(long, value_name = "MB", default_value_t = crate::ingest::limits::DEFAULT_MAX_FILE_MB)]
    pub max_file_size: u64,
    /// Largest article to index, in MB of text; larger ones are reported
    /// and skipped (for a web page or text file: the whole file).
    #[arg(long, value_name = "MB", default_value_t = crate::ingest::limits::DEFAULT_MAX_ARTICLE_MB)]
    pub max_article_size: u64,
    /// Skip entity extraction (faster; no person/place/org facets).
    #[arg(long)]
    pub no_entities: bool,
    /// How alike two articles' texts must be to be copies of one story:
    /// the least Jaccard index of their 4-word shingles, estimated by
    /// MinHash (0 to 1). Applies to the articles this run adds.
    #[arg(long, value_name = "J", default_value_t = crate::dups::DEFAULT_THRESHOLD, value_parser = fraction)]
    pub dup_threshold: f64,
    /// Skip near-duplicate detection: every article added is a cluster of
    /// its own (no signature is computed or stored).
    #[arg(long)]
    pub no_dups: bool,
    /// No progress bar and no per-file error lines (the summary still prints).
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the closing summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Index files matching GLOB even if they look like no article (a
    /// README, a word list, a sidecar); repeatable. Without `/` a glob
    /// matches the file name, with `/` the path below the folder given.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Never index files matching GLOB (repeatable; wins over --include).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// The source of the articles under the given folders that name none
    /// ("BBC News"); remembered, so later runs over them need not repeat it.
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Put right what can be: rebuild a lost manifest, delete stale
    /// articles, drop the files of missing or duplicated articles from the
    /// manifest (the next `index` reads them again), remove stray files.
    #[arg(long)]
    pub repair: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Human-readable, with highlighted snippets.
    Text,
    /// One JSON document: query, total, hits.
    Json,
    /// One JSON object per hit, one per line.
    Jsonl,
    /// Comma-separated, with a header row.
    Csv,
    /// Tab-separated, with a header row.
    Tsv,
    /// Article ids only, one per line.
    Ids,
}

/// Filters shared by `search`, `entities` and `related`. Names are forgiving:
/// case, accents, al-/el- and word order do not matter, and part of a name
/// finds the whole ("muhandis").
#[derive(Debug, Clone, Args, Default)]
pub struct FilterArgs {
    /// Only articles mentioning this person (repeatable: all must hold).
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Only articles mentioning this place or a place inside it (repeatable).
    #[arg(long, value_name = "NAME")]
    pub place: Vec<String>,
    /// Only articles mentioning this organization (repeatable).
    #[arg(long, value_name = "NAME")]
    pub org: Vec<String>,
    /// Published on or after: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Published on or before (the whole period named): YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only articles from this source (repeatable: any of them).
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,
    /// Entity filters and counts only over the articles each entity is
    /// about: named in the headline, dateline or lead, or mentioned twice.
    #[arg(long)]
    pub main: bool,
}

impl FilterArgs {
    pub fn to_filters(&self) -> crate::query::filters::Filters {
        crate::query::filters::Filters {
            person: self.person.clone(),
            place: self.place.clone(),
            org: self.org.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            source: self.source.clone(),
            main: self.main,
        }
    }
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query: words, "phrases", AND/OR/NOT, +/-, field:term, and filters
    /// person:"NAME" place:NAME org:NAME after:DATE before:DATE. May start
    /// with `-` (`newsdex search -oil --place Iraq`).
    #[arg(value_name = "QUERY", default_value = "", allow_hyphen_values = true)]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of hits to show (with --offset, at most 100000; --all has no cap).
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many hits first (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[command(flatten)]
    pub limits: QueryLimitArgs,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Columns of csv and tsv rows, in order (default: all, snippet last).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "COLUMNS")]
    pub fields: Vec<crate::output::Column>,
    /// Order of hits.
    #[arg(long, value_enum, default_value_t = crate::query::Sort::Relevance)]
    pub sort: crate::query::Sort,
    /// Print only the number of matching articles.
    #[arg(long)]
    pub count: bool,
    /// Count persons, places and orgs over all matches.
    #[arg(long)]
    pub facets: bool,
    /// Count this entity type over all matches (repeatable).
    #[arg(long, value_enum, value_name = "TYPE")]
    pub facet: Vec<crate::query::resolve::EntityType>,
    /// Values per facet.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub facet_limit: usize,
    /// Every match, streamed (with jsonl, csv, tsv or ids): no cap.
    #[arg(long)]
    pub all: bool,
    /// Matching articles over time.
    #[arg(long, value_enum, value_name = "INTERVAL")]
    pub histogram: Option<crate::query::histogram::Interval>,
    /// One hit per near-duplicate cluster (the first in --sort order: the
    /// best-scoring by default), with its number of copies and their ids.
    #[arg(long)]
    pub collapse: bool,
    /// Count facets and the histogram by article, or each cluster of
    /// copies once (at its earliest matching article).
    #[arg(long, value_enum, value_name = "UNIT", default_value_t = crate::query::CountBy::Article)]
    pub count_by: crate::query::CountBy,
    /// Run one query per line of FILE ('-' for stdin): a query string or a
    /// JSON object with "query" and filter fields. Writes JSONL, or CSV rows.
    ///
    /// A JSON line: {"query": "oil", "place": "Iran", "person": ["Tony
    /// Blair", "Gordon Brown"], "org": "OPEC", "source": "Reuters", "from":
    /// 1987, "to": "1987-06", "main": true, "limit": 20}; every key is
    /// optional, each of "person", "place", "org" and "source" is a string
    /// or a list of strings, a date is YYYY, YYYY-MM or YYYY-MM-DD (a year
    /// may be a number); an unknown key is an error. JSON Schema:
    /// schema/batch-line.schema.json. Blank lines and lines starting with
    /// '#' are skipped; a line that fails is reported with its number and
    /// the batch goes on (exit 2 at the end).
    #[arg(long, value_name = "FILE")]
    pub batch: Option<PathBuf>,
    /// Print the request body that runs this search on an index made by
    /// `newsdex export` (Elasticsearch/OpenSearch `POST INDEX/_search`,
    /// Quickwit `POST api/v1/_elastic/INDEX/_search`) instead of running it.
    #[arg(long = "as", value_enum, value_name = "ENGINE")]
    pub as_engine: Option<crate::export::Engine>,
}

/// `export` takes the filters of `search`, with the end of the period as
/// `--until`, since `--to` names the engine.
#[derive(Debug, Args)]
#[command(mut_arg("to", |to| to.long("until").help("Published on or before (the whole period named), as `search --to`")))]
pub struct ExportArgs {
    /// Export only the articles matching this query (default: all).
    #[arg(value_name = "QUERY", default_value = "", allow_hyphen_values = true)]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// The engine to export to.
    #[arg(long = "to", value_enum, value_name = "ENGINE")]
    pub engine: crate::export::Engine,
    /// Folder for the files (created; data files of an earlier export in
    /// it are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Index name in the index definition and load script.
    #[arg(long, value_name = "NAME", default_value = crate::export::elastic::DEFAULT_INDEX)]
    pub name: String,
    /// Articles per NDJSON file (one `_bulk` request or ingest each).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub chunk_size: usize,
    /// An earlier export's folder: write only the articles it lacks, and
    /// the ids of those gone or changed since, to delete.
    #[arg(long, value_name = "DIR")]
    pub since: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Count over the articles matching this query (default: all).
    #[arg(value_name = "QUERY", default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Entity type to list (default: all three).
    #[arg(long = "type", short = 't', value_enum, value_name = "TYPE")]
    pub kind: Option<crate::query::resolve::EntityType>,
    /// How many values to list.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// Find values by part of a name (forgiving).
    #[arg(long = "match", value_name = "TEXT")]
    pub matching: Option<String>,
    /// List the places inside this place (regions and cities).
    #[arg(long, value_name = "PLACE")]
    pub within: Option<String>,
    /// Co-occurrence: only articles that mention this person.
    #[arg(long, value_name = "NAME")]
    pub with_person: Vec<String>,
    /// Co-occurrence: only articles that mention this place.
    #[arg(long, value_name = "NAME")]
    pub with_place: Vec<String>,
    /// Co-occurrence: only articles that mention this organization.
    #[arg(long, value_name = "NAME")]
    pub with_org: Vec<String>,
    #[command(flatten)]
    pub limits: QueryLimitArgs,
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// Limits on the query string, shared by the commands that take one.
#[derive(Debug, Clone, Args)]
pub struct QueryLimitArgs {
    /// Deepest nesting a query may have (parentheses and NOT chains),
    /// checked before parsing; at most 256.
    #[arg(
        long,
        value_name = "N",
        default_value_t = crate::query::limits::DEFAULT_MAX_QUERY_DEPTH,
        value_parser = max_query_depth,
    )]
    pub max_query_depth: usize,
}

/// `--dup-threshold`: a number from 0 to 1.
fn fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        Ok(_) => Err("a number from 0 to 1".to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// `--max-query-depth`: a number no higher than the ceiling that keeps
/// Tantivy's recursive parser within its stack.
fn max_query_depth(text: &str) -> Result<usize, String> {
    let ceiling = crate::query::limits::MAX_QUERY_DEPTH_CEILING;
    match text.parse::<usize>() {
        Ok(n) if n <= ceiling => Ok(n),
        Ok(_) => Err(format!("at most {ceiling}")),
        Err(e) => Err(e.to_string()),
    }
}

/// `newsdex alias ...`: edits kept in the index directory (`aliases.tsv`).
#[derive(Debug, Subcommand)]
pub enum AliasCommand {
    /// Merge values into the last one given (the target).
    Merge {
        #[arg(long = "type", short = 't', value_enum, value_name = "TYPE")]
        kind: crate::query::resolve::EntityType,
        /// The values to merge, then the target.
        #[arg(required = true, num_args = 2.., value_name = "VALUE")]
        values: Vec<String>,
    },
    /// Give a value a new name.
    Rename {
        #[arg(long = "type", short = 't', value_enum, value_name = "TYPE")]
        kind: crate::query::resolve::EntityType,
        value: String,
        new_name: String,
    },
    /// Hide a value from filters, counts and hit lists.
    Drop {
        #[arg(long = "type", short = 't', value_enum, value_name = "TYPE")]
        kind: crate::query::resolve::EntityType,
        value: String,
    },
    /// Keep a value apart, undoing an automatic merge.
    Keep {
        #[arg(long = "type", short = 't', value_enum, value_name = "TYPE")]
        kind: crate::query::resolve::EntityType,
        value: String,
    },
    /// Undo the edit of one value.
    Remove {
        #[arg(long = "type", short = 't', value_enum, value_name = "TYPE")]
        kind: crate::query::resolve::EntityType,
        value: String,
    },
    /// List the edits (and with --auto the automatic merges).
    List {
        /// Also list the automatic merges of the last `index` run.
        #[arg(long)]
        auto: bool,
        #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Write the edits to FILE (same format as aliases.tsv).
    Export { file: PathBuf },
    /// Add the edits of FILE (an export, or a hand-written file) to the index's.
    Import { file: PathBuf },
}

#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// Article id (as printed by search), or a prefix only one id has.
    pub id: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct DuplicatesArgs {
    /// Only clusters with an article matching this query (default: all).
    #[arg(value_name = "QUERY", default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Only clusters of at least N articles.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_size: usize,
    /// How many clusters to list, largest first.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub limits: QueryLimitArgs,
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id (as printed by search), or a prefix only one id has.
    pub id: String,
    /// List the article's cluster of near-duplicates instead (text or
    /// json, as `duplicates` prints one cluster).
    #[arg(long)]
    pub copies: bool,
    /// Output format: text or json.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port). Anything but a
    /// loopback address exposes the archive without authentication.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7878")]
    pub bind: std::net::SocketAddr,
    /// Searches run at once (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Longest an API request may take, in milliseconds, before it is
    /// cancelled and answered with 504.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub timeout_ms: u64,
}

#[derive(Debug, Args)]
pub struct TrainNerArgs {
    /// Folder of annotated corpora (expects the layout of shared/ner).
    #[arg(long, value_name = "DIR", default_value = "../shared/ner")]
    pub corpora: PathBuf,
    /// Where to write the trained model (embedded by the next build).
    #[arg(long, value_name = "FILE", default_value = "data/ner/model.bin.gz")]
    pub output: PathBuf,
    /// Training epochs.
    #[arg(long, default_value_t = 8)]
    pub epochs: usize,
    /// Feature table size as a power of two (rows of 13 weights).
    #[arg(long, default_value_t = 17, value_parser = clap::value_parser!(u32).range(8..=24))]
    pub bits: u32,
    /// Seed of the deterministic shuffle.
    #[arg(long, default_value_t = 20260101)]
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct EvalNerArgs {
    /// Annotated file: CoNLL (word ... tag per line, IOB1 or IOB2) or the GMB
    /// CSV (`.csv`).
    pub file: PathBuf,
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// With the GMB CSV: score only the held-out tenth (sentence numbers
    /// ending in 0) that the shipped model was not trained on.
    #[arg(long)]
    pub gmb_heldout: bool,
    /// Score this model file (as written by `train-ner`) instead of the
    /// embedded one.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalExtractArgs {
    /// Folder of test pages, one sub-folder each with source.html,
    /// expected.html and expected-metadata.json.
    pub dir: PathBuf,
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Clap's own consistency checks: among them, that `export`'s renaming of
    /// the shared `--to` filter to `--until` leaves no two flags alike.
    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
