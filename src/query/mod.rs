//! The read side: parse a query, run it, and gather hits with snippets.
//!
//! Owns what a query means (default fields, boosts, conjunction, sorting);
//! printing belongs to [`crate::output`].

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, Query, QueryParser};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument};

use crate::index::NewsIndex;
use crate::index::document::StoredArticle;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// A query the user typed was not understood.
#[derive(Debug, thiserror::Error)]
#[error("cannot understand the query {query:?}: {reason}")]
pub struct QueryError {
    pub query: String,
    pub reason: String,
}

/// How hits are ordered.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (BM25, title boosted).
    #[default]
    Relevance,
    /// Most recently published first (undated last).
    Newest,
    /// Earliest published first (undated last).
    Oldest,
}

/// What to search for and how many hits to return.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
}

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
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Results {
    /// The query as given.
    pub query: String,
    /// The query as Tantivy understood it (for debugging a surprising result).
    pub parsed: String,
    /// Matching articles in all.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub sort: Sort,
    pub hits: Vec<Hit>,
}

/// Parses a query string against the index's text fields.
///
/// Words must all match (AND) unless joined by OR, as users of news search
/// expect; the title weighs most, then the standfirst.
pub fn parse(news: &NewsIndex, query: &str) -> Result<Box<dyn Query>, QueryError> {
    if query.trim().is_empty() {
        return Ok(Box::new(AllQuery));
    }
    let f = &news.fields;
    let mut parser =
        QueryParser::for_index(&news.index, vec![f.title, f.standfirst, f.body, f.captions]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(f.title, 3.0);
    parser.set_field_boost(f.standfirst, 1.5);
    parser.parse_query(query).map_err(|err| QueryError {
        query: query.to_string(),
        reason: err.to_string(),
    })
}

/// Runs a request.
pub fn search(news: &NewsIndex, request: &Request) -> anyhow::Result<Results> {
    let query = parse(news, &request.query)?;
    let reader = news.index.reader()?;
    let searcher = reader.searcher();
    let top = TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset);
    let (total, addresses): (usize, Vec<(f32, DocAddress)>) = match request.sort {
        Sort::Relevance => searcher.search(&query, &(Count, top.order_by_score()))?,
        Sort::Newest | Sort::Oldest => {
            let order = if request.sort == Sort::Newest {
                Order::Desc
            } else {
                Order::Asc
            };
            let (total, docs): (usize, Vec<(Option<tantivy::DateTime>, DocAddress)>) = searcher
                .search(
                    &query,
                    &(Count, top.order_by_fast_field("published", order)),
                )?;
            (
                total,
                docs.into_iter().map(|(_, addr)| (0.0, addr)).collect(),
            )
        }
    };
    let addresses = if request.limit == 0 {
        Vec::new()
    } else {
        addresses
    };
    let hits = hits(news, &searcher, &*query, &addresses)?;
    Ok(Results {
        query: request.query.clone(),
        parsed: format!("{query:?}"),
        total,
        offset: request.offset,
        limit: request.limit,
        sort: request.sort,
        hits,
    })
}

/// Counts the matches of a query without fetching any.
pub fn count(news: &NewsIndex, query: &str) -> anyhow::Result<usize> {
    let query = parse(news, query)?;
    let searcher = news.index.reader()?.searcher();
    Ok(searcher.search(&query, &Count)?)
}

fn hits(
    news: &NewsIndex,
    searcher: &Searcher,
    query: &dyn Query,
    addresses: &[(f32, DocAddress)],
) -> anyhow::Result<Vec<Hit>> {
    let f = &news.fields;
    let mut body_snippets = SnippetGenerator::create(searcher, query, f.body)?;
    body_snippets.set_max_num_chars(SNIPPET_CHARS);
    let mut lead_snippets = SnippetGenerator::create(searcher, query, f.standfirst)?;
    lead_snippets.set_max_num_chars(SNIPPET_CHARS);
    let mut out = Vec::with_capacity(addresses.len());
    for &(score, address) in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let stored = StoredArticle::from_document(f, &doc);
        let mut snippet = body_snippets.snippet(&stored.body);
        if snippet.highlighted().is_empty() && !stored.standfirst.is_empty() {
            let lead = lead_snippets.snippet(&stored.standfirst);
            if !lead.highlighted().is_empty() {
                snippet = lead;
            }
        }
        let snippet = if snippet.is_empty() {
            Snippet {
                text: opening(&stored),
                highlights: Vec::new(),
            }
        } else {
            Snippet {
                text: snippet.fragment().to_string(),
                highlights: snippet
                    .highlighted()
                    .iter()
                    .map(|r| (r.start, r.end))
                    .collect(),
            }
        };
        out.push(Hit {
            id: stored.id,
            score,
            date: stored.published,
            title: stored.title,
            source: stored.source,
            path: stored.path,
            record: stored.record,
            url: stored.url,
            snippet,
            persons: stored.persons,
            places: stored.places,
            orgs: stored.orgs,
        });
    }
    Ok(out)
}

/// The first words of an article, for hits whose text has no matched word
/// (a title-only or filter-only match).
fn opening(article: &StoredArticle) -> String {
    let text = if article.standfirst.is_empty() {
        &article.body
    } else {
        &article.standfirst
    };
    let mut end = text.len().min(SNIPPET_CHARS);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        // Cut at a word boundary.
        end = text[..end].rfind(char::is_whitespace).unwrap_or(end);
    }
    text[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Looks up one article by id.
pub fn get(news: &NewsIndex, id: &str) -> anyhow::Result<Option<StoredArticle>> {
    let searcher = news.index.reader()?.searcher();
    let term = tantivy::Term::from_field_text(news.fields.id, id);
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some(&(_, address)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(Some(StoredArticle::from_document(&news.fields, &doc)))
}
