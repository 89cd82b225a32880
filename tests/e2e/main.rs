//! End-to-end tests: run the real `newsdex` binary on real files.
//!
//! One test binary with modules keeps link time down. Fixtures committed under
//! `tests/fixtures/` make the essential cases pass on a fresh clone; tests that
//! read the corpora in `../shared/` are reported as ignored when it is absent.

mod aliases;
mod browser;
mod cdp;
mod consistency;
mod env;
mod facets;
mod faults;
mod html;
mod http;
mod indexing;
mod limits;
mod main_entities;
mod query_corpus;
mod searching;
mod serve;
mod shared_corpora;
