//! The read side: parse a query and its filters, run it, and gather hits
//! with snippets, facet counts and a histogram.
//!
//! Owns what a query means (default fields, boosts, conjunction, filters,
//! sorting); what it produces has its own home, [`results`]; printing
//! belongs to [`crate::output`].

pub mod batch;
pub mod deadline;
pub mod facets;
pub mod filters;
pub mod histogram;
pub mod like;
pub mod limits;
pub mod mentions;
pub mod resolve;
pub mod results;
pub mod syntax;

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
    CopyRef, CountBy, EntityList, FacetCount, Facets, Histogram, Hit, MainEntities,
    ResolvedFilters, Results, Snippet, Stats, StoredArticle,
};

use crate::dups::members::{self as clusters, ClusterIds, FirstOfEachCluster, Only};

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
    /// One hit per near-duplicate cluster: the first in the requested
    /// order (the best-scoring, or the newest or oldest).
    pub collapse: bool,
    /// Count facets and histogram buckets by article or by cluster.
    pub count_by: CountBy,
}

/// Parses a query string against the index's text fields (see [`syntax`]).
///
/// Words must all match (AND) unless joined by OR, as users of news search
/// expect; the title weighs most, then the standfirst.
pub fn parse(news: &NewsIndex, query: &str) -> Result<syntax::Parsed, QueryError> {
    if query.trim().is_empty() {
        return Ok(syntax::Parsed {
            query: Box::new(AllQuery),
            readable: String::new(),
        });
    }
    let f = &news.fields;
    let mut parser =
        QueryParser::for_index(&news.index, vec![f.title, f.standfirst, f.body, f.captions]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(f.title, 3.0);
    parser.set_field_boost(f.standfirst, 1.5);
    let defaults = syntax::Defaults {
        fields: &[
            (f.title, 3.0),
            (f.standfirst, 1.5),
            (f.body, 1.0),
            (f.captions, 1.0),
        ],
    };
    let parsed =
        syntax::parse(&news.index, &parser, &defaults, query).map_err(|reason| QueryError {
            query: query.to_string(),
            reason,
        })?;
    let lifted = lift_negations(parsed.query);
    // A purely negative query ("NOT wheat") subtracts from everything.
    if let Some(boolean) = (*lifted).downcast_ref::<BooleanQuery>()
        && !boolean.clauses().is_empty()
        && boolean.clauses().iter().all(|(o, _)| *o == Occur::MustNot)
    {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = boolean
            .clauses()
            .iter()
            .map(|(o, q)| (*o, q.box_clone()))
            .collect();
        clauses.push((Occur::Must, Box::new(AllQuery)));
        return Ok(syntax::Parsed {
            query: Box::new(BooleanQuery::new(clauses)),
            readable: parsed.readable,
        });
    }
    Ok(syntax::Parsed {
        query: lifted,
        readable: parsed.readable,
    })
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
    /// What was understood, words and filters, in query syntax.
    pub readable: String,
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
    /// When to stop matching (see [`deadline`]); none on the command line.
    deadline: Option<deadline::Deadline>,
}

impl<'a> Session<'a> {
    pub fn open(news: &'a NewsIndex) -> anyhow::Result<Session<'a>> {
        Ok(Session {
            news,
            searcher: news.reader()?.searcher(),
            catalog: OnceCell::new(),
            facet_map: OnceCell::new(),
            max_depth: limits::DEFAULT_MAX_QUERY_DEPTH,
            deadline: None,
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
            deadline: None,
        }
    }

    /// Accepts queries nested up to `max` levels (`--max-query-depth`).
    pub fn with_max_depth(mut self, max: usize) -> Session<'a> {
        self.max_depth = max;
        self
    }

    /// Stops matching at `deadline`: searches past it end in
    /// [`deadline::TimedOut`] rather than with what they had matched so far.
    pub fn with_deadline(mut self, deadline: deadline::Deadline) -> Session<'a> {
        self.deadline = Some(deadline);
        self
    }

    /// `Err(TimedOut)` once the session's deadline has passed: what was
    /// computed since is incomplete.
    pub fn within_deadline(&self) -> Result<(), deadline::TimedOut> {
        self.deadline.map_or(Ok(()), |d| d.check())
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

    /// A counter of values under `parents`, aliases applied, on the entity
    /// facets or, with `main`, on the main entities.
    pub fn counter(
        &self,
        parents: &[tantivy::schema::Facet],
        depth: usize,
        main: bool,
    ) -> anyhow::Result<facets::ValueCounter> {
        let spec = facets::CountSpec::new(parents, depth).main_only(main);
        Ok(self.facet_map()?.counter(&spec, &self.searcher)?)
    }

    /// Parses the query, resolves its filters and combines them; the
    /// query stops matching at the session's deadline.
    pub fn prepare(&self, text: &str, filters: &Filters) -> anyhow::Result<Prepared> {
        let mut prepared = prepare_in(self, text, filters)?;
        prepared.query = self.limited(prepared.query);
        Ok(prepared)
    }

    /// `query`, stopping at the session's deadline if it has one. Applied
    /// to the query as run, never to a part: Tantivy drops an all-matching
    /// clause from a conjunction (and its score), which it could no longer
    /// recognize inside the wrapper.
    fn limited(&self, query: Box<dyn Query>) -> Box<dyn Query> {
        match self.deadline {
            Some(deadline) => Box::new(deadline::DeadlineQuery::new(query, deadline)),
            None => query,
        }
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
    let mut readable = String::new();
    if !words.trim().is_empty() {
        let parsed = parse(news, &words)?;
        readable = parsed.readable;
        clauses.push((Occur::Must, parsed.query));
    }
    let filters_written = all.to_query_string();
    if !filters_written.is_empty() {
        readable = format!("{readable} {filters_written}").trim().to_string();
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
        // Any of the given sources, compared as the index stores them, or
        // any stored source holding its words ("bbc" → "BBC News").
        let mut analyzer = news.index.tokenizer_for_field(f.source)?;
        let stored = source_values(&searcher, f.source)?;
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for source in &all.source {
            let mut values = std::collections::BTreeSet::new();
            let mut stream = analyzer.token_stream(source);
            while let Some(token) = stream.next() {
                values.insert(token.text.clone());
                let wanted = name_words(&token.text);
                if !wanted.is_empty() {
                    values.extend(
                        stored
                            .iter()
                            .filter(|v| {
                                let have = name_words(v);
                                wanted.iter().all(|w| have.contains(w))
                            })
                            .cloned(),
                    );
                }
            }
            for value in values {
                let term = Term::from_field_text(f.source, &value);
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
        readable,
        filters: resolved,
        searcher,
    })
}

/// The distinct sources the index holds, as stored (lowercased); a few
/// hundred at most in any archive.
fn source_values(
    searcher: &Searcher,
    field: tantivy::schema::Field,
) -> anyhow::Result<std::collections::BTreeSet<String>> {
    let mut out = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            out.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    Ok(out)
}

/// The words of a source name, for matching part of it.
fn name_words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Runs a request.
pub fn search(news: &NewsIndex, request: &Request) -> anyhow::Result<Results> {
    Session::open(news)?.search(request)
}

fn search_in(session: &Session, request: &Request) -> anyhow::Result<Results> {
    limits::check_page(request.limit, request.offset)?;
    let prepared = session.prepare(&request.query, &request.filters)?;
    let (searcher, query) = (&prepared.searcher, &*prepared.query);
    let (total, addresses) = if request.collapse {
        top_collapsed(searcher, query, request.sort, request.limit, request.offset)?
    } else {
        top(searcher, query, request.sort, request.limit, request.offset)?
    };
    let mut hits = Vec::with_capacity(addresses.len());
    for_each_hit(session, query, &addresses, |hit| {
        hits.push(hit);
        Ok(())
    })?;
    if request.collapse {
        for hit in &mut hits {
            hit.members = cluster_members(session, &hit.cluster)?;
        }
    }
    // Each cluster once, at its earliest matching article.
    let by_cluster = request.count_by == CountBy::Cluster;
    let chosen = if by_cluster || request.collapse {
        Some(searcher.search(query, &FirstOfEachCluster)?)
    } else {
        None
    };
    session.within_deadline()?;
    let only = chosen.as_ref().filter(|_| by_cluster);
    let facets = if request.facets.is_empty() {
        None
    } else {
        Some(facet_counts(
            session,
            query,
            &request.facets,
            request.facet_limit,
            prepared.filters.main,
            only,
        )?)
    };
    let histogram = match request.histogram {
        None => None,
        Some(interval) => {
            let collector = HistogramCollector { interval };
            let (buckets, undated) = match only {
                Some(chosen) => searcher.search(
                    query,
                    &Only {
                        chosen,
                        inner: collector,
                    },
                )?,
                None => searcher.search(query, &collector)?,
            };
            Some(Histogram {
                interval,
                buckets,
                undated,
            })
        }
    };
    session.within_deadline()?;
    Ok(Results {
        query: request.query.clone(),
        parsed: prepared.readable.clone(),
        filters: prepared.filters.clone(),
        total,
        offset: request.offset,
        limit: request.limit,
        sort: request.sort,
        hits,
        collapsed: request.collapse,
        clusters: chosen.map(|c| c.clusters()),
        count_by: request.count_by,
        facets,
        histogram,
    })
}

/// A page of hits, one per cluster: the first of each in the requested
/// order. Matches are fetched in growing batches until the page is full.
fn top_collapsed(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    limit: usize,
    offset: usize,
) -> anyhow::Result<Ranked> {
    let ids = ClusterIds::open(searcher)?;
    let wanted = offset.saturating_add(limit);
    let mut fetch = wanted.saturating_mul(4).max(64);
    loop {
        let (total, addresses) = top(searcher, query, sort, fetch, 0)?;
        let firsts = first_of_each(&ids, addresses);
        if firsts.len() >= wanted || fetch >= total {
            let page = firsts.into_iter().skip(offset).take(limit).collect();
            return Ok((total, page));
        }
        fetch = fetch.saturating_mul(4);
    }
}

/// The hits whose cluster no earlier hit is in.
fn first_of_each(ids: &ClusterIds, addresses: Vec<(f32, DocAddress)>) -> Vec<(f32, DocAddress)> {
    let mut seen = std::collections::HashSet::new();
    addresses
        .into_iter()
        .filter(|(_, address)| seen.insert(ids.get(*address)))
        .collect()
}

/// The articles of a hit's cluster, the representative first.
fn cluster_members(session: &Session, cluster: &str) -> anyhow::Result<Vec<CopyRef>> {
    let Some(cluster) = crate::dups::parse_id(cluster) else {
        return Ok(Vec::new());
    };
    let mut articles = clusters::load(&session.searcher, &session.news.fields, cluster)?;
    articles.sort_by(clusters::first_published);
    Ok(articles
        .into_iter()
        .map(|a| CopyRef {
            id: a.id,
            source: a.source,
            date: a.published,
        })
        .collect())
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
    let (_, mut addresses) = top(searcher, query, request.sort, total, 0)?;
    if request.collapse {
        addresses = first_of_each(&ClusterIds::open(searcher)?, addresses);
    }
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
    only: Option<&clusters::Chosen>,
) -> anyhow::Result<Facets> {
    let roots: Vec<_> = kinds.iter().map(|k| k.root()).collect();
    let counter = session.counter(&roots, 1, main)?;
    let counts = match only {
        Some(chosen) => session.searcher.search(
            query,
            &Only {
                chosen,
                inner: counter,
            },
        )?,
        None => session.searcher.search(query, &counter)?,
    };
    let mut facets = Facets::default();
    for &kind in kinds {
        let top: Vec<FacetCount> = counts
            .top(&kind.root(), limit)
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
    let cluster_ids = ClusterIds::open(searcher)?;
    let sizes = clusters::sizes(
        searcher,
        fields,
        addresses
            .iter()
            .map(|&(_, address)| cluster_ids.get(address)),
    )?;
    for &(score, address) in addresses {
        session.within_deadline()?;
        let doc: TantivyDocument = searcher.doc(address)?;
        let mut stored = StoredArticle::from_document(fields, &doc);
        // Hits show no mention counts: only the names need their aliases.
        stored.mentions = None;
        if let Some(names) = names {
            crate::aliases::apply::canonical_article(names, &mut stored);
        }
        let cluster = cluster_ids.get(address);
        let copies = sizes.get(&cluster).map_or(1, |&n| u64::from(n).max(1));
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
            main: stored.main,
            persons: stored.persons,
            places: stored.places,
            orgs: stored.orgs,
            cluster: crate::dups::format_id(cluster),
            copies,
            members: Vec::new(),
        })?;
    }
    Ok(())
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

/// Looks up one article by id, or by a prefix only one id has.
pub fn get(news: &NewsIndex, id: &str) -> anyhow::Result<Option<(StoredArticle, DocAddress)>> {
    find(&news.fields, &news.reader()?.searcher(), id)
}

/// An id prefix several articles share.
#[derive(Debug, thiserror::Error)]
#[error(
    "the id prefix {prefix:?} is ambiguous, type more of it; it could be{}:\n  {}",
    if *more { ", among others" } else { "" },
    candidates.join("\n  ")
)]
pub struct AmbiguousId {
    pub prefix: String,
    /// `id  title` of each article it could be, at most [`MAX_CANDIDATES`].
    pub candidates: Vec<String>,
    /// More articles than those listed have ids starting so.
    pub more: bool,
}

/// Most candidates an ambiguous id prefix lists.
const MAX_CANDIDATES: usize = 10;

impl Session<'_> {
    /// One article by id or unique id prefix, its entity names as the aliases
    /// have them (as in search results). `None` when the id is unknown.
    pub fn article(&self, id: &str) -> anyhow::Result<Option<StoredArticle>> {
        let Some((mut article, _)) = find(&self.news.fields, &self.searcher, id)? else {
            return Ok(None);
        };
        // Names, main entities and mention counts as the aliases have them.
        crate::aliases::apply::canonical_article(self.catalog()?.names(), &mut article);
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
    if let Some(found) = find_exact(fields, searcher, id)? {
        return Ok(Some(found));
    }
    let ids = ids_starting_with(fields, searcher, id)?;
    let mut found = Vec::new();
    for full in ids.iter().take(MAX_CANDIDATES + 1) {
        if let Some(article) = find_exact(fields, searcher, full)? {
            found.push(article);
        }
    }
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => Err(AmbiguousId {
            prefix: id.to_string(),
            candidates: found
                .iter()
                .take(MAX_CANDIDATES)
                .map(|(a, _)| format!("{}  {}", a.id, a.title))
                .collect(),
            more: found.len() > MAX_CANDIDATES,
        }
        .into()),
    }
}

fn find_exact(
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

/// The ids in the term dictionary that start with `prefix` (a deleted
/// article's id may linger there until a merge: callers look each up).
/// Ids are hex digits; anything else, or nothing, is no prefix.
fn ids_starting_with(
    fields: &crate::index::Fields,
    searcher: &Searcher,
    prefix: &str,
) -> anyhow::Result<Vec<String>> {
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(Vec::new());
    }
    let prefix = prefix.to_ascii_lowercase();
    let mut ids = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.id)?;
        let mut terms = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .into_stream()?;
        while terms.advance() {
            let key = terms.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            ids.insert(String::from_utf8_lossy(key).into_owned());
        }
    }
    Ok(ids.into_iter().collect())
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
    let prepared = prepare_in(session, "", filters)?;
    // Looked up in the searcher the query will run in, so a commit landing
    // in between cannot make the address point elsewhere.
    let Some((article, _)) = find(&news.fields, &prepared.searcher, id)? else {
        return Ok(None);
    };
    let id = article.id.as_str();
    let like = like::like(news, &prepared.searcher, &article)?;
    let itself = TermQuery::new(
        Term::from_field_text(news.fields.id, id),
        IndexRecordOption::Basic,
    );
    let query = session.limited(Box::new(BooleanQuery::new(vec![
        (Occur::Must, like),
        (Occur::Must, prepared.query.box_clone()),
        (Occur::MustNot, Box::new(itself)),
    ])));
    let searcher = &prepared.searcher;
    let (total, addresses) = top(searcher, &*query, Sort::Relevance, limit, 0)?;
    session.within_deadline()?;
    let mut hits = Vec::with_capacity(addresses.len());
    for_each_hit(session, &*query, &addresses, |hit| {
        hits.push(hit);
        Ok(())
    })?;
    Ok(Some(Results {
        query: format!("related:{id}"),
        parsed: format!("related:{id} {}", prepared.readable)
            .trim()
            .to_string(),
        filters: prepared.filters,
        total,
        offset: 0,
        limit,
        sort: Sort::Relevance,
        hits,
        collapsed: false,
        clusters: None,
        count_by: CountBy::Article,
        facets: None,
        histogram: None,
    }))
}
