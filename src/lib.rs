//! newsdex turns a folder of saved news articles into a Tantivy index and
//! answers questions over it.
//!
//! The write side is a pipeline: [`ingest::walk`] finds files, [`ingest`]
//! decodes and parses each format into an [`article::Article`] and cleans its
//! text, [`entities`] extracts persons, places and organizations, and
//! [`index`] writes Tantivy documents with entity facets. The read side
//! ([`query`], [`output`]) parses a query, filters, counts facets and prints
//! results in the format asked for.

pub mod aliases;
pub mod article;
pub mod cli;
pub mod commands;
pub mod dups;
pub mod entities;
pub mod exit;
pub mod export;
pub mod index;
pub mod ingest;
pub mod output;
pub mod query;
pub mod schema;
pub mod serve;
