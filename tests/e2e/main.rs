//! End-to-end tests: run the real `newsdex` binary on real files.
//!
//! One test binary with modules keeps link time down. Fixtures committed under
//! `tests/fixtures/` make the essential cases pass on a fresh clone; tests that
//! read the corpora in `../shared/` print a notice and skip when it is absent.

mod consistency;
mod env;
mod facets;
mod html;
mod indexing;
mod searching;
mod shared_corpora;
