//! Near-duplicates and wire copies: the same story republished with a new
//! headline, a paragraph more, a correction, other page furniture.
//!
//! At index time every article long enough gets a MinHash [`signature`]
//! of its text, stored with its LSH band terms, and a cluster: the id of
//! the first indexed article it is a copy of, or its own ([`clusterer`]).
//! At query time a cluster's members are found by a term query on its id,
//! and its representative is the earliest published of the members alive
//! ([`members`]), so deleting one hands the role on with no rewrite.

pub mod clusterer;
pub mod diff;
pub mod members;
pub mod signature;

use tantivy::TantivyDocument;

use crate::article::Article;
use crate::index::Fields;
use signature::Signature;

/// Name of the fast field holding the signature's bytes.
pub const SIGNATURE_FIELD: &str = "dup_signature";
/// Name of the fast, indexed field holding the cluster id.
pub const CLUSTER_FIELD: &str = "cluster";
/// Name of the indexed field holding the band terms.
pub const BANDS_FIELD: &str = "dup_bands";

/// The least estimated Jaccard index of two articles' shingle sets for them
/// to be copies of one story (`index --dup-threshold`); chosen by the
/// measurements in benches/results/duplicates.md.
pub const DEFAULT_THRESHOLD: f64 = 0.25;

/// The text compared: the standfirst and body, not the headline, which
/// outlets rewrite.
pub fn text_of(article: &Article) -> String {
    let mut text = String::with_capacity(article.standfirst.len() + 1);
    text.push_str(&article.standfirst);
    for paragraph in &article.body {
        text.push('\n');
        text.push_str(paragraph);
    }
    text
}

/// The signature of an article, `None` when it is too short to cluster.
pub fn signature_of(article: &Article) -> Option<Signature> {
    Signature::of(&text_of(article))
}

/// Adds the signature and its band terms to an article's document.
pub fn add_signature(fields: &Fields, doc: &mut TantivyDocument, signature: Option<&Signature>) {
    if let Some(signature) = signature {
        doc.add_bytes(fields.dup_signature, &signature.to_bytes());
        for band in signature.bands() {
            doc.add_u64(fields.dup_bands, band);
        }
    }
}

/// A cluster or article id as printed: 16 hex digits.
pub fn format_id(id: u64) -> String {
    format!("{id:016x}")
}

/// Reads an id printed by [`format_id`].
pub fn parse_id(text: &str) -> Option<u64> {
    (text.len() == 16)
        .then(|| u64::from_str_radix(text, 16).ok())
        .flatten()
}
