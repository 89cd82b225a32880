//! The query behind `related`: an article's most telling terms.
//!
//! Tantivy's `MoreLikeThisQuery` picks the same kind of terms (tf-idf), but
//! among terms of equal score it picks in hash order, which changes with
//! every process: `related` listed other articles from one run to the next.
//! Here ties fall by term, so the same index always gives the same list.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenStream;
use tantivy::{Searcher, Term};

use crate::index::NewsIndex;
use crate::query::StoredArticle;

/// Most terms the query keeps.
const MAX_TERMS: usize = 40;
/// Shorter terms say little about what an article is about.
const MIN_TERM_CHARS: usize = 3;

/// A query matching articles that share `article`'s most telling terms
/// (title, standfirst and body), each weighted by its tf-idf.
pub fn like(
    news: &NewsIndex,
    searcher: &Searcher,
    article: &StoredArticle,
) -> anyhow::Result<Box<dyn Query>> {
    let f = &news.fields;
    let mut counts: HashMap<Term, u32> = HashMap::new();
    for (field, text) in [
        (f.title, &article.title),
        (f.standfirst, &article.standfirst),
        (f.body, &article.body),
    ] {
        let mut analyzer = news.index.tokenizer_for_field(field)?;
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if token.text.chars().count() >= MIN_TERM_CHARS {
                *counts
                    .entry(Term::from_field_text(field, &token.text))
                    .or_default() += 1;
            }
        }
    }
    let docs = searcher.num_docs() as f32;
    let mut scored = Vec::with_capacity(counts.len());
    for (term, tf) in counts {
        let df = searcher.doc_freq(&term)? as f32;
        if df > 0.0 {
            let idf = (1.0 + (docs - df + 0.5) / (df + 0.5)).ln();
            scored.push((tf as f32 * idf, term));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(MAX_TERMS);
    let clauses = scored
        .into_iter()
        .map(|(weight, term)| {
            let term = TermQuery::new(term, IndexRecordOption::WithFreqs);
            let boosted = BoostQuery::new(Box::new(term), weight);
            (Occur::Should, Box::new(boosted) as Box<dyn Query>)
        })
        .collect();
    Ok(Box::new(BooleanQuery::new(clauses)))
}
