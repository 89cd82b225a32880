//! End-to-end tests: run the real `newsdex` binary on real files.
//!
//! One test binary with modules keeps link time down. Fixtures committed under
//! `tests/fixtures/` make the essential cases pass on a fresh clone; tests that
//! read the corpora in `../shared/` are reported as ignored when it is absent.

mod aliases;
mod batch_lines;
mod browser;
mod cdp;
mod cli_conventions;
mod consistency;
mod duplicates;
mod env;
mod export;
mod exports;
mod facet_counts;
mod facets;
mod faults;
mod full_disk;
mod html;
mod http;
mod indexing;
mod limits;
mod main_entities;
mod query_corpus;
mod query_syntax;
mod sample_archive;
mod searching;
mod serve;
mod shared_corpora;
mod skipping;
mod sources;
