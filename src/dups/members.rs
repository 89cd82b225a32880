//! The read side of clusters: which cluster a hit is in, who its members
//! are, which of them represents it, and how each copy differs.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, DocSetCollector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{TermQuery, TermSetQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

use super::diff::{bag, change};
use super::{CLUSTER_FIELD, format_id};
use crate::index::Fields;
use crate::index::document::StoredArticle;

/// Each segment's cluster column, opened once per searcher.
pub struct ClusterIds(Vec<Column<u64>>);

impl ClusterIds {
    pub fn open(searcher: &Searcher) -> anyhow::Result<ClusterIds> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64(CLUSTER_FIELD))
            .collect::<tantivy::Result<_>>()?;
        Ok(ClusterIds(columns))
    }

    /// The cluster of a document; one of its own for a document indexed
    /// without one.
    pub fn get(&self, address: DocAddress) -> u64 {
        self.0
            .get(address.segment_ord as usize)
            .and_then(|column| column.first(address.doc_id))
            .unwrap_or_else(|| alone(address.segment_ord, address.doc_id))
    }
}

/// A key no real cluster has, for a document without a cluster id.
fn alone(segment: SegmentOrdinal, doc: DocId) -> u64 {
    u64::MAX - ((u64::from(segment) << 32) | u64::from(doc))
}

/// The number of live articles in each of `clusters`, in one search (a
/// page of hits asks for all of its clusters at once, not one count per
/// hit); a cluster no live article has is absent.
pub fn sizes(
    searcher: &Searcher,
    fields: &Fields,
    clusters: impl IntoIterator<Item = u64>,
) -> anyhow::Result<HashMap<u64, u32>> {
    let terms: Vec<Term> = clusters
        .into_iter()
        .map(|cluster| Term::from_field_u64(fields.cluster, cluster))
        .collect();
    if terms.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(searcher.search(&TermSetQuery::new(terms), &ClusterCounts)?)
}

/// The live articles of a cluster, in no order.
pub fn load(
    searcher: &Searcher,
    fields: &Fields,
    cluster: u64,
) -> anyhow::Result<Vec<StoredArticle>> {
    let term = Term::from_field_u64(fields.cluster, cluster);
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let addresses = searcher.search(&query, &DocSetCollector)?;
    let mut out = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        out.push(StoredArticle::from_document(fields, &doc));
    }
    Ok(out)
}

/// Earliest published first, undated last, ties by id: the first member
/// in this order represents the cluster.
pub fn first_published(a: &StoredArticle, b: &StoredArticle) -> Ordering {
    match (a.published, b.published) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.id.cmp(&b.id))
}

/// One copy of a story.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Member {
    pub id: String,
    pub title: String,
    pub source: Option<String>,
    pub date: Option<DateTime<Utc>>,
    pub path: String,
    /// Position inside a multi-article file, from 1.
    pub record: Option<u64>,
    /// Words of this copy's standfirst and body that the representative's
    /// lack (counted as multisets: reordering adds nothing); 0 for the
    /// representative itself.
    pub added_words: u64,
    /// Words of the representative's text this copy lacks.
    pub removed_words: u64,
}

/// A cluster of copies of one story.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
pub struct Cluster {
    /// The cluster id (the id of the article that founded it, which may
    /// since have been deleted).
    pub cluster: String,
    /// Live articles in the cluster.
    pub size: usize,
    /// The earliest published member (undated ones last, ties by id).
    pub representative: String,
    /// The representative first, then the others by date and id.
    pub members: Vec<Member>,
}

/// A cluster described from its members (not empty).
pub fn describe(cluster: u64, mut articles: Vec<StoredArticle>) -> Cluster {
    articles.sort_by(first_published);
    let text = |a: &StoredArticle| format!("{}\n{}", a.standfirst, a.body);
    let base = articles.first().map(|a| bag(&text(a))).unwrap_or_default();
    let members: Vec<Member> = articles
        .into_iter()
        .map(|a| {
            let diff = change(&base, &bag(&text(&a)));
            Member {
                id: a.id,
                title: a.title,
                source: a.source,
                date: a.published,
                path: a.path,
                record: a.record,
                added_words: diff.added,
                removed_words: diff.removed,
            }
        })
        .collect();
    Cluster {
        cluster: format_id(cluster),
        size: members.len(),
        representative: members.first().map(|m| m.id.clone()).unwrap_or_default(),
        members,
    }
}

/// Counts matching documents per cluster.
pub struct ClusterCounts;

pub struct SegmentClusterCounts {
    segment: SegmentOrdinal,
    column: Column<u64>,
    counts: HashMap<u64, u32>,
}

impl Collector for ClusterCounts {
    type Fruit = HashMap<u64, u32>;
    type Child = SegmentClusterCounts;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentClusterCounts> {
        Ok(SegmentClusterCounts {
            segment,
            column: reader.fast_fields().u64(CLUSTER_FIELD)?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<u64, u32>>) -> tantivy::Result<Self::Fruit> {
        let mut all: HashMap<u64, u32> = HashMap::new();
        for fruit in fruits {
            for (cluster, n) in fruit {
                *all.entry(cluster).or_default() += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentClusterCounts {
    type Fruit = HashMap<u64, u32>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let cluster = self
            .column
            .first(doc)
            .unwrap_or_else(|| alone(self.segment, doc));
        *self.counts.entry(cluster).or_default() += 1;
    }

    fn harvest(self) -> Self::Fruit {
        self.counts
    }
}

/// Of the matching documents, the earliest published of each cluster
/// (undated last), for counting clusters instead of articles: a cluster
/// counts once, where and when its story first appeared among the matches.
pub struct FirstOfEachCluster;

/// Chosen documents per segment, sorted.
#[derive(Debug, Default)]
pub struct Chosen(pub HashMap<SegmentOrdinal, Vec<DocId>>);

impl Chosen {
    /// How many clusters the matches fall in.
    pub fn clusters(&self) -> usize {
        self.0.values().map(Vec::len).sum()
    }
}

pub struct SegmentFirsts {
    segment: SegmentOrdinal,
    clusters: Column<u64>,
    dates: Column<tantivy::DateTime>,
    best: HashMap<u64, (i64, DocId)>,
}

type Firsts = (SegmentOrdinal, HashMap<u64, (i64, DocId)>);

impl Collector for FirstOfEachCluster {
    type Fruit = Chosen;
    type Child = SegmentFirsts;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFirsts> {
        Ok(SegmentFirsts {
            segment,
            clusters: reader.fast_fields().u64(CLUSTER_FIELD)?,
            dates: reader.fast_fields().date("published")?,
            best: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Firsts>) -> tantivy::Result<Chosen> {
        let mut best: HashMap<u64, (i64, SegmentOrdinal, DocId)> = HashMap::new();
        for (segment, firsts) in fruits {
            for (cluster, (date, doc)) in firsts {
                let candidate = (date, segment, doc);
                best.entry(cluster)
                    .and_modify(|b| *b = (*b).min(candidate))
                    .or_insert(candidate);
            }
        }
        let mut chosen: HashMap<SegmentOrdinal, Vec<DocId>> = HashMap::new();
        for (_, segment, doc) in best.into_values() {
            chosen.entry(segment).or_default().push(doc);
        }
        for docs in chosen.values_mut() {
            docs.sort_unstable();
        }
        Ok(Chosen(chosen))
    }
}

impl SegmentCollector for SegmentFirsts {
    type Fruit = Firsts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let cluster = self
            .clusters
            .first(doc)
            .unwrap_or_else(|| alone(self.segment, doc));
        let date = self
            .dates
            .first(doc)
            .map_or(i64::MAX, |d| d.into_timestamp_secs());
        self.best
            .entry(cluster)
            .and_modify(|b| *b = (*b).min((date, doc)))
            .or_insert((date, doc));
    }

    fn harvest(self) -> Firsts {
        (self.segment, self.best)
    }
}

/// Runs `inner` over the chosen documents only.
pub struct Only<'a, C> {
    pub chosen: &'a Chosen,
    pub inner: C,
}

pub struct SegmentOnly<S> {
    docs: Vec<DocId>,
    inner: S,
}

impl<C: Collector> Collector for Only<'_, C> {
    type Fruit = C::Fruit;
    type Child = SegmentOnly<C::Child>;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        // A segment collector owns its state: a copy of the segment's list.
        let docs = self.chosen.0.get(&segment).cloned().unwrap_or_default();
        Ok(SegmentOnly {
            docs,
            inner: self.inner.for_segment(segment, reader)?,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(fruits)
    }
}

impl<S: SegmentCollector> SegmentCollector for SegmentOnly<S> {
    type Fruit = S::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.docs.binary_search(&doc).is_ok() {
            self.inner.collect(doc, score);
        }
    }

    fn harvest(self) -> S::Fruit {
        self.inner.harvest()
    }
}
