//! The query side: in-query filters (`person:"…" after:2019-06`), Tantivy
//! query syntax, name resolution against the entity catalog, date periods,
//! sources, sorting, facet counts and the histogram, run against a small
//! index built once per process from `tests/fixtures`.
//!
//! Input: an optional leading control byte (below 0x20) whose bits choose
//! sort, facets, histogram, main and offset; then tab-separated fields: the query,
//! then the option filters person, place, org, from, to, source (as
//! `--person` … `--source` give them).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsdex::index::NewsIndex;
use newsdex::index::build::{self, Options, Quiet};
use newsdex::query::filters::Filters;
use newsdex::query::histogram::Interval;
use newsdex::query::resolve::EntityType;
use newsdex::query::{CountBy, Request, Session, Sort};

/// The fixture index, built on first use; the directory lives as long as
/// the process.
fn news() -> &'static NewsIndex {
    static INDEX: OnceLock<(tempfile::TempDir, NewsIndex)> = OnceLock::new();
    let (_, news) = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir for the fixture index");
        let fixtures = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures"));
        let paths: Vec<PathBuf> = ["formats", "seed", "html"]
            .iter()
            .map(|d| fixtures.join(d))
            .collect();
        let options = Options {
            threads: 1,
            memory_mb: 64,
            prune: false,
            commit_every: 1000,
            entities: true,
            limits: Default::default(),
            overrides: Default::default(),
            source: None,
            dup_threshold: newsdex::dups::DEFAULT_THRESHOLD,
            duplicates: true,
        };
        let summary =
            build::run(dir.path(), &paths, &options, &Quiet).expect("fixture index builds");
        assert!(summary.articles_total > 0, "the fixture index is empty");
        let news = NewsIndex::open(dir.path()).expect("fixture index opens");
        (dir, news)
    });
    news
}

thread_local! {
    /// One reader and entity catalog for every input, as a batch uses them.
    static SESSION: Session<'static> = Session::open(news()).expect("session on the fixture index");
}

const KINDS: [EntityType; 3] = [EntityType::Person, EntityType::Place, EntityType::Org];

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (flags, input) = match input.as_bytes().first() {
        Some(&b) if b < 0x20 && b != b'\t' && b != b'\n' => (b, &input[1..]),
        _ => (0, input),
    };
    let mut fields = input.split('\t');
    let query = fields.next().unwrap_or_default().to_string();
    let mut next = || fields.next().filter(|f| !f.is_empty()).map(str::to_string);
    let filters = Filters {
        person: next().into_iter().collect(),
        place: next().into_iter().collect(),
        org: next().into_iter().collect(),
        from: next(),
        to: next(),
        source: next().into_iter().collect(),
        main: flags & 16 != 0,
    };
    let query_len = query.len();
    let request = Request {
        query,
        filters,
        limit: 10,
        offset: usize::from(flags >> 5),
        sort: [Sort::Relevance, Sort::Newest, Sort::Oldest, Sort::Relevance]
            [usize::from(flags & 3)],
        facets: if flags & 4 != 0 {
            KINDS.to_vec()
        } else {
            Vec::new()
        },
        facet_limit: 5,
        histogram: (flags & 8 != 0).then_some(Interval::Month),
        // No flag bits left: the query's length picks the grouping.
        collapse: query_len % 3 == 1,
        count_by: if query_len % 2 == 1 {
            CountBy::Cluster
        } else {
            CountBy::Article
        },
    };
    SESSION.with(|session| {
        let _ = session.search(&request);
        // `entities --match`: the same forgiving name matching, unresolved.
        if let Ok(catalog) = session.catalog() {
            for kind in KINDS {
                let _ = catalog.matching(Some(kind), &request.query);
                let _ = catalog.resolve(kind, &request.query);
            }
        }
    });
});
