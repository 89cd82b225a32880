//! What the read side produces: search results with their hits, facet
//! counts and histogram, entity listings, index statistics and whole
//! articles. Output formats print these types and nothing else, so
//! [`crate::output`] never reaches into the index or the commands.
//!
//! Owns the shape of every result (its serde form is the JSON contract in
//! `schema/`); how results are computed belongs to the rest of [`crate::query`]
//! and to the commands.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Sort;
use super::histogram::{Bucket, Interval};
use super::resolve::{EntityValue, ResolutionNote};

/// The entities an article is about, as stored in the index.
pub use crate::index::document::MainEntities;
/// An article in full, as `show` prints it: the index's stored fields.
pub use crate::index::document::StoredArticle;

/// A piece of text with the byte ranges of matched words.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Snippet {
    pub text: String,
    /// `[start, end)` byte offsets of highlighted words in `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// One matching article.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Hit {
    pub id: String,
    /// Relevance score (BM25); 0 when sorted by date.
    pub score: f32,
    pub date: Option<DateTime<Utc>>,
    pub title: String,
    pub source: Option<String>,
    pub path: String,
    /// Position inside a multi-article file, from 1.
    pub record: Option<u64>,
    pub url: Option<String>,
    pub snippet: Snippet,
    pub persons: Vec<String>,
    /// Place paths, outermost first, e.g. "Iraq / Basra / Basra".
    pub places: Vec<String>,
    pub orgs: Vec<String>,
    /// The entities the article is about: a subset of the lists above.
    pub main: MainEntities,
    /// The article's near-duplicate cluster (16 hex digits): the articles
    /// whose texts are copies of one story share it.
    pub cluster: String,
    /// Live articles in that cluster, this one included (1: no copies).
    pub copies: u64,
    /// With `--collapse`: every article of the cluster, the earliest
    /// published first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<CopyRef>,
}

/// One article of a hit's cluster.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct CopyRef {
    pub id: String,
    pub source: Option<String>,
    pub date: Option<DateTime<Utc>>,
}

/// What facet counts and the histogram count.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum CountBy {
    /// Every matching article.
    #[default]
    Article,
    /// Each near-duplicate cluster once, at its earliest matching article.
    Cluster,
}

/// The filters as understood: names resolved to the index's entity values.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct ResolvedFilters {
    pub persons: Vec<EntityValue>,
    pub places: Vec<EntityValue>,
    pub orgs: Vec<EntityValue>,
    /// Inclusive start of the period.
    pub from: Option<DateTime<Utc>>,
    /// Exclusive end of the period.
    pub until: Option<DateTime<Utc>>,
    pub sources: Vec<String>,
    /// Names that resolved by a choice: the value used and what else matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<ResolutionNote>,
    /// Entity filters and facet counts only over the entities articles are
    /// about (`--main`).
    #[serde(default)]
    pub main: bool,
}

/// One facet value with the number of matching articles that have it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct FacetCount {
    pub value: String,
    pub articles: u64,
}

/// Facet counts per entity type over all matches (not just the page shown).
/// Places count by country, each including its regions and cities.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Facets {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<Vec<FacetCount>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<Vec<FacetCount>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<Vec<FacetCount>>,
}

/// Matches over time.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Histogram {
    pub interval: Interval,
    pub buckets: Vec<Bucket>,
    /// Matching articles without a publication date.
    pub undated: u64,
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Results {
    /// The query as given.
    pub query: String,
    /// What was understood, words and filters, in query syntax that runs
    /// the same: `+` must, `-` must not, `OR` between alternatives
    /// (`+oil -wheat place:Iraq from:2019`).
    pub parsed: String,
    /// The filters as understood (names resolved, dates as instants).
    pub filters: ResolvedFilters,
    /// Matching articles in all.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub sort: Sort,
    pub hits: Vec<Hit>,
    /// Whether hits were collapsed to one per cluster (`--collapse`).
    #[serde(default)]
    pub collapsed: bool,
    /// Clusters the matches fall in (with `--collapse` or `--count-by cluster`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clusters: Option<usize>,
    /// What facet counts and histogram buckets count.
    #[serde(default)]
    pub count_by: CountBy,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub histogram: Option<Histogram>,
}

/// What `entities --format json` prints.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct EntityList {
    /// The query the counts are over ("" for the whole archive).
    pub query: String,
    pub filters: ResolvedFilters,
    /// Articles the counts are over.
    pub articles: usize,
    pub values: Vec<EntityValue>,
}

/// The summary `stats` prints.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Stats {
    pub index: String,
    pub articles: u64,
    pub segments: usize,
    pub earliest: Option<DateTime<Utc>>,
    pub latest: Option<DateTime<Utc>>,
    /// Most frequent sources with their article counts.
    pub sources: Vec<(String, u64)>,
    /// Input formats with their article counts.
    pub formats: Vec<(String, u64)>,
    pub size_bytes: u64,
    /// Version of the entity extractor that annotated the index.
    pub extractor: Option<String>,
}
