//! The read side: parse a query and its filters, run it, and gather hits
//! with snippets, facet counts and a histogram.
//!
//! Owns what a query means (default fields, boosts, conjunction, filters,
//! sorting); what it produces has its own home, [`results`]; printing
//! belongs to [`crate::output`].

pub mod facets;
pub mod filters;
pub mod histogram;
pub mod limits;
pub mod mentions;
pub mod resolve;
pub mod results;

#[cfg(test)]
mod fuzz_findings_test;

use std::cell::OnceCell;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::index::NewsIndex;
use filters::Filters;
use histogram::{HistogramCollector, Interval};
use resolve::{Catalog, EntityType, EntityValue};
pub use results::{
    EntityList, FacetCount, Facets, Histogram, Hit, MainEntities, ResolvedFilters, Results,
    Snippet, Stats, StoredArticle,
};

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
    /// Earliest published first.
    Oldest,
}

/// What to search for and how many hits to return.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Tantivy query syntax, possibly with in-query filters (`person:"..."`).
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    /// Entity types to count facets of over the whole result set.
    pub facets: Vec<EntityType>,
    pub facet_limit: usize,
    pub histogram: Option<Interval>,
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
    let parsed = parser.parse_query(query).map_err(|err| QueryError {
        query: query.to_string(),
        reason: err.to_string(),
    })?;
    let lifted = lift_negations(parsed);
    // A purely negative query ("NOT wheat") subtracts from everything.
    if let Some(boolean) = (*lifted).downcast_ref::<BooleanQuery>()
        && boolean.clauses().iter().all(|(o, _)| *o == Occur::MustNot)
    {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = boolean
            .clauses()
            .iter()
            .map(|(o, q)| (*o, q.box_clone()))
            .collect();
        clauses.push((Occur::Must, Box::new(AllQuery)));
        return Ok(Box::new(BooleanQuery::new(clauses)));
    }
    Ok(lifted)
}

/// Tantivy parses `oil AND NOT wheat` as "must match (not wheat)", a clause
/// that matches nothing on its own; users mean "oil, excluding wheat". Lift
/// purely negative sub-queries into their parent.
fn lift_negations(query: Box<dyn Query>) -> Box<dyn Query> {
    let Some(boolean) = (*query).downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (occur, sub) in boolean.clauses() {
        let sub = lift_negations(sub.box_clone());
        let negatives = (*sub).downcast_ref::<BooleanQuery>().filter(|b| {
            !b.clauses().is_empty() && b.clauses().iter().all(|(o, _)| *o == Occur::MustNot)
        });
        match negatives {
            Some(inner) if *occur == Occur::Must => {
                clauses.extend(inner.clauses().iter().map(|(o, q)| (*o, q.box_clone())));
            }
            _ => clauses.push((*occur, sub)),
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A query with its filters resolved, ready to run on one searcher.
pub struct Prepared {
    pub query: Box<dyn Query>,
    pub filters: ResolvedFilters,
    pub searcher: Searcher,
}

/// One point-in-time view of the index for any number of queries: a batch
/// of 500 names opens the index and reads the entity catalog once.
pub struct Session<'a> {
    news: &'a NewsIndex,
    searcher: Searcher,
    /// The entity catalog (name index, aliases applied), read on first use.
    catalog: OnceCell<Arc<Catalog>>,
    /// Indexed facet → canonical facet, for counting, built on first use.
    facet_map: OnceCell<Arc<facets::FacetMap>>,
    /// Deepest query nesting accepted (see [`limits::check_depth`]).
    max_depth: usize,
}

impl<'a> Session<'a> {
    pub fn open(news: &'a NewsIndex) -> anyhow::Result<Session<'a>> {
        Ok(Session {
            news,
            searcher: news.index.reader()?.searcher(),
            catalog: OnceCell::new(),
            facet_map: OnceCell::new(),
            max_depth: limits::DEFAULT_MAX_QUERY_DEPTH,
        })
    }

    /// A session on a searcher and catalog the caller keeps between
    /// sessions (`serve` reuses them until a commit or alias edit lands), so
    /// a request pays for neither.
    pub fn shared(
        news: &'a NewsIndex,
        searcher: Searcher,
        catalog: Arc<Catalog>,
        facet_map: Arc<facets::FacetMap>,
    ) -> Session<'a> {
        Session {
            news,
            searcher,
            catalog: OnceCell::from(catalog),
            facet_map: OnceCell::from(facet_map),
            max_depth: limits::DEFAULT_MAX_QUERY_DEPTH,
        }
    }

    /// Accepts queries nested up to `max` levels (`--max-query-depth`).
    pub fn with_max_depth(mut self, max: usize) -> Session<'a> {
        self.max_depth = max;
        self
    }

    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// The entity catalog, read on first use.
    pub fn catalog(&self) -> anyhow::Result<&Catalog> {
        if let Some(catalog) = self.catalog.get() {
            return Ok(catalog);
        }
        let catalog = Arc::new(Catalog::open(self.news, &self.searcher)?);
        Ok(self.catalog.get_or_init(|| catalog))
    }

    /// Which indexed facets count as which value (aliases applied).
    pub fn facet_map(&self) -> anyhow::Result<&facets::FacetMap> {
        if let Some(map) = self.facet_map.get() {
            return Ok(map);
        }
        let map = Arc::new(facets::FacetMap::new(self.catalog()?.names()));
        Ok(self.facet_map.get_or_init(|| map))
    }

    /// A counter of values under `parents`, aliases applied.
    pub fn counter(
        &self,
        parents: &[tantivy::schema::Facet],
        depth: usize,
    ) -> anyhow::Result<facets::ValueCounter<'_>> {
        Ok(facets::ValueCounter::new(parents, depth).with_aliases(self.facet_map()?))
    }

    /// Parses the query, resolves its filters and combines them.
    pub fn prepare(&self, text: &str, filters: &Filters) -> anyhow::Result<Prepared> {
        prepare_in(self, text, filters)
    }

    /// Runs a request.
    pub fn search(&self, request: &Request) -> anyhow::Result<Results> {
        search_in(self, request)
    }

    /// Every match of a request in order, streamed to `f` (see [`search_all`]).
    pub fn search_all(
        &self,
        request: &Request,
        f: impl FnMut(Hit) -> anyhow::Result<()>,
    ) -> anyhow::Result<usize> {
        search_all_in(self, request, f)
    }

    /// Counts the matches of a query and filters without fetching any.
    pub fn count(&self, query: &str, filters: &Filters) -> anyhow::Result<usize> {
        let prepared = self.prepare(query, filters)?;
        Ok(prepared.searcher.search(&*prepared.query, &Count)?)
    }
}

/// Parses the query, resolves its filters and combines them (all must hold).
pub fn prepare(news: &NewsIndex, text: &str, filters: &Filters) -> anyhow::Result<Prepared> {
    Session::open(news)?.prepare(text, filters)
}

fn prepare_in(session: &Session, text: &str, filters: &Filters) -> anyhow::Result<Prepared> {
    // Before anything parses it: Tantivy's parser recurses per level.
    limits::check_depth(text, session.max_depth)?;
    let (news, searcher) = (session.news, session.searcher.clone());
    let (words, inline) = filters::split_query(text)?;
    let mut all = filters.clone();
    all.merge(inline);
    let mut resolved = ResolvedFilters {
        main: all.main,
        ..Default::default()
    };
    let entity_field = if all.main {
        news.fields.main_entity
    } else {
        news.fields.entity
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !words.trim().is_empty() {
        clauses.push((Occur::Must, parse(news, &words)?));
    }
    let f = &news.fields;
    if !(all.person.is_empty() && all.place.is_empty() && all.org.is_empty()) {
        for (kind, names, out) in [
            (EntityType::Person, &all.person, &mut resolved.persons),
            (EntityType::Place, &all.place, &mut resolved.places),
            (EntityType::Org, &all.org, &mut resolved.orgs),
        ] {
            for name in names {
                let (values, note) = session.catalog()?.resolve_or_explain(kind, name)?;
                if let Some(note) = note {
                    eprintln!("newsdex: {note}");
                    resolved.notes.push(note);
                }
                // Facet terms include every ancestor, so a place matches the
                // articles of every place inside it. Several values are
                // spellings of one name: any of them will do.
                let any: Vec<(Occur, Box<dyn Query>)> = values
                    .iter()
                    .flat_map(EntityValue::raw_facets)
                    .map(|facet| {
                        let term = Term::from_facet(entity_field, &facet);
                        let query: Box<dyn Query> =
                            Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                        (Occur::Should, query)
                    })
                    .collect();
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
                out.extend(values);
            }
        }
    }
    resolved.from = all.from.as_deref().map(filters::period_start).transpose()?;
    resolved.until = all.to.as_deref().map(filters::period_end).transpose()?;
    if resolved.from.is_some() || resolved.until.is_some() {
        let range = filters::published_query(f.published, resolved.from, resolved.until);
        clauses.push((Occur::Must, range));
    }
    if !all.source.is_empty() {
        // Any of the given sources, compared as the index stores them.
        let mut analyzer = news.index.tokenizer_for_field(f.source)?;
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for source in &all.source {
            let mut stream = analyzer.token_stream(source);
            while let Some(token) = stream.next() {
                let term = Term::from_field_text(f.source, &token.text);
                any.push((
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                ));
            }
            resolved.sources.push(source.clone());
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
    }
    let query: Box<dyn Query> = match clauses.len() {
        0 => Box::new(AllQuery),
        1 => clauses.pop().expect("one clause").1,
        _ => Box::new(BooleanQuery::new(clauses)),
    };
    Ok(Prepared {
        query,
        filters: resolved,
        searcher,
    })
}

/// Runs a request.
pub fn search(news: &NewsIndex, request: &Request) -> anyhow::Result<Results> {
    Session::open(news)?.search(request)
}

fn search_in(session: &Session, request: &Request) -> anyhow::Result<Results> {
    limits::check_page(request.limit, request.offset)?;
    let prepared = session.prepare(&request.query, &request.filters)?;
    let (searcher, query) = (&prepared.searcher, &*prepared.query);
    let (total, addresses) = top(searcher, query, request.sort, request.limit, request.offset)?;
    let mut hits = Vec::with_capacity(addresses.len());
    for_each_hit(session, query, &addresses, |hit| {
        hits.push(hit);
        Ok(())
    })?;
    let facets = if request.facets.is_empty() {
        None
    } else {
        Some(facet_counts(
            session,
            query,
            &request.facets,
            request.facet_limit,
            prepared.filters.main,
        )?)
    };
    let histogram = match request.histogram {
        None => None,
        Some(interval) => {
            let (buckets, undated) = searcher.search(query, &HistogramCollector { interval })?;
            Some(Histogram {
                interval,
                buckets,
                undated,
            })
        }
    };
    Ok(Results {
        query: request.query.clone(),
        parsed: format!("{query:?}"),
        filters: prepared.filters.clone(),
        total,
        offset: request.offset,
        limit: request.limit,
        sort: request.sort,
        hits,
        facets,
        histogram,
    })
}

/// Every match in order, streamed to `f`: exports have no hidden cap, and
/// memory holds only the matches' addresses.
pub fn search_all(
    news: &NewsIndex,
    request: &Request,
    f: impl FnMut(Hit) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    Session::open(news)?.search_all(request, f)
}

fn search_all_in(
    session: &Session,
    request: &Request,
    f: impl FnMut(Hit) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let prepared = session.prepare(&request.query, &request.filters)?;
    let (searcher, query) = (&prepared.searcher, &*prepared.query);
    let total = searcher.search(query, &Count)?;
    let (_, addresses) = top(searcher, query, request.sort, total, 0)?;
    for_each_hit(session, query, &addresses, f)?;
    Ok(total)
}

/// Counts the matches of a query and filters without fetching any.
pub fn count(news: &NewsIndex, query: &str, filters: &Filters) -> anyhow::Result<usize> {
    Session::open(news)?.count(query, filters)
}

type Ranked = (usize, Vec<(f32, DocAddress)>);

fn top(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    limit: usize,
    offset: usize,
) -> anyhow::Result<Ranked> {
    // Tantivy sizes its buffers from limit + offset: no more than there are
    // articles, whatever was asked.
    let articles = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let offset = offset.min(articles);
    let limit = limit.min(articles - offset);
    let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
    let (total, addresses): Ranked = match sort {
        Sort::Relevance => searcher.search(query, &(Count, top.order_by_score()))?,
        Sort::Newest | Sort::Oldest => {
            let order = if sort == Sort::Newest {
                Order::Desc
            } else {
                Order::Asc
            };
            let (total, docs): (usize, Vec<(Option<tantivy::DateTime>, DocAddress)>) =
                searcher.search(query, &(Count, top.order_by_fast_field("published", order)))?;
            (
                total,
                docs.into_iter()
                    .map(|(_, address)| (0.0, address))
                    .collect(),
            )
        }
    };
    Ok((total, if limit == 0 { Vec::new() } else { addresses }))
}

/// Counts the top values of each entity type over every match, aliases
/// applied.
pub fn facet_counts(
    session: &Session,
    query: &dyn Query,
    kinds: &[EntityType],
    limit: usize,
    main: bool,
) -> anyhow::Result<Facets> {
    let roots: Vec<_> = kinds.iter().map(|k| k.root()).collect();
    let counter = session.counter(&roots, 1)?.main_only(main);
    let counts = session.searcher.search(query, &counter)?;
    let mut facets = Facets::default();
    for &kind in kinds {
        let top: Vec<FacetCount> = facets::top_k(&counts, &kind.root(), limit)
            .into_iter()
            .map(|(facet, articles)| FacetCount {
                value: facet
                    .to_path()
                    .last()
                    .map_or_else(String::new, |s| s.to_string()),
                articles,
            })
            .collect();
        match kind {
            EntityType::Person => facets.person = Some(top),
            EntityType::Place => facets.place = Some(top),
            EntityType::Org => facets.org = Some(top),
        }
    }
    Ok(facets)
}

fn for_each_hit(
    session: &Session,
    query: &dyn Query,
    addresses: &[(f32, DocAddress)],
    mut f: impl FnMut(Hit) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let (news, searcher) = (session.news, &session.searcher);
    let fields = &news.fields;
    let names = if addresses.is_empty() {
        None
    } else {
        Some(session.catalog()?.names())
    };
    let mut body_snippets = SnippetGenerator::create(searcher, query, fields.body)?;
    body_snippets.set_max_num_chars(SNIPPET_CHARS);
    let mut lead_snippets = SnippetGenerator::create(searcher, query, fields.standfirst)?;
    lead_snippets.set_max_num_chars(SNIPPET_CHARS);
    for &(score, address) in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let stored = StoredArticle::from_document(fields, &doc);
        let mut snippet = body_snippets.snippet(&stored.body);
        if snippet.highlighted().is_empty() && !stored.standfirst.is_empty() {
            let lead = lead_snippets.snippet(&stored.standfirst);
            if !lead.highlighted().is_empty() {
                snippet = lead;
            }
        }
        let snippet = if snippet.highlighted().is_empty() {
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
        f(Hit {
            id: stored.id,
            score,
            date: stored.published,
            title: stored.title,
            source: stored.source,
            path: stored.path,
            record: stored.record,
            url: stored.url,
            snippet,
            main: MainEntities {
                persons: canonical_names(names, EntityType::Person, stored.main.persons),
                places: canonical_names(names, EntityType::Place, stored.main.places),
                orgs: canonical_names(names, EntityType::Org, stored.main.orgs),
            },
            persons: canonical_names(names, EntityType::Person, stored.persons),
            places: canonical_names(names, EntityType::Place, stored.places),
            orgs: canonical_names(names, EntityType::Org, stored.orgs),
        })?;
    }
    Ok(())
}

/// An article's entity names as the aliases have them: merged values
/// renamed (once each), dropped ones left out.
pub fn canonical_names(
    names: Option<&crate::aliases::names::NameIndex>,
    kind: EntityType,
    values: Vec<String>,
) -> Vec<String> {
    use crate::aliases::names::Mapped;
    let Some(names) = names else { return values };
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let value = match names.mapped(kind, &value) {
            Mapped::Same => value,
            Mapped::To(canonical) => canonical,
            Mapped::Dropped => continue,
        };
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
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
        end = text[..end].rfind(char::is_whitespace).unwrap_or(end);
    }
    text[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Looks up one article by id.
pub fn get(news: &NewsIndex, id: &str) -> anyhow::Result<Option<(StoredArticle, DocAddress)>> {
    find(&news.fields, &news.index.reader()?.searcher(), id)
}

impl Session<'_> {
    /// One article by id, its entity names as the aliases have them (as in
    /// search results). `None` when the id is unknown.
    pub fn article(&self, id: &str) -> anyhow::Result<Option<StoredArticle>> {
        let Some((mut article, _)) = find(&self.news.fields, &self.searcher, id)? else {
            return Ok(None);
        };
        let names = Some(self.catalog()?.names());
        article.persons = canonical_names(names, EntityType::Person, article.persons);
        article.places = canonical_names(names, EntityType::Place, article.places);
        article.orgs = canonical_names(names, EntityType::Org, article.orgs);
        Ok(Some(article))
    }

    /// Where an article names its entities (see [`mentions`]).
    pub fn mentions(&self, article: &StoredArticle) -> anyhow::Result<mentions::ArticleMentions> {
        Ok(mentions::find(article, Some(self.catalog()?.names())))
    }

    /// The articles most like a given one (see [`related`]).
    pub fn related(
        &self,
        id: &str,
        filters: &Filters,
        limit: usize,
    ) -> anyhow::Result<Option<Results>> {
        related_in(self, id, filters, limit)
    }
}

/// [`get`] in a given searcher: a document address is only good in the
/// searcher that found it.
fn find(
    fields: &crate::index::Fields,
    searcher: &Searcher,
    id: &str,
) -> anyhow::Result<Option<(StoredArticle, DocAddress)>> {
    let query = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some(&(_, address)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(address)?;
    Ok(Some((StoredArticle::from_document(fields, &doc), address)))
}

/// The articles most like a given one (Tantivy's more-like-this over its
/// text), with the same filters as a search. `None` when the id is unknown.
pub fn related(
    news: &NewsIndex,
    id: &str,
    filters: &Filters,
    limit: usize,
) -> anyhow::Result<Option<Results>> {
    Session::open(news)?.related(id, filters, limit)
}

fn related_in(
    session: &Session,
    id: &str,
    filters: &Filters,
    limit: usize,
) -> anyhow::Result<Option<Results>> {
    let news = session.news;
    limits::check_page(limit, 0)?;
    let prepared = session.prepare("", filters)?;
    // Looked up in the searcher the query will run in, so a commit landing
    // in between cannot make the address point elsewhere.
    let Some((_, address)) = find(&news.fields, &prepared.searcher, id)? else {
        return Ok(None);
    };
    let like = tantivy::query::MoreLikeThisQuery::builder()
        .with_min_doc_frequency(1)
        .with_min_term_frequency(1)
        .with_max_query_terms(40)
        .with_min_word_length(3)
        .with_document(address);
    let itself = TermQuery::new(
        Term::from_field_text(news.fields.id, id),
        IndexRecordOption::Basic,
    );
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(like) as Box<dyn Query>),
        (Occur::Must, prepared.query.box_clone()),
        (Occur::MustNot, Box::new(itself)),
    ]);
    let searcher = &prepared.searcher;
    let (total, addresses) = top(searcher, &query, Sort::Relevance, limit, 0)?;
    let mut hits = Vec::with_capacity(addresses.len());
    for_each_hit(session, &query, &addresses, |hit| {
        hits.push(hit);
        Ok(())
    })?;
    Ok(Some(Results {
        query: format!("related:{id}"),
        parsed: format!("{query:?}"),
        filters: prepared.filters,
        total,
        offset: 0,
        limit,
        sort: Sort::Relevance,
        hits,
        facets: None,
        histogram: None,
    }))
}
