//! Minimal reproducers of what `cargo fuzz run query` found
//! (`fuzz/fuzz_targets/query.rs`), one test per finding.

use super::filters::Filters;
use super::prepare;
use crate::index::NewsIndex;

/// Fuzz crash (query target, first minute): `--from 1009` overflowed in
/// `tantivy::DateTime::from_timestamp_secs` (seconds × 10⁹ past `i64`): a
/// panic with overflow checks, a silently wrapped bound without. Any period
/// outside Tantivy's range (1677–2262) did the same, from options or from
/// `after:`/`before:` in the query. Fixed by clamping date filters to the
/// index's range (`filters::published_query`).
#[test]
fn date_filter_outside_the_index_range_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let news = NewsIndex::open_or_create(dir.path()).unwrap();
    for (from, to) in [
        ("1009", "2020-01"),
        ("2019", "2300"),
        ("0001-01-01", "9999-12-31"),
    ] {
        let filters = Filters {
            from: Some(from.into()),
            to: Some(to.into()),
            ..Filters::default()
        };
        assert!(prepare(&news, "oil", &filters).is_ok(), "{from}..{to}");
    }
    assert!(prepare(&news, "after:1009 before:2300 oil", &Filters::default()).is_ok());
}

/// Fuzz crash (query target, input `NOT wheat\x01NOT wheat\x01\x11\0\0`):
/// a word that tokenizes into a phrase ("wheat not") excluded beside a
/// plain term trips a `debug_assert!` in Tantivy 0.27's
/// `PhraseScorer::seek_danger` (`target (8) should be greater than or equal
/// to doc (2147483647)`): the exclusion seeks a phrase scorer that is
/// already exhausted. Release builds (no debug assertions) return the right
/// hit; debug builds, as tests run, panic. Upstream: not fixed here.
#[test]
#[ignore = "fuzz crash in tantivy 0.27 (debug assertion in PhraseScorer::seek_danger); release builds unaffected, not fixed"]
fn excluded_phrase_beside_a_term_does_not_panic() {
    use crate::index::build::{self, Options, Quiet};
    let dir = tempfile::tempdir().unwrap();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let paths: Vec<_> = ["formats", "seed", "html"].map(|d| fixtures.join(d)).into();
    let options = Options {
        threads: 1,
        memory_mb: 64,
        prune: false,
        commit_every: 1000,
        entities: false,
        limits: Default::default(),
        overrides: Default::default(),
        source: None,
        dup_threshold: crate::dups::DEFAULT_THRESHOLD,
        duplicates: true,
    };
    build::run(dir.path(), &paths, &options, &Quiet).unwrap();
    let news = NewsIndex::open(dir.path()).unwrap();
    for query in ["wheat NOT \"wheat not\"", "NOT wheat\u{1}NOT wheat"] {
        let request = super::Request {
            query: query.to_string(),
            limit: 10,
            ..super::Request::default()
        };
        let results = super::search(&news, &request).unwrap();
        assert!(results.total >= 1, "{query}");
    }
}
